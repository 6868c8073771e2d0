"""How the command line writes numbers and messages."""

import math
import os

TABLE_DIGITS = 4
"""The significant digits of every figure of a table, unless two of its figures need more
to read differently (:func:`table_digits`)."""
MOST_DIGITS = 6
"""The most significant digits :func:`table_digits` gives: figures equal to as many digits
are the same figure (a tie, as the verdicts call RMSEs closer than
:data:`~engine.testing.verdict.TIE`, or the rounding of two computations of one figure)."""


def number(x, digits=TABLE_DIGITS):
    """``x`` to ``digits`` significant digits, trailing zeros kept so that every figure of a
    column has as many (2.100 beside 2.594, 1.000 beside 1.004), whole numbers from
    ``10 ** digits`` on (12346, never 1.235e+04); "-" for None."""
    if x is None:
        return "-"
    x = float(x)
    if math.isfinite(x) and 10 ** digits <= abs(float(f"{x:.{digits}g}")) < 1e15:
        return f"{x:.0f}"
    text = f"{x:#.{digits}g}"
    return text[:-1] if text.endswith(".") else text


def table_digits(values, least=TABLE_DIGITS, most=MOST_DIGITS):
    """The significant digits for a table of the figures ``values`` (None and figures that
    are not finite left out): the fewest from ``least`` on at which no two figures that
    differ to ``most`` digits read the same in :func:`number`, else ``most``."""
    figures = {number(v, most): float(v) for v in values
               if v is not None and math.isfinite(float(v))}
    for digits in range(least, most):
        if len({number(v, digits) for v in figures.values()}) == len(figures):
            return digits
    return most


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
