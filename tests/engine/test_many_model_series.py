"""The series of a file beside those a model of many series was trained on: a new series is
left out of the forecast, the scores and the predictions of the others, and named; a series
the model was trained on that the file lacks is named; a series that ends before the others
is named with where its forecast starts."""

import json

import numpy as np
import pandas as pd
import pytest

from engine.errors import EngineError
from engine.many.model_file import load_global_model
from engine.many.series_data import from_frame
from engine.words import some_named
from helpers.command_line import run
from helpers.many_series import long_frame, seasonal


def _frame(series, start="2024-01-01"):
    """A long frame of ``series`` (id -> values), daily times from ``start``, each series'
    last row on the same day unless its values end sooner."""
    times = {name: pd.date_range(start, periods=len(values), freq="D")
             for name, values in series.items()}
    return long_frame(series, times)


def _three():
    return {"a": seasonal(48, 100, 1), "b": seasonal(48, 500, 2), "c": seasonal(48, 50, 3)}


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    folder = tmp_path_factory.mktemp("model_series")
    path = folder / "base.csv"
    frame = _frame(_three())
    frame.to_csv(path, index=False)
    model = folder / "global.npz"
    status, _, err = run("fit", path, "--series", "id", "--target", "y", "--time", "t",
                         "--test-last", "4", "--season", "4", "--hidden", "4", "--epochs",
                         "2", "--out", model)
    assert status == 0, err
    return folder, frame, path, model


def _with_new(frame, names):
    """``frame`` and a copy of series c under each of ``names``."""
    c = frame[frame["id"] == "c"]
    return pd.concat([frame] + [c.assign(id=name) for name in names], ignore_index=True)


def test_some_named_names_a_few_and_counts_the_rest():
    assert some_named(["a"]) == "a"
    assert some_named(["a", "b", "c"]) == "a, b and c"
    assert some_named(["a", "b", "c", "d", "e"]) == "a, b, c and 2 more"


def test_a_new_series_is_left_out_of_the_forecast_and_named(trained):
    folder, frame, path, model = trained
    new = folder / "new.csv"
    _with_new(frame, ["NEW"]).to_csv(new, index=False)
    status, out, err = run("forecast", model, new, "--steps", "3", "--out", folder / "f.csv")
    assert status == 0, err
    assert out.startswith("Forecast of 3 steps for 3 series")
    assert ("Note: 1 series in the data is new to the model: NEW; it has no forecast. A "
            "global model forecasts the series it was trained on: train it again with this "
            "series to forecast it.") in out
    run("forecast", model, path, "--steps", "3", "--out", folder / "base_f.csv")
    pd.testing.assert_frame_equal(pd.read_csv(folder / "f.csv"),
                                  pd.read_csv(folder / "base_f.csv"))


def test_many_new_series_are_named_a_few_and_counted(trained):
    folder, frame, _, model = trained
    new = folder / "many_new.csv"
    _with_new(frame, ["n1", "n2", "n3", "n4", "n5"]).to_csv(new, index=False)
    status, out, err = run("forecast", model, new, "--steps", "2", "--out", folder / "f5.csv")
    assert status == 0, err
    assert ("5 series in the data are new to the model: n1, n2, n3 and 2 more; they have no "
            "forecast.") in out
    assert "train it again with these series to forecast them." in out


def test_a_new_series_is_left_out_of_the_scores_and_named(trained):
    folder, frame, path, model = trained
    new = folder / "new_scores.csv"
    _with_new(frame, ["NEW"]).to_csv(new, index=False)
    status, out, err = run("evaluate", model, new, "--json")
    assert status == 0, err
    report = json.loads(out)
    assert report["series_scored"] == 3
    assert report["notes"][0].startswith("1 series in the data is new to the model: NEW; it "
                                         "is not scored.")
    _, base, _ = run("evaluate", model, path, "--json")
    assert report["summary"] == json.loads(base)["summary"]
    status, out, _ = run("evaluate", model, new)
    assert status == 0 and "Note: 1 series in the data is new to the model: NEW" in out


def test_a_new_series_keeps_its_rows_without_predictions(trained):
    folder, frame, path, model = trained
    new = folder / "new_predict.csv"
    _with_new(frame, ["NEW"]).to_csv(new, index=False)
    status, out, err = run("predict", model, new, "--out", folder / "p.csv")
    assert status == 0, err
    assert out.startswith(f"Wrote {len(frame) + 48:,} rows of 4 series to {folder / 'p.csv'}, "
                          "the rows of 3 of them each with its predictions ")
    assert ("Note: 1 series in the data is new to the model: NEW; its rows are written "
            "without predictions.") in out
    run("predict", model, path, "--out", folder / "base_p.csv")
    predicted, base = pd.read_csv(folder / "p.csv"), pd.read_csv(folder / "base_p.csv")
    assert len(predicted) == len(base) + 48
    assert predicted[predicted["id"] == "NEW"].filter(like="_predicted_").isna().all().all()
    pd.testing.assert_frame_equal(predicted[predicted["id"] != "NEW"], base)


