"""The testing report: one self-contained HTML file (plots embedded as SVG data URIs, no
scripts, no external files) with every figure of a :class:`~engine.testing.analysis.
TestingAnalysis`.

    analysis = analyze_project(project)
    write_report(analysis, "report.html", title="Airline passengers")

The same charts (:func:`figures`) are what the page shows, drawn here without Qt.
"""

from datetime import datetime
from html import escape

import numpy as np

from engine.version import __version__
from engine.atomic import atomic_write_text
from engine.figures import TABLE_DIGITS, column_digits, number, table_digits
from engine.testing.analysis import shortened_note
from engine.testing.baselines import NO_SEASON
from engine.testing.intervals import fewest_errors
from engine.testing.svg_plot import Figure, data_uri
from engine.testing.verdict import command_files, verdict_on_testing
from engine.words import counted, verb

COLORS = {"target": "#444444", "one_step": "#d62728", "recursive": "#1f77b4",
          "persistence": "#7f7f7f", "seasonal_naive": "#2ca02c", "accent": "#9467bd",
          "band": "#1f77b4", "ets": "#ff7f0e", "theta": "#8c564b", "linear": "#17becf"}
BASELINE_NAMES = {"persistence": "persistence", "seasonal_naive": "seasonal naive",
                  "ets": "ETS", "theta": "Theta", "linear": "linear AR"}
INTERVAL_LEVEL = "0.9"
FEW_FORECASTS = 10      # forecasts below which a step's RMSE by horizon is a rough figure
LISTED_STEPS = 12       # steps ahead up to which the forecasts of every step are counted

STYLE = """
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; color: #222; margin: 24px auto;
       max-width: 980px; line-height: 1.45; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 17px; margin-top: 30px;
border-bottom: 1px solid #ddd; } h3 { font-size: 14px; }
table { border-collapse: collapse; margin: 8px 0 14px; font-size: 13px; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: right; }
th { background: #f3f3f3; } td.name, th.name { text-align: left; }
.better { color: #18794e; font-weight: bold; } .worse { color: #b42318; }
.note { color: #555; font-size: 13px; } img { display: block; margin: 6px 0; max-width: 100%; }
.meta td { text-align: left; border: none; padding: 1px 10px 1px 0; }
td.best { font-weight: bold; }
"""


MEASURES = (("rmse", "RMSE"), ("mae", "MAE"), ("mape", "MAPE %"), ("r2", "R²"),
            ("mase", "MASE"))
"""The measures of the tables of step 6 and the report. The mean squared error over the
variance (``mse_over_variance`` of :func:`~engine.testing.metrics.error_table`) is not
among them: it is 1 − R², beside it."""
MEANINGS = {"rmse": "Root mean squared error, in the target's units: the typical size of an "
                    "error, large errors weighing more.",
            "mae": "Mean absolute error, in the target's units.",
            "mape": "Mean absolute error in percent of the true value (rows where it is 0 "
                    "are left out).",
            "r2": "The share of the target's variation the predictions explain: 1 is "
                  "perfect, 0 no better than always predicting the mean.",
            "mase": "Mean absolute error relative to the typical one-step change before "
                    "testing (below 1 beats the last value)."}
"""What each measure of :data:`MEASURES` is, in a sentence (the page's column tooltips)."""
BASELINE_MEANINGS = {
    "persistence": "Persistence: the last known value.",
    "seasonal_naive": "Seasonal naive: the value one season before.",
    "ets": "ETS: exponential smoothing fitted on the rows before the testing part.",
    "theta": "Theta: the Theta method fitted on the rows before the testing part.",
    "linear": "Linear AR: a linear autoregression on the same inputs and lookback as the "
              "model, fitted by least squares on the rows before the testing part."}
"""What each baseline of :data:`BASELINE_NAMES` forecasts, in a sentence."""


def format_number(value, digits=TABLE_DIGITS):
    """A figure of a page, a report or a sentence, as the command line's tables print it
    (:func:`engine.figures.number`): ``digits`` significant digits, trailing zeros kept
    ("4.500" beside "6.123"), whole numbers from ``10^digits`` on; "–" for None or NaN,
    "∞" for an infinite width."""
    if value is None:
        return "–"
    value = float(value)
    if not np.isfinite(value):
        return "–" if np.isnan(value) else "∞"
    return number(value, digits)


