"""Empty rows at the end of many series (years not yet published, a country of no values):
the fit, its scores and the plots of step 6 leave them out, so that each series' testing
part is its last N rows with a value, as its forecast starts after its last known value;
the first note says so (the same sentence on the command line, step 2 and step 6)."""

import io

import numpy as np
import pandas as pd

from engine.cli.main import main
from engine.many.evaluation import evaluate_global
from engine.many.fitting import fit_global
from engine.many.global_model import GlobalSettings
from engine.many.project_fit import series_testing
from engine.many.series_data import from_frame, unknown_tails_note
from helpers.many_series import long_frame, seasonal

TINY = dict(hidden_sizes=(4,), max_epochs=2)
NOTE = ("6 rows without a known target at the end of 3 series (2 each) are left out: each "
        "series is tested on the last 4 rows with a value, as its forecast starts after its "
        "last known value.")


def _series():
    return {"a": seasonal(48, 100, 1), "b": seasonal(44, 500, 2), "c": seasonal(40, 50, 3)}


def _with_empty_ends(series, empty=2):
    """``series`` each with ``empty`` empty rows after its values, and a series "none" of
    only empty values."""
    longer = {name: np.r_[values, np.full(empty, np.nan)] for name, values in series.items()}
    return {**longer, "none": np.full(30, np.nan)}


def test_the_testing_part_of_each_series_ends_at_its_last_known_value():
    """Tested on the last 4 rows of series that end with 2 empty rows: every step is scored
    (steps 3 and 4 were empty in every series, so only steps 1 and 2 were), as on the file
    without the empty rows, and the note says why."""
    series = _series()
    settings = GlobalSettings(horizon=4, season=4, lookback=8, test_last=4, seed=3, **TINY)
    plain = from_frame(long_frame(series), "id", ["y"])
    empty = from_frame(long_frame(_with_empty_ends(series)), "id", ["y"])
    model = fit_global(empty, settings)
    again = fit_global(plain, settings)              # the same training rows
    np.testing.assert_allclose(model.forecast(plain)[0], again.forecast(plain)[0])
    evaluation = evaluate_global(model, empty, 4, methods=("naive2",))
    assert evaluation.ids == ["a", "b", "c"] and np.isfinite(evaluation.truths).all()
    np.testing.assert_array_equal(evaluation.truths[0], series["a"][-4:])
    assert evaluation.notes[0] == NOTE == unknown_tails_note(empty, 4)
    expected = evaluate_global(model, plain, 4, methods=("naive2",))
    assert evaluation.summary() == expected.summary()
    views = series_testing(model, empty, 4)
    assert views["a"].start == 44 and len(views["a"].values) == 48
    assert np.isfinite(views["a"].forecast).all()


def test_the_note_counts_the_empty_rows_that_differ_from_series_to_series():
    series = _series()
    series["b"] = np.r_[series["b"], np.full(5, np.nan)]
    data = from_frame(long_frame(series), "id", ["y"])
    assert unknown_tails_note(data, 0) == (
        "5 rows without a known target at the end of 1 series are left out, as a forecast "
        "starts after each series' last known value.")
    series["c"] = np.r_[series["c"], np.nan]
    data = from_frame(long_frame(series), "id", ["y"])
    assert unknown_tails_note(data, 3).startswith(
        "6 rows without a known target at the end of 2 series (1 to 5 each) are left out: "
        "each series is tested on the last 3 rows with a value")
    assert unknown_tails_note(from_frame(long_frame(_series()), "id", ["y"]), 3) is None
    assert "each series is tested on the last row with a value, as its forecast" in \
        unknown_tails_note(data, 1)                  # was "on its last 1 row"


def test_fit_scores_every_step_ahead_and_says_the_empty_rows_are_left_out(tmp_path):
    csv = tmp_path / "empty_ends.csv"
    long_frame(_with_empty_ends(_series())).to_csv(csv, index=False)
    out, err = io.StringIO(), io.StringIO()
    status = main([str(a) for a in (
        "fit", csv, "--series", "id", "--target", "y", "--horizon", 4, "--season", 4,
        "--lookback", 8, "--hidden", 4, "--epochs", 2, "--out", tmp_path / "m.npz")],
        out=out, err=err)
    assert status == 0, err.getvalue()
    text = out.getvalue()
    assert "Testing: the last 4 steps of 3 series" in text
    assert NOTE in text


