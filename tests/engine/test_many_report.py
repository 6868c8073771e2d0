"""The HTML report of a project of many series: it holds the figures
:func:`~engine.many.evaluation.evaluate_global` gives (every method's sMAPE, MASE and OWA,
the intervals' coverage, the worst series), a histogram of the network's sMAPE and plots
of the worst, a typical and the best series, inside the file; it is written atomically,
and ``rnn-studio report PROJECT.json`` writes it for such a project."""

import builtins
import errno
import io
import os

import pytest

from engine.atomic import stray_temp_files
from engine.cli.main import main
from engine.errors import EngineError
from engine.many.evaluation import evaluate_global, summary_digits
from engine.many.model_file import load_global_model
from engine.many.project_fit import (many_series_config, record_many_fit, series_of,
                                     train_many_project)
from engine.many.report import many_project_report, shown_series, write_many_report
from engine.project.document import load_project, new_project, save_project
from engine.testing.report import format_number, format_share
from helpers.html_page import Page, svg_of
from helpers.many_series import monthly_csv

LENGTHS = {"A": (48, "2018-01-01"), "B": (40, "2018-05-01"), "C": (52, "2017-09-01"),
           "D": (44, "2018-02-01"), "E": (50, "2017-11-01")}


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A trained project of five monthly series with a testing part of 6 rows:
    ``(project path, model path, the engine's evaluation of its model)``."""
    from engine.data import CsvOptions, load_table

    folder = tmp_path_factory.mktemp("many_report")
    data = monthly_csv(folder / "long.csv", LENGTHS)
    project = new_project("Five shops", folder)
    project.set_data_file(data)
    config, _ = many_series_config(load_table(data, CsvOptions(time_column=False)), "id",
                                   ["y"])
    project.data.config = config.with_roles(month="time")
    project.data.config.split.test_last = 6
    project.architecture.hidden_sizes = [4]
    project.training.max_epochs, project.training.members = 3, 1
    fit, model_path = train_many_project(project)
    record_many_fit(project, fit, model_path)
    save_project(project, folder / "shops.json")
    model = load_global_model(model_path)
    evaluation = evaluate_global(model, series_of(project.table(), project.dataset_config()),
                                 6)
    return folder / "shops.json", model_path, evaluation


def _read(path):
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    assert not page.open
    return page


def _row(page, first, width):
    """The ``width`` cells from the cell ``first`` on (a table row)."""
    at = page.cells.index(first)
    return page.cells[at:at + width]


def test_the_report_holds_the_engines_figures(trained, tmp_path):
    path, model_path, evaluation = trained
    target = tmp_path / "report.html"
    testing = many_project_report(load_project(path), target)
    page = _read(target)
    assert "Test results: Five shops" in page.headings
    digits = summary_digits(evaluation.summary().values())     # as the command line's
    for method, scores in evaluation.summary().items():
        assert _row(page, scores["label"], 4) == [scores["label"]] + [
            format_number(scores[key], digits[key]) for key in ("smape", "mase", "owa")], method
    text = target.read_text(encoding="utf-8")
    for key in ("smape", "mase", "owa"):                  # the best of each column is bold
        best = min(scores[key] for scores in evaluation.summary().values())
        assert f'<td class="best">{format_number(best, digits[key])}</td>' in text
    assert evaluation.coverage and testing.evaluation.coverage == evaluation.coverage
    for level, share in evaluation.coverage.items():
        assert _row(page, f"{level:.0%}", 2)[1] == format_share(share)
    worst = evaluation.worst(10)
    assert len(worst) == 5
    for row in worst:
        assert _row(page, str(row["series"]), 5)[1:] == [
            format_number(row[key]) for key in ("smape", "mase", "rmse", "mae")]
    lines = dict(zip(page.cells[::2], page.cells[1::2]))      # the lines under the title
    network = load_global_model(model_path).network           # a tiny fit may keep its start
    assert lines["Network:"].startswith(
        "a linear autoregression (the recurrent part of one GRU of 4 units unused"
        if not network.parameters_.views["head.weight"].any() else "one GRU of 4 units")
    assert lines["Series:"] == "5" and lines["Model:"] == str(model_path)
    model = load_global_model(model_path)
    assert lines["Forecast:"] == f"y, {model.reach()}"
    assert lines["Window:"].startswith(f"the last {model.lookback} rows of each series")
    assert "3 epochs" in lines["Training:"]


def test_the_plots_are_inside_the_file(trained, tmp_path):
    path, _, evaluation = trained
    target = tmp_path / "report.html"
    many_project_report(load_project(path), target)
    text = target.read_text(encoding="utf-8")
    page = _read(target)
    shown = shown_series(evaluation)
    assert [words for words, _ in shown] == ["the worst series",
                                             "a typical series (the median sMAPE)",
                                             "the best series"]
    assert len(page.images) == 1 + len(shown)              # the histogram, then the series
    bars = [e for e in svg_of(page.images[0]["src"]).iter()
            if e.tag.endswith("rect") and e.get("fill") == "#1f77b4"]
    assert len(bars) >= 1
    for image, (words, row) in zip(page.images[1:], shown):
        svg = svg_of(image["src"])
        texts = [t.text or "" for t in svg.iter("{http://www.w3.org/2000/svg}text")]
        assert f"{row['series']}: {words}, sMAPE {format_number(row['smape'])}%, MASE" in \
            " ".join(texts)                     # a percentage, as the tables write it
        assert any(t.startswith("201") for t in texts)        # a date axis
    assert "http" not in text.replace("http://www.w3.org/2000/svg", "")
    assert "<script" not in text


def test_the_report_is_written_atomically(trained, tmp_path, monkeypatch):
    """A write that fails partway through (the disk full after half the report) leaves the
    previous report as it was, and no temporary file."""
    path, _, _ = trained
    from engine.many.project_testing import test_many_series

    project = load_project(path)
    testing = test_many_series(project.model_file(), project.table(),
                               project.dataset_config())
    target = tmp_path / "report.html"
    target.write_text("the previous report", encoding="utf-8")
    written = []

    class DiskFullHalfway:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return self.handle.__exit__(*exc)

        def write(self, text):
            self.handle.write(text[:len(text) // 2])
            self.handle.flush()
            written.append(os.path.getsize(self.handle.name))
            raise OSError(errno.ENOSPC, "No space left on device")

    def open_disk_full(file, *args, **kwargs):
        return DiskFullHalfway(builtins.open(file, *args, **kwargs))

    monkeypatch.setattr("engine.atomic.open", open_disk_full, raising=False)
    with pytest.raises(EngineError, match="No space left on device"):
        write_many_report(testing, target)
    assert written and written[0] > 1000                # the temporary file was half full
    assert target.read_text(encoding="utf-8") == "the previous report"
    assert stray_temp_files(tmp_path) == []
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_report_on_the_command_line_for_a_project_of_many_series(trained, tmp_path):
    path, model_path, evaluation = trained
    target = tmp_path / "out.html"
    out, err = io.StringIO(), io.StringIO()
    assert main(["report", str(path), "--out", str(target)], out, err) == 0, err.getvalue()
    assert "Report written to" in out.getvalue()
    network = evaluation.summary()["network"]
    smape = format_number(network["smape"], summary_digits(evaluation.summary().values())["smape"])
    assert _row(_read(target), network["label"], 2)[1] == smape
    given = tmp_path / "given.html"
    assert main(["report", str(path), "--model", str(model_path), "--out", str(given)],
                out, err) == 0, err.getvalue()
    assert _row(_read(given), network["label"], 2)[1] == smape
    err = io.StringIO()
    assert main(["report", str(path), "--out", str(tmp_path / "no" / "r.html")],
                io.StringIO(), err) == 1
    assert err.getvalue().count("\n") == 1 and "Could not save" in err.getvalue()


def test_a_training_whose_start_was_kept_says_so(trained):
    from engine.many.report import model_details

    model = load_global_model(trained[1])
    record = {"epochs": 6, "best_epoch": 0, "seconds": 40}
    said = model_details(model, record)["Training"]
    assert said.startswith("6 epochs (best: the start, ") and "epoch 0" not in said
    assert ", as no epoch had a lower selection error) on " in said
    assert model_details(model, {**record, "best_epoch": 4})["Training"].startswith(
        "6 epochs (best: epoch 4) on ")


def test_series_plots_shade_no_interval_that_is_unknown(trained):
    """Too few selection windows leave the 90% interval unknown (NaN bounds): the series'
    plots then draw no band and no legend entry for it, and the note under them says
    there is none; with known bounds both are there."""
    from dataclasses import replace

    from engine.many.project_testing import test_many_series
    from engine.many.report import target_html

    project = load_project(trained[0])
    testing = test_many_series(project.model_file(), project.table(),
                               project.dataset_config())
    nan = float("nan")
    unknown = {name: replace(view, lower=view.lower * nan, upper=view.upper * nan)
               for name, view in testing.views.items()}
    for views, shaded in ((testing.views, True), (unknown, False)):
        text = target_html(testing.evaluation, views, "month")
        page = Page()
        page.feed(text)
        legends = [" ".join(t.text or "" for t in svg_of(image["src"]).iter(
            "{http://www.w3.org/2000/svg}text")) for image in page.images[1:]]
        assert len(legends) == 3
        assert all(("'s 90% interval" in words) == shaded for words in legends)
        assert ("shaded its 90% interval" in text) == shaded
        assert ("without an interval (the 90% interval is unknown)" in text) != shaded


def test_series_plots_name_the_linear_autoregression_where_it_was_kept(trained):
    """Where the fit kept no recurrent part the plots' legend and the note under them said
    "network" and "red: the network's forecast" of the linear autoregression's."""
    from dataclasses import replace

    from engine.many.project_testing import test_many_series
    from engine.many.report import target_html

    project = load_project(trained[0])
    testing = test_many_series(project.model_file(), project.table(),
                               project.dataset_config())
    kept = replace(testing.evaluation, network_label="linear autoregression")
    text = target_html(kept, testing.views, "month")
    assert "red: the linear autoregression's forecast from the row before them" in text
    page = Page()
    page.feed(text)
    legends = [" ".join(t.text or "" for t in svg_of(image["src"]).iter(
        "{http://www.w3.org/2000/svg}text")) for image in page.images[1:]]
    assert legends and all("linear autoregression" in words and "network" not in words
                           for words in legends)


def test_a_window_read_row_by_row_is_said_in_counted_words(trained):
    """A window of 4 rows read one row a step: "read 1 row a step" (never "1 rows")."""
    from engine.many.report import model_details

    model = load_global_model(trained[1])
    model.lookback, model.fold = 4, 1
    assert model_details(model)["Window"].startswith(
        "the last 4 rows of each series, read 1 row a step")


def test_the_series_plots_name_their_time_column_on_the_x_axis(trained, tmp_path):
    """The plots of the worst, a typical and the best series label their x axis with the
    time column ("month"), as step 7 and the data do (it said "time"); row numbers without
    one ("row")."""
    from engine.many.project_testing import test_many_series
    from engine.many.report import target_html

    path = trained[0]
    many_project_report(load_project(path), tmp_path / "report.html")
    page = _read(tmp_path / "report.html")
    svg = "{http://www.w3.org/2000/svg}text"
    labels = [[t.text for t in svg_of(image["src"]).iter(svg)] for image in page.images[1:]]
    assert len(labels) == 3
    assert all("month" in texts and "time" not in texts for texts in labels)
    project = load_project(path)
    testing = test_many_series(project.model_file(), project.table(),
                               project.dataset_config())
    page = Page()
    page.feed(target_html(testing.evaluation, testing.views, None))
    labels = [[t.text for t in svg_of(image["src"]).iter(svg)] for image in page.images[1:]]
    assert all("row" in texts and "month" not in texts for texts in labels)


@pytest.mark.parametrize("owas, offer", [
    ({"network": 1.2, "naive2": 1.0, "seasonal_naive": 0.9, "theta": 1.1},
     "You can use its forecast instead: Deploy > Forecast > Method, or rnn-studio forecast "
     "MODEL DATA.csv --method seasonal_naive --steps N --out FORECAST.csv."),
    ({"network": 1.02, "naive2": 1.0, "seasonal_naive": 1.1, "theta": 1.05},
     "But Naive2 (OWA 1.000) does better than the network. You can use its forecast instead: "
     "Deploy > Forecast > Method, or rnn-studio forecast MODEL DATA.csv --method naive2 "
     "--steps N --out FORECAST.csv."),
    ({"network": 0.9, "naive2": 1.0, "seasonal_naive": 1.1, "theta": 1.05}, None)])
def test_the_report_says_how_to_use_the_forecast_of_a_method_that_beat_the_network(
        trained, tmp_path, monkeypatch, owas, offer):
    from html import unescape

    from engine.many.comparators import LABELS
    from engine.many.evaluation import SeriesEvaluation, beats_sentence
    from engine.many.report import many_report_html

    path, _, _ = trained
    testing = many_project_report(load_project(path), tmp_path / "report.html")
    summary = {name: {**row, "owa": owas[name], "label": LABELS[name]}    # a network's
               for name, row in testing.evaluation.summary().items()}
    monkeypatch.setattr(SeriesEvaluation, "summary", lambda self: summary)
    text = unescape(many_report_html(testing))
    verdict = beats_sentence(summary)
    assert f"<p>{verdict}" in text
    if offer:
        assert f"<p>{verdict} {offer}</p>" in text
    else:
        assert f"<p>{verdict}</p>" in text and "--method" not in text
        assert "Deploy > Forecast > Method" not in text


def test_without_an_owa_the_report_offers_the_method_of_lowest_mase(trained, tmp_path,
                                                                    monkeypatch):
    """Every series' testing values all 0 (no method has an OWA): the report's verdict
    compares MASE and offers the forecast of the method that beat the network, Naive2
    under its MASE (it offered nothing)."""
    from html import unescape

    from engine.many.comparators import LABELS
    from engine.many.evaluation import SeriesEvaluation, beats_sentence
    from engine.many.report import many_report_html

    path, _, _ = trained
    testing = many_project_report(load_project(path), tmp_path / "report.html")
    mases = {"network": 1.2, "naive2": 1.1, "seasonal_naive": 1.3, "theta": 1.25}
    summary = {name: {**row, "smape": None, "owa": None, "mase": mases[name],
                      "label": LABELS[name]}
               for name, row in testing.evaluation.summary().items()}
    monkeypatch.setattr(SeriesEvaluation, "summary", lambda self: summary)
    text = unescape(many_report_html(testing))
    verdict = beats_sentence(summary)
    assert verdict.startswith("The network's MASE is 1.200 (compared by MASE: ")
    assert (f"<p>{verdict} But Naive2 (MASE 1.100) does better than the network. You can "
            "use its forecast instead: Deploy > Forecast > Method, or rnn-studio forecast "
            "MODEL DATA.csv --method naive2 --steps N --out FORECAST.csv.</p>") in text


def test_the_reports_command_names_the_model_and_data_files_it_tested(trained, tmp_path,
                                                                      monkeypatch):
    """``rnn-studio report`` writes the model and data files into the command that uses
    the forecast of a method that beat the network, quoted for a shell (it wrote MODEL
    and DATA.csv); a report written without them keeps those words."""
    import shlex
    import shutil
    from html import unescape

    from engine.many.evaluation import SeriesEvaluation
    from engine.many.report import many_report_html

    path, model_path, evaluation = trained
    summary = {name: {**row, "owa": {"naive2": 0.9}.get(name, 1.2)}
               for name, row in evaluation.summary().items()}
    monkeypatch.setattr(SeriesEvaluation, "summary", lambda self: summary)
    given = tmp_path / "my models" / "shops' model.npz"
    given.parent.mkdir()
    shutil.copy(model_path, given)
    target = tmp_path / "out.html"
    assert main(["report", str(path), "--model", str(given), "--out", str(target)],
                io.StringIO(), io.StringIO()) == 0
    data = load_project(path).data_file()
    command = (f"rnn-studio forecast {shlex.quote(str(given))} {shlex.quote(str(data))} "
               "--method naive2 --steps N --out FORECAST.csv.")
    text = unescape(target.read_text(encoding="utf-8"))
    assert command in text and "MODEL" not in text and "DATA.csv" not in text
    assert main(["report", str(path), "--out", str(target)], io.StringIO(),
                io.StringIO()) == 0
    assert (f"rnn-studio forecast {shlex.quote(str(model_path))} "
            f"{shlex.quote(str(data))} --method naive2") in unescape(
        target.read_text(encoding="utf-8"))
    testing = many_project_report(load_project(path), tmp_path / "other.html")
    assert "rnn-studio forecast MODEL DATA.csv --method naive2" in unescape(
        many_report_html(testing))


def test_the_scores_table_and_the_spread_keep_trailing_zeros_as_the_command_line(
        monkeypatch):
    """The report's table of scores prints Naive2's OWA "1.000" (it read "1") and every
    figure to as many digits as the command line's table, each measure to its own
    (Theta's OWA 1.0004 beside Naive2's 1 gives the OWAs five, not the sMAPEs and MASEs);
    the spread of the sMAPE to 3 digits with trailing zeros ("4.50%", it read "4.5%")."""
    from engine.many.evaluation import SeriesEvaluation, spread_sentence
    from engine.many.report import scores_table

    summary = {"network": {"label": "global network", "smape": 12.5, "mase": 0.9,
                           "owa": 0.61},
               "naive2": {"label": "Naive2", "smape": 19.0, "mase": 2.131, "owa": 1.0},
               "theta": {"label": "Theta", "smape": 20.65, "mase": 1.0004, "owa": 1.0004}}
    text = scores_table(summary)
    for cell in ("12.50", "0.9000", "0.61000", "19.00", "2.131", "1.000", "1.0000",
                 "1.0004"):
        assert f">{cell}</td>" in text, cell
    summary["theta"].update(mase=2.347, owa=1.094)
    text = scores_table(summary)
    for cell in ("12.50", "0.9000", "0.6100", "19.00", "1.000", "1.094"):
        assert f">{cell}</td>" in text, cell
    monkeypatch.setattr(SeriesEvaluation, "spread", lambda self: {0.1: 0.5, 0.5: 4.5,
                                                                  0.9: 12.0})
    evaluation = SeriesEvaluation.__new__(SeriesEvaluation)
    monkeypatch.setattr("engine.many.evaluation.network_subject",
                        lambda scores, capital=False: "The network")
    assert spread_sentence(evaluation) == ("The network's sMAPE is below 0.500% on 10% of "
                                           "the series, below 4.50% on half of them, below "
                                           "12.0% on 90%.")
    nan = float("nan")                     # every series tested on zeros: no sMAPE at all
    monkeypatch.setattr(SeriesEvaluation, "spread", lambda self: {0.1: nan, 0.5: nan,
                                                                  0.9: nan})
    assert spread_sentence(evaluation) == ("No series has an sMAPE: the testing values of "
                                           "every series are all 0.")
