"""Figures as text: every figure of a table to the same significant digits, trailing zeros
kept (:func:`number`: the command line's tables, and step 5's table and reason), and the
digits a table needs so that no two different figures read the same (:func:`table_digits`:
the command line's tables of scores), and a few figures of a sentence told apart in the same
way (:func:`told_apart`: the verdicts' "RMSE 1.886 against 2.540")."""

import math

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


def column_digits(rows, keys):
    """``{key: digits}``: for each of ``keys``, :func:`table_digits` of that key's figures
    over ``rows`` (dicts; a key missing or None left out), so that every measure of a table
    gets its own digits and one's close figures do not lengthen another's."""
    rows = list(rows)
    return {key: table_digits(row.get(key) for row in rows) for key in keys}


def told_apart(*values, least=TABLE_DIGITS):
    """The figures ``values`` as text, as a table of them alone shows them: to the digits
    of :func:`table_digits` (``least``, 4, unless two that differ need more to read
    differently), trailing zeros kept (``told_apart(17.6312, 17.6348) == ("17.631",
    "17.635")``, ``told_apart(1.886, 2.54) == ("1.886", "2.540")``)."""
    digits = table_digits(values, least=least)
    return tuple(number(v, digits) for v in values)


def short_number(x, digits=TABLE_DIGITS):
    """``x`` as :func:`number` gives it, without its trailing zeros (0, 104, 55.9, 3.029,
    1.2e-05): a value of the data or a count, which reads as the file holds it rather than
    as a score beside others; "-" for None."""
    mantissa, e, exponent = number(x, digits).partition("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return mantissa + e + exponent
