"""The verdict on the testing rows of a model of many series with several targets.

Each target has its own verdict (:func:`~engine.many.evaluation.beats_sentence`, and
:func:`~engine.many.evaluation.naive2_lead` when Naive2 beat the network), and its own
best method (:func:`~engine.many.evaluation.best_method`, else the network). A classical
method's forecast is offered when it did best on at least one target; as it forecasts every
target, the offer follows :func:`best_sentence`, which says what did best on each target:
"The Theta method did best on sales, the network on returns." A model of one target says
nothing more than its verdict, word for word as before.

``summaries``: target name -> that target's scores, a
:class:`~engine.many.evaluation.SeriesEvaluation` or its ``summary()`` (method ->
{"owa", ...}; a backtest's means over its origins).
"""

from engine.many.evaluation import (beats_sentence, best_method, finite_number,
                                    naive2_lead, network_subject, summary_of)
from engine.many.metrics import judged_by
from engine.testing.verdict import method_words
from engine.words import listed


def best_by_target(summaries):
    """target -> the method that did best on its testing rows: the comparator of
    :func:`~engine.many.evaluation.best_method`, else ``"network"``, by the measure its
    methods are compared by (:func:`~engine.many.metrics.judged_by`: OWA, or MASE when
    every series of the target is tested on values all 0); a target whose network has no
    figure under that measure is left out."""
    best = {}
    for target, scores in (summaries or {}).items():
        summary = summary_of(scores)
        if finite_number(summary.get("network", {}).get(judged_by(summary.values()))):
            best[target] = best_method(summary) or "network"
    return best


def targets_by_method(summaries):
    """method -> the targets it did best on (:func:`best_by_target`), the methods in the
    order of the first target each did best on."""
    methods = {}
    for target, method in best_by_target(summaries).items():
        methods.setdefault(method, []).append(target)
    return methods


def offered(summaries):
    """The classical methods that did best on at least one target, whose forecast to
    offer instead of the network's."""
    return [method for method in targets_by_method(summaries) if method != "network"]


def best_sentence(summaries):
    """What did best on each of several targets, in one sentence: "The Theta method did
    best on every target.", "The Theta method did best on sales and load, the network on
    returns."; "" for one target (its verdict says it) or none. The network is named as
    its scores' table names it (:func:`~engine.many.evaluation.network_subject`)."""
    if len(summaries or {}) < 2:
        return ""
    methods = targets_by_method(summaries)
    if not methods:
        return ""
    first, targets = next(iter(methods.items()))

    def words(method, capital):
        if method == "network":       # "the linear autoregression" when the fit kept it
            return network_subject(summaries[methods[method][0]], capital)
        return method_words(method, capital=capital)

    if len(targets) == len(summaries):
        return f"{words(first, True)} did best on every target."
    parts = [f"{words(method, not k)} "
             f"{'did best ' if not k else ''}on {listed(targets)}"
             for k, (method, targets) in enumerate(methods.items())]
    return ", ".join(parts) + "."


def measure_words(summaries):
    """The measure the methods of the targets of ``summaries`` are compared by
    (:func:`~engine.many.metrics.judged_by` of each), in words: "OWA"; "MASE" when no
    method of any target has an OWA (every series tested on values all 0); "OWA (MASE on
    returns)" when some targets have none."""
    by_mase = [target for target, scores in (summaries or {}).items()
               if judged_by(summary_of(scores).values()) == "mase"]
    if not by_mase:
        return "OWA"
    if len(by_mase) == len(summaries):
        return "MASE"
    return f"OWA (MASE on {listed(by_mase)})"


def target_verdict(summary, digits=None, over_origins=False):
    """One target's verdict on its scores ``summary``, without an offer: whether the
    network beats seasonal naive and Theta
    (:func:`~engine.many.evaluation.beats_sentence`, ``digits`` and ``over_origins`` as
    there), and whether Naive2 did better than it
    (:func:`~engine.many.evaluation.naive2_lead`: "Naive2 (OWA 1.000)", "(mean OWA
    1.000)" over a backtest's origins); "" without the figures."""
    sentence = beats_sentence(summary, digits, over_origins)
    figure = "mean OWA" if over_origins else "OWA"
    lead = naive2_lead(summary, best_method(summary), figure, digits) if sentence else ""
    return " ".join(part for part in (sentence, f"{lead}." if lead else "") if part)


def every_target_verdict(summaries, offer):
    """:func:`best_sentence` followed by ``offer(method, words)`` (the front end's
    sentence on where the forecast of ``method``, named ``words``, is to be had) of each
    method of :func:`offered`; "" for fewer than two targets."""
    sentence = best_sentence(summaries)
    if not sentence:
        return ""
    return " ".join([sentence] + [offer(method, method_words(method))
                                  for method in offered(summaries)])


def comparison_targets(comparison):
    """target -> {"series_scored", "summary", "notes"}: the testing scores of each target
    a project's ``comparison`` (``results.comparison`` of a fit of many series) holds;
    those of every target (its ``"by_target"``), else of its first target alone (a model
    of one target, or a project written before the project kept every target's); {}
    without a comparison of many series."""
    if not comparison or comparison.get("kind") != "many_series":
        return {}
    by_target = comparison.get("by_target")
    if isinstance(by_target, dict) and by_target:
        return by_target
    return {comparison.get("target"): {key: comparison.get(key) for key in (
        "series_scored", "summary", "notes")}}


def stored_summaries(comparison, metadata=None, training_id=None):
    """target -> the scores on the testing rows (method -> {"owa", ...}) of every target
    of a fit of many series: those the project's ``comparison`` (``results.comparison``)
    holds of each target it names (:func:`comparison_targets`), else those of the model
    file's ``metadata`` (its ``"scores"``, of every target) when it holds each (and is of
    the training ``training_id``, when given), else the comparison's own, of its first
    target; {} without a comparison of many series."""
    held = comparison_targets(comparison)
    if not held:
        return {}
    targets = comparison.get("targets") or [comparison.get("target")]
    if all(target in held for target in targets):
        return {target: held[target].get("summary") or {} for target in targets}
    metadata = metadata or {}
    if training_id is not None and (metadata.get("training") or {}).get("id") != \
            training_id:
        metadata = {}
    scores = metadata.get("scores")
    if isinstance(scores, dict) and all(isinstance(scores.get(t), dict) for t in targets):
        return {target: scores[target] for target in targets}
    return {comparison.get("target"): comparison.get("summary") or {}}
