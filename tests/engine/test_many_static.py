"""Static inputs of many series: a column with one value per series (a category, or the
series column itself) read one-hot, kept in the model's per-series table, fed to the
network in every row of its series, and learnt from: series whose histories look alike but
whose category tells where they go are forecast apart only with it."""

import io

import numpy as np
import pandas as pd
import pytest

from engine import EngineError
from engine.cli.main import main
from engine.data import load_table
from engine.many.fitting import fit_global
from engine.many.global_model import GlobalSettings
from engine.many.model_file import load_global_model, save_global_model
from engine.many.project_fit import many_series_config, series_of
from engine.many.scaling import SeriesScaling, row_features
from engine.many.series_data import from_frame


def grouped_frame(rows=40):
    """Four series: "p" and "r" in group "north", "q" in "south", "s" in "west"."""
    rng = np.random.default_rng(0)
    groups = {"p": "north", "q": "south", "r": "north", "s": "west"}
    return pd.concat([pd.DataFrame({"id": name, "group": group,
                                    "y": 50 + rng.normal(0, 1, rows)})
                      for name, group in groups.items()], ignore_index=True)


def label_notes(model, frame, path):
    """The notes of a forecast by ``model`` of ``frame`` (written to ``path``) on the
    static labels of the file it does not read."""
    from engine.many.forecasting import forecast_frame

    frame.to_csv(path, index=False)
    return [n for n in forecast_frame(model, path, 1)[1] if "static label" in n]


def test_a_static_column_is_one_hot_per_series_in_sorted_category_order():
    data = from_frame(grouped_frame(), "id", ["y"], statics=["group"])
    assert data.static_names == ["group=north", "group=south", "group=west"]
    assert data.static.tolist() == [[1, 0, 0], [0, 1, 0], [1, 0, 0], [0, 0, 1]]
    assert data.input_names == [] and data.static_columns == ["group"]


def test_the_series_column_itself_can_be_static():
    data = from_frame(grouped_frame(), "id", ["y"], statics=["id"])
    assert data.static_names == ["id=p", "id=q", "id=r", "id=s"]
    np.testing.assert_array_equal(data.static, np.eye(4))


def test_a_static_column_that_changes_within_a_series_or_is_empty_is_refused():
    """Empty cells are refused where the series' other cells disagree or are all empty,
    named with their rows; those of a series whose other cells hold one value are filled
    (the next test)."""
    frame = grouped_frame()
    frame.loc[5, "group"] = "south"                  # series "p" changes group
    with pytest.raises(EngineError, match="changes within series 'p'"):
        from_frame(frame, "id", ["y"], statics=["group"])
    frame.loc[7, "group"] = None                     # and has an empty cell besides
    with pytest.raises(EngineError, match=r"^The static column 'group' is empty in 1 row of "
                                          r"1 series: 'p' \(data row 7, its other rows "
                                          r"hold 'north' and 'south'\)\. A static column "
                                          r"holds one value per series: give every row its "
                                          r"series' value\.$"):
        from_frame(frame, "id", ["y"], statics=["group"])
    frame.loc[5, "group"] = None
    frame.loc[frame["id"] == "s", "group"] = None
    frame.loc[frame["id"] == "q", "group"] = [None] * 2 + ["south"] * 38
    with pytest.raises(EngineError, match=r"empty in 40 rows of 1 series: 's' \(data rows "
                                          r"120 to 159, all 40 rows of it\)\. A static"):
        from_frame(frame, "id", ["y"], statics=["group"])
    with pytest.raises(EngineError, match="two roles"):
        from_frame(grouped_frame(), "id", ["y"], ["group"], statics=["group"])


def test_empty_static_cells_take_the_one_value_of_their_series_and_a_note_says_so():
    """'p' empty in 6 rows, 'q' in 2, each with one value in its other rows: read as if
    filled in, and a note names each series, the column and the value filled."""
    frame = grouped_frame()
    frame.loc[[5, 7, 9, 11, 13, 15], "group"] = None
    frame.loc[frame["id"] == "q", "group"] = [None] * 2 + ["south"] * 38
    data = from_frame(frame, "id", ["y"], statics=["group"])
    whole = from_frame(grouped_frame(), "id", ["y"], statics=["group"])
    assert data.static_names == whole.static_names
    np.testing.assert_array_equal(data.static, whole.static)
    assert data.notes == ["The static column 'group' is empty in 8 rows of 2 series, each "
                          "filled with the value of its other rows: 'p' ('north') and 'q' "
                          "('south')."]