def format_share(value):
    """A share (0..1) as a whole percentage; "–" for None or NaN."""
    return "–" if value is None or not np.isfinite(value) else f"{100 * value:.0f}%"



def recursive_label(analysis):
    """The errors table's recursive row: ``"recursive, 1-12 ahead, 40 origins"``."""
    H, origins = analysis.horizon, analysis.horizon_origins
    span = "1 ahead" if H == 1 else f"1–{H} ahead"
    return f"recursive, {span}, {counted(origins, 'origin')}"


def baselines_beside(analysis):
    """What the baseline columns of the errors table hold: the baselines' RMSE on the same
    rows, and when the classical comparators made only some of the recursive row's
    forecasts (:attr:`~engine.testing.analysis.TestingAnalysis.comparator_origins`), how
    many (None: no analysis yet, the same rows)."""
    subset = comparators_subset(analysis)
    if subset is None:
        return "the baselines' RMSE on the same rows beside"
    return f"the baselines' RMSE beside, on the same rows except {subset}"


def comparators_subset(analysis):
    """``"ETS, Theta and linear AR in the recursive row: from 40 of its 120 forecasts"``
    when the classical comparators made only some of the errors table's recursive row's
    forecasts (:attr:`~engine.testing.analysis.TestingAnalysis.comparator_origins`), else
    None (also without an analysis)."""
    used = None if analysis is None else analysis.comparator_origins
    if used is None:
        return None
    return (f"ETS, Theta and linear AR in the recursive row: from {used:,} of its "
            f"{analysis.horizon_origins:,} forecasts")


def horizon_counts_text(analysis):
    """What the error by horizon (the page's By horizon plot, the report's chart and table)
    averages at each step, beside what the errors table's recursive row pools
    (:func:`recursive_label`): the forecasts from every testing row are cut at the end of
    the testing part, so a step far ahead averages fewer of them than a near one, while
    the row counts only those that run all ``H`` steps."""
    counts = [int(c) for c in analysis.horizon_count]
    H, whole = len(counts), int(analysis.horizon_origins)
    if not counts or max(counts) == 0:
        return "No recursive forecast could be scored on the testing part."
    rough = " (few forecasts: a rough figure)" if min(counts) < FEW_FORECASTS else ""
    if min(counts) == max(counts) == whole:
        return (f"Each step ahead: the same {counted(whole, 'forecast')} as the errors "
                f"table's recursive row{rough}.{_fewer_comparators(analysis)}")
    steps = range(2, H + 1) if H <= LISTED_STEPS else [H]
    later = "".join(f", {counts[h - 1]:,} at {h}" for h in steps)
    row = (f"only the {whole:,} that {verb(whole, 'runs', 'run')} all {counted(H, 'step')}"
           if whole else f"none, as none runs all {counted(H, 'step')}")
    if 0 < counts[-1] < whole or whole and not counts[-1]:
        row = (f"only the {whole:,} whose {counted(H, 'step')} end inside the testing part, "
               f"{counts[-1]:,} of which {verb(counts[-1], 'reaches', 'reach')} step {H}; the "
               "others stopped earlier (a gap in time, missing values, a forecast that is "
               "not a number) and are scored up to there")
    return (f"Forecasts from every testing row, cut at the end of the testing part: "
            f"{counts[0]:,} at 1 step ahead{later}{rough}. The errors table's recursive row "
            f"counts {row}.{_fewer_comparators(analysis)}")


def _fewer_comparators(analysis):
    """When the classical comparators forecast from only some of the origins, a sentence
    that says so: at each step the baselines count the origins the network's forecast
    reached, ETS, Theta and linear AR only some of them (the model named as
    :attr:`~engine.testing.analysis.TestingAnalysis.subject`)."""
    used = analysis.comparator_origins
    if used is None:
        return ""
    return (f" ETS, Theta and linear AR forecast, to save time, from only some of these "
            f"origins ({used:,} of the {analysis.horizon_origins:,} whose forecasts run "
            "all the steps): their curves are not from the same forecasts as "
            f"{analysis.subject}'s.")


