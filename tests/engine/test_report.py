"""The HTML report: it parses as HTML, every image is inside the file and decodes to a valid
SVG drawing, the file is written atomically; ``rnn-studio report`` writes it and
``rnn-studio evaluate --json`` carries the analysis."""

import base64
import io
import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from html import escape

import numpy as np
import pytest

from engine.cli.main import main
from engine.errors import EngineError
from engine.testing.report import report_html, write_report
from engine.testing.svg_plot import Figure, data_uri, nice_ticks
from engine.testing.analysis import analyze_project
from helpers.html_page import Page, svg_of
from helpers.projects import trained_project


@pytest.fixture
def fitted_project(tmp_path, seasonal_csv):
    return trained_project(seasonal_csv, tmp_path, test_from="2019-01-01", max_epochs=5)


def test_the_report_holds_every_figure_and_image(fitted_project, tmp_path):
    project, _, result = fitted_project
    analysis = analyze_project(project)
    path = write_report(analysis, tmp_path / "report.html", "Test results: series",
                        {"Project": "series"})
    text = path.read_text(encoding="utf-8")
    page = Page()
    page.feed(text)
    page.close()
    assert not page.open
    assert len(page.images) == 6
    for image in page.images:
        root = svg_of(image["src"])
        assert root.tag.endswith("svg") and image["alt"]
        assert len(root) > 5                                   # drawn, not empty
    assert "Test results: series" in page.headings
    for heading in ("Errors on the testing part, in the target's units",
                    "One step ahead against recursive forecasting", "Prediction intervals",
                    "Goodness of fit"):
        assert heading in page.headings
    # the one-step RMSE of the fit is in the table; the intervals' levels are listed
    from engine.testing.report import error_digits, error_rows, format_number

    rows = error_rows(analysis, 0)
    assert format_number(result.scores["testing"].rmse[0], error_digits(rows)["rmse"]) in page.cells
    assert {"80%", "90%", "95%"} <= set(page.cells)
    assert "http" not in text.replace("http://www.w3.org/2000/svg", "")   # self-contained
    assert "<script" not in text


def test_the_report_says_when_a_comparator_beat_the_network_and_when_no_season_was_found(
        fitted_project):
    """What step 6 says beside the errors, the report says too: the comparator that
    forecast the testing part better, and why there is no seasonal naive figure."""
    from engine.testing.verdict import verdict_on_testing

    project, _, _ = fitted_project
    analysis = analyze_project(project)
    analysis.direct_baselines[0]["ets"].rmse[:] = 1e-9       # ETS all but perfect
    analysis.period = None
    text = report_html(analysis)
    said = verdict_on_testing(analysis)
    assert said.startswith("Exponential smoothing forecast the testing part better")
    assert f'<p class="worse">{escape(said)}</p>' in text
    # the front end that writes the report says where to get that forecast, its own way
    by_window = report_html(analysis, asker="window")
    assert escape(said + " Deploy > Forecast > Method can use its forecast instead.") \
        in by_window and "rnn-studio forecast" not in by_window
    by_command = report_html(analysis, asker="command_line")
    assert escape(said + " rnn-studio forecast MODEL DATA.csv --method ets --steps N "
                  "--out FORECAST.csv uses its forecast instead.") in by_command
    assert "Deploy &gt;" not in by_command
    page = Page()
    page.feed(text)
    assert "no season found in the data" in page.cells


def test_the_reports_command_names_the_model_and_data_files_it_tested(fitted_project,
                                                                      tmp_path, monkeypatch):
    """``rnn-studio report`` writes the model file it tested and the project's data file
    into the command that uses a comparator's forecast instead, quoted for a shell (it
    wrote MODEL and DATA.csv)."""
    import shlex

    import engine.testing.analysis as analysis_module

    project, path, _ = fitted_project
    analyze = analysis_module.analyze_project

    def ets_all_but_perfect(*args, **kwargs):
        analysis = analyze(*args, **kwargs)
        analysis.direct_baselines[0]["ets"].rmse[:] = 1e-9
        return analysis

    monkeypatch.setattr(analysis_module, "analyze_project", ets_all_but_perfect)
    given = tmp_path / "my models" / "series' model.npz"
    given.parent.mkdir()
    shutil.copy(project.model_file(), given)
    target = tmp_path / "out.html"
    data = shlex.quote(str(project.data_file()))
    for model, named in ((given, shlex.quote(str(given))),
                         (None, shlex.quote(str(project.model_file())))):
        assert main(["report", str(path), "--out", str(target)]
                    + (["--model", str(model)] if model else []),
                    io.StringIO(), io.StringIO()) == 0
        text = target.read_text(encoding="utf-8")
        assert escape(f" rnn-studio forecast {named} {data} --method ets --steps N --out "
                      "FORECAST.csv uses its forecast instead.") in text
        assert "MODEL" not in text and "DATA.csv" not in text


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Chromium as a sandboxed test browser: no network, no profile, no sandbox as root.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian package "
                                             "chromium); the HTML parser test still runs")
