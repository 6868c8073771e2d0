"""The verdict after a fit: the network against the classical comparators (ETS, the Theta
method, the linear autoregression; :mod:`engine.testing.comparators`) on the selection
part, in plain words.

The comparators are fitted on the rows before the selection part's first row ``s``
(:func:`~engine.testing.comparators.fit_comparators`; ETS and Theta on at most the latest
:data:`FIT_ROWS` of them, which keeps a seasonal ETS under a second or two) and scored on the
same rows as the network, with the same functions as the testing evaluation
(:func:`~engine.testing.comparators.comparator_scores`,
:func:`~engine.testing.metrics.score`):

* one step ahead (a model of horizon 0 or 1): each selection row ``r`` from the true rows
  before it (the latest :data:`MAX_SCORED_ROWS` selection rows of a longer part);
* recursively (a model of horizon ``H > 1``, or a project that asks for forecasts of more
  than one step, ``forecast_steps``, with a chronological split): the forecast from ``s``
  over the whole selection part, fed its own outputs, as ``evaluate --recursive`` scores
  the testing part; so a network that predicts one step well but drifts when fed its own
  outputs is judged on the forecasts the person asked for.

The network loses when the best comparator's RMSE is below its own (or its own is not a
number); a tie (equal to :data:`TIE`) is no loss, as on the backtest (:func:`verdict_on_backtest`). :func:`compare_selection` returns a plain dict (stored in the fit's results and
the model file's metadata)::

    {"part": "selection", "mode": "one_step" | "recursive", "rows": n, "first_row": s,
     "network": RMSE, "best": "ets" | "theta" | "linear" | None, "best_rmse": RMSE,
     "all": {name: RMSE or None}, "targets": {target: {"network", "best", "best_rmse",
     "all"}}, "reasons": {name: why it was not fitted}, "notes": [sentence],
     "verdict": sentence or None}

``notes`` are the comparators' notes on the rows a gap in time left them
(:func:`~engine.testing.comparators.gap_notes`: fitted only after a gap, or no forecast
behind one), as step 6 and ``evaluate`` show them beside their scores: they say why ETS or
Theta scored on fewer rows than the network, or not at all.

The top-level ``network``, ``best``, ``best_rmse`` and ``all`` are the first target's
figures (a project's only target, usually); ``verdict`` speaks of every target, in words
neither front end owns: :func:`selection_verdict` adds, in the words of the one that asks,
where a comparator's forecast that won is to be had instead (:func:`use_instead`), as
:func:`verdict_on_testing` and :func:`verdict_on_backtest` do with their ``asker``.
"""

import math

import numpy as np

from engine.figures import MOST_DIGITS, TABLE_DIGITS, number, told_apart
from engine.testing.comparators import (NAMES, comparator_guesses, comparator_scores,
                                        fit_comparators, gap_notes, notes_up_to)
from engine.testing.evaluation import history_scale, part_predictions
from engine.testing.metrics import score
from engine.words import counted, listed

FIT_ROWS = 500              # ETS and Theta fitted on at most the latest rows before s
MAX_SCORED_ROWS = 1000      # one step ahead: at most the latest selection rows scored
MODEL = "MODEL"             # the model file in the sentence; the command line names its own
METHOD_WORDS = {"ets": "exponential smoothing", "theta": "the Theta method",
                "linear": "a linear autoregression", "network": "the network",
                "naive2": "Naive2", "seasonal_naive": "seasonal naive"}
"""The forecast methods in words: one series' comparators (ETS, Theta, the linear
autoregression), a model of many series' (Naive2, seasonal naive, Theta) and the
network."""


def method_words(name, capital=False):
    """A forecast method's name as a person knows it (:data:`METHOD_WORDS`:
    ``"exponential smoothing"``, ``"Naive2"``, ``"the network"``; another name as it
    is)."""
    words = METHOD_WORDS.get(name, name)
    return words[0].upper() + words[1:] if capital else words


def number_text(value, digits=TABLE_DIGITS):
    """``value`` as the command line's tables show a figure (:func:`engine.figures.number`):
    ``digits`` significant digits, trailing zeros kept (2.540, 13.00, 0.04650), whole
    numbers from ``10 ** digits`` on (12346, never 1.235e+04), a power of ten from 1e15 on
    (3.268e+47: the error of a forecast that ran away, which 48 digits would hide)."""
    return number(value, digits)


