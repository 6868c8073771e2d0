"""Counts in words, for the sentences the program says: a noun in the singular or the
plural as its number asks ("1 row", "4 rows", never "row(s)")."""


def counted(n, noun, plural=None):
    """``"1 row"``, ``"4 rows"``, ``"1,200 rows"``; ``plural`` for a noun whose plural is
    not the singular with an "s" (``counted(3, "series", "series")``)."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {plural or noun + 's'}"


def verb(n, singular, plural):
    """The verb that agrees with a count ``n``: ``verb(1, "is", "are")`` is "is"."""
    return singular if n == 1 else plural


def the_last(n, noun, plural=None):
    """``"the last row"``, ``"the last 4 rows"``."""
    return _the("last", n, noun, plural)


def the_first(n, noun, plural=None):
    """``"the first row"``, ``"the first 4 rows"``."""
    return _the("first", n, noun, plural)


def the_next(n, noun, plural=None):
    """``"the next step"``, ``"the next 4 steps"``."""
    return _the("next", n, noun, plural)


def _the(end, n, noun, plural):
    """``n`` of ``noun`` at one ``end`` ("first" or "last"), the count left out for one."""
    return f"the {end} {noun}" if n == 1 else f"the {end} {counted(n, noun, plural)}"


def counted_of(part, whole, noun, plural=None):
    """``part`` of ``whole`` things in words: ``"the one row"`` (1 of 1), ``"all 3 rows"``,
    ``"1 of the 3 rows"``, ``"2 of the 1,200 rows"``."""
    if part == whole:
        return f"the one {noun}" if whole == 1 else f"all {counted(whole, noun, plural)}"
    return f"{part:,} of the {counted(whole, noun, plural)}"


def steps_ahead_range(horizon):
    """The steps ahead of a model of ``horizon`` steps, from the first: ``"1 step ahead"``,
    ``"1 to 48 steps ahead"``."""
    return "1 step ahead" if horizon == 1 else f"1 to {horizon:,} steps ahead"


def listed(words):
    """``["a", "b", "c"]`` as "a, b and c" (one word as itself)."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def numbered(noun, numbers):
    """Things by their numbers: ``"network 2"``, ``"networks 1 and 3"``, ``"networks 1 to
    4"`` (three or more in a row), ``"networks 1, 3 and 4"``."""
    numbers = [int(n) for n in numbers]
    if len(numbers) == 1:
        return f"{noun} {numbers[0]}"
    if len(numbers) > 2 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"{noun}s {numbers[0]} to {numbers[-1]}"
    return f"{noun}s " + listed([str(n) for n in numbers])


def the_named(noun, names):
    """Things by their names: ``"the input cpi"``, ``"the inputs cpi and gdp"``."""
    names = [str(name) for name in names]
    return f"the {noun} {names[0]}" if len(names) == 1 else f"the {noun}s {listed(names)}"


def some_named(names, shown=3):
    """A few of ``names`` and how many more: ``"a, b and c"`` (``shown`` or fewer, all of
    them), ``"a, b, c and 4 more"``."""
    names = [str(name) for name in names]
    if len(names) <= shown:
        return listed(names)
    return f"{', '.join(names[:shown])} and {len(names) - shown:,} more"
