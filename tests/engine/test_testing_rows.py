"""fit, evaluate, the testing analysis and the report score the same testing rows, for
both split kinds and horizons 1, 3 and 6."""

import contextlib
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from engine.cli.main import main
from engine.testing.evaluation import evaluate_file, row_runs, runs_rows
from engine.testing.report import project_report
from engine.testing.analysis import analyze_project
from helpers.projects import trained_project

AIRLINE = Path(__file__).parents[2] / "resources" / "examples" / "airline_passengers.csv"
ROWS, LOOKBACK, TEST_FROM_ROW = 144, 12, 108        # 1958-01-01 is data row 108


def fitted(folder, method, horizon):
    """A project on the airline data fitted for a few epochs with this split and horizon;
    returns ``(project, model path, FitResult)``."""
    def random_split(project):
        project.data.config.split.method = "random"

    project, _, result = trained_project(
        AIRLINE, folder, ["passengers"], change=random_split if method == "random" else None,
        horizon=horizon, lookback=LOOKBACK, max_epochs=3, seed=0,
        test_from=None if method == "random" else "1958-01-01")
    return project, project.model_file(), result


def expected_rows(method, horizon, result):
    """The testing rows worked out by hand: chronological, the rows from the testing start
    (the selection windows end before it) without the last H-1 (no complete window
    predicts them); random, 20% of the 133-H windows' first target rows."""
    if method == "chronological":
        return np.arange(TEST_FROM_ROW, ROWS - horizon + 1)
    windows = ROWS - LOOKBACK - horizon + 1
    rows = result.prepared.anchors["testing"] + 1
    assert len(rows) == round(0.2 * windows)
    return rows


@pytest.mark.parametrize("method", ["chronological", "random"])
@pytest.mark.parametrize("horizon", [1, 3, 6])
def test_fit_evaluate_analysis_and_report_score_the_same_rows(tmp_path, method, horizon):
    project, model, result = fitted(tmp_path, method, horizon)
    rows = expected_rows(method, horizon, result)
    fit = result.scores["testing"]
    assert fit.count == len(rows)

    evaluation = evaluate_file(model, AIRLINE)
    np.testing.assert_array_equal(evaluation.rows, rows)
    error = evaluation.predicted - evaluation.truth
    assert evaluation.scores.rmse[0] == pytest.approx(np.sqrt(np.mean(error ** 2)))
    assert evaluation.scores.count == fit.count
    assert evaluation.scores.rmse[0] == pytest.approx(fit.rmse[0], rel=1e-9)

    analysis = analyze_project(project)
    assert analysis.testing_count == fit.count
    assert analysis.one_step_scores.count == fit.count
    assert analysis.one_step_scores.rmse[0] == pytest.approx(fit.rmse[0], rel=1e-9)
    predicted = np.isfinite(analysis.one_step_predicted[:, 0])
    np.testing.assert_array_equal(analysis.rows[predicted], rows)

    html = project_report(project, tmp_path / "report.html").read_text(encoding="utf-8")
    assert f"{fit.count} rows from row {rows[0]}" in html


def test_cli_evaluate_reports_the_testing_rows_of_a_random_split(tmp_path):
    _, model, result = fitted(tmp_path, "random", 1)
    out = io.StringIO()
    assert main(["evaluate", str(model), str(AIRLINE), "--json"], out=out) == 0
    report = json.loads(out.getvalue())
    fit = result.scores["testing"]
    assert report["count"] == fit.count
    assert report["targets"]["passengers"]["rmse"] == pytest.approx(fit.rmse[0], rel=1e-9)
    assert report["analysis"]["rows"] == fit.count