def test_a_real_browser_loads_the_report_and_decodes_every_image(fitted_project, tmp_path):
    """Chromium opens the report; a script added to a copy counts the images that loaded
    (``complete`` with a natural width) and writes the counts into the DOM it dumps."""
    project, _, _ = fitted_project
    path = write_report(analyze_project(project), tmp_path / "report.html", "Test results",
                        {})
    probe = ("<script>addEventListener('load', () => { const images = [...document.images];"
             " document.body.dataset.images = images.length + ':' + images.filter("
             "i => i.complete && i.naturalWidth > 0).length; });</script></body>")
    copy = tmp_path / "probe.html"
    copy.write_text(path.read_text(encoding="utf-8").replace("</body>", probe),
                    encoding="utf-8")
    done = subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'c'}",
                           "--dump-dom", copy.as_uri()], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    counts = done.stdout.split('data-images="')[1].split('"')[0]
    total, loaded = map(int, counts.split(":"))
    assert total >= 6 and loaded == total


def test_the_report_is_written_atomically(fitted_project, tmp_path, monkeypatch):
    project, _, _ = fitted_project
    analysis = analyze_project(project)
    target = tmp_path / "report.html"
    target.write_text("the previous report", encoding="utf-8")

    def broken(*args, **kwargs):
        raise EngineError("drawing failed")

    monkeypatch.setattr("engine.testing.report.report_html", broken)
    with pytest.raises(EngineError):
        write_report(analysis, target)
    assert target.read_text(encoding="utf-8") == "the previous report"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_the_report_saved_from_step_6_names_its_own_chart_not_the_page_s_plots(
        fitted_project, tmp_path, monkeypatch):
    """Step 6 saves the analysis it shows: the note on a shortened recursive forecast,
    which on the page names the Predictions plot and By horizon, names in the report the
    report's chart and its error by horizon; the page keeps its words."""
    from engine.testing import analysis as testing_analysis

    project, _, _ = fitted_project
    monkeypatch.setattr(testing_analysis, "recursive_length", lambda count, horizon: 10)
    analysis = analyze_project(project)
    assert any("the dashed line of the Predictions plot" in n for n in analysis.notes)
    text = write_report(analysis, tmp_path / "report.html").read_text(encoding="utf-8")
    assert ("(the dashed line of the report&#x27;s testing part chart) runs over its first "
            "10 rows only, of 12; the errors table and the error by horizon are not "
            "affected.") in text
    assert "Predictions plot" not in text and "By horizon" not in text


def test_the_report_names_a_model_that_kept_its_linear_start_the_linear_autoregression(
        tmp_path):
    """A model of one series whose training kept its least-squares start is the linear
    autoregression, as step 6 names it, in the report written by the command line and in
    the one step 6 saves from its analysis: the verdict, the note under the errors table,
    the legend of the error by horizon (told apart from the comparator linear AR) and the
    note under the autocorrelation; never "the network"."""
    from helpers.projects import start_kept_project
    from engine.project.document import load_project

    path = start_kept_project(tmp_path, horizon=3)
    target = tmp_path / "report.html"
    assert main(["report", str(path), "--out", str(target)], io.StringIO(),
                io.StringIO()) == 0
    analysis = analyze_project(load_project(path))
    assert analysis.subject == "the linear autoregression"
    saved = write_report(analysis, tmp_path / "saved.html").read_text(encoding="utf-8")
    for text in (target.read_text(encoding="utf-8"), saved):
        assert ("Exponential smoothing forecast the testing part better than the linear "
                "autoregression, forecasting 12 steps recursively") in text
        assert "Green: the linear autoregression beats that baseline; red: it does not." in text
        assert "a pattern in time that the linear autoregression has not learned" in text
        assert "the network" not in text
        page = Page()
        page.feed(text)
        horizon = svg_of(next(image["src"] for image in page.images
                              if image["alt"] == "y error by horizon"))
        legend = [t.text for t in horizon.iter("{http://www.w3.org/2000/svg}text")]
        assert "model (linear autoregression)" in legend and "network" not in legend