def error_rows(analysis, j):
    """The rows of the errors table of target ``j``: ``(label, figures, baselines)`` with
    ``figures`` ``{measure: value or None}`` (:data:`MEASURES`) and ``baselines``
    ``{key of BASELINE_NAMES: (RMSE or None, better)}`` (the naive baselines and the
    classical comparators), ``better`` True when the
    network's RMSE is below the baseline's, None when either is unknown. One row per
    direct output step, then the recursive forecasts of the horizon chosen from many
    origins (:func:`recursive_label`)."""
    name = analysis.target_names[j]
    entries = [("one step ahead" if h == 0 else f"{h + 1} steps ahead (direct output)",
                scores, analysis.direct_baselines[h])
               for h, scores in enumerate(analysis.direct_scores)]
    entries.append((recursive_label(analysis), analysis.horizon_scores,
                    analysis.horizon_pooled))
    rows = []
    for label, scores, baselines in entries:
        figures = scores.to_dict()["targets"][name] if scores is not None else {}
        figures = {key: figures.get(key) for key, _ in MEASURES}
        own = figures["rmse"]
        versus = {}
        for key in BASELINE_NAMES:
            base = baselines.get(key)
            value = None if base is None or not np.isfinite(base.rmse[j]) \
                else float(base.rmse[j])
            versus[key] = (value, None if own is None or value is None else own < value)
        rows.append((label, figures, versus))
    return rows


def error_digits(rows):
    """The significant digits of each measure of the errors table of ``rows``
    (:func:`error_rows`), ``{key of MEASURES: digits}``: :func:`~engine.figures.table_digits`
    of the measure's column, the RMSE's with the baselines' RMSEs beside it, so that an RMSE
    and the baseline's it is compared with never read the same unless they are (as the
    command line's table of scores), and the verdict above the table quotes its two RMSEs
    to these digits (:func:`~engine.testing.verdict.verdict_on_testing`'s ``digits``).
    Figures of different measures do not push each other's digits: a MAPE of 12.5012 beside
    one of 12.5049 gives the MAPEs 5 digits, the RMSEs 4.500 and 6.000 keep 4."""
    digits = column_digits((figures for _, figures, _ in rows), [key for key, _ in MEASURES])
    digits["rmse"] = table_digits(
        [*(figures.get("rmse") for _, figures, _ in rows),
         *(value for _, _, versus in rows for value, _ in versus.values())])
    return digits


def error_cells(rows, digits):
    """The texts of the errors table of ``rows`` (:func:`error_rows`) to ``digits``
    (:func:`error_digits`): ``(label, [figure per measure], {baseline: (RMSE, better)})``
    per row, each figure to its measure's digits, the baselines' RMSEs to the RMSE's."""
    return [(label, [format_number(value, digits[key]) for key, value in figures.items()],
             {key: (format_number(value, digits["rmse"]), better)
              for key, (value, better) in versus.items()})
            for label, figures, versus in rows]


# -- the charts -------------------------------------------------------------------------------

def prediction_figure(analysis, j):
    """Testing part: the truth, one step ahead, the recursive forecast and its 90% band."""
    name = analysis.target_names[j]
    x, dates = analysis.x_values()
    figure = Figure(f"{name}: testing part", analysis.x_label(), name, x_dates=dates)
    band = analysis.forecast_band(j, float(INTERVAL_LEVEL))
    if band is not None:
        figure.band(x, band[0], band[1], COLORS["band"],
                    "90% interval of the recursive forecast from the start")
    figure.line(x, analysis.one_step_truth[:, j], COLORS["target"], "target", width=2)
    figure.line(x, analysis.one_step_predicted[:, j], COLORS["one_step"], "one step ahead")
    figure.line(x, analysis.recursive_predicted[:, j], COLORS["recursive"],
                "recursive forecast from the testing start", dash="6 3")
    return figure


def model_legend(subject):
    """The model's line in a legend beside the baselines': ``network``, or ``model (linear
    autoregression)`` (``subject`` "the linear autoregression"), told apart from the
    comparator linear AR."""
    name = subject.removeprefix("the ")
    return name if name == "network" else f"model ({name})"


def horizon_figure(analysis, j):
    """RMSE by horizon of recursive forecasts, beside the baselines'."""
    name = analysis.target_names[j]
    h = np.arange(1, len(analysis.horizon_rmse) + 1)
    figure = Figure(f"{name}: error by horizon (recursive forecasts)", "steps ahead",
                    f"RMSE ({name})", x_integer=True)
    figure.line(h, analysis.horizon_rmse[:, j], COLORS["recursive"],
                model_legend(analysis.subject), width=2)
    figure.points(h, analysis.horizon_rmse[:, j], COLORS["recursive"])
    for key, values in analysis.horizon_baselines.items():
        figure.line(h, values[:, j], COLORS[key], BASELINE_NAMES[key], dash="5 3")
    return figure