def test_evaluate_from_a_row_after_a_random_split_scores_its_testing_rows_only(tmp_path):
    """After a random split the rows from ``--from`` on hold training and selection rows
    between the testing rows: only the testing rows are scored, one step ahead, by
    horizon and in the analysis, and the output says so."""
    project, model, result = fitted(tmp_path, "random", 1)
    rows = expected_rows("random", 1, result)
    kept = rows[rows >= 120]
    evaluation = evaluate_file(model, AIRLINE, start=120)
    np.testing.assert_array_equal(evaluation.rows, kept)
    assert evaluation.start_row == kept[0]
    assert any(f"only the {len(kept)} testing rows are scored" in note
               for note in evaluation.notes)
    horizon = evaluate_file(model, AIRLINE, start=120, horizon=2)
    assert set(horizon.rows) <= set(kept)
    out = io.StringIO()
    assert main(["evaluate", str(model), str(AIRLINE), "--from", "120", "--json"],
                out=out) == 0
    report = json.loads(out.getvalue())
    assert report["count"] == len(kept) == report["analysis"]["rows"]
    # from the last testing rows on, one run of consecutive rows: still said
    run_start = int(rows[np.flatnonzero(np.diff(rows) > 1)[-1] + 1])
    late = evaluate_file(model, AIRLINE, start=run_start - 1)
    assert np.all(np.diff(late.rows) == 1) and late.start_row == run_start
    assert any(f"only the {len(late.rows)} testing row" in note for note in late.notes)


def test_evaluate_from_past_the_last_testing_row_of_a_random_split_says_so(tmp_path):
    _, model, result = fitted(tmp_path, "random", 3)
    last = expected_rows("random", 3, result)[-1]
    assert last < ROWS - 1
    err = io.StringIO()
    assert main(["evaluate", str(model), str(AIRLINE), "--from", str(last + 1)],
                out=io.StringIO(), err=err) == 1
    assert f"the last of them is row {last}: none is left from row {last + 1} on" \
        in err.getvalue()
    assert "Give an earlier --from." in err.getvalue()


def test_after_a_random_split_the_output_says_how_few_rows_fit_the_comparators(tmp_path):
    """The comparators are fitted on the rows before the first scored row, few after a
    random split (19 on airline: no linear model); the command line says so."""
    _, model, result = fitted(tmp_path, "random", 1)
    first = int(expected_rows("random", 1, result)[0])
    out = io.StringIO()
    assert main(["evaluate", str(model), str(AIRLINE)], out=out) == 0
    assert (f"comparators (ETS, Theta, linear AR) are fitted on the {first} rows before the "
            "first scored row only") in out.getvalue()
    assert "split the data chronologically" in out.getvalue()


def test_row_runs_round_trip():
    rows = np.array([3, 4, 5, 9, 11, 12])
    assert row_runs(rows) == [[3, 5], [9, 9], [11, 12]]
    np.testing.assert_array_equal(runs_rows(row_runs(rows)), rows)
    assert row_runs([]) == [] and runs_rows([]).size == 0


def test_evaluate_refuses_a_recursive_forecast_over_the_rows_of_a_random_split(tmp_path):
    """The testing rows of a random split lie among training and selection rows: a forecast
    from the first to the last was scored on all of them (124 rows for 26 testing rows).
    ``evaluate --recursive`` refuses as step 6 does, and says why and what to do;
    ``--horizon`` scores the testing rows only."""
    project, model, result = fitted(tmp_path, "random", 1)
    rows = expected_rows("random", 1, result)
    out, err = io.StringIO(), io.StringIO()
    assert main(["evaluate", str(model), str(AIRLINE), "--recursive"], out=out, err=err) == 1
    message = err.getvalue()
    assert "drawn at random among the others (a random split)" in message
    assert "training and selection rows between them" in message
    assert "--horizon H" in message and "\"chronological\"" in message
    assert out.getvalue() == ""
    horizon = evaluate_file(model, AIRLINE, horizon=3)
    scored = horizon.rows[np.isfinite(horizon.truth[:, 0])]
    assert set(scored) <= set(rows) and horizon.scores.count == len(scored)
    assert horizon.scores.count < 3 * horizon.origins
    notes = analyze_project(project).notes
    assert any(note.startswith("The testing rows were drawn at random") for note in notes)