def test_report_and_evaluate_json_on_the_command_line(fitted_project, tmp_path,
                                                      seasonal_csv):
    project, path, result = fitted_project
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "out.html"
    assert main(["report", str(path), "--out", str(target)], out, err) == 0, err.getvalue()
    assert "Report written to" in out.getvalue()
    page = Page()
    page.feed(target.read_text(encoding="utf-8"))
    assert len(page.images) == 6
    out = io.StringIO()
    assert main(["evaluate", str(project.model_file()), str(seasonal_csv), "--json"],
                out, err) == 0
    report = json.loads(out.getvalue())
    analysis = report["analysis"]
    assert analysis["direct"][0]["targets"]["y"]["rmse"] == pytest.approx(
        report["targets"]["y"]["rmse"])
    assert set(analysis["direct"][0]["baselines"]) == {"persistence", "seasonal_naive", "ets",
                                                       "theta", "linear"}
    assert len(analysis["by_horizon"]["rmse"]["y"]) == 8        # 5 origins of 12 rows
    assert set(analysis["fit"]["y"]) == {"slope", "intercept", "correlation"}
    assert len(analysis["largest_errors"]["y"]) == 10
    assert set(analysis["intervals"]["direct_coverage"]) == {"0.8", "0.9", "0.95"}
    err = io.StringIO()
    assert main(["report", str(tmp_path / "missing.json"), "--out", str(target)],
                io.StringIO(), err) == 1
    assert "no project file" in err.getvalue()
    assert "out of date" not in target.read_text(encoding="utf-8")
    # settings changed since the fit: the report and the command say whose results these are
    from engine.project.document import load_project, save_project

    changed = load_project(path)
    changed.training.max_epochs = 7
    save_project(changed, path)
    out = io.StringIO()
    assert main(["report", str(path), "--out", str(target)], out, err) == 0
    assert "Note: the model is out of date" in out.getvalue()
    assert "(out of date: the project&#x27;s settings changed since it was trained" in \
        target.read_text(encoding="utf-8")


def test_svg_figures_and_ticks():
    assert nice_ticks(0, 10, 6) == [0, 2, 4, 6, 8, 10]
    assert nice_ticks(0.13, 0.92, 5) == [0, 0.2, 0.4, 0.6, 0.8, 1.0]   # step 0.79 / 4 -> 0.2
    assert nice_ticks(3, 17, 4) == [0, 5, 10, 15, 20]
    figure = Figure("a & b < c", "x", "y")
    figure.line([0, 1, 2, 3], [1, np.nan, 2, 3], "#d62728", "line")
    figure.band([0, 1], [0, 0], [1, 1], "#1f77b4", "band")
    figure.bars([0, 1], [1, 2], [3, 4], "#2ca02c")
    figure.stems([1, 2], [0.5, -0.2], "#333333")
    figure.hline(0.5, "#9467bd")
    root = ET.fromstring(figure.svg())
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "a & b < c" in texts
    lines = list(root.iter("{http://www.w3.org/2000/svg}polyline"))
    assert len(lines) == 2                                     # the NaN breaks the line
    assert base64.b64decode(data_uri("<svg/>").split(",")[1]) == b"<svg/>"
    assert report_html.__doc__


def test_svg_legends_wrap_and_markers_stay_inside():
    figure = Figure("legend", "x", "y", width=300)
    for i in range(5):
        figure.line([0, 1], [0, i], "#333333", f"a rather long legend entry {i}")
    figure.points([0, 10], [0, 5], "#d62728")
    root = ET.fromstring(figure.svg())
    assert float(root.get("height")) > 300                    # wrapped onto more lines
    legend = [t for t in root.iter("{http://www.w3.org/2000/svg}text")
              if (t.text or "").startswith("a rather long")]
    assert len(legend) == 5 and len({t.get("y") for t in legend}) >= 3
    assert all(float(t.get("x")) + 6.5 * len(t.text) <= 300 + 12 for t in legend)
    circles = list(root.iter("{http://www.w3.org/2000/svg}circle"))
    xs = [float(c.get("cx")) for c in circles]
    assert min(xs) > 70 + 2.6 and max(xs) < 300 - 30 - 2.6     # whole, not cut by the frame


