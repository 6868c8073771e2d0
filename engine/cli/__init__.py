"""The ``rnn-studio`` command line: the parser and fit/evaluate/predict (:mod:`.main`), one
module per further subcommand (:mod:`.commands`), the terminal progress bar
(:mod:`.progress_bar`) and the built-in self-test (:mod:`.self_test`)."""
