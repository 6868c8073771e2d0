"""The testing scores of a network of many series beside the comparators (Naive2, seasonal
naive, Theta), as the training and test-results pages show them: a small table of every
method's mean sMAPE, MASE and OWA (the network first, the best of each column in bold);
the plain sentence beside it is :func:`verdict_text`."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QHeaderView, QTableWidget,
                               QTableWidgetItem)

from app.widgets.controls import say_in_words
from engine.many.comparators import LABELS
from engine.many.evaluation import (COMPARED, MEASURES, beats_sentence, best_method,
                                    best_scores, judged_figure, methods_in_order,
                                    network_subject, summary_digits)
from engine.many.every_target import every_target_verdict, target_verdict
from engine.many.global_model import network_label
from engine.testing.report import format_number
from engine.training.share_words import UNUSED_NOTE, linear_kept, training_subject
from engine.testing.verdict import WINDOW, method_words, use_instead

ROW_HEIGHT = 24
TOOLTIP = ("Mean over the scored series of each method's error on the testing rows of every "
           "series (the M4 competition's measures). sMAPE: percentage error, 0 to 200. "
           "MASE: error relative to the seasonal difference of the series' own history. "
           "OWA: sMAPE and MASE relative to Naive2, below 1 beats it. Lower is better; the "
           "best of each column is bold.")


def linear_start_kept(summary):
    """Whether ``summary`` (method -> scores, as :func:`show_scores` takes it) names the
    model otherwise than the network: a linear autoregression, its training having kept
    its linear start (:func:`~engine.many.global_model.network_label`)."""
    label = ((summary or {}).get("network") or {}).get("label", LABELS["network"])
    return label != LABELS["network"]


def model_subject(model, capital=False):
    """How a sentence names the global ``model``: "the network", or "the linear
    autoregression" when its training kept its linear start, as its scores name it
    (:func:`~engine.many.evaluation.network_subject` of its
    :func:`~engine.many.global_model.network_label`)."""
    return network_subject({"network": {"label": network_label(model)}}, capital)


def linear_model_kept(project):
    """Whether ``project``'s trained model is a linear autoregression: of many series when
    its scores name it so (:func:`linear_start_kept`), of one series when its training
    kept its least-squares start or its fit dropped the recurrent part
    (:func:`~engine.training.share_words.linear_kept`), as step 7 names it."""
    results = project.results
    return (linear_start_kept((results.comparison or {}).get("summary"))
            or linear_kept(results.training))


def project_subject(project, capital=False):
    """How a sentence names ``project``'s trained model: "the network", or "the linear
    autoregression" (:func:`linear_model_kept`): as its scores of many series name it
    (:func:`~engine.many.evaluation.network_subject`), else as the training of one series
    names it (:func:`~engine.training.share_words.training_subject`)."""
    results = project.results
    summary = (results.comparison or {}).get("summary")
    subject = network_subject(summary) if linear_start_kept(summary) else \
        training_subject(results.training)
    return subject.capitalize() if capital else subject


def verdict_text(summary, target=None, every=None, several=False):
    """Whether the network beats the simpler methods on the testing rows of ``summary``
    (:func:`~engine.many.evaluation.beats_sentence`) and, when one of them did best
    (:func:`~engine.many.evaluation.best_method`), where its forecast is to be had
    instead (with its figure when the verdict does not name it, Naive2: its OWA, or its
    MASE when the verdict compares MASE); "" without the figures. ``every``: target ->
    scores of every target of a model of several, of which ``summary`` is ``target``'s:
    its verdict, then what did best on each target and where the forecast of each method
    that did best on one is to be had
    (:func:`~engine.many.every_target.every_target_verdict`). ``several``: the model has
    several targets though ``every`` holds fewer (a project that kept the first target's
    scores alone): ``target``'s verdict without an offer."""
    sentence = beats_sentence(summary)
    if several or len(every or {}) > 1:
        verdict = target_verdict(summary)
        offers = every_target_text(every)
        return " ".join(part for part in (f"For {target}: {verdict}" if verdict else "",
                                          offers) if part)
    best = best_method(summary) if sentence else None
    if best is None:
        return sentence
    figure = "" if best in dict(COMPARED) else f" ({judged_figure(summary, best)})"
    return (f"{sentence} {method_words(best, capital=True)}{figure} did best on these "
            "rows: its forecast is one choice away, in Deploy > Forecast > Method.")


def every_target_text(every):
    """What did best on each target of ``every`` (target -> scores) and where the page
    offers the forecast of each method that did best on one
    (:func:`~engine.many.every_target.every_target_verdict`); "" for fewer than two."""
    return every_target_verdict(every, lambda method, words: use_instead(
        method, WINDOW, words=words))


def scores_table():
    """An empty table for :func:`show_scores`: a row per method, a column per measure."""
    table = QTableWidget(0, 1 + len(MEASURES))
    # sMAPE is a percentage: "%" as the sentences and the picker give its figures
    table.setHorizontalHeaderLabels(["method"] + [f"{text} %" if key == "smape" else text
                                                  for key, text in MEASURES])
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setToolTip(TOOLTIP)
    table.setAccessibleName("Every method's scores on the testing rows")
    return table


def show_scores(table, summary):
    """Fill ``table`` (of :func:`scores_table`) with ``summary``, or empty it for None; the
    table is made exactly as tall as its rows."""
    summary = summary or {}
    methods = methods_in_order(summary)
    table.setRowCount(len(methods))
    best, digits = best_scores(summary), summary_digits(summary.values())
    for row, method in enumerate(methods):
        scores = summary[method]
        label = QTableWidgetItem(scores.get("label", method))
        if method == "network" and linear_start_kept(summary):
            label.setToolTip(UNUSED_NOTE)
        table.setItem(row, 0, label)
        for column, (key, _) in enumerate(MEASURES, 1):
            item = QTableWidgetItem(format_number(scores.get(key), digits[key]))
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if best[key] is not None and scores.get(key) == best[key]:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
                say_in_words(item, "The best of this column.")
            table.setItem(row, column, item)
    fit_rows(table)
    wide_enough(table)


def wide_enough(table):
    """``table`` at least as wide as its figures need, the measures' columns (which share
    the width evenly) each as wide as the widest needs: never cut to "1…" in a narrow
    window."""
    header = table.horizontalHeader()
    need = [max(header.sectionSizeHint(c), table.sizeHintForColumn(c))
            for c in range(table.columnCount())]
    table.setMinimumWidth(need[0] + max(need[1:]) * (len(need) - 1) + 2 * table.frameWidth())


def fit_rows(table):
    """Make ``table`` exactly as tall as its rows."""
    height = table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth()
    table.setFixedHeight(height + sum(table.rowHeight(r) for r in range(table.rowCount())))