TIE = 1e-6
"""Two RMSEs closer than this share of the larger are a tie: a network that kept only its
linear path scores what the linear autoregression does, but for rounding."""


def tied(own, other):
    """Whether two RMSEs are a tie: closer than :data:`TIE`, or the same figure to the most
    digits a figure is shown with (:data:`~engine.figures.MOST_DIGITS`), so that a verdict
    never says that one of two figures that read the same was better."""
    return math.isclose(own, other, rel_tol=TIE) or \
        number(own, MOST_DIGITS) == number(other, MOST_DIGITS)


def no_worse(own, other):
    """Whether the RMSE ``own`` is at most ``other``, a tie included."""
    return own <= other or tied(own, other)


def number_pair(first, second, digits=TABLE_DIGITS):
    """Two figures (RMSEs, MASEs) as text that tells them apart, as a table of the two
    shows them (:func:`engine.figures.told_apart`): ``digits`` significant digits (a
    table's that shows them among others of their measure), trailing zeros kept, more when
    they would read the same but differ."""
    return told_apart(first, second, least=digits)


def lost_by(other, own, digits=TABLE_DIGITS):
    """The RMSE of the forecast that beat the network (``other``) and the network's
    (``own``, None when not a number) as text told apart (:func:`number_pair`), to at
    least ``digits``."""
    return (number_text(other, digits), "not a number") if own is None \
        else number_pair(other, own, digits)


def scored_words(mode, rows, total=None):
    """How a verdict's figures were scored, after them: ", one step ahead on its 21 rows",
    ", one step ahead on 1,000 of its 3,947 rows" (``total``: the part's rows, when fewer
    were scored), ", recursive forecasts of its 8 rows"; "its one row" for one."""
    own = "its one row" if rows == 1 else f"its {counted(rows, 'row')}"
    if mode != "one_step":
        return f", recursive forecasts of {own}"
    if total and rows < total:
        return f", one step ahead on {rows:,} of its {counted(total, 'row')}"
    return f", one step ahead on {own}"


def verdict_sentence(entry, fitted_names, mode, rows, target=None, total=None,
                     subject="the network"):
    """The sentence of one target's ``entry`` (``network``, ``best``, ``best_rmse``): the
    comparator that won (where to use its forecast instead is each front end's to say:
    :func:`selection_verdict`), or one neutral line when the network won; None without a
    fitted comparator. Its figures say how they were scored and on how many rows
    (:func:`scored_words`; ``total``: the part's rows), so that a verdict on a few rows
    reads as one. The model is named ``subject``, the comparators beside it as
    :func:`verdict_on_testing` names them (:func:`_comparator_words`)."""
    best, network = entry["best"], entry["network"]
    if best is None:
        return None
    how = scored_words(mode, rows, total)
    prefix = f"For {target}: " if target else ""
    if subject != METHOD_WORDS["network"]:      # the part named once, before the linear
        return prefix + _part_first(entry, fitted_names, how, subject)  # comparator's rows
    own_name, scored = subject[0].upper() + subject[1:], "the selection part"
    if entry["network_wins"] and tied(network, entry["best_rmse"]):
        return (f"{prefix}{own_name} did as well as {method_words(best)} on the selection "
                f"part (RMSE {number_text(network)} for both{how}), and no better.")
    if entry["network_wins"]:
        own, other = number_pair(network, entry["best_rmse"])
        beaten = listed([method_words(name) for name in fitted_names])
        return (f"{prefix}{own_name} beat {beaten} on the selection part (RMSE {own} "
                f"against {other} for the best{how}).")
    other, own = lost_by(entry["best_rmse"], network)
    return (f"{prefix}{method_words(best, capital=True)} forecast the selection part better "
            f"than {subject} (RMSE {other} against {own}{how}).")


PART = "that part"
"""The selection part named again after "On the selection part, " (:func:`_part_first`)."""


def _part_first(entry, fitted_names, how, subject):
    """:func:`verdict_sentence` of a model named ``subject`` other than the network (one
    that kept its least-squares start), "On the selection part, " first, so that the linear
    comparator, refitted on every row before :data:`PART`, does not name it again."""
    best, network = entry["best"], entry["network"]
    lead = "On the selection part, "
    if entry["network_wins"] and tied(network, entry["best_rmse"]):
        return (f"{lead}{subject} did as well as {_comparator_words(best, subject, False, PART)}"
                f" (RMSE {number_text(network)} for both{how}), and no better.")
    if entry["network_wins"]:
        own, other = number_pair(network, entry["best_rmse"])
        beaten = listed([_comparator_words(name, subject, False, PART)
                         for name in fitted_names])
        return f"{lead}{subject} beat {beaten} (RMSE {own} against {other} for the best{how})."
    other, own = lost_by(entry["best_rmse"], network)
    return (f"{lead}{_comparator_words(best, subject, False, PART)} forecast better than "
            f"{subject} (RMSE {other} against {own}{how}).")