def fit_figure(analysis, j):
    """One-step outputs against targets, the fitted line and the ideal line y = x."""
    name = analysis.target_names[j]
    y = analysis.one_step_truth[:, j]
    p = analysis.one_step_predicted[:, j]
    fit = {key: analysis.fit[key][j] for key in analysis.fit}
    figure = Figure(f"{name}: outputs against targets", f"target ({name})",
                    f"output ({name})", width=560, height=400)
    line = analysis.fit_line_points(j)
    if line is not None:
        figure.line(line[0], line[0], "#999999", "ideal (output = target)", dash="3 3")
        figure.line(line[0], line[1], COLORS["accent"],
                    f"fitted: slope {format_number(fit['slope'], 3)}, intercept "
                    f"{format_number(fit['intercept'], 3)}, "
                    f"r {format_number(fit['correlation'], 3)}", width=2)
    figure.points(y, p, COLORS["one_step"], "testing rows")
    return figure


def histogram_figure(analysis, j):
    name = analysis.target_names[j]
    counts, edges = analysis.histogram[j]
    figure = Figure(f"{name}: one-step errors (output minus target)", f"error ({name})",
                    "rows")
    if len(counts):
        figure.bars(edges[:-1], edges[1:], counts, COLORS["one_step"])
    return figure


def autocorrelation_figure(analysis, j):
    name = analysis.target_names[j]
    auto = analysis.autocorrelation
    figure = Figure(f"{name}: autocorrelation of the one-step errors", "lag", "correlation",
                    y_range=(-1, 1), x_integer=True)
    figure.hline(auto.band, COLORS["accent"], label="95% band of white noise")
    figure.hline(-auto.band, COLORS["accent"])
    figure.stems(auto.lags, auto.values[j], COLORS["recursive"])
    return figure


def cross_figure(analysis, j):
    name = analysis.target_names[j]
    cross = analysis.cross_correlation
    figure = Figure(f"{name}: inputs at lag l against the one-step errors", "lag l",
                    "correlation", y_range=(-1, 1), x_integer=True)
    palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
               "#7f7f7f"]
    figure.hline(cross.band, COLORS["accent"], label="95% band")
    figure.hline(-cross.band, COLORS["accent"])
    for i, input_name in enumerate(analysis.cross_names[:8]):
        figure.line(cross.lags, cross.values[j, i], palette[i % len(palette)], input_name)
        figure.points(cross.lags, cross.values[j, i], palette[i % len(palette)])
    return figure


def figures(analysis, j):
    """Every chart of target ``j`` as ``{key: Figure}``."""
    return {"predictions": prediction_figure(analysis, j),
            "horizon": horizon_figure(analysis, j), "fit": fit_figure(analysis, j),
            "histogram": histogram_figure(analysis, j),
            "autocorrelation": autocorrelation_figure(analysis, j),
            "cross": cross_figure(analysis, j)}


# -- the tables -------------------------------------------------------------------------------

def image_html(figure, alt):
    """``figure`` as an <img> whose source is its SVG drawing inside the page."""
    return f'<img alt="{escape(alt)}" src="{data_uri(figure.svg())}">'


def errors_table(analysis, j, asker=None, files=()):
    """The errors of target ``j`` beside the baselines' and the verdict on them, whose
    command (``asker``: the command line's words) names ``files``, the model and data
    files ``(model, data)`` (:func:`~engine.testing.verdict.command_files`)."""
    head = ("<tr><th class=name>forecast</th>"
            + "".join(f"<th>{title}</th>" for _, title in MEASURES)
            + "".join(f"<th>{text} RMSE</th>" for text in BASELINE_NAMES.values()) + "</tr>")
    rows, table = [], error_rows(analysis, j)
    digits = error_digits(table)
    for label, figures, versus in error_cells(table, digits):
        cells = [f'<td class="name">{escape(label)}</td>']
        cells += [f"<td>{text}</td>" for text in figures]
        for key, (text, better) in versus.items():
            css = "" if better is None else (' class="better"' if better else
                                             ' class="worse"')
            text = NO_SEASON if key == "seasonal_naive" and not analysis.period else text
            cells.append(f"<td{css}>{escape(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    verdict = verdict_on_testing(analysis, j, asker, *command_files(*files),
                                 digits=digits["rmse"], subject=analysis.subject)
    said = f'<p class="worse">{escape(verdict)}</p>' if verdict else ""
    return f"<table>{head}{''.join(rows)}</table>{said}"