def test_a_dashed_line_has_a_dashed_legend_entry():
    figure = Figure("dashes", "x", "y")
    figure.line([0, 1], [0, 1], "#333333", "solid")
    figure.line([0, 1], [1, 0], "#7f7f7f", "dashed", dash="5 3")
    root = ET.fromstring(figure.svg())
    entries = list(root.iter("{http://www.w3.org/2000/svg}line"))
    assert [e.get("stroke-dasharray") for e in entries[-2:]] == [None, "5 3"]


def test_the_error_by_horizon_says_what_it_averages_beside_the_recursive_row(
        make_seasonal_frame):
    """12 testing rows, forecasts of 12 steps: By horizon averages the forecasts from every
    testing row cut at the testing part's end (12 one step ahead, 1 at 12 ahead), the
    recursive row only the one that runs all 12 steps; the report and the page say so, and
    the report no longer says the row's forecasts start at many testing rows. With every
    forecast whole, both are the same forecasts, and the text says that."""
    from engine.testing.analysis import analyze_model
    from engine.testing.report import horizon_counts_text, recursive_label
    from helpers.models import naive_model

    frame = make_seasonal_frame()
    model, _ = naive_model(frame, "difference")
    analysis = analyze_model(model, frame, horizon=12)
    assert list(analysis.horizon_count) == list(range(12, 0, -1))
    assert recursive_label(analysis) == "recursive, 1–12 ahead, 1 origin"
    text = horizon_counts_text(analysis)
    assert text == ("Forecasts from every testing row, cut at the end of the testing part: "
                    "12 at 1 step ahead, 11 at 2, 10 at 3, 9 at 4, 8 at 5, 7 at 6, 6 at 7, "
                    "5 at 8, 4 at 9, 3 at 10, 2 at 11, 1 at 12 (few forecasts: a rough "
                    "figure). The errors table's recursive row counts only the 1 that runs "
                    "all 12 steps.")
    html = report_html(analysis)
    assert escape(text) in html and "started at many testing rows" not in html
    one = analyze_model(model, frame, horizon=1)
    assert horizon_counts_text(one) == ("Each step ahead: the same 12 forecasts as the "
                                        "errors table's recursive row.")


def test_a_one_step_horizon_and_a_one_row_testing_part_are_said_in_the_singular(
        make_seasonal_frame):
    """Forecasts one step long: the report's note on the recursive row and the intervals
    table's head say "1 step", never "1 steps"; a testing part of one row is "1 row from
    row ...", as the page's status says it (:func:`testing_part_text`)."""
    from types import SimpleNamespace

    from engine.testing.analysis import analyze_model
    from engine.testing.report import horizon_counts_text, testing_part_text
    from helpers.models import naive_model

    frame = make_seasonal_frame()
    model, _ = naive_model(frame, "difference", intervals=True)
    html = report_html(analyze_model(model, frame, horizon=1))
    assert "back, 1 step long," in html and "<th>±, 1 step ahead</th>" in html
    assert "1 steps" not in html
    one_row = SimpleNamespace(testing_count=1, start_row=95, start_time="2019-12-01")
    assert testing_part_text(one_row) == "1 row from row 95 (2019-12-01)"
    many = SimpleNamespace(horizon_count=[1200, 1100], horizon_origins=1100,
                           comparator_origins=None)
    assert horizon_counts_text(many).endswith(
        "testing part: 1,200 at 1 step ahead, 1,100 at 2. The errors table's recursive row "
        "counts only the 1,100 that run all 2 steps.")
    whole = SimpleNamespace(horizon_count=[1], horizon_origins=1, comparator_origins=None)
    assert horizon_counts_text(whole).startswith("Each step ahead: the same 1 forecast as ")


def test_a_figure_of_the_pages_and_the_report_reads_as_the_command_line_prints_it():
    """:func:`format_number` keeps trailing zeros as :func:`engine.figures.number` does
    ("4.500" beside "6.123"; it dropped them: "4.5", "6"), and keeps "–" for a missing
    figure and "∞" for an infinite width."""
    from engine.testing.report import format_number

    assert [format_number(v) for v in (4.5, 6, 6.123, 0.9347, 12345.6, 1.0)] == \
        ["4.500", "6.000", "6.123", "0.9347", "12346", "1.000"]
    assert format_number(0.5, 3) == "0.500"
    assert [format_number(v) for v in (None, float("nan"), float("inf"))] == ["–", "–", "∞"]


