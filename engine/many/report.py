"""The testing report of a global network over many series: one self-contained HTML file
(plots embedded as SVG data URIs, no scripts, no external files), the counterpart of
:mod:`engine.testing.report` for one series.

    testing = test_many_series(project.model_file(), project.table(), config)
    write_many_report(testing, "report.html", title="Hourly load")

Per target it holds every figure of the
:class:`~engine.many.evaluation.SeriesEvaluation` that step 6 shows: the mean sMAPE, MASE
and OWA of the network, Naive2, seasonal naive and Theta over the scored series with the
verdict (and where the forecast of a method that beat the network is to be had; for a
model of several targets, once, in a section on every target above theirs), the
share of the testing values inside the network's 80, 90 and 95% intervals, a histogram of
the network's sMAPE per series with its 10%, 50% and 90% quantiles, the worst series, and
plots of the worst, a typical (the median sMAPE) and the best series: the rows before the
testing part, the testing values, the network's forecast with its 90% interval and the
seasonal naive forecast.
"""

from html import escape

import numpy as np

from engine.atomic import atomic_write_text
from engine.many.evaluation import (MEASURES, beats_sentence, best_method, best_scores,
                                    coverage_sentence, methods_in_order, naive2_lead,
                                    network_subject, spread_sentence, summary_digits,
                                    tested_sentence)
from engine.many.every_target import every_target_verdict, target_verdict
from engine.many.global_model import network_words
from engine.testing.report import COLORS, format_number, format_share, head_html, image_html
from engine.testing.svg_plot import Figure
from engine.testing.verdict import command_files, offer_both_ways
from engine.words import counted, the_last

WORST = 10
FEW_POINTS = 12          # testing rows up to which a plot marks each value
PER_SERIES = (("smape", "sMAPE"), ("mase", "MASE"), ("rmse", "RMSE"), ("mae", "MAE"))
SERIES_COLORS = {"history": COLORS["target"], "testing": "#2ca02c",
                 "network": COLORS["one_step"], "naive": COLORS["persistence"]}


# -- the model --------------------------------------------------------------------------------

def model_details(model, training=None):
    """The lines on the model under a report's title (``{label: text}``): the network,
    its window, what it forecasts, the series, and its training. ``model``: a
    :class:`~engine.many.global_model.GlobalModel`; ``training``: the project's training
    summary of that model (:meth:`~engine.many.project_fit.ManyFit.summary`, with its
    epochs and the whole fit's time), else the model's own record is used."""
    from engine.cli.progress_bar import format_seconds

    settings = model.settings
    described = network_words(model)
    path = ", with a linear path" if settings.get("linear_path") and \
        not described.startswith("a linear autoregression") else ""
    steps = model.lookback // max(int(model.fold), 1)
    read = "whole in one step" if steps <= 1 else f"{counted(model.fold, 'row')} a step"
    season = int(settings.get("season") or 1)
    trained = int(settings.get("trained_series") or len(model.ids))
    series = f"{len(model.ids):,}" + (f" ({trained:,} long enough to train on)"
                                      if trained < len(model.ids) else "")
    windows = f"{int(settings.get('training_windows') or 0):,} windows of {trained:,} series"
    if training:
        best = int(training.get("best_epoch") or 0)
        kept = (f"epoch {best}" if best else "the start, "
                + ("a linear model fitted by least squares, " if settings.get("linear_path")
                   else "") + "as no epoch had a lower selection error")
        learned = (f"{training.get('epochs', 0)} epochs (best: {kept}) on {windows}, "
                   f"{format_seconds(training.get('seconds') or 0)} min for the whole "
                   "fit, the window's choice and the scoring included")
    else:
        learned = f"on {windows} in {format_seconds(settings.get('seconds') or 0)} min"
    return {"Network": described + path,
            "Window": f"{the_last(model.lookback, 'row')} of each series, read {read}"
                      + (f"; season {season} rows" if season > 1 else ""),
            "Forecast": f"{', '.join(model.target_names)}, {model.reach()}",
            "Series": series, "Training": learned}


# -- the charts -------------------------------------------------------------------------------

