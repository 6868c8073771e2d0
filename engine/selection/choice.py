"""Which row of a search is chosen, and why, in words.

The chosen row is the simplest whose mean selection score ``s`` is not clearly worse than
the lowest ``s_min`` of the search: the lowest is clearly better than a row when

    s_min < s * (1 - CLEAR_GAIN)

(:data:`~engine.tolerance.CLEAR_GAIN`, 1%: what one network's selection error varies
from seed to seed; the same rule by which a fit of many series keeps its default window,
:mod:`engine.many.choosing`). The rounds of a pruning search
(:mod:`engine.selection.search`) follow it too: an input is left out when the error
without it is within the tolerance of the lowest so far (:func:`within_tolerance`).
Among the rows within that tolerance the one of least complexity is chosen, and among
rows equally complex the lowest. On settings that all score alike (a flat curve), the
smallest network is kept, not the one that happened to score lowest by a hair.

Complexity, by method (:func:`complexity`): the units of every layer together, the
lookback, the number of inputs, the cell's gates (simple RNN, GRU, LSTM), and the L2
strength the other way round (a stronger penalty keeps the weights smaller). Seeds of an
ensemble are equally complex: the lowest member is chosen. The ensemble's own row is never
chosen (a project trains one network).
"""

from engine.figures import number
from engine.selection.candidates import CELLS
from engine.tolerance import CLEAR_GAIN, TOLERANCE_TEXT

SIMPLEST = {"neurons": "the smallest network", "lookback": "the shortest lookback",
            "inputs": "the fewest inputs", "inputs_pruning": "the fewest inputs",
            "cell": "the simplest cell", "regularization": "the strongest L2"}
"""What the simplest setting of each method is, in words (the ensemble has none); the
reason says of which rows: those within the tolerance of the lowest."""


def complexity(method, row):
    """A number that grows with the complexity of ``row``'s setting for ``method``;
    None when the method's settings have no order of complexity (an ensemble's seeds)."""
    changes = row.changes
    if method == "neurons":
        return float(sum(changes["hidden_sizes"]))
    if method == "lookback":
        return float(changes["lookback"])
    if method in ("inputs", "inputs_pruning"):
        return float(len(changes["inputs"]))
    if method == "cell":
        return float(CELLS.index(changes["cell"])) if changes["cell"] in CELLS else None
    if method == "regularization":
        return -float(changes["l2"])
    return None


def scored_rows(rows):
    """The rows that can be chosen: scored, and no ensemble's average."""
    return [row for row in rows if not row.ensemble and row.selection_score is not None]


def lowest_row(rows):
    """The scored row of the lowest mean selection score (the first of equals); None."""
    candidates = scored_rows(rows)
    return min(candidates, key=lambda row: row.selection_score) if candidates else None


def within_tolerance(row, lowest):
    """Whether ``lowest`` (a score) is not clearly better than ``row``'s score."""
    return not lowest < row.selection_score * (1 - CLEAR_GAIN)


def choose_row(method, rows):
    """The index of the row to choose among ``rows`` (module docstring); None when no
    row is scored."""
    lowest = lowest_row(rows)
    if lowest is None:
        return None
    close = [row for row in scored_rows(rows)
             if within_tolerance(row, lowest.selection_score)]
    if any(complexity(method, row) is None for row in close):
        return lowest.index
    return min(close, key=lambda row: (complexity(method, row), row.selection_score)).index


def choice_reason(method, rows, chosen):
    """Why row ``chosen`` (an index; the chosen one) was chosen, in one sentence, e.g.
    "64 units (2.971) does no better than 16 units (3.000) within 1%: the smallest network
    within 1% of the lowest, 16 units, is chosen."; "" when no row is chosen. The errors
    read as the search's table prints them (:func:`engine.figures.number`); when the
    lowest and the chosen read the same there (11.97 and 11.97, apart in the fifth
    digit), the sentence says that settings within 1% count as equal instead."""
    lowest = lowest_row(rows)
    row = next((r for r in rows if r.index == chosen), None)
    if lowest is None or row is None:
        return ""
    if row.selection_score > lowest.selection_score:
        simplest = SIMPLEST.get(method, "the simplest setting")
        low, own = number(lowest.selection_error), number(row.selection_error)
        if low == own:
            return (f"Settings within {TOLERANCE_TEXT} of the lowest selection error count "
                    f"as equal ({lowest.label}, the lowest, and {row.label} both read "
                    f"{own}): {simplest} among them, {row.label}, is chosen.")
        return (f"{lowest.label} ({low}) does no better than {row.label} ({own}) within "
                f"{TOLERANCE_TEXT}: {simplest} within {TOLERANCE_TEXT} of the lowest, "
                f"{row.label}, is chosen.")
    text = f"Chosen: {row.label}, of the lowest selection error"
    own = complexity(method, row)
    others = [complexity(method, r) for r in scored_rows(rows)]
    if own is not None and any(c is not None and c < own for c in others):
        return text + f"; no simpler setting comes within {TOLERANCE_TEXT} of it."
    return text + "."

