"""Command-line values in plain words: the split shares, a row-or-date start and the units
per layer, each parsed with an :class:`EngineError` that says what to type instead."""

from engine.errors import EngineError


def parse_split(text):
    """``"60,20,20"`` or ``"0.6,0.2,0.2"`` -> (0.6, 0.2, 0.2)."""
    try:
        parts = [float(p) for p in str(text).split(",")]
    except ValueError:
        raise EngineError(f"The split {text!r} is not three numbers; give training, "
                          "selection and testing shares such as 60,20,20.") from None
    if len(parts) != 3 or min(parts) < 0 or sum(parts) <= 0:
        raise EngineError(f"The split {text!r} must be three shares (training, selection, "
                          "testing) such as 60,20,20.")
    total = sum(parts)
    if abs(total - 1) > 1e-6 and abs(total - 100) > 1e-6:
        raise EngineError(f"The split {text!r} adds up to {total:g}; the three shares must "
                          "add up to 100 (or to 1).")
    return tuple(p / total for p in parts)


def parse_when(text):
    """A ``--test-from``/``--from`` value: a whole number stays a number (a row, or a year
    of the time column), ``row N`` is row N (as the data page writes it), anything else is
    text (a date)."""
    if isinstance(text, str) and text.strip().lstrip("-").isdigit():
        return int(text.strip())
    words = text.strip().lower() if isinstance(text, str) else ""
    if words.startswith("row") and words[3:].strip().isdigit():
        return {"row": int(words[3:])}
    return text


def parse_hidden(text):
    """``"64,32"`` -> [64, 32], the units of each recurrent layer."""
    try:
        sizes = [int(part) for part in str(text).split(",")]
    except ValueError:
        raise EngineError(f"--hidden {text!r} is not a list of whole numbers; give units per "
                          "layer such as 32 or 64,32.") from None
    if not sizes or min(sizes) < 1:
        raise EngineError(f"--hidden {text!r}: every layer needs at least 1 unit.")
    return sizes
