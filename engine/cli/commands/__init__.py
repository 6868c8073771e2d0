"""The subcommands of ``rnn-studio``, one module each (see
:func:`engine.cli.main.command_modules` for what a module provides)."""