WINDOW = "window"               # the front end that asks: the desktop window ...
COMMAND_LINE = "command_line"   # ... or the command line (its offers name commands)
DATA = "DATA.csv"               # the data file in a command line; the command line names its own


def use_instead(best, asker, model=MODEL, data=DATA, named=False, words=None):
    """The sentence after a verdict that the comparator ``best`` beat the network: where
    its forecast is to be had instead, in the words of the front end that asks (``asker``:
    :data:`WINDOW`, :data:`COMMAND_LINE`; None: no sentence, ""). ``model`` and ``data``
    are the files the command line names; ``named``: the sentence names the method
    (after a verdict on several targets that several methods won), as ``words`` when
    given (a method of many series: "the Theta method", "Naive2")."""
    whose = f"the forecast of {words or method_words(best)}" if named or words else \
        "its forecast"
    if asker == WINDOW:
        return f"Deploy > Forecast > Method can use {whose} instead."
    if asker == COMMAND_LINE:
        return (f"rnn-studio forecast {model} {data} --method {best} --steps N --out "
                f"FORECAST.csv uses {whose} instead.")
    return ""


def command_files(model=None, data=None):
    """``(model, data)`` as a command names the model file and the data file: each path
    quoted for a shell (:func:`shlex.quote`), :data:`MODEL` and :data:`DATA` where it is
    unknown (None)."""
    import shlex

    return (MODEL if model is None else shlex.quote(str(model)),
            DATA if data is None else shlex.quote(str(data)))


def _with_offer(sentence, best, asker, model=MODEL, data=DATA):
    """``sentence`` followed by :func:`use_instead`'s offer (none without ``asker``), naming
    the model file ``model`` and the data file ``data``."""
    offer = use_instead(best, asker, model, data)
    return f"{sentence} {offer}" if offer else sentence


def offer_both_ways(best, model=MODEL, data=DATA, words=None):
    """Where the forecast of the comparator ``best`` is to be had instead, in both front
    ends' words (for a reader who may use either, such as a report's): the page's box
    and the command naming ``model`` and ``data``; ``words``: the method's name, when the
    sentence is to name it ("the forecast of the Theta method")."""
    whose = f"the forecast of {words}" if words else "its forecast"
    return (f"You can use {whose} instead: Deploy > Forecast > Method, or rnn-studio "
            f"forecast {model} {data} --method {best} --steps N --out FORECAST.csv.")


def _stored_offer(best):
    """The offer that verdicts stored by earlier versions end a lost target's sentence
    with (:func:`offer_both_ways`), left out when such a verdict is shown."""
    return offer_both_ways(best)


def selection_verdict(comparison, asker=None, model=MODEL, data=DATA):
    """The ``verdict`` of a stored comparison (the dict of :func:`compare_selection`, or
    None) followed by :func:`use_instead`'s offer, in ``asker``'s words, of each method
    that beat the network on some target (None: no offers, for a network whose model is
    not at hand to put to use); None without a verdict."""
    sentence = (comparison or {}).get("verdict")
    if not sentence:
        return None
    won = []
    for entry in ((comparison or {}).get("targets") or {}).values():
        if entry.get("best"):
            sentence = sentence.replace(" " + _stored_offer(entry["best"]), "")
            if not entry.get("network_wins") and entry["best"] not in won:
                won.append(entry["best"])
    offers = [use_instead(best, asker, model, data, named=len(won) > 1) for best in won]
    return " ".join([sentence] + [offer for offer in offers if offer])


def _rmse(scores, j):
    if scores is None:
        return None
    value = float(scores.rmse[j])
    return value if np.isfinite(value) else None


def target_entries(network_scores, others, names):
    """``{target: {"network", "all", "best", "best_rmse", "network_wins"}}`` from the
    network's :class:`~engine.testing.metrics.Scores` and the comparators' (``others``)."""
    out = {}
    for j, name in enumerate(names):
        all_rmse = {c: _rmse(others.get(c), j) for c in NAMES}
        known = {c: v for c, v in all_rmse.items() if v is not None}
        best = min(known, key=known.get) if known else None
        own = _rmse(network_scores, j)
        wins = best is not None and own is not None and no_worse(own, known[best])
        out[name] = {"network": own, "all": all_rmse, "best": best,
                     "best_rmse": known.get(best), "network_wins": bool(wins)}
    return out