def test_the_errors_table_tells_an_rmse_from_the_baseline_s_it_is_compared_with():
    """Every figure of the errors table (the network's and the baselines') to one number of
    significant digits: 4, unless two figures that differ read the same to 4."""
    from engine.testing.report import error_digits

    def row(rmse, baseline):
        return ("one step ahead", {"rmse": rmse, "mae": 3.0, "r2": None},
                {"persistence": (baseline, rmse < baseline), "ets": (None, None)})

    assert error_digits([row(4.5, 6.0)])["rmse"] == 4
    assert error_digits([row(1.23441, 1.23449)])["rmse"] == 5
    assert error_digits([row(1.23441, 2.0), row(5.0, 1.23444)])["rmse"] == 6
    assert error_digits([row(1.23441, 2.0), row(5.0, 1.23444)])["mae"] == 4


def _scores(rmse, mape=10.0):
    """:class:`~engine.testing.metrics.Scores` of target y with this RMSE and MAPE."""
    from engine.testing.metrics import Scores

    return Scores(["y"], 12, *(np.array([v]) for v in (rmse, 3.0, mape, 0.5, 0.5, 0.8)))


def _two_row_analysis(recursive_rmse, recursive_ets, recursive_mape):
    """An analysis whose one-step row holds the network's RMSE 6.0 against ETS's 4.5 (the
    verdict's figures, one step ahead) and a MAPE of 12.5012, and whose recursive row the
    figures given."""
    from types import SimpleNamespace

    return SimpleNamespace(
        target_names=["y"], steps=1, forecast_steps=None, period=12, horizon=3,
        horizon_origins=10, comparator_origins=None,
        direct_scores=[_scores(6.0, 12.5012)], direct_baselines=[{"ets": _scores(4.5)}],
        horizon_scores=_scores(recursive_rmse, recursive_mape),
        horizon_pooled={"ets": _scores(recursive_ets)}, subject="the network")


def test_each_measure_takes_its_own_digits_and_the_verdict_those_of_the_rmses():
    """Figures of another measure (two MAPEs that need 5 digits) leave the RMSEs at 4, as
    the verdict quotes them; when the RMSEs themselves need 5 (another row's RMSE beside its
    baseline's), the verdict quotes its two to 5 digits as the table shows them (it said
    "RMSE 4.500 against 6.000" below a table of 4.5000 and 6.0000)."""
    from engine.testing.report import error_cells, error_digits, error_rows, errors_table

    analysis = _two_row_analysis(7.0, 8.0, 12.5049)
    digits = error_digits(error_rows(analysis, 0))
    assert (digits["rmse"], digits["mape"]) == (4, 5)
    (_, one_step, versus), (_, recursive, _) = error_cells(error_rows(analysis, 0), digits)
    assert (one_step[0], one_step[2], recursive[2]) == ("6.000", "12.501", "12.505")
    assert versus["ets"] == ("4.500", False)
    text = errors_table(analysis, 0)
    assert "<td>6.000</td>" in text and 'class="worse">4.500</td>' in text
    assert "(RMSE 4.500 against 6.000)." in text
    analysis = _two_row_analysis(12.5012, 12.5049, 10.0)
    text = errors_table(analysis, 0)
    assert "<td>6.0000</td>" in text and 'class="worse">4.5000</td>' in text
    assert "(RMSE 4.5000 against 6.0000)." in text


def test_the_horizon_table_s_maes_do_not_take_the_rmses_digits():
    """The RMSEs of the report's horizon table beside the baselines' need 5 digits (12.501
    and 12.505); its MAEs keep 4 (they read "3.0000" with them)."""
    from types import SimpleNamespace

    from engine.testing.report import BASELINE_NAMES, horizon_table

    none = {key: None for key in BASELINE_NAMES}
    analysis = SimpleNamespace(
        intervals=None, horizon_count=np.array([5, 5]),
        horizon_rmse=np.array([[12.5012], [13.0]]), horizon_mae=np.array([[3.0], [4.0]]),
        horizon_baselines={**none, "ets": np.array([[12.5049], [14.0]])})
    page = Page()
    page.feed(horizon_table(analysis, 0))
    cells = page.cells
    assert {"12.501", "12.505", "13.000", "3.000", "4.000"} <= set(cells)
    assert "3.0000" not in cells