def test_every_row_of_a_series_carries_its_static_values_and_shortening_keeps_them():
    data = from_frame(grouped_frame(), "id", ["y"], statics=["group"])
    n = data.n_series
    scaling = SeriesScaling(np.ones((n, 1), bool), np.ones((n, 1)), np.ones((n, 1)),
                            np.zeros((n, 0)), np.ones((n, 0)), season=1, level_rows=2,
                            static=data.static, static_names=data.static_names)
    features, _, _ = row_features(data, scaling)
    assert features.shape == (len(data.targets), 2 + 3)
    np.testing.assert_array_equal(features[:, 2:], data.static[data.series_of_rows()])
    shorter = data.without_last(39)                      # one row left in each series
    np.testing.assert_array_equal(shorter.static, data.static)
    again = SeriesScaling.from_dict(scaling.to_dict())
    np.testing.assert_array_equal(again.static, data.static)
    assert again.static_names == data.static_names


def drifting_frame(per_group=12, rows=48, seed=0):
    """Random walks around 1000 with a drift of +4 per step in group "up" and -4 in group
    "down"; the steps' noise (sd 20) hides the drift over a short window."""
    rng = np.random.default_rng(seed)
    parts = []
    for group, drift in (("up", 4.0), ("down", -4.0)):
        for k in range(per_group):
            y = 1000 + np.cumsum(drift + rng.normal(0, 20, rows))
            parts.append(pd.DataFrame({"id": f"{group}{k}", "kind": group, "y": y}))
    return pd.concat(parts, ignore_index=True)


def test_the_network_learns_from_the_static_category():
    frame = drifting_frame()
    settings = GlobalSettings(horizon=6, test_last=6, season=1, lookback=2, hidden_sizes=(8,),
                              max_epochs=30, patience=30, learning_rate=3e-3)
    rises = {}
    for statics in ((), ("kind",)):
        data = from_frame(frame, "id", ["y"], statics=statics)
        model = fit_global(data, settings)
        ends = data.lengths - 6
        forecast = model.forecast(data, ends=ends)[0][:, -1, 0]
        start = np.array([data.history(i)[ends[i] - 1] for i in range(data.n_series)])
        up = np.array([name.startswith("up") for name in data.ids])
        rise = forecast - start
        rises[statics] = (rise[up].mean(), rise[~up].mean())
    # with the category, the "up" series are forecast to rise and the "down" ones to fall
    # (the drift over 6 steps is 24 each way); without it, hardly apart
    (up_with, down_with), (up_without, down_without) = rises[("kind",)], rises[()]
    assert up_with > 10 and down_with < -10
    assert abs(up_without - down_without) < (up_with - down_with) / 2


def test_the_model_file_keeps_the_static_table(tmp_path):
    data = from_frame(grouped_frame(), "id", ["y"], statics=["group"])
    model = fit_global(data, GlobalSettings(horizon=2, season=1, hidden_sizes=(3,),
                                            max_epochs=1, static_columns=("group",)))
    save_global_model(tmp_path / "m.npz", model)
    loaded = load_global_model(tmp_path / "m.npz")
    np.testing.assert_array_equal(loaded.scaling.static, data.static)
    assert loaded.scaling.static_names == data.static_names
    # a forecast reads the static values from the model, not from the data file
    plain = from_frame(grouped_frame(), "id", ["y"])
    np.testing.assert_allclose(loaded.forecast(plain)[0], model.forecast(data)[0])


def test_a_categorical_input_of_a_project_is_static(tmp_path):
    path = tmp_path / "grouped.csv"
    grouped_frame().to_csv(path, index=False)
    table = load_table(path)
    config, _ = many_series_config(table, "id", ["y"], inputs=("group",))
    assert config.variable("group").role == "input"
    data = series_of(table, config)
    assert data.static_names == ["group=north", "group=south", "group=west"]
    assert data.input_names == []