def _one_step(network, prepared, comparators, scale):
    """``(rows, network Scores, comparators' Scores)`` one step ahead on the latest
    :data:`MAX_SCORED_ROWS` selection rows where the network has a prediction."""
    fitted = prepared.fitted
    anchors, predicted, truth = part_predictions(network, prepared, "selection",
                                                 last=MAX_SCORED_ROWS)
    rows = anchors + int(fitted.target_offsets[0])
    keep = same_rows(comparators, truth, predicted, rows, rows - 1)
    rows, predicted, truth = rows[keep], predicted[keep], truth[keep]
    names = fitted.target_names
    return rows, score(truth, predicted, names, scale), \
        comparator_scores(comparators, truth, rows, rows - 1, names, scale)


def same_rows(comparators, truth, predicted, rows, known):
    """(m,) bool: the rows the verdict compares on, the same for the network and every
    comparator: those whose truth (m, k) is known and the network's ``predicted`` (m, k)
    and every comparator's forecast of ``rows`` from ``known`` are numbers (a comparator
    that forecast none of them, stopped before a gap in time, is left out of this, and
    scored on none). Without such a row, those of the network alone."""
    scored = np.isfinite(truth).all(axis=1) & np.isfinite(predicted).all(axis=1)
    common = scored.copy()
    for comparator in (comparators or {}).values():
        if comparator.forecast is not None:
            guess = comparator_guesses(comparator, rows, known, truth.shape[1])
            made = np.isfinite(guess).all(axis=1)
            if (made & scored).any():
                common &= made
    return common if common.any() else scored


def _recursive(model, prepared, comparators, scale, start):
    """``(rows, network Scores, comparators' Scores)`` of the recursive forecasts from
    ``start`` over the selection part (contiguous rows), or None when it is not."""
    rows = np.sort(prepared.target_rows("selection")[:, 0])
    if not len(rows) or rows[-1] - rows[0] + 1 != len(rows):
        return None
    encoded, names = prepared.encoded, prepared.fitted.target_names
    predicted = model.forecast(encoded, [start], len(rows))[0][0]
    truth = encoded.scored_truth(int(prepared.fitted.target_offsets[0]), start)[rows]
    known = np.full(rows.shape, start - 1)
    keep = same_rows(comparators, truth, predicted, rows, known)
    rows, predicted, truth, known = rows[keep], predicted[keep], truth[keep], known[keep]
    return rows, score(truth, predicted, names, scale), \
        comparator_scores(comparators, truth, rows, known, names, scale)


def compare_selection(network, prepared, forecast_steps=None, subject="the network"):
    """The network of a fit against ETS, Theta and the linear autoregression on the
    selection part of :class:`~engine.data.PreparedData` (module docstring), recursively
    when the model forecasts several steps or ``forecast_steps`` (the length of the
    forecasts the project asks for) is above 1; None without selection rows. Its verdict
    names the model ``subject`` (:func:`verdict_sentence`)."""
    from engine.model.forecaster import Forecaster

    fitted = prepared.fitted
    selection = prepared.target_rows("selection")
    if not selection.size:
        return None
    start = int(selection[:, 0].min())
    model = Forecaster(network, {"preprocessing": fitted.to_dict(), "metadata": {}}, fitted)
    comparators = fit_comparators(model, prepared.encoded, start, max_rows=FIT_ROWS)
    scale = history_scale(prepared.encoded.levels, start, prepared.encoded.positions)
    mode, scored = "one_step", None
    if fitted.horizon > 1 or (fitted.horizon >= 1 and (forecast_steps or 1) > 1):
        scored = _recursive(model, prepared, comparators, scale, start)
        mode = "recursive" if scored is not None else mode
    if scored is None:
        scored = _one_step(network, prepared, comparators, scale)
    rows, own, others = scored
    return comparison_dict(mode, rows, start, own, others, fitted.target_names, comparators,
                           total=len(prepared.anchors["selection"]), subject=subject,
                           last_row=int(selection.max()))


