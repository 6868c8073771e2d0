"""A remark in words when a model's numbers went wrong: the network is far worse than
persistence (the last known value, ``y^_r = y_(r-1)``), with a likely cause.

The rule: on the rows scored, the network's RMSE is more than :data:`FAR_WORSE` times the
persistence RMSE for a target (or not a finite number). A network that trained at all
comes within a small factor of persistence, or beats it; ten times worse means the training
diverged or the data hold a wrong value. ``fit`` applies it to the selection part (the
training part when there is none), ``evaluate``, the Test results page and the report to
the testing part. A network that is not far worse still gets a remark when the data hold an
outlier (below): that one value then dominates the network's error and persistence's alike.

Likely causes, named when found:

* an outlier: a value of a target or numeric input more than :data:`OUTLIER_SPREADS`
  median absolute deviations from its column's median (``|x - median(x)| / median(|x -
  median(x)|)``), e.g. a 1e30 typed into a column of hundreds;
* a learning rate too high: a weight larger than :data:`LARGE_WEIGHT` in absolute value
  (the weights of a network that learned stay within a few units).
"""

import numpy as np
import pandas as pd

from engine.training.share_words import training_subject
from engine.words import counted

FAR_WORSE = 10.0
OUTLIER_SPREADS = 1000.0
LARGE_WEIGHT = 100.0
FEW_WINDOWS = 20           # fewer training windows than this: too few to learn from


def far_worse(scores, persistence):
    """``[(name, rmse, persistence rmse)]`` of the targets whose RMSE is more than
    :data:`FAR_WORSE` times persistence's (or not finite) on the same rows."""
    if scores is None or persistence is None:
        return []
    out = []
    for j, name in enumerate(scores.target_names):
        own, base = float(scores.rmse[j]), float(persistence.rmse[j])
        if np.isfinite(base) and (not np.isfinite(own) or own > FAR_WORSE * base):
            out.append((name, own, base))
    return out


def outlier(frame, columns):
    """``(column, row, value)`` of the value farthest from its column's median, counted in
    median absolute deviations, when farther than :data:`OUTLIER_SPREADS`; else None.
    ``row`` is the 0-based data row."""
    found, farthest = None, OUTLIER_SPREADS
    for name in columns:
        x = pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float)
        finite = np.isfinite(x)
        if finite.sum() < 3:
            continue
        with np.errstate(over="ignore", invalid="ignore"):
            distance = np.abs(x - np.median(x[finite]))
            spread = np.median(distance[finite])
            if not spread > 0:
                continue
            ratio = np.where(finite, distance / spread, 0.0)
        row = int(np.nanargmax(ratio))
        if ratio[row] > farthest:
            found, farthest = (name, row, float(x[row])), float(ratio[row])
    return found


def largest_weight(network):
    """The largest absolute weight of a network."""
    return max(float(np.abs(w).max()) for w in network.state_dict().values())


def shorter_lookback(lookback):
    """The advice to choose a shorter lookback after too few training windows, ", or
    choose a shorter lookback"; "" for a lookback of 1, than which none is shorter (None:
    unknown, the advice is given)."""
    return "" if lookback == 1 else ", or choose a shorter lookback"


def likely_causes(network, learning_rate, frame, columns, training_windows=None,
                  lookback=None, subject="the network"):
    """The likely causes found (plain sentences, possibly none): fewer training windows
    than :data:`FEW_WINDOWS` (with a window of ``lookback`` rows), an :func:`outlier`
    among ``columns`` of ``frame``, weights that grew past :data:`LARGE_WEIGHT`; the model
    named ``subject``."""
    causes = []
    if training_windows is not None and training_windows < FEW_WINDOWS:
        causes.append(f"{subject} was trained on {counted(training_windows, 'window')} "
                      "only, too few to learn "
                      "from; check where the testing part starts (a typing error?) and "
                      f"the shares of the split{shorter_lookback(lookback)}")
    found = outlier(frame, columns)
    if found is not None:
        name, row, value = found
        causes.append(f"{name} has the value {value:.3g} at row {row}, far outside its "
                      "other values; correct or remove it")
    weight = largest_weight(network)
    if not weight <= LARGE_WEIGHT:
        rate = "" if learning_rate is None else f" {learning_rate:g}"
        causes.append(f"the weights grew to {weight:.3g}, so the learning rate{rate} is "
                      "probably too high; lower it (or leave it unset for the "
                      "optimizer's own default) and train again")
    return causes


def poor_model_remark(scores, persistence, part, network, learning_rate, frame, columns,
                      training_windows=None, lookback=None, subject="the network"):
    """One line saying that the model is far worse than persistence on ``part`` (see
    :func:`far_worse`) and naming the likely causes (:func:`likely_causes`); None when it
    is not. The model is named ``subject``: "the linear autoregression" for one that kept
    its least-squares start or dropped its recurrent part
    (:func:`~engine.training.share_words.training_subject`), else "the network".

    scores, persistence : :class:`~engine.testing.metrics.Scores` of the network and of
        persistence (:mod:`engine.testing.baselines`) on the same rows
    learning_rate : the training's learning rate (None when unknown)
    frame, columns : the data and the names of its numeric targets and inputs
    training_windows : how many windows the network was trained on (None when unknown)
    lookback : the rows of a window (None when unknown)
    """
    worse = far_worse(scores, persistence)
    if not worse:
        return outlier_remark(frame, columns)
    figures = "; ".join(f"RMSE {own:.3g} against {base:.3g} for {name}"
                        for name, own, base in worse)
    causes = likely_causes(network, learning_rate, frame, columns, training_windows,
                           lookback, subject)
    cause = ("Likely cause: " + "; also ".join(causes) + ".") if causes else \
        "Check the data for wrong values and try a lower learning rate."
    return (f"{subject.capitalize()} is far worse than persistence (the last known value) on the "
            f"{part} part ({figures}; more than {FAR_WORSE:g} times worse): its numbers "
            f"are not to be trusted. {cause}")


def outlier_remark(frame, columns):
    """One line naming an :func:`outlier` of ``columns`` (None without one): a value so far
    from the others dominates every score and persistence too, so the network need not be
    far worse than persistence for its numbers to mean little."""
    found = outlier(frame, columns)
    if found is None:
        return None
    name, row, value = found
    return (f"{name} has the value {value:.3g} at row {row}, more than {OUTLIER_SPREADS:g} "
            "median absolute deviations from its median: the scores of every part that "
            "holds it are dominated by that one value. Correct or remove it, and train again.")


def numeric_columns(fitted):
    """The names of the numeric targets and inputs of a fitted preprocessing."""
    return [v["name"] for v in fitted.variables
            if v["type"] == "numeric" and v["role"] in ("input", "target", "input_target")]


def testing_remark(model, frame, scores, persistence):
    """:func:`poor_model_remark` of a loaded model (:class:`~engine.model.forecaster.Forecaster`)
    on the testing part of ``frame``, with the learning rate its training recorded, named
    as its training summary says (:func:`~engine.training.share_words.training_subject`)."""
    training = (model.metadata or {}).get("training") or {}
    rate = (training.get("settings") or {}).get("learning_rate")
    windows = training.get("training_windows")
    return poor_model_remark(scores, persistence, "testing", model.network, rate, frame,
                             numeric_columns(model.preprocessing),
                             windows if isinstance(windows, int) else None,
                             model.preprocessing.lookback,
                             training_subject(training, model.network))