def smape_histogram(evaluation):
    """How the network's sMAPE spreads over the scored series: a bar per bin
    (:func:`engine.testing.analysis.histogram`), its height the series in it."""
    from engine.testing.analysis import histogram

    counts, edges = histogram(evaluation.scores["network"].smape)
    figure = Figure(f"{evaluation.target}: the network's sMAPE per series", "sMAPE",
                    "series")
    if len(counts):
        figure.bars(edges[:-1], edges[1:], counts, COLORS["recursive"])
    return figure


def shown_series(evaluation):
    """``[(words, per-series row)]`` of the series a report plots: the worst, a typical
    one (the median of the scored series' sMAPE: the middle of them sorted) and the best,
    each once (``row`` as :meth:`~engine.many.evaluation.SeriesEvaluation.per_series`)."""
    rows = sorted((r for r in evaluation.per_series() if np.isfinite(r["smape"])),
                  key=lambda r: r["smape"])
    if not rows:
        return []
    picks = [("the worst series", rows[-1]),
             ("a typical series (the median sMAPE)", rows[len(rows) // 2]),
             ("the best series", rows[0])]
    shown, seen = [], set()
    for words, row in picks:
        if row["series"] not in seen:
            seen.add(row["series"])
            shown.append((words, row))
    return shown


def has_bounds(view):
    """Whether a series' testing part (``view``) has a 90% interval to shade: none when
    too few selection windows left the level unknown."""
    return bool(np.isfinite(view.lower).any() and np.isfinite(view.upper).any())


def series_figure(view, words, row, target, time_column, naive=None, model="network"):
    """One series' testing part (a :class:`~engine.many.project_fit.SeriesTesting`
    ``view``): its rows before it (:meth:`~engine.many.project_fit.SeriesTesting.
    shown_from`), its testing values, the network's forecast with its 90% interval and,
    when given, the seasonal naive forecast ``naive`` (steps,). ``time_column``: the name
    of the time column the index holds, which names the x axis (None: the index holds row
    numbers, and the axis is "row"). ``model``: what made the forecast, in the legend
    (``network``; ``linear autoregression`` where the fit kept no recurrent part)."""
    from engine.testing.analysis import plot_axis

    steps, start, first = len(view.forecast), view.start, view.shown_from()
    x, is_date, axis = plot_axis(view.index if time_column else None,
                                 np.arange(len(view.values)), time_column)
    ahead = x[start:start + steps]
    shown = len(ahead)
    figure = Figure(f"{view.series}: {words}, sMAPE {format_number(row['smape'])}%, "
                    f"MASE {format_number(row['mase'])}", axis, target, x_dates=is_date)
    if has_bounds(view):                # no band, nor its legend, when the level is unknown
        figure.band(ahead, view.lower[:shown], view.upper[:shown], SERIES_COLORS["network"],
                    f"{model}'s 90% interval")
    figure.line(x[first:start], view.values[first:start], SERIES_COLORS["history"], "history")
    lines = (("testing", view.values[start:start + steps], "testing values", None),
             ("network", view.forecast[:shown], model, None),
             ("naive", None if naive is None else naive[:shown], "seasonal naive", "5 3"))
    for key, values, label, dash in lines:
        if values is None:
            continue
        figure.line(ahead, values, SERIES_COLORS[key], label, width=2, dash=dash)
        if steps <= FEW_POINTS:             # a testing part of one row is one point
            figure.points(ahead, values, SERIES_COLORS[key])
    return figure


# -- the tables -------------------------------------------------------------------------------

def _cell(tag, value, name):
    """One cell: ``value`` as text or ``(text, css class or None)``; ``name``: a name's
    cell (aligned left), else a figure's."""
    text, css = value if isinstance(value, tuple) else (value, None)
    classes = " ".join(c for c in ("name" if name else None, css) if c)
    attribute = f' class="{classes}"' if classes else ""
    return f"<{tag}{attribute}>{escape(str(text))}</{tag}>"


def _table(head, rows):
    """An HTML table: ``head`` (titles) and ``rows`` (cells as :func:`_cell` takes them);
    the first column names the row."""
    lines = ["<tr>" + "".join(_cell("th", t, c == 0) for c, t in enumerate(head)) + "</tr>"]
    lines += ["<tr>" + "".join(_cell("td", v, c == 0) for c, v in enumerate(row)) + "</tr>"
              for row in rows]
    return "<table>" + "".join(lines) + "</table>"


def scores_table(summary):
    """Every method's mean sMAPE, MASE and OWA (``summary``:
    :meth:`~engine.many.evaluation.SeriesEvaluation.summary`), the network first and the
    best figure of each column in bold, as step 6 shows them."""
    best, digits = best_scores(summary), summary_digits(summary.values())
    rows = [[summary[name]["label"]]
            + [(format_number(summary[name][key], digits[key]),
                "best" if best[key] is not None and summary[name][key] == best[key]
                else None) for key, _ in MEASURES]
            for name in methods_in_order(summary)]
    return _table(["method"] + [title for _, title in MEASURES], rows)


def coverage_table(coverage):
    """The intervals' levels and the share of the testing values inside each
    (``coverage``: :attr:`~engine.many.evaluation.SeriesEvaluation.coverage`)."""
    if not coverage:
        return ('<p class="note">No interval coverage: the model was trained without '
                "selection windows, so its intervals have no width.</p>")
    rows = [[f"{level:.0%}", "unknown width: too few selection windows" if share is None
             else format_share(share)] for level, share in sorted(coverage.items())]
    return (_table(["interval", "testing values inside"], rows)
            + '<p class="note">Over the series the network forecast. Close to the level is '
              "good; far below it, the intervals are too narrow for these series.</p>")


def worst_table(evaluation, count=WORST):
    """The ``count`` series with the largest sMAPE: their sMAPE, MASE, and RMSE and MAE in
    the target's units."""
    rows = [[str(row["series"])] + [format_number(row[key]) for key, _ in PER_SERIES]
            for row in evaluation.worst(count)]
    return _table(["series"] + [title for _, title in PER_SERIES], rows)


# -- the document -----------------------------------------------------------------------------

def _paragraphs(sentences, css=None):
    attribute = f' class="{css}"' if css else ""
    return "".join(f"<p{attribute}>{escape(text)}</p>" for text in sentences if text)


def verdict_sentences(summary, offer=True, files=()):
    """The verdict on the scores ``summary`` (:func:`~engine.many.evaluation.beats_sentence`)
    and, when a classical method beat the network
    (:func:`~engine.many.evaluation.best_method`), where its forecast is to be had instead,
    in both front ends' words (:func:`~engine.testing.verdict.offer_both_ways`): the
    report's reader may use either. The command names ``files``, the model and data files
    ``(model, data)`` (:func:`~engine.testing.verdict.command_files`: MODEL and DATA.csv
    where unknown). Not ``offer``: one target of several, whose offer
    :func:`every_target_html` makes (:func:`~engine.many.every_target.target_verdict`)."""
    if not offer:
        return target_verdict(summary)
    best = best_method(summary)
    if best is None:
        return beats_sentence(summary)
    lead = naive2_lead(summary, best)
    return " ".join(part for part in (beats_sentence(summary), f"{lead}." if lead else "",
                                      offer_both_ways(best, *command_files(*files)))
                    if part)


def every_target_html(evaluations, files=()):
    """The section on every target of a model of several: what did best on each, and
    where the forecast of each method that did best on one is to be had
    (:func:`~engine.many.every_target.every_target_verdict`; ``files`` as
    :func:`verdict_sentences` takes them); "" for one target."""
    if len(evaluations) < 2:
        return ""
    model, data = command_files(*files)
    sentence = every_target_verdict(
        {e.target: e for e in evaluations},
        lambda method, words: offer_both_ways(method, model, data, words=words))
    return "<h2>Every target</h2>" + _paragraphs([sentence])


def target_html(evaluation, views, time_column, offer=True, files=()):
    """The section of one target: ``evaluation`` (a
    :class:`~engine.many.evaluation.SeriesEvaluation`), ``views`` its series' testing
    parts by name as text, ``time_column`` the time column that indexes them (None: row
    numbers); ``offer``: its verdict offers a method's forecast (:func:`verdict_sentences`;
    not for one target of several); ``files``: as :func:`verdict_sentences` takes them."""
    summary = evaluation.summary()
    subject = network_subject(evaluation)
    parts = [f"<h2>{escape(evaluation.target)}</h2>",
             _paragraphs([tested_sentence(evaluation)]),
             "<h3>Every method on the testing rows (means over the series)</h3>",
             scores_table(summary), _paragraphs([verdict_sentences(summary, offer, files)]),
             '<p class="note">sMAPE: percentage error, 0 to 200. MASE: error relative to '
             "the seasonal difference of the series' own history. OWA: sMAPE and MASE "
             "relative to Naive2, below 1 beats it. Lower is better; the best of each "
             "column is bold.</p>",
             _paragraphs(evaluation.notes, "note"),
             "<h3>Prediction intervals</h3>", coverage_table(evaluation.coverage),
             _paragraphs([coverage_sentence(evaluation.coverage, subject)]),
             f"<h3>{escape(subject.capitalize())}'s error per series</h3>",
             image_html(smape_histogram(evaluation), f"{evaluation.target} sMAPE histogram"),
             _paragraphs([spread_sentence(evaluation)]),
             f"<h3>The {min(WORST, evaluation.n_scored)} worst series</h3>",
             worst_table(evaluation) + '<p class="note">RMSE and MAE in the target\'s '
                                       "units.</p>",
             "<h3>Some series</h3>"]
    ids = [str(name) for name in evaluation.ids]
    naive = evaluation.forecasts.get("seasonal_naive")
    shaded = False
    for words, row in shown_series(evaluation):
        name = str(row["series"])
        if name in views:
            seasonal = None if naive is None else naive[ids.index(name)]
            figure = series_figure(views[name], words, row, evaluation.target,
                                   time_column, seasonal, subject.removeprefix("the "))
            parts.append(image_html(figure, f"{name}: {words}"))
            shaded = shaded or has_bounds(views[name])
    band = "shaded its 90% interval" if shaded else "without an interval (the 90% " \
        "interval is unknown)"
    parts.append('<p class="note">Grey: the rows before the testing part; green: the testing '
                 f"values; red: {escape(subject)}'s forecast from the row before them, {band}; "
                 "dashed: the seasonal naive forecast.</p>")
    return "\n".join(parts)


def many_report_html(testing, title="Test results", details=None, training=None,
                     files=()):
    """The report of a :class:`~engine.many.project_testing.ManyTesting` as HTML text, a
    section per target. ``details``: ``{label: value}`` lines shown under the title
    (project, data, model file), then the model's own (:func:`model_details`, with the
    project's ``training`` summary of it when given); ``files``: the model and data files
    ``(model, data)`` the command that forecasts by a method that beat the network names
    (None for either, or none: unknown, MODEL and DATA.csv)."""
    info = dict(details or {})
    if testing.model is not None:
        for key, value in model_details(testing.model, training).items():
            info.setdefault(key, value)
    info.setdefault("Testing part", f"{the_last(testing.test_last, 'row')} of every series")
    time_column = testing.model.settings.get("time_column") if testing.model is not None \
        else None
    several = len(testing.evaluations) > 1
    parts = [head_html(title, info), every_target_html(testing.evaluations, files)]
    parts += [target_html(evaluation, views, time_column, not several, files)
              for evaluation, views in zip(testing.evaluations, testing.target_views)]
    parts.append("</body></html>")
    return "\n".join(parts)


def write_many_report(testing, path, title="Test results", details=None, training=None,
                      files=()):
    """Write :func:`many_report_html` to ``path`` atomically; returns the path."""
    atomic_write_text(path, many_report_html(testing, title, details, training, files))
    return path


def project_training(project):
    """The training summary of ``project``'s global network (its results), None when the
    project holds none of many series."""
    training = project.results.training or {}
    return training if training.get("kind") == "many_series" else None


def many_project_report(project, path, table=None, model=None, task=None, advice=None,
                        rows_advice=None):
    """Test ``project``'s global network (or the model file ``model``) on the testing rows
    of every series of its data (``table``, else read) and write the report to ``path``;
    returns the :class:`~engine.many.project_testing.ManyTesting` it holds. ``advice``:
    how a message on a project without a model it can test says to train one
    (:data:`~engine.testing.analysis.TRAIN_ADVICE`); ``rows_advice``: what the messages on
    its testing rows advise (:data:`~engine.many.project_testing.TESTING_ROWS_ADVICE`)."""
    from engine.many.project_testing import test_many_series
    from engine.testing.analysis import trained_model_file
    from engine.testing.report import project_details

    config = project.dataset_config()
    model_path = trained_model_file(project, advice) if model is None else model
    if table is None:
        table = project.table(config)
    testing = test_many_series(model_path, table, config, task, advice, rows_advice)
    write_many_report(testing, path, f"Test results: {project.name}",
                      project_details(project, model),
                      project_training(project) if model is None else None,
                      (model_path, project.data_file()))
    return testing