def comparison_dict(mode, rows, start, own, others, names, comparators, total=None,
                    subject="the network", last_row=None):
    """The plain dict of :func:`compare_selection` (module docstring); ``total``: the
    selection part's rows, of which ``rows`` were scored; the model named ``subject``; the
    notes on gaps in time up to the part's ``last_row`` only (None: the last scored)."""
    entries = target_entries(own, others, names)
    fitted_names = [c for c in NAMES if others.get(c) is not None]
    sentences = [verdict_sentence(entry, fitted_names, mode, len(rows),
                                  name if len(names) > 1 else None, total, subject)
                 for name, entry in entries.items()]
    sentences = [s for s in sentences if s]
    first = entries[names[0]]
    return {"part": "selection", "mode": mode, "rows": int(len(rows)), "first_row": start,
            "network": first["network"], "best": first["best"],
            "best_rmse": first["best_rmse"], "all": first["all"],
            "targets": entries,
            "reasons": {c: comparators[c].reason for c in NAMES
                        if c in comparators and comparators[c].reason},
            "notes": notes_up_to(gap_notes(comparators),
                                 int(max(rows, default=start)) if last_row is None
                                 else last_row),
            "verdict": " ".join(sentences) or None}


def network_lost(comparison):
    """True when a stored comparison (the dict above, or None) says a comparator beat the
    network on some target."""
    targets = (comparison or {}).get("targets") or {}
    return any(entry.get("best") and not entry.get("network_wins")
               for entry in targets.values())


TRIVIAL_WORDS = {"persistence": "Repeating the last value (persistence)",
                 "seasonal_naive": "Repeating the last season (seasonal naive)"}


def verdict_on_evaluation(evaluation, model_name=MODEL, data=DATA, digits=TABLE_DIGITS,
                          subject="the network"):
    """The plain lines of ``rnn-studio evaluate`` (an
    :class:`~engine.testing.evaluation.Evaluation`), one per target: when the best of ETS,
    Theta and the linear autoregression forecast the scored rows better than the network,
    which one and how to use its forecast; else when persistence or seasonal naive did,
    which one; [] when the network did at least as well as each (a tie is no loss). Their
    RMSEs to at least ``digits``, those of the table of scores above them; the model named
    ``subject`` (as :func:`verdict_on_testing` names it)."""
    entries = target_entries(evaluation.scores, evaluation.baselines, evaluation.target_names)
    several = len(entries) > 1
    lines = []
    for j, (name, entry) in enumerate(entries.items()):
        prefix = f"For {name}: " if several else ""
        own = entry["network"]
        if entry["best"] is not None and not entry["network_wins"]:
            other, mine = lost_by(entry["best_rmse"], own, digits)
            best = _comparator_words(entry["best"], subject, True, "these rows")
            lines.append(f"{prefix}{best} forecast these rows better than {subject} (RMSE "
                         f"{other} against {mine}). "
                         + use_instead(entry["best"], COMMAND_LINE, model_name, data))
            continue
        for trivial, words in TRIVIAL_WORDS.items():
            rmse = _rmse(evaluation.baselines.get(trivial), j)
            if rmse is not None and (own is None or not no_worse(own, rmse)):
                other, mine = lost_by(rmse, own, digits)
                lines.append(f"{prefix}{words} forecast these rows better than {subject} "
                             f"(RMSE {other} against {mine}).")
                break
    return lines


def verdict_on_testing(analysis, j=0, asker=None, model=MODEL, data=DATA,
                       digits=TABLE_DIGITS, subject="the network"):
    """One plain line when the best comparator beat the network on the testing part of a
    :class:`~engine.testing.analysis.TestingAnalysis` for target ``j`` (one step ahead; the
    recursive forecasts of the horizon chosen for a model of several steps ahead or one
    whose fit asked for forecasts of several steps, as :func:`compare_selection` decides),
    from the scores the analysis holds, followed by :func:`use_instead`'s offer in
    ``asker``'s words (None: no offer; ``model``: the model file and ``data`` the data file
    the command line names); else None. Its RMSEs to at least ``digits``, the errors
    table's above it (:func:`~engine.testing.report.error_digits`); the model named
    ``subject`` (step 6: "the linear autoregression" for one that kept its linear start)."""
    several = analysis.steps > 1 or (analysis.forecast_steps or 1) > 1
    recursive = several and analysis.horizon_scores is not None
    own, others = (analysis.horizon_scores, analysis.horizon_pooled) if recursive \
        else (analysis.direct_scores[0], analysis.direct_baselines[0])
    entry = target_entries(own, others, analysis.target_names)[analysis.target_names[j]]
    if entry["best"] is None or entry["network_wins"]:
        return None
    origins = analysis.horizon_origins
    how = (f"forecasting {counted(analysis.horizon, 'step')} recursively from "
           f"{counted(origins, 'origin')}") if recursive else "one step ahead"
    other, mine = lost_by(entry["best_rmse"], entry["network"], digits)
    return _with_offer(f"{_comparator_words(entry['best'], subject, capital=True)} forecast "
                       f"the testing part better than {subject}, {how} (RMSE {other} against "
                       f"{mine}){_also_better(entry, digits, subject)}.", entry["best"],
                       asker, model, data)