def test_fit_evaluate_and_forecast_give_one_note_on_the_rows_left_out(tmp_path):
    """Two targets whose series end with 2 empty rows: fit and evaluate said the note under
    each target's scores (twice), and forecast said the same fact in other words and
    counts ("6 rows ... of 3 series were left out" beside "3 series end with 2 rows"); each
    now gives one note, with the rows and the series counted alike."""
    frame = long_frame(_with_empty_ends(_series()))
    frame["z"] = frame["y"] * 2
    csv, model = tmp_path / "two.csv", tmp_path / "m.npz"
    frame.to_csv(csv, index=False)
    left_out = "6 rows without a known target at the end of 3 series (2 each) are left out"
    for command in (["fit", csv, "--series", "id", "--target", "y", "--target", "z",
                     "--horizon", 4, "--season", 4, "--lookback", 8, "--hidden", 4,
                     "--epochs", 2, "--out", model],
                    ["evaluate", model, csv],
                    ["forecast", model, csv, "--steps", 4, "--out", tmp_path / "f.csv"]):
        out, err = io.StringIO(), io.StringIO()
        assert main([str(a) for a in command], out=out, err=err) == 0, err.getvalue()
        text = out.getvalue()
        assert text.count("without a known") == 1 and text.count(left_out) == 1, text
        if command[0] != "forecast":                  # after the targets' own scores
            every = text.split("Every target:\n")[1].splitlines()
            assert f"Target z:" in text and "did best on" in every[0]
            assert every[1].startswith(f"Note: {left_out}")
    assert f"Note: {left_out}: the forecasts start after each series' last known " in text


def test_the_forecast_headline_counts_only_the_series_forecast(tmp_path):
    """A series of only empty values cannot be forecast (a note names it): the first line
    of ``forecast`` (and step 7's) counted it among those forecast."""
    from engine.many.forecasting import forecast_frame, forecast_headline
    from engine.many.model_file import save_global_model

    frame = long_frame(_with_empty_ends(_series()))
    data = from_frame(frame, "id", ["y"])
    model = fit_global(data, GlobalSettings(horizon=3, season=4, lookback=8, **TINY))
    forecast, notes = forecast_frame(model, data, 3)
    bounded = model.interval_words(0.9)         # "with 90% intervals", or why not
    assert forecast_headline(forecast, model) == (
        f"Forecast of 3 steps for 3 series (1 could not be forecast: see the note) {bounded}")
    assert any(note.startswith("1 series could not be forecast") for note in notes)
    plain = from_frame(long_frame(_series()), "id", ["y"])
    assert forecast_headline(forecast_frame(model, plain, 2)[0], model, 0.8) == \
        f"Forecast of 2 steps for 3 series {model.interval_words(0.8)}"
    csv, path = tmp_path / "data.csv", tmp_path / "m.npz"
    frame.to_csv(csv, index=False)
    save_global_model(path, model)
    out, err = io.StringIO(), io.StringIO()
    status = main(["forecast", str(path), str(csv), "--steps", "3", "--out",
                   str(tmp_path / "f.csv")], out=out, err=err)
    assert status == 0, err.getvalue()
    assert out.getvalue().startswith(
        f"Forecast of 3 steps for 3 series (1 could not be forecast: see the note) {bounded}, "
        f"written to {tmp_path / 'f.csv'}")


def test_a_forecast_says_which_target_is_empty_at_the_end_of_the_series_it_cannot_forecast(
        tmp_path):
    """Two targets, y known to the end of every series, z empty in the last 2 rows of "a"
    and "b" (3 in "b") and both empty in the last row of "c": that row is left out, but
    the network cannot read "a" and "b", as the window of their last rows reads z. The note
    said their last values were not known, beside "the forecasts start after each series'
    last known value"; it names z, its rows and what to do. y, known to their last row, was
    left without a forecast too; it gets its own seasonal naive forecast, and z none."""
    series = _series()
    frame = long_frame(series)
    frame["z"] = frame["y"] / 10
    ends = frame.groupby("id").tail(3).index
    frame.loc[ends[[1, 2, 3, 4, 5]], "z"] = np.nan            # a: last 2, b: last 3
    frame.loc[ends[[8]], ["y", "z"]] = np.nan                 # c: its last row
    data = from_frame(frame, "id", ["y", "z"])
    model = fit_global(data, GlobalSettings(horizon=2, season=4, lookback=8, **TINY))
    csv, path = tmp_path / "two.csv", tmp_path / "two.npz"
    frame.to_csv(csv, index=False)
    from engine.many.model_file import save_global_model

    save_global_model(path, model)
    out, err = io.StringIO(), io.StringIO()
    assert main(["forecast", str(path), str(csv), "--steps", "2", "--out",
                 str(tmp_path / "f.csv")], out=out, err=err) == 0, err.getvalue()
    text = out.getvalue()
    assert "1 row without a known target at the end of 1 series is left out" in text
    assert ("Note: 2 series the network could not read, as it reads every target: z is "
            "empty in the last 2 to 3 rows of 2 series (a and b). Each of their targets with "
            "a known last value got its own seasonal naive forecast, without bounds, and the "
            "others none: fill those cells in for the network's forecast, or leave the empty "
            "last rows out of the file to forecast from the row before.") in text
    assert "last values are not known" not in text and "could not be forecast" not in text
    forecast = pd.read_csv(tmp_path / "f.csv")
    a = forecast[forecast["id"] == "a"]
    np.testing.assert_allclose(a["y"], series["a"][[-4, -3]])        # its last season's
    assert a["z"].isna().all() and a["y_lower_90"].isna().all()
