"""The ``rnn-studio`` command line."""

import argparse
import sys

from . import __version__


def build_parser():
    parser = argparse.ArgumentParser(
        prog="rnn-studio",
        description="Build, train, test and deploy recurrent neural networks for time series.")
    parser.add_argument("--version", action="version", version=f"rnn-studio {__version__}")
    parser.add_subparsers(dest="command", metavar="COMMAND")
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