REFITTED_LINEAR = "a linear autoregression refitted on every row before {}"
"""The linear comparator's name beside a model that is a linear autoregression itself
(one that kept its least-squares start, fitted on the training rows only), with the rows
scored."""


def _comparator_words(name, subject, capital=False, scored="the testing part"):
    """:func:`method_words` of comparator ``name``, the linear one told apart from a model
    named ``subject`` "the linear autoregression" (:data:`REFITTED_LINEAR`, before the
    rows ``scored``)."""
    if name == "linear" and subject != METHOD_WORDS["network"]:
        words = REFITTED_LINEAR.format(scored)
        return words[0].upper() + words[1:] if capital else words
    return method_words(name, capital)


def _also_better(entry, digits=TABLE_DIGITS, subject=METHOD_WORDS["network"]):
    """``"; so did a linear autoregression (18.75)"``: the comparators of a target's
    ``entry`` (:func:`target_entries`) other than the best that beat the network too (by
    more than a tie), best first, each RMSE to the digits that tell it from the network's
    (:func:`lost_by`), named beside a model called ``subject``
    (:func:`_comparator_words`); "" when none did."""
    own = entry["network"]
    beat = sorted((rmse, name) for name, rmse in entry["all"].items()
                  if rmse is not None and name != entry["best"] and
                  (own is None or not no_worse(own, rmse)))
    if not beat:
        return ""
    return "; so did " + listed([f"{_comparator_words(name, subject)} "
                                 f"({lost_by(rmse, own, digits)[0]})" for rmse, name in beat])


def verdict_on_backtest(backtest, target=None, asker=None, model=MODEL, data=DATA,
                        digits=TABLE_DIGITS):
    """One plain line when a comparator (ETS, Theta, the linear autoregression) has a lower
    mean RMSE over the origins of a :class:`~engine.testing.backtest.Backtest` than the
    network for ``target`` (the first by default), recursively from each origin (one step
    ahead when there is no recursive score); else None. The median over the origins
    instead of the mean when one origin or a few pull the network's mean in that mode
    away from it (:meth:`~engine.testing.backtest.Backtest.mean_pulled_away`). The origins
    counted are those where the network gave a score (a forecast that overflowed gives
    none). The line ends with :func:`use_instead`'s offer in ``asker``'s words (None: no
    offer), naming the files ``model`` and ``data``. Its RMSEs to at least ``digits``, a
    table's that shows them among the others."""
    target = target or backtest.target_names[0]
    mode, pulled = backtest.verdict_reads(target)
    mean = backtest.median() if pulled else backtest.mean()

    def rmse(scores):
        value = ((scores or {}).get("targets") or {}).get(target, {}).get("rmse")
        return value if value is not None and np.isfinite(value) else None

    own = rmse(mean["network"][mode])
    known = {name: rmse(mean["baselines"][name].get(mode)) for name in NAMES}
    known = {name: value for name, value in known.items() if value is not None}
    if not known:
        return None
    best = min(known, key=known.get)
    if own is not None and no_worse(own, known[best]):
        return None
    how = (f"recursively over {backtest.block} rows from each" if mode == "recursive"
           else "one step ahead after each")
    other, mine = lost_by(known[best], own, digits)
    figure = "median RMSE" if pulled else "mean RMSE"
    far = "; the network's forecast ran away at some origin" if mode == "recursive" else \
        "; at some origin the network's errors were far above the others"
    scored, count = (mean["network"][mode] or {}).get("origins"), len(backtest.folds)
    where = "" if scored in (None, count) else \
        f" over the {scored} origins where the network gave a number"
    return _with_offer(f"{method_words(best, capital=True)} forecast better than the "
                       f"network on the backtest, {how} of its {count} origins ({figure} "
                       f"{other} against {mine}{where}{far if pulled else ''}).", best, asker,
                       model, data)
