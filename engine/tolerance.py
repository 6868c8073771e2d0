"""When one error counts as lower than another: by more than :data:`CLEAR_GAIN` of it.

A setting (a network's size, lookback, inputs, window) with error ``s`` is clearly better
than one of error ``s0`` when

    s < s0 * (1 - CLEAR_GAIN)

and else the two count as equal, and the simpler is kept: step 5's choice of a row and its
pruning rounds (:mod:`engine.selection.choice`), a fit of many series' choice of its
window (:mod:`engine.many.choosing`). A module of its own, without imports, so that the
command line's help can say the tolerance without loading what uses it."""

CLEAR_GAIN = 0.01
"""The share by which an error must be lower to count: one network varies about that much
from seed to seed (a global network of the M4 weekly series at one origin, the same
window: OWA 0.847 to 0.858), and a smaller gain there did not hold on the holdout."""

TOLERANCE_TEXT = f"{CLEAR_GAIN:.0%}"
"""The tolerance as the messages write it ("1%")."""
