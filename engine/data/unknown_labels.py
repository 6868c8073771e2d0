"""Labels a model was not trained on, in the data it predicts from, and the note on the
predictions that read them.

A categorical input's label that is none of its categories is read as none of them (all 0
in its one-hot columns); a binary input's third label is read as an empty cell and filled
in by the model's missing-value rule. Either is a value the model made up
(:attr:`~engine.data.preprocessing.Encoded.unknown_labels`).

A prediction reads the rows ``first .. last`` of the data: one window's rows, or, for a
recursive forecast of row ``r`` from the window ending at ``a``, the rows of that window up
to ``r - offset`` (its outputs fed back carry what the earlier rows told it). It read such
a label when one lies in those rows.
"""

import numpy as np
import pandas as pd

from engine.data.windows import spans_hold
from engine.words import counted, listed, verb

FILLED_WITH = {"interpolate": "interpolated between the known values",
               "mean": "filled with the training mean",
               "median": "filled with the training median"}
"""What an empty cell is filled with, by the model's missing-value rule."""
LABELS_TODO = "write labels the model knows (or train it on data that holds the new ones)"
"""What to do about labels the model was not trained on."""
MOST_SHOWN = 3                  # labels named per column, at most


def covered(first, last, n_rows):
    """(n_rows,) bool: the rows inside any of the spans ``first[i] .. last[i]`` ((m,) int,
    clipped to the rows)."""
    marks = np.zeros(n_rows + 1, dtype=int)
    np.add.at(marks, np.clip(np.asarray(first, dtype=int), 0, n_rows), 1)
    np.add.at(marks, np.clip(np.asarray(last, dtype=int) + 1, 0, n_rows), -1)
    return np.cumsum(marks)[:n_rows] > 0


def read_unknown(encoded, first, last):
    """(m,) bool: whether the span ``first[i] .. last[i]`` of rows holds a label the model
    was not trained on."""
    holds = np.zeros(encoded.n_rows, dtype=int)
    for labels in (encoded.unknown_labels or {}).values():
        holds += pd.notna(labels)
    return spans_hold(holds > 0, first, last)


def labels_in(encoded, rows):
    """``{input: {label: cells}}``: the labels the model was not trained on in the
    ``rows`` ((rows,) bool) and how many cells hold each, inputs in the model's order."""
    found = {}
    for name, labels in (encoded.unknown_labels or {}).items():
        cells = labels[rows & pd.notna(labels)]
        if len(cells):
            texts, counts = np.unique(cells.astype(str), return_counts=True)
            found[name] = dict(zip(texts.tolist(), counts.tolist()))
    return found


def labels_phrases(fitted, found):
    """Phrases on ``found`` (:func:`labels_in`), one for the categorical inputs and one for
    the binary ones: ``"2 labels the model was not trained on (season: 'autumn'), read as
    none of the categories"``; a binary input's as its empty cells are filled in
    (``fitted.missing``, :data:`FILLED_WITH`)."""
    types = {v["name"]: v["type"] for v in fitted.variables}
    phrases = []
    for kind, how in (("categorical", "read as none of the categories"),
                      ("binary", FILLED_WITH.get(fitted.missing, "filled in"))):
        mine = {name: labels for name, labels in found.items() if types.get(name) == kind}
        if mine:
            cells = sum(sum(labels.values()) for labels in mine.values())
            which = "; ".join(f"{name}: {_named(labels)}" for name, labels in mine.items())
            phrases.append(f"{counted(cells, 'label')} the model was not trained on "
                           f"({which}), {how}")
    return phrases


def _named(labels):
    """The labels as quoted text, the most frequent :data:`MOST_SHOWN` of them."""
    order = sorted(labels, key=lambda label: -labels[label])
    shown = [repr(label) for label in order[:MOST_SHOWN]]
    more = len(order) - len(shown)
    return listed(shown + ([f"{more} more"] if more else []))


def scored_labels_note(fitted, encoded, rows, first, last):
    """The note on the scored predictions of ``rows`` (m,) (the rows they predict; a row
    may appear more than once) read from the spans ``first .. last`` (m,) that hold labels
    the model was not trained on: how many rows, which labels; None when none did. What
    ``evaluate`` and the testing step say."""
    read = read_unknown(encoded, first, last)
    if not read.any():
        return None
    count = len(np.unique(np.asarray(rows)[read]))
    found = labels_in(encoded, covered(np.asarray(first)[read], np.asarray(last)[read],
                                       encoded.n_rows))
    return (f"{counted(count, 'scored row')} {verb(count, 'was', 'were')} predicted "
            f"from windows that read values the model made up: "
            f"{listed(labels_phrases(fitted, found))}; their errors are those of data it "
            f"was not trained on. To score it on known labels only, {LABELS_TODO}.")