def horizon_table(analysis, j):
    iv = analysis.intervals
    cover = iv["recursive_coverage"].get(INTERVAL_LEVEL) if iv else None
    head = ("<tr><th>steps ahead</th><th>forecasts</th><th>RMSE</th><th>MAE</th>"
            + "".join(f"<th>{text} RMSE</th>" for text in BASELINE_NAMES.values())
            + ("<th>90% interval ±</th><th>90% coverage</th>" if cover is not None else "")
            + "</tr>")
    rmses = [analysis.horizon_rmse[:, j]] + [
        None if values is None else values[:, j]
        for values in map(analysis.horizon_baselines.get, BASELINE_NAMES)]
    maes = analysis.horizon_mae[:, j]
    digits = table_digits(v for column in rmses if column is not None for v in column)
    columns = [(rmses[0], digits), (maes, table_digits(maes))] + \
        [(column, digits) for column in rmses[1:]]     # the RMSEs told apart, the MAEs alone
    rows = []
    for h in range(len(analysis.horizon_rmse)):
        cells = [str(h + 1), str(int(analysis.horizon_count[h]))] + [
            "–" if column is None else format_number(column[h], places)
            for column, places in columns]
        if cover is not None:
            cells += [held_width(iv, INTERVAL_LEVEL, h, j), format_share(cover[h, j])]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return f"<table>{head}{''.join(rows)}</table>"      # "held" widths: the analysis' note


def held_width(iv, key, h, j):
    """The recursive half-width of level ``key`` at ``h + 1`` steps ahead of target ``j``
    as text, with "(held)" past the steps it was calibrated for (the last calibrated
    width kept)."""
    text = format_number(iv["recursive"][key][h, j])
    calibrated = iv.get("calibrated", {}).get(key)
    held = calibrated and h + 1 > calibrated and np.isfinite(iv["recursive"][key][h, j])
    return f"{text} (held)" if held else text


def largest_table(analysis, j):
    head = ("<tr><th>row</th><th class=name>time</th><th>target</th><th>output</th>"
            "<th>error</th></tr>")
    rows = [f"<tr><td>{e['row']}</td><td class=name>{escape(e['time'] or '')}</td>"
            f"<td>{format_number(e['truth'])}</td><td>{format_number(e['predicted'])}</td>"
            f"<td>{format_number(e['error'])}</td></tr>" for e in analysis.largest[j]]
    return f"<table>{head}{''.join(rows)}</table>"


def interval_rows(analysis, j):
    """The rows of the intervals table of target ``j`` as text: level, one-step half-width,
    its coverage on the testing part, the half-width at the last horizon and the coverage
    of the recursive forecasts over all horizons. Empty without intervals."""
    iv = analysis.intervals
    if iv is None:
        return []
    return [[f"{float(key):.0%}", format_number(iv["direct"][key][0, j]),
             format_share(iv["direct_coverage"][key][0, j]),
             held_width(iv, key, len(iv["recursive"][key]) - 1, j),
             format_share(iv["recursive_coverage_all"][key][j])] for key in iv["direct"]]


def unbounded_note(analysis, j):
    """Why target ``j``'s intervals table shows "∞", said where it is seen: which levels
    have no bound, the calibration errors each takes
    (:func:`~engine.testing.intervals.fewest_errors`) and those the selection part gave,
    one step ahead and at the table's last horizon; None when every width is finite."""
    iv = analysis.intervals
    if iv is None:
        return None
    direct = [key for key in iv["direct"] if not np.isfinite(iv["direct"][key][0, j])]
    last = [key for key in iv["recursive"] if not np.isfinite(iv["recursive"][key][-1, j])]
    levels = [key for key in iv["direct"] if key in direct or key in last]
    if not levels:
        return None
    needs = [(f"{float(key):.0%}", fewest_errors(float(key))) for key in levels]
    takes = f"a {needs[0][0]} bound takes at least {needs[0][1]}" + "".join(
        f" and a {level} bound {n}" for level, n in needs[1:])
    counts = iv.get("recursive_count") or []
    step = min(len(iv["recursive"][levels[0]]), len(counts))
    gave = {"one step ahead": iv.get("count") if direct else None,
            f"at {counted(step, 'step')} ahead": counts[step - 1] if last and step else None}
    gave = {where: n for where, n in gave.items() if n is not None}
    there = ""
    if len(gave) == 2 and len(set(gave.values())) == 1:
        there = f"; there were {next(iter(gave.values()))}"
    elif gave:
        there = "; there were " + " and ".join(f"{n} {where}" for where, n in gave.items())
    return (f"∞: the selection part has too few errors to calibrate that bound ({takes}"
            f"{there}). A longer selection part gives one.")


