"""How the command line writes its messages and the lines that say what was scored."""

import os


def one_line(text):
    """``text`` with every run of white space (new lines too) made one space."""
    return " ".join(str(text).split())


def scored_line(model, data, what):
    """The first line of a command that scores a model on a data file: ``"m.npz on
    data.csv: what"``, the files' names without their folders; ``what``: the rows scored,
    and how (``evaluate``, ``backtest``, of one series or many)."""
    return f"{os.path.basename(str(model))} on {os.path.basename(str(data))}: {what}"


def methods_offered(command, method, kind, methods):
    """The one line refusing ``--method method`` for a model of ``kind`` ("one series",
    "many series") that offers ``methods``: "forecast --method ets: not for a model of
    many series; choose --method network, naive2, seasonal_naive or theta."."""
    offered = ", ".join(methods[:-1]) + " or " + methods[-1]
    return f"{command} --method {method}: not for a model of {kind}; choose --method {offered}."
