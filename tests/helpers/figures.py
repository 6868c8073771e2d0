"""What the command line's tables may print for a figure (:func:`engine.figures.number`
to the digits of :func:`engine.figures.table_digits`)."""

from engine.figures import MOST_DIGITS, TABLE_DIGITS, number


def printed(value):
    """The texts a table may show for ``value``: 4 significant digits, or more when two
    of the table's figures need them to read differently."""
    return [number(value, digits) for digits in range(TABLE_DIGITS, MOST_DIGITS + 1)]


def shows(text, value):
    """Whether ``text`` holds ``value`` as a table prints it (:func:`printed`)."""
    return any(figure in text for figure in printed(value))


def reads(texts, values):
    """Whether the figures ``texts`` of a table's row are ``values``, all to one number of
    significant digits (:func:`printed`)."""
    return any(list(texts) == [number(v, digits) for v in values]
               for digits in range(TABLE_DIGITS, MOST_DIGITS + 1))
