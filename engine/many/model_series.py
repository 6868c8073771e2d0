"""The series of a data file beside those a global model was trained on.

A global model keeps each series' own scale (and static values) from its training rows, so
it forecasts, scores and predicts only the series it was trained on. A file may hold others
as well: those are left out, and a note names them (a few, then how many more) and says to
train the model again with them; only a file of none but new series is refused
(:meth:`~engine.many.global_model.GlobalModel.known_series`). A series the model was
trained on that the file does not hold has no forecast and no score either, and a note
names it too; not in a prediction, whose file of rows may well hold a few of the series.
"""

from typing import NamedTuple

from engine.words import counted, some_named, verb


class Outcome(NamedTuple):
    """How the notes of one command say what a series left out misses: ``new`` and
    ``missing`` (singular, plural) of a series new to the model and of one missing from
    the data (None: not named); ``does`` and ``do`` the command's verb ("forecasts", "forecast")."""

    new: tuple
    missing: tuple
    does: str
    do: str


OUTCOMES = {
    "forecast": Outcome(("it has no forecast", "they have no forecast"),
                        ("it has no forecast", "they have no forecast"),
                        "forecasts", "forecast"),
    "evaluate": Outcome(("it is not scored", "they are not scored"),
                        ("it is not scored", "they are not scored"), "scores", "score"),
    "predict": Outcome(("its rows are written without predictions",
                        "their rows are written without predictions"),
                       None, "predicts", "predict")}
"""The words of :func:`series_notes` for ``forecast``, ``evaluate`` and ``predict``."""


def model_series(model, data, outcome="forecast"):
    """``(known, notes)``: ``data`` (a :class:`~engine.many.series_data.SeriesSet`) with
    only the series ``model`` was trained on
    (:meth:`~engine.many.global_model.GlobalModel.known_series`, which raises when it
    holds none of them), and :func:`series_notes` on those left out and those missing."""
    known, new, missing = model.known_series(data)
    return known, series_notes(new, missing, outcome)


def missing_series_notes(model, data, outcome="forecast"):
    """:func:`series_notes` on the series ``model`` was trained on that ``data`` lacks
    alone, for an output of every series of ``data``, new ones too (a method's forecast,
    from each series' own values)."""
    found = set(model.numbers_of(data.ids))
    return series_notes([], [name for k, name in enumerate(model.ids) if k not in found],
                        outcome)


def series_notes(new, missing, outcome="forecast"):
    """The notes (a list of none, one or two) naming the series ``new`` to the model, left
    out, and the model's series ``missing`` from the data (but for ``predict``), in the
    words of ``outcome`` (a key of :data:`OUTCOMES`): "1 series in the data is new to the model: NEW; it has no
    forecast. ...", "1 series the model was trained on is not in the data: H106; it has no
    forecast." """
    words = OUTCOMES[outcome]
    notes = []
    if new:
        n = len(new)
        notes.append(f"{counted(n, 'series', 'series')} in the data {verb(n, 'is', 'are')} "
                     f"new to the model: {some_named(new)}; {verb(n, *words.new)}. A global "
                     f"model {words.does} the series it was trained on: train it again with "
                     f"{verb(n, 'this series', 'these series')} to {words.do} "
                     f"{verb(n, 'it', 'them')}.")
    if missing and words.missing:
        m = len(missing)
        notes.append(f"{counted(m, 'series', 'series')} the model was trained on "
                     f"{verb(m, 'is', 'are')} not in the data: {some_named(missing)}; "
                     f"{verb(m, *words.missing)}.")
    return notes