def intervals_table(analysis, j):
    iv = analysis.intervals
    if iv is None:
        return ('<p class="note">This model file has no prediction intervals (it was trained '
                'by an earlier version); train the model again to get them.</p>')
    head = ("<tr><th>level</th><th>one step ±</th><th>one-step coverage</th>"
            f"<th>±, {counted(len(analysis.horizon_rmse), 'step')} ahead</th>"
            "<th>recursive coverage (all horizons)</th></tr>")
    rows = ["<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>"
            for row in interval_rows(analysis, j)]
    unbounded = unbounded_note(analysis, j)
    unbounded = "" if unbounded is None else \
        f"<p class=note>{escape(unbounded)} Its coverage is –: it holds every row.</p>"
    return (f"<table>{head}{''.join(rows)}</table>{unbounded}<p class=note>Half-widths "
            f"from the selection part ({escape(iv['method'] or '')}), in the target's units. "
            "Coverage: the share of testing rows inside the interval; close to the level is "
            "good, far below means the intervals are too narrow.</p>")


# -- the document -----------------------------------------------------------------------------

def head_html(title, info):
    """The start of a report up to its first section: the document's head with
    :data:`STYLE`, the title and a table of the ``info`` lines (``{label: value}``), to
    which a "Written" line (when and by which version) is added."""
    info = dict(info)
    info.setdefault("Written", f"{datetime.now():%Y-%m-%d %H:%M} by RNN Studio {__version__}")
    lines = "".join(f"<tr><td>{escape(str(k))}:</td><td>{escape(str(v))}</td></tr>"
                    for k, v in info.items())
    return (f"<!DOCTYPE html><html lang=en><head><meta charset=utf-8>"
            f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>\n"
            f"<h1>{escape(title)}</h1><table class=meta>\n{lines}</table>")


def testing_part_text(analysis):
    """The rows ``analysis`` tested, as the page's status and the report's head say them:
    ``"12 rows from row 84 (2019-01-01)"``, ``"1 row from row 95"``."""
    when = f" ({analysis.start_time})" if analysis.start_time else ""
    return f"{counted(analysis.testing_count, 'row')} from row {analysis.start_row}{when}"


REPORT_WORDS = {"forecast": "the dashed line of the report's testing part chart",
                "unaffected": "the errors table and the error by horizon are"}
"""How the report names the recursive forecast from the testing start when it is cut short
(the pages' :data:`~engine.testing.analysis.SHORTENED_WORDS` name the page's plots)."""


def report_notes(analysis):
    """The notes of ``analysis`` as the report shows them: the note on a shortened
    recursive forecast (:func:`~engine.testing.analysis.shortened_note`) in
    :data:`REPORT_WORDS`, whichever words the analysis was made with (step 6 saves the
    analysis it shows, whose note names the page's plots); the others as they are."""
    length, count = analysis.recursive_rows, len(analysis.rows)
    page = shortened_note(length, count)
    return [shortened_note(length, count, REPORT_WORDS) if note == page else note
            for note in analysis.notes]


