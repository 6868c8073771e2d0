"""How the command line writes numbers and messages."""


def number(x, digits=4):
    """``x`` to ``digits`` significant digits; "-" for None."""
    return "-" if x is None else f"{x:.{digits}g}"


def one_line(text):
    """``text`` with every run of white space (new lines too) made one space."""
    return " ".join(str(text).split())
