"""The command line run in the test's own process, its output kept as text."""

import io

from engine.cli.main import main


def run(*argv):
    """``(status, stdout, stderr)`` of ``rnn-studio ARGV`` (each argument as text)."""
    out, err = io.StringIO(), io.StringIO()
    status = main([str(a) for a in argv], out=out, err=err)
    return status, out.getvalue(), err.getvalue()