def report_html(analysis, title="Test results", details=None, asker=None, files=()):
    """The report as HTML text. ``details``: ``{label: value}`` lines shown under the
    title (project, model, data file); ``asker``: the front end that writes it, whose words
    say where a comparator's forecast that beat the network is to be had
    (:func:`~engine.testing.verdict.use_instead`; None: not said); ``files``: the model
    and data files ``(model, data)`` the command line's words name (unknown: none, and
    the command says MODEL and DATA.csv). Its sentences name the model as the analysis
    does (:attr:`~engine.testing.analysis.TestingAnalysis.subject`)."""
    subject = analysis.subject
    info = dict(details or {})
    info.setdefault("Testing part", testing_part_text(analysis))
    parts = [head_html(title, info)]
    for note in report_notes(analysis):
        parts.append(f'<p class="note">{escape(note)}</p>')
    for j, name in enumerate(analysis.target_names):
        charts = figures(analysis, j)
        parts.append(f"<h2>{escape(name)}</h2>")
        parts.append("<h3>Errors on the testing part, in the target's units</h3>"
                     + errors_table(analysis, j, asker, files)
                     + f'<p class="note">Green: {subject} beats that baseline; red: it '
                       "does not. ETS, Theta and linear AR: classical forecasts (statsmodels' "
                       "exponential smoothing and Theta method, least squares on the "
                       "model's own windows) fitted on every row before the testing "
                       "part. The recursive row: forecasts that feed their own predictions "
                       f"back, {counted(analysis.horizon, 'step')} long, one from each "
                       "testing row (the origins it counts) whose forecast ends inside the "
                       "testing part, "
                       "every step counted. MASE: mean absolute error relative "
                       "to the one-step changes before testing (below 1 beats the last "
                       "value).</p>")
        parts.append(image_html(charts["predictions"], f"{name} predictions"))
        parts.append("<h3>One step ahead against recursive forecasting</h3>"
                     '<p class="note">One step ahead, every prediction starts from the true '
                     "history. A recursive forecast feeds its own predictions back, as a "
                     "forecast of the future must; its error grows with the horizon.</p>")
        parts.append(image_html(charts["horizon"], f"{name} error by horizon"))
        parts.append(f'<p class="note">{escape(horizon_counts_text(analysis))} The table '
                     "below counts the forecasts of each step.</p>")
        parts.append(horizon_table(analysis, j))
        parts.append("<h3>Prediction intervals</h3>" + intervals_table(analysis, j))
        parts.append("<h3>Goodness of fit</h3>")
        parts.append(image_html(charts["fit"], f"{name} goodness of fit"))
        parts.append("<h3>Errors</h3>")
        parts.append(image_html(charts["histogram"], f"{name} error histogram"))
        parts.append("<p>The largest one-step errors:</p>" + largest_table(analysis, j))
        parts.append(image_html(charts["autocorrelation"], f"{name} error autocorrelation"))
        parts.append('<p class="note">Bars outside the band: the errors still follow a '
                     f"pattern in time that {subject} has not learned (a longer lookback "
                     "or more training may help).</p>")
        if analysis.cross_names:
            parts.append(image_html(charts["cross"], f"{name} cross-correlation"))
            parts.append('<p class="note">Lines outside the band: that input, at that lag, '
                         "still tells something about the errors.</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_report(analysis, path, title="Test results", details=None, asker=None,
                 files=()):
    """Write :func:`report_html` to ``path`` atomically; returns the path."""
    atomic_write_text(path, report_html(analysis, title, details, asker, files))
    return path


STALE_MODEL = ("out of date: the project's settings changed since it was trained; these "
               "are the results of the earlier settings")


def project_report(project, path, table=None, model=None, asker=None, advice=None):
    """Analyze ``project``'s trained model on its testing part and write the report
    (``asker``: as :func:`report_html`'s; ``advice``: as
    :func:`~engine.testing.analysis.analyze_project`'s)."""
    from engine.testing.analysis import analyze_project

    analysis = analyze_project(project, table=table, model=model, advice=advice)
    details = project_details(project, model)
    return write_report(analysis, path, f"Test results: {project.name}", details, asker,
                        (tested_model_file(project, model), project.data_file()))


def tested_model_file(project, model=None):
    """The model file a report of ``project`` tests: ``model`` when it is a path, else
    the project's own (None when it has none)."""
    if isinstance(model, (str, bytes)) or hasattr(model, "__fspath__"):
        return model
    return project.model_file()


def project_details(project, model=None):
    """The lines under a report's title: the project's name, its data file and the model
    file tested (``model``, a path or a loaded model, else the project's own), each with
    a note when the settings or the data file changed since the training."""
    from engine.project.model_status import OUT_OF_DATE, data_change, model_status

    model_path = tested_model_file(project, model)
    shown = model_path if model_path is not None else "–"
    if model is None and model_status(project) == OUT_OF_DATE:
        shown = f"{shown} ({STALE_MODEL})"
    data = project.data_file()
    changed = data_change(project) if model is None else None
    if changed:
        data = f"{data} ({changed})"
    return {"Project": project.name, "Data": data, "Model": shown}