def test_predict_matches_the_files_series_to_the_models_once(trained, monkeypatch):
    """The rows written and the note on the new series come from one matching of the
    file's series to the model's."""
    from engine.many.global_model import GlobalModel
    from engine.many.predicting import write_predictions

    folder, frame, _, model = trained
    new = folder / "new_once.csv"
    _with_new(frame, ["NEW"]).to_csv(new, index=False)
    matchings, match = [], GlobalModel.known_series
    monkeypatch.setattr(GlobalModel, "known_series",
                        lambda self, data: matchings.append(data.ids) or match(self, data))
    written = write_predictions(load_global_model(model), str(new), folder / "once.csv")
    assert matchings == [["a", "b", "c", "NEW"]]
    assert (written.series, written.predicted) == (4, 3)
    assert written.notes[0].startswith("1 series in the data is new to the model: NEW; its "
                                       "rows are written without predictions.")


def test_a_file_of_new_series_only_is_refused(trained):
    folder, frame, _, model = trained
    other = folder / "other.csv"
    frame.assign(id=frame["id"] + "x").to_csv(other, index=False)
    for argv in (("forecast", model, other, "--steps", "2", "--out", folder / "o.csv"),
                 ("evaluate", model, other), ("predict", model, other, "--out",
                                                  folder / "o.csv")):
        status, _, err = run(*argv)
        assert status == 1
        assert ("The model was trained on 3 series; all 3 series in the data are new to it "
                "(ax, bx and cx). A global model forecasts, scores and predicts the series "
                "it was trained on; train it again with these series.") in err


def test_the_model_leaves_out_the_series_new_to_it(trained):
    _, frame, _, model = trained
    model = load_global_model(model)
    data = from_frame(_with_new(frame, ["NEW"]), "id", ["y"], time_column="t")
    known, new, missing = model.known_series(data)
    assert (known.ids, new, missing) == (["a", "b", "c"], ["NEW"], [])
    assert known.n_series == 3 and len(known.targets) == 3 * 48
    with pytest.raises(EngineError) as refused:
        model.series_numbers(data)
    assert str(refused.value) == ("The model was trained on 3 series; 1 in the data is new to "
                                  "it (NEW). A global model forecasts, scores and predicts the "
                                  "series it was trained on; train it again with this series.")
    lacking = from_frame(frame[frame["id"] != "b"], "id", ["y"], time_column="t")
    assert model.known_series(lacking)[1:] == ([], ["b"])
    one = from_frame(long_frame({"zz": seasonal(20)}), "id", ["y"])
    with pytest.raises(EngineError, match="the one series in the data is new to it \\(zz\\)"):
        model.known_series(one)


def test_a_series_the_model_was_trained_on_missing_from_the_file_is_named(trained):
    folder, frame, _, model = trained
    missing = folder / "missing.csv"
    frame[frame["id"] != "c"].to_csv(missing, index=False)
    note = "1 series the model was trained on is not in the data: c; "
    status, out, err = run("forecast", model, missing, "--steps", "2", "--out",
                           folder / "m.csv")
    assert status == 0, err
    assert out.startswith("Forecast of 2 steps for 2 series")
    assert f"Note: {note}it has no forecast." in out
    status, out, err = run("forecast", model, missing, "--steps", "2", "--method", "theta",
                           "--out", folder / "mt.csv")
    assert status == 0 and f"Note: {note}it has no forecast." in out
    status, out, _ = run("evaluate", model, missing, "--json")
    assert f"{note}it is not scored." in json.loads(out)["notes"]
    status, out, _ = run("predict", model, missing, "--out", folder / "mp.csv")
    assert status == 0 and "not in the data" not in out     # a batch of a few series
    status, out, _ = run("forecast", model, folder / "base.csv", "--steps", "2", "--out",
                         folder / "all.csv")
    assert "not in the data" not in out and "new to the model" not in out


def test_a_series_that_ends_before_the_others_is_named_with_where_its_forecast_starts(
        trained):
    folder, frame, _, model = trained
    early = folder / "early.csv"
    days = frame.groupby("id").cumcount()
    frame[~((frame["id"] == "a") & (days >= 43)) & ~((frame["id"] == "b") & (days >= 47))
          ].to_csv(early, index=False)
    note = ("1 series ends more than one time step before the latest series, whose forecast "
            "starts at 2024-02-18: a (from 2024-02-13). Each series is forecast from its own "
            "last row, so its forecast covers earlier times than the others'; to forecast it "
            "over the same times, add its later rows to the file.")
    for method in ("network", "naive2"):
        status, out, err = run("forecast", model, early, "--steps", "2", "--method", method,
                               "--out", folder / "e.csv")
        assert status == 0, err
        assert f"Note: {note}" in out
        forecast = pd.read_csv(folder / "e.csv")
        assert forecast.loc[forecast["id"] == "a", "t"].tolist() == ["2024-02-13",
                                                                     "2024-02-14"]
    status, out, _ = run("forecast", model, folder / "base.csv", "--steps", "2", "--out",
                         folder / "e.csv")
    assert "before the latest series" not in out
    emptied = folder / "emptied.csv"                   # its rows there, its last values not
    tail = frame.copy()
    tail.loc[(tail["id"] == "a") & (days >= 43), "y"] = np.nan
    tail.to_csv(emptied, index=False)
    status, out, err = run("forecast", model, emptied, "--steps", "2", "--out",
                           folder / "e.csv")
    assert status == 0, err
    assert "before the latest series" not in out and "empty" in out     # named so instead