def test_evaluate_by_horizon_after_a_random_split_counts_and_times_the_testing_rows(
        tmp_path):
    """The forecasts of ``--horizon`` from a random split's testing rows reach the training
    and selection rows between them: those are not scored, nor among the evaluation's rows
    and times, nor counted as empty targets (here two emptied training rows, reached by
    forecasts, and one emptied testing row: one is counted)."""
    import pandas as pd

    _, model, result = fitted(tmp_path, "random", 1)
    rows = expected_rows("random", 1, result)
    between = [r for r in rows + 1 if r not in rows and r + 1 < ROWS][:2]
    frame = pd.read_csv(AIRLINE)
    frame.loc[between + [rows[3]], "passengers"] = np.nan
    holed = tmp_path / "holed.csv"
    frame.to_csv(holed, index=False)
    evaluation = evaluate_file(model, holed, horizon=3)
    assert set(evaluation.rows) <= set(rows)
    assert evaluation.scores.count == np.isfinite(evaluation.truth[:, 0]).sum()
    assert list(evaluation.times) == list(pd.to_datetime(frame["month"])[evaluation.rows])
    assert evaluation.filled == 1


def test_a_chronological_testing_part_with_a_gap_in_time_is_no_random_split(tmp_path):
    """Three months missing in the testing part leave a hole in its rows: step 6 took it
    for a random split (no recursive forecast), and so would ``evaluate --recursive``;
    the forecast from the testing start runs up to the gap."""
    import pandas as pd

    csv = tmp_path / "gap.csv"
    pd.read_csv(AIRLINE).drop(index=[125, 126, 127]).to_csv(csv, index=False)
    project, _, result = trained_project(csv, tmp_path, ["passengers"], lookback=LOOKBACK,
                                         max_epochs=2, seed=0, test_from="1958-01-01")
    model = project.model_file()
    assert len(result.testing_part()["rows"]) == 2                    # a hole in the rows
    evaluation = evaluate_file(model, csv, recursive=True)
    assert evaluation.start_row == TEST_FROM_ROW and evaluation.scores.count == 17
    analysis = analyze_project(project)
    assert analysis.recursive_scores.count == 17
    assert not any("drawn at random" in note for note in analysis.notes)


def a_month_later(folder):
    """The airline file a month later, as an export of the latest 144 months gives it: its
    first month dropped and a January 1961 added, as many rows as the file fitted on."""
    lines = AIRLINE.read_text(encoding="utf-8").splitlines()
    path = Path(folder) / "a_month_later.csv"
    path.write_text("\n".join([lines[0], *lines[2:], "1961-01-01,450"]) + "\n",
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("how", [["--test-from", "1958-01-01"], ["--test-last", "24"]])
def test_another_file_of_as_many_rows_is_scored_from_the_testing_start_in_time(tmp_path, how):
    """Both were scored on the row numbers recorded for the model's own file: from
    1958-02 (and 1959-02), a month of the testing part left out, a month later scored."""
    model = str(tmp_path / "air.npz")
    assert main(["fit", str(AIRLINE), "--target", "passengers", *how, "--lookback", "12",
                 "--epochs", "3", "--seed", "0", "--out", model]) == 0
    first = "1958-01-01" if how[0] == "--test-from" else "1959-01-01"
    own = evaluate_file(model, AIRLINE)
    assert str(own.times[0])[:10] == first
    later = a_month_later(tmp_path)
    evaluation = evaluate_file(model, later)
    assert str(evaluation.times[0])[:10] == first
    assert len(evaluation.rows) == len(own.rows) + 1 and evaluation.rows[0] == own.rows[0] - 1
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["evaluate", model, str(later), "--json"]) == 0
    scored = json.loads(out.getvalue())
    assert scored["from_time"] == scored["analysis"]["from_time"] == first
    assert scored["count"] == scored["analysis"]["rows"] == len(evaluation.rows)


@pytest.mark.parametrize("offset", ["+01:00", "-05:00"])
def test_times_written_with_an_offset_are_scored_from_the_row_fit_tested_from(tmp_path,
                                                                                offset):
    """The first tested time was recorded in UTC without its offset, and read back on the
    data's clocks: evaluate scored its own file from an hour (five hours: a day) off."""
    times = pd.date_range("2023-01-01", periods=200, freq="h" if offset == "+01:00" else "D")
    values = np.round(10 + np.sin(np.arange(200) / 4), 4)
    lines = ["time,load"] + [f"{t.strftime('%Y-%m-%dT%H:%M:%S')}{offset},{v}"
                             for t, v in zip(times, values)]
    path = tmp_path / "zoned.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    model = str(tmp_path / "zoned.npz")
    assert main(["fit", str(path), "--target", "load", "--test-last", "30", "--lookback",
                 "12", "--epochs", "2", "--seed", "0", "--out", model]) == 0
    evaluation = evaluate_file(model, path)
    assert evaluation.rows[0] == 170 and len(evaluation.rows) == 30
    later = tmp_path / "later.csv"                      # the first row dropped
    later.write_text("\n".join([lines[0], *lines[2:]]) + "\n", encoding="utf-8")
    assert evaluate_file(model, later).rows[0] == 169


