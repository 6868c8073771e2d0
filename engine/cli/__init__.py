"""The ``rnn-studio`` command line: the parser, the dispatch and the shared Ctrl-C handling
(:mod:`.main`), one module per subcommand (:mod:`.commands`: fit, evaluate, predict,
forecast and export, report, select), parsing of dates, splits and layer sizes
(:mod:`.arguments`), the shared output formatting (:mod:`.text`), the scores of each step
ahead that ``fit`` and ``evaluate`` print (:mod:`.step_scores`), the terminal progress bar
(:mod:`.progress_bar`) and the built-in self-test (:mod:`.self_test`)."""