def test_fit_static_on_the_command_line_and_backtest_reads_it_again(tmp_path):
    path = tmp_path / "grouped.csv"
    grouped_frame().to_csv(path, index=False)
    model = tmp_path / "m.npz"

    def run(*argv):
        out, err = io.StringIO(), io.StringIO()
        return main([str(a) for a in argv], out=out, err=err), out.getvalue(), err.getvalue()

    status, _, err = run("fit", path, "--series", "id", "--target", "y", "--static", "group",
                         "--test-last", "2", "--horizon", "2", "--season", "1", "--hidden",
                         "3", "--epochs", "2", "--out", model)
    assert status == 0, err
    assert load_global_model(model).scaling.static_names[0] == "group=north"
    status, out, err = run("backtest", model, path, "--origins", "1", "--workers", "0")
    assert status == 0, err
    assert "global network" in out
    status, _, err = run("fit", path, "--target", "y", "--static", "group", "--out", model)
    assert status != 0 and "--static goes with --series" in err


def test_fit_fills_the_empty_static_cells_of_a_series_of_one_value_and_says_so(tmp_path):
    """fit of a file whose 'p' has an empty group cell: the model's static table is that of
    the whole file and fit's notes name the series, the column and the value; a series
    whose group cells are all empty is still refused, named with its rows."""
    from helpers.command_line import run

    frame = grouped_frame()
    frame.loc[[5, 7], "group"] = None
    path, model = tmp_path / "grouped.csv", tmp_path / "m.npz"
    frame.to_csv(path, index=False)
    flags = ["--series", "id", "--target", "y", "--static", "group", "--test-last", "2",
             "--horizon", "2", "--season", "1", "--hidden", "3", "--epochs", "2"]
    status, out, err = run("fit", path, *flags, "--out", model)
    assert status == 0, err
    assert ("The static column 'group' is empty in 2 rows of 1 series, filled with "
            "the value of its other rows: 'p' ('north').") in out.splitlines()
    whole = from_frame(grouped_frame(), "id", ["y"], statics=["group"])
    np.testing.assert_array_equal(load_global_model(model).scaling.static, whole.static)
    frame.loc[frame["id"] == "s", "group"] = None
    frame.to_csv(path, index=False)
    status, _, err = run("fit", path, *flags, "--out", model)
    assert status != 0 and "Traceback" not in err
    assert "is empty in 40 rows of 1 series: 's' (data rows 120 to 159, all 40 rows" in err


def test_a_forecast_says_which_static_labels_of_the_file_it_does_not_read(tmp_path):
    """The model reads each series' static labels from its own table: a file that gives a
    series another label gets a note naming the first three series, the column and both
    labels, and counting the rest; an empty cell is no other label. By the engine call
    and by the command line."""
    from engine.many.forecasting import forecast_frame

    frame = pd.concat([grouped_frame().assign(id=lambda f: f["id"] + str(k))
                       for k in range(2)], ignore_index=True)
    data = from_frame(frame, "id", ["y"], statics=["group"])
    model = fit_global(data, GlobalSettings(horizon=2, hidden_sizes=(4,), max_epochs=2,
                                            lookback=4, static_columns=("group",)))
    path = tmp_path / "groups.csv"
    frame.to_csv(path, index=False)
    assert not [n for n in forecast_frame(model, path, 1)[1] if "static label" in n]
    changed = frame.copy()
    changed.loc[changed["id"] == "q0", "group"] = "east"          # trained: south
    changed.loc[changed["id"] == "p0", "group"] = None            # empty: not a label
    changed.loc[changed["id"].isin(["r0", "s0", "p1", "q1"]), "group"] = "west"
    changed.to_csv(path, index=False)
    notes = [n for n in forecast_frame(model, path, 1)[1] if "static label" in n]
    assert notes == ["The file gives 4 series another static label than the model was "
                     "trained with: 'q0' (group 'east' in the file, trained with 'south'), "
                     "'r0' (group 'west' in the file, trained with 'north'), 'p1' (group "
                     "'west' in the file, trained with 'north') and 1 more. The model reads "
                     "the labels it was trained with, not the file's; to use the file's, "
                     "train it again on this file."]
    save_global_model(tmp_path / "m.npz", model)
    out = io.StringIO()
    assert main(["forecast", str(tmp_path / "m.npz"), str(path), "--steps", "1", "--out",
                 str(tmp_path / "f.csv")], out=out, err=io.StringIO()) == 0
    assert "Note: The file gives 4 series another static label" in out.getvalue()


