"""Subcommands of ``rnn-studio`` beyond fit, evaluate and predict, one module each (see
:func:`engine.cli.main.command_modules` for what a module provides)."""
