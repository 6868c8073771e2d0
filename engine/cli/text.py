"""How the command line writes numbers and messages."""

import os


def number(x, digits=4):
    """``x`` to ``digits`` significant digits; "-" for None."""
    return "-" if x is None else f"{x:.{digits}g}"


def one_line(text):
    """``text`` with every run of white space (new lines too) made one space."""
    return " ".join(str(text).split())


def terminal_lines(err, indent="  "):
    """A function that prints a line of progress to ``err`` when it is a terminal, and does
    nothing otherwise (a file or a pipe gets only the results)."""
    if not (hasattr(err, "isatty") and err.isatty()):
        return lambda text: None
    return lambda text: print(f"{indent}{text}", file=err)


def scored_line(model, data, what):
    """The first line of a command that scores a model on a data file: ``"m.npz on
    data.csv: what"``, the files' names without their folders; ``what``: the rows scored,
    and how (``evaluate``, ``backtest``, of one series or many)."""
    return f"{os.path.basename(str(model))} on {os.path.basename(str(data))}: {what}"