def test_a_series_whose_labels_differ_in_two_columns_is_named_once(tmp_path):
    """Two static columns: a series that the file labels otherwise in both was named twice
    and the series were counted as pairs of a series and a column ('... and 1 more' for
    two series)."""
    frame = grouped_frame().assign(size=lambda f: np.where(f["id"] == "s", "big", "small"))
    data = from_frame(frame, "id", ["y"], statics=["group", "size"])
    model = fit_global(data, GlobalSettings(horizon=2, hidden_sizes=(4,), max_epochs=2,
                                            lookback=4, static_columns=("group", "size")))
    changed = frame.copy()
    changed.loc[changed["id"] == "q", ["group", "size"]] = ["east", "big"]
    changed.loc[changed["id"] == "r", "size"] = "big"
    notes = label_notes(model, changed, tmp_path / "sizes.csv")
    assert notes == ["The file gives 2 series another static label than the model was "
                     "trained with: 'q' (group 'east' in the file, trained with 'south'; "
                     "size 'big' in the file, trained with 'small') and 'r' (size 'big' in "
                     "the file, trained with 'small'). The model reads the labels it was "
                     "trained with, not the file's; to use the file's, train it again on "
                     "this file."]


def coded_frame(rows=40):
    """The four series of :func:`grouped_frame` with a static code of whole numbers: 1 for
    "p" and "r", 2 for "q", 3 for "s"."""
    codes = {"north": 1, "south": 2, "west": 3}
    return grouped_frame(rows).assign(code=lambda f: f["group"].map(codes))


def test_an_empty_cell_in_a_static_column_of_whole_numbers_keeps_them_whole(tmp_path):
    """A column of codes 1, 2, 3 with an empty cell is read as decimals: its categories,
    the note on the filled cell, a refusal's values and the model file's static table
    are those of the column without the empty cell ('code=2', not 'code=2.0'); a column
    of decimals stays as it is."""
    from helpers.command_line import run

    frame = coded_frame()
    frame.loc[[5, 7], "code"] = None
    whole = from_frame(coded_frame(), "id", ["y"], statics=["code"])
    data = from_frame(frame, "id", ["y"], statics=["code"])
    assert whole.static_names == data.static_names == ["code=1", "code=2", "code=3"]
    np.testing.assert_array_equal(data.static, whole.static)
    assert data.notes == ["The static column 'code' is empty in 2 rows of 1 series, filled "
                          "with the value of its other rows: 'p' ('1')."]
    flags = ["--series", "id", "--target", "y", "--static", "code", "--test-last", "2",
             "--horizon", "2", "--season", "1", "--hidden", "3", "--epochs", "2"]
    models = []
    for name, table in (("whole", coded_frame()), ("gap", frame)):
        table.to_csv(tmp_path / f"{name}.csv", index=False)
        status, _, err = run("fit", tmp_path / f"{name}.csv", *flags, "--out",
                             tmp_path / f"{name}.npz")
        assert status == 0, err
        models.append(load_global_model(tmp_path / f"{name}.npz").scaling)
    assert models[0].static_names == models[1].static_names == whole.static_names
    np.testing.assert_array_equal(models[1].static, models[0].static)
    frame.loc[frame["id"] == "q", "code"] = [np.nan] * 2 + [2] * 30 + [4] * 8
    with pytest.raises(EngineError, match=r"'q' \(data rows 40 and 41, its other rows hold "
                                          r"'2' and '4'\)"):
        from_frame(frame, "id", ["y"], statics=["code"])
    halves = coded_frame().assign(code=lambda f: f["code"] / 2)
    halves.loc[5, "code"] = None
    assert from_frame(halves, "id", ["y"], statics=["code"]).static_names == [
        "code=0.5", "code=1.0", "code=1.5"]


def test_a_forecast_names_a_whole_static_label_of_a_file_with_an_empty_cell_whole(tmp_path):
    """The file's label in the note on labels the model does not read is written as the
    file writes it: '4', not '4.0', when another cell of the column is empty."""
    data = from_frame(coded_frame(), "id", ["y"], statics=["code"])
    model = fit_global(data, GlobalSettings(horizon=2, hidden_sizes=(4,), max_epochs=2,
                                            lookback=4, static_columns=("code",)))
    changed = coded_frame()
    changed.loc[changed["id"] == "q", "code"] = 4
    changed.loc[3, "code"] = None
    notes = label_notes(model, changed, tmp_path / "codes.csv")
    assert notes == ["The file gives 1 series another static label than the model was "
                     "trained with: 'q' (code '4' in the file, trained with '2'). The model "
                     "reads the labels it was trained with, not the file's; to use the "
                     "file's, train it again on this file."]