def test_a_random_split_model_scores_another_file_after_the_last_row_it_saw(tmp_path):
    """Fitted with a random split on the first 120 months, then evaluated on all 144: the
    testing rows of its own file lie among those it was trained on, so another file is
    scored from the first month later than the last it was trained or selected on (it
    was scored from its first testing month on, training months included), and the
    output says so; the analysis starts there too. A file with no later month is scored
    on every row, as said."""
    short = tmp_path / "first120.csv"
    pd.read_csv(AIRLINE).iloc[:120].to_csv(short, index=False)

    def random_split(project):
        project.data.config.split.method = "random"

    project, _, result = trained_project(short, tmp_path, ["passengers"],
                                         change=random_split, lookback=LOOKBACK,
                                         max_epochs=2, seed=0)
    seen = np.concatenate([result.prepared.target_rows(p).ravel()
                           for p in ("training", "selection")])
    last = int(seen.max())
    assert result.testing_part()["first_time"]["time"] < "1957"
    evaluation = evaluate_file(project.model_file(), AIRLINE)
    np.testing.assert_array_equal(evaluation.rows, np.arange(last + 1, ROWS))
    month = pd.read_csv(AIRLINE)["month"][last]
    assert any(f"the rows from row {last + 1} on are scored: those later than the last it "
               f"was trained or selected on ({month}" in note for note in evaluation.notes)
    out = io.StringIO()
    assert main(["evaluate", str(project.model_file()), str(AIRLINE), "--json"],
                out=out) == 0
    report = json.loads(out.getvalue())
    assert report["count"] == ROWS - last - 1 == report["analysis"]["rows"]
    own = evaluate_file(project.model_file(), short)       # its own file: its testing rows
    np.testing.assert_array_equal(own.rows, result.prepared.target_rows("testing")[:, 0])
    older = tmp_path / "first100.csv"
    pd.read_csv(AIRLINE).iloc[:100].to_csv(older, index=False)
    every = evaluate_file(project.model_file(), older)
    assert every.rows[0] == LOOKBACK and any("holds no time later than the last row" in n
                                            for n in every.notes)


def test_evaluate_test_last_scores_the_rows_fit_tested_with_several_steps_ahead(tmp_path):
    """A model of 3 steps ahead tested from 1958-01 (the last 36 rows): fit scores 34 of
    them, as no complete window predicts the last 2 one step ahead. ``evaluate --test-last
    36`` and ``--from 1958-01-01`` scored all 36 (other figures than the fit's, which the
    guide says they equal); now the fit's rows, and the output says why the last 2 are
    not scored. Another file is scored from there on as before."""
    _, model, result = fitted(tmp_path, "chronological", 3)
    rows = expected_rows("chronological", 3, result)
    fit = result.scores["testing"]
    for start in ({"row": TEST_FROM_ROW}, "1958-01-01"):
        evaluation = evaluate_file(model, AIRLINE, start=start)
        np.testing.assert_array_equal(evaluation.rows, rows)
        assert evaluation.scores.rmse[0] == pytest.approx(fit.rmse[0], rel=1e-9)
        assert "The last 2 rows are not scored, as the fit left them out of its testing " \
            "part: no complete window of 3 steps ahead predicts them." in evaluation.notes
    out = io.StringIO()
    assert main(["evaluate", str(model), str(AIRLINE), "--test-last", "36", "--json"],
                out=out) == 0
    report = json.loads(out.getvalue())
    assert report["count"] == fit.count == report["analysis"]["rows"] == len(rows)
    later = tmp_path / "later.csv"
    pd.read_csv(AIRLINE).iloc[1:].to_csv(later, index=False)     # another file: as before
    other = evaluate_file(model, later, start="1958-01-01")
    assert other.rows[0] == TEST_FROM_ROW - 1 and other.rows[-1] == ROWS - 2
    assert not any("The last 2 rows" in note for note in other.notes)
