"""Rolling-origin backtesting of a global model (engine.many.backtest): the series cut
before each origin (SeriesSet.without_last), each fold scored on exactly the block after
its origin and never reading a row after it, the folds latest first with their mean, the
same folds on the local process pool, and ``rnn-studio backtest`` of a global model."""

import io
import json
import multiprocessing
import re

import numpy as np
import pytest

import engine.many.backtest as backtest
from engine.errors import EngineError
from engine.many import evaluation, fitting
from engine.many.backtest import (MAX_ORIGINS, backtest_global, fold_data, most_origins,
                                  run_fold)
from engine.many.global_model import GlobalSettings
from engine.many.series_data import from_frame
from engine.testing.report import format_number
from helpers.figures import reads
from helpers.many_series import long_frame, seasonal
from helpers.command_line import run

H, T = 3, 4                     # horizon, testing rows
SETTINGS = dict(horizon=H, test_last=T, season=4, lookback=8, hidden_sizes=(4,),
                max_epochs=2, batch_size=32, learning_rate=0.01, seed=0)
LENGTHS = {"a": 48, "b": 44, "c": 40}
METHODS = ["network", "naive2", "seasonal_naive", "theta"]
FIGURES = ("smape", "mase", "owa")


def _series():
    """Three series of :data:`LENGTHS` rows at levels 100, 500 and 50."""
    return {name: seasonal(n, level, seed) for (name, n), level, seed in
            zip(LENGTHS.items(), (100, 500, 50), (1, 2, 3))}


def _data(series=None):
    return from_frame(long_frame(series or _series()), "id", ["y"])


def _poisoned(first):
    """The series with every row from row ``n - first`` of each (``n`` its length) on
    multiplied by a million."""
    series = _series()
    for name, values in series.items():
        values[len(values) - first:] *= 1e6
    return _data(series)


def _block(values, origin):
    """The rows a fold of ``origin`` scores: ``n - T - k H .. n - T - (k-1) H - 1``."""
    n = len(values)
    return values[n - T - origin * H:n - T - (origin - 1) * H]


class Seen:
    """What the folds fitted and scored: run_fold's calls of fit_global and
    evaluate_global, recorded."""

    def __init__(self, monkeypatch):
        self.fits, self.evaluations = [], []
        fit, evaluate = fitting.fit_global, evaluation.evaluate_global

        def fit_and_keep(data, settings, *args, **kwargs):
            model = fit(data, settings, *args, **kwargs)
            self.fits.append((data, settings, model))
            return model

        def evaluate_and_keep(*args, **kwargs):
            result = evaluate(*args, **kwargs)
            self.evaluations.append(result)
            return result

        monkeypatch.setattr(fitting, "fit_global", fit_and_keep)
        monkeypatch.setattr(evaluation, "evaluate_global", evaluate_and_keep)


@pytest.fixture(scope="module")
def two_origins():
    """``(result, seen)``: backtest_global of two origins, one after the other here."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        seen = Seen(monkeypatch)
        result = backtest_global(_data(), GlobalSettings(**SETTINGS), origins=2)
    return result, seen


# -- SeriesSet.without_last -----------------------------------------------------------------

def _with_times_and_a_gap():
    """Series a (5 rows), b (3 rows) and c (7 rows, a gap in time after its 3rd row); the
    value of row t of series k is 100 k + t, its input 1000 k + t."""
    series = {"a": 100 + np.arange(5.0), "b": 200 + np.arange(3.0),
              "c": 300 + np.arange(7.0)}
    times = {"a": np.arange(5), "b": np.arange(3), "c": np.r_[0, 1, 2, 6, 7, 8, 9]}
    frame = long_frame(series, times)
    frame["x"] = frame["y"] + 900
    return from_frame(frame, "id", ["y"], inputs=["x"], time_column="t")


def test_without_last_drops_the_last_rows_of_every_series_with_their_times_and_segments():
    data = _with_times_and_a_gap()
    assert data.segment.tolist() == [0] * 5 + [1] * 3 + [2] * 3 + [3] * 4
    assert any("1 gap in time" in note for note in data.notes)
    cut = data.without_last(2)
    assert cut.ids == ["a", "b", "c"]
    assert cut.lengths.tolist() == [3, 1, 5]
    assert cut.starts.tolist() == [0, 3, 4, 9]
    assert cut.targets[:, 0].tolist() == [100, 101, 102, 200, 300, 301, 302, 303, 304]
    assert cut.inputs[:, 0].tolist() == (cut.targets[:, 0] + 900).tolist()
    assert cut.times.tolist() == [0, 1, 2, 0, 0, 1, 2, 6, 7]
    assert cut.segment.tolist() == [0, 0, 0, 1, 2, 2, 2, 3, 3]
    assert cut.notes == data.notes and cut.notes is not data.notes
    assert (cut.target_names, cut.input_names, cut.time_column) == (["y"], ["x"], "t")
    assert data.lengths.tolist() == [5, 3, 7]                    # the data stay whole


def test_without_last_leaves_out_the_series_it_empties_with_their_ids():
    data = _with_times_and_a_gap()
    cut = data.without_last(3)              # b has exactly 3 rows
    assert cut.ids == ["a", "c"]
    assert cut.lengths.tolist() == [2, 4]
    assert cut.starts.tolist() == [0, 2, 6]
    assert cut.targets[:, 0].tolist() == [100, 101, 300, 301, 302, 303]
    assert cut.times.tolist() == [0, 1, 0, 1, 2, 6]
    assert cut.segment.tolist() == [0, 0, 2, 2, 2, 3]
    assert cut.series_of_rows().tolist() == [0, 0, 1, 1, 1, 1]
    assert [cut.history(i).tolist() for i in range(2)] == [[100, 101],
                                                           [300, 301, 302, 303]]
    shorter = data.without_last(6)           # a (5 rows) goes too
    assert shorter.ids == ["c"] and shorter.targets[:, 0].tolist() == [300]
    assert shorter.times.tolist() == [0] and shorter.segment.tolist() == [2]
    none = data.without_last(0)
    assert none.ids == data.ids and none.targets.tolist() == data.targets.tolist()


# -- the folds ------------------------------------------------------------------------------

def test_each_fold_fits_before_its_origin_and_scores_the_block_after_it(two_origins):
    result, seen = two_origins
    series = _series()
    assert [fold["origin"] for fold in result["origins"]] == [1, 2]
    assert len(seen.fits) == len(seen.evaluations) == 2
    for k, (fold, (data, settings, _), scored) in enumerate(
            zip(result["origins"], seen.fits, seen.evaluations), start=1):
        # the fold's series end H rows after its origin n - T - k H ...
        assert data.lengths.tolist() == [n - T - (k - 1) * H for n in LENGTHS.values()]
        assert settings.test_last == H and settings.horizon == H
        # ... and it is scored on those H rows, from the rows before the origin
        assert scored.ids == list(LENGTHS) and scored.steps == H
        for i, values in enumerate(series.values()):
            np.testing.assert_array_equal(scored.truths[i], _block(values, k))
            n = len(values)
            np.testing.assert_array_equal(scored.histories[i], values[:n - T - k * H])
        assert fold["series_scored"] == 3
        assert fold["summary"] == scored.summary()
    # the latest origin comes first: its block lies H rows after the second's
    assert _block(series["a"], 1)[0] == series["a"][LENGTHS["a"] - T - H]


@pytest.mark.parametrize("origin", [1, 2])
def test_a_fold_never_reads_the_rows_after_its_origin(origin, monkeypatch):
    settings = GlobalSettings(**SETTINGS)
    runs = {}
    for name, data in (("clean", _data()),
                       # every row after the fold's block
                       ("after", _poisoned(T + (origin - 1) * H)),
                       # the block itself and every row after it
                       ("block", _poisoned(T + origin * H)),
                       # and the fold's selection rows and its last training row
                       ("before", _poisoned(T + origin * H + H + 1))):
        seen = Seen(monkeypatch)
        fold = run_fold((data, settings), {"origin": origin}, None)
        (_, _, model), = seen.fits
        scored, = seen.evaluations
        runs[name] = (fold, model.network.state_dict(), scored)
    clean_fold, clean_weights, clean = runs["clean"]
    after_fold, after_weights, _ = runs["after"]
    assert after_fold == clean_fold                         # bit for bit
    for key, value in clean_weights.items():
        np.testing.assert_array_equal(after_weights[key], value)
    # the block's values change the truths only: the same weights and forecasts
    _, block_weights, block = runs["block"]
    for key, value in clean_weights.items():
        np.testing.assert_allclose(block_weights[key], value, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(block.truths, clean.truths * 1e6, rtol=1e-12)
    for method in METHODS:
        np.testing.assert_allclose(block.forecasts[method], clean.forecasts[method],
                                   rtol=1e-6)
    # the test would see a fold that trains on a row it must not
    _, before_weights, before = runs["before"]
    assert max(np.abs(before_weights[key] - value).max()
               for key, value in clean_weights.items()) > 1e-3
    assert np.abs(before.forecasts["naive2"] - clean.forecasts["naive2"]).max() > 1e3


def test_fold_data_drops_the_testing_part_and_the_later_blocks():
    data = _data()
    settings = GlobalSettings(**SETTINGS)
    for origin in (1, 2, 5):
        fold = fold_data(data, settings, origin)
        assert fold.lengths.tolist() == [n - T - (origin - 1) * H for n in LENGTHS.values()]
    # origin 12 leaves c (40 rows) no row: it is left out with its id
    fold = fold_data(data, settings, 13)
    assert fold.ids == ["a", "b"] and fold.lengths.tolist() == [48 - 40, 44 - 40]


# -- the result -----------------------------------------------------------------------------

def test_the_mean_is_the_mean_of_the_folds_figures(two_origins):
    result, _ = two_origins
    folds = result["origins"]
    assert len(folds) == 2 and list(result["mean"]) == METHODS
    for method in METHODS:
        mean = result["mean"][method]
        assert mean["label"] == folds[0]["summary"][method]["label"]
        for key in FIGURES:
            first, second = (fold["summary"][method][key] for fold in folds)
            assert np.isfinite(first) and np.isfinite(second)
            assert mean[key] == pytest.approx((first + second) / 2, rel=1e-12)
    assert folds[0]["summary"]["network"]["smape"] != folds[1]["summary"]["network"]["smape"]


def _made_up_fold(context, spec, task):
    """A fold of origin k whose figures are k, 10 k and 100 k for every method."""
    k = spec["origin"]
    return {"origin": k, "series_scored": 1, "notes": [],
            "summary": {m: {"label": m.upper(), "smape": k, "mase": 10.0 * k,
                            "owa": 100.0 * k} for m in ("network", "naive2")}}


def test_the_most_origins_are_run_latest_first_and_averaged(monkeypatch):
    monkeypatch.setattr(backtest, "run_fold", _made_up_fold)
    result = backtest_global(None, GlobalSettings(**SETTINGS), origins=MAX_ORIGINS)
    assert [fold["origin"] for fold in result["origins"]] == list(range(1, MAX_ORIGINS + 1))
    mean_k = (MAX_ORIGINS + 1) / 2
    for method in ("network", "naive2"):
        assert result["mean"][method] == {"smape": mean_k, "mase": 10 * mean_k,
                                          "owa": 100 * mean_k, "label": method.upper()}
        # the median of 1 .. 20 is 10.5 as well: a runaway origin shows where they part
        assert result["median"][method] == result["mean"][method]


def _runaway_fold(context, spec, task):
    fold = _made_up_fold(context, spec, task)
    if spec["origin"] == 3:
        fold["summary"]["network"].update(smape=1e6, mase=1e7, owa=1e8)
    return fold


def test_the_median_over_origins_is_not_decided_by_a_runaway_origin(monkeypatch):
    monkeypatch.setattr(backtest, "run_fold", _runaway_fold)
    result = backtest_global(None, GlobalSettings(**SETTINGS), origins=3)
    assert result["median"]["network"] == {"smape": 2.0, "mase": 20.0, "owa": 200.0,
                                           "label": "NETWORK"}
    assert result["mean"]["network"]["owa"] == pytest.approx((100 + 200 + 1e8) / 3)


@pytest.mark.parametrize("origins", [0, -1, MAX_ORIGINS + 1])
def test_origins_outside_one_to_the_most_are_refused(origins, monkeypatch):
    folds = []
    monkeypatch.setattr(backtest, "run_fold", lambda *args: folds.append(args))
    with pytest.raises(EngineError, match=rf"^--origins must be between 1 and {MAX_ORIGINS}; "
                                          rf"got {origins}\.$"):
        backtest_global(_data(), GlobalSettings(**SETTINGS), origins=origins)
    assert folds == []


def test_the_process_pool_gives_the_same_folds(two_origins):
    here, _ = two_origins
    pooled = backtest_global(_data(), GlobalSettings(**SETTINGS), origins=2, workers=2)
    assert not multiprocessing.active_children()
    assert [fold["origin"] for fold in pooled["origins"]] == [1, 2]
    for got, expected in zip(pooled["origins"], here["origins"]):
        assert (got["series_scored"], got["notes"]) == (expected["series_scored"],
                                                        expected["notes"])
        for method in METHODS:
            for key in FIGURES:
                assert got["summary"][method][key] == pytest.approx(
                    expected["summary"][method][key], rel=1e-6)
    for method in METHODS:
        for key in FIGURES:
            assert pooled["mean"][method][key] == pytest.approx(here["mean"][method][key],
                                                                rel=1e-6)


# -- the command line -----------------------------------------------------------------------

FIT = ["--series", "id", "--target", "y", "--season", "4", "--horizon", str(H),
       "--test-last", str(T), "--lookback", "8", "--hidden", "4", "--epochs", "2"]


@pytest.fixture(scope="module")
def fitted(tmp_path_factory):
    """``(data path, model path)`` of a global model fitted on the command line."""
    folder = tmp_path_factory.mktemp("backtest")
    data, model = folder / "long.csv", folder / "global.npz"
    long_frame(_series()).to_csv(data, index=False)
    status, _, err = run("fit", data, *FIT, "--out", model)
    assert status == 0, err
    return data, model


def test_backtest_json_of_a_global_model_gives_the_origins_and_their_mean(fitted):
    data, model = fitted
    status, out, err = run("backtest", model, data, "--origins", "2", "--json")
    assert status == 0, err
    result = json.loads(out)
    assert [fold["origin"] for fold in result["origins"]] == [1, 2]
    assert list(result["mean"]) == METHODS
    for method in METHODS:
        for key in FIGURES:
            figures = [fold["summary"][method][key] for fold in result["origins"]]
            assert result["mean"][method][key] == pytest.approx(np.mean(figures), rel=1e-12)


def test_a_backtest_without_a_testing_part_says_its_origins_end_the_series(tmp_path):
    """It said "before the testing part (the last 0 steps of every series)"."""
    data, model = tmp_path / "long.csv", tmp_path / "global.npz"
    long_frame(_series()).to_csv(data, index=False)
    untested = [("0" if item == str(T) and FIT[k - 1] == "--test-last" else item)
                for k, item in enumerate(FIT)]
    status, _, err = run("fit", data, *untested, "--out", model)
    assert status == 0, err
    status, out, err = run("backtest", model, data, "--origins", "1")
    assert status == 0, err
    assert out.splitlines()[0] == (f"1 origin of {H} steps at the end of every series (no "
                                   "testing part):")


def test_backtest_text_of_a_global_model_has_a_row_per_origin_and_method(fitted):
    data, model = fitted
    status, out, err = run("backtest", model, data, "--origins", "2")
    assert status == 0, err
    lines = out.splitlines()
    assert lines[0] == (f"2 origins of {H} steps before the testing part (the last {T} "
                        "steps of every series):")
    assert lines[1].split() == ["origin", "method", "sMAPE", "%", "MASE", "OWA"]
    rows = [line.split()[0] for line in lines[2:14]]
    assert rows == ["1"] * 4 + ["2"] * 4 + ["mean"] * 4
    status, out, _ = run("backtest", model, data, "--origins", "2", "--json")
    result = json.loads(out)
    means = result["mean"]
    labels = [row["label"] for fold in result["origins"] + [{"summary": means}]
              for row in fold["summary"].values()]
    assert labels[1:4] == ["Naive2", "seasonal naive", "Theta"]
    assert [line[11:33].strip() for line in lines[2:14]] == labels
    mean = means["naive2"]
    assert reads(lines[11].split()[-3:], [mean["smape"], mean["mase"], mean["owa"]])
    assert "median" not in rows                            # two origins: no median
    subject = "the network" if means["network"]["label"] == "global network" else \
        "the linear autoregression"         # as a training that kept its start is named
    owa = format_number(means["network"]["owa"], evaluation.summary_digits(means.values())["owa"])
    assert lines[14].startswith(f"Over the origins, {subject}'s mean OWA is {owa}: it ")


def test_backtest_text_from_three_origins_adds_the_medians(fitted, monkeypatch):
    data, model = fitted
    monkeypatch.setattr(backtest, "run_fold", _runaway_fold)
    status, out, err = run("backtest", model, data, "--origins", "3", "--workers", "0")
    assert status == 0, err
    rows = [line.split() for line in out.splitlines()[2:]]
    assert [row[0] for row in rows] == ["1"] * 2 + ["2"] * 2 + ["3"] * 2 + ["mean"] * 2 + \
        ["median"] * 2
    assert rows[-2][-3:] == ["2.000", "20.00", "200.0"]       # the network's median


def test_a_project_of_many_series_backtests_as_its_model_file_does(fitted):
    """``backtest PROJECT.json DATA.csv`` of the project ``fit --series`` wrote beside the
    model fits the window the model was fitted with: the same folds and figures as
    ``backtest MODEL DATA.csv``, after a line that says which window."""
    data, model = fitted
    project = model.with_suffix(".json")
    both = [run("backtest", source, data, "--origins", "2", "--workers", "0", *json_flag)
            for json_flag in ((), ("--json",)) for source in (project, model)]
    assert [status for status, _, _ in both] == [0] * 4, [err for _, _, err in both]
    (_, project_text, _), (_, model_text, _) = both[:2]
    assert json.loads(both[2][1]) == json.loads(both[3][1])
    first, *rest = project_text.splitlines()
    assert first.startswith("Window: lookback 8, ")
    assert first.endswith(", as the project's model was fitted (its fit chose it).")
    assert rest == model_text.splitlines()


def test_a_project_whose_model_is_out_of_date_backtests_its_own_settings(fitted, tmp_path):
    """A project changed since its fit backtests its own settings: its lookback in steps of
    its season, every step at once, and says that a fit chooses these otherwise."""
    data, model = fitted
    document = json.loads(model.with_suffix(".json").read_text())
    document["data"]["path"] = str(data)
    document["training"]["max_epochs"] = 1                     # the model is out of date
    project = tmp_path / "changed.json"
    project.write_text(json.dumps(document))
    status, out, err = run("backtest", project, data, "--origins", "1", "--workers", "0")
    assert status == 0, err
    lines = out.splitlines()
    assert lines[0] == (
        "Window: lookback 8, 2 steps of 4 rows, every step at once, from the project's "
        "settings: the project has no model fitted with its settings as they are, so the "
        "window, the training windows per series and the weights' average are the "
        "defaults, not what a fit chooses on its backtest (rnn-studio fit --project "
        f"{project} --out MODEL, then backtest the project again, to backtest those).")
    assert lines[1] == (f"1 origin of {H} steps before the testing part (the last {T} "
                        "steps of every series):")


def test_fit_of_two_members_on_two_processes_says_they_are_averaged(fitted, tmp_path):
    data, _ = fitted
    model = tmp_path / "pair.npz"
    status, out, err = run("fit", data, *FIT, "--members", "2", "--workers", "2",
                           "--out", model)
    assert status == 0, err
    assert "Network: 2 networks averaged, each GRU hidden [4]" in out
    assert "2 networks averaged" in out.split("Training: ")[1]
    assert not multiprocessing.active_children()


def test_negative_workers_are_refused_like_one_series_backtest_refuses_them(fitted,
                                                                          monkeypatch):
    """A backtest and an ensemble's fit of many series ran in this process with
    ``--workers -1``; a backtest of one series refuses it."""
    data, model = fitted
    folds = []
    monkeypatch.setattr(backtest, "run_fold", lambda *args: folds.append(args))
    words = "The number of workers must be 0 (this process) or more; got -1."
    status, _, err = run("backtest", model, data, "--origins", "2", "--workers", "-1")
    assert status != 0 and err.strip() == f"rnn-studio backtest: error: {words}"
    with pytest.raises(EngineError, match=re.escape(words)):
        backtest_global(_data(), GlobalSettings(**SETTINGS), origins=2, workers=-1)
    assert folds == []
    monkeypatch.setattr(fitting, "train_member", lambda *args: folds.append(args))
    status, _, err = run("fit", data, *FIT, "--members", "2", "--workers", "-1",
                         "--out", model.parent / "never.npz")
    assert status != 0 and err.strip() == f"rnn-studio fit: error: {words}"
    with pytest.raises(EngineError, match=re.escape(words)):
        fitting.fit_global(_data(), GlobalSettings(**SETTINGS, members=2), workers=-1)
    assert folds == [] and not (model.parent / "never.npz").exists()


def test_most_origins_is_where_the_next_fold_would_fail():
    data = _data()
    settings = GlobalSettings(**SETTINGS)
    most = most_origins(data, settings)
    assert 1 <= most < MAX_ORIGINS
    run_fold((data, settings), {"origin": most}, None)
    with pytest.raises(EngineError, match="No series has"):
        run_fold((data, settings), {"origin": most + 1}, None)


def test_each_target_keeps_its_own_count_of_series_scored():
    """A second target missing in the block of one series: that series is scored on the
    first target and left out of the second's figures, and each target says so."""
    from engine.many.backtest import of_target

    frame = long_frame(_series())
    frame["z"] = frame["y"] / 2 + 3
    frame.loc[frame.index[frame["id"] == "c"][-(T + H):], "z"] = np.nan
    data = from_frame(frame, "id", ["y", "z"])
    fold = run_fold((data, GlobalSettings(**SETTINGS)), {"origin": 1}, None)
    assert fold["series_by_target"] == {"y": 3, "z": 2}
    result = {"origins": [fold], "targets": {"y": {"mean": {}}, "z": {"mean": {}}}}
    assert of_target(result, "y")["origins"][0]["series_scored"] == 3
    assert of_target(result, "z")["origins"][0]["series_scored"] == 2


def test_each_origin_done_is_reported_with_the_time_left(monkeypatch):
    from engine.many.folds import OriginsDone
    from engine.tasks import TaskState

    monkeypatch.setattr(backtest, "run_fold", _made_up_fold)
    reports, stages = [], []
    backtest_global(None, GlobalSettings(**SETTINGS), origins=3,
                    task=TaskState(on_step=reports.append, on_stage=stages.append))
    assert stages == ["Fitting 3 origins on this process"]
    assert [(r.done, r.total, r.side_by_side) for r in reports] == [(1, 3, 1), (2, 3, 1),
                                                                   (3, 3, 1)]
    assert reports[-1].text == "Backtest: all 3 origins done"
    # one after the other: the origins left at the pace so far
    assert OriginsDone(1, 3, 60.0).left == 120.0
    assert OriginsDone(1, 3, 60.0).text == ("Backtest: 1 of the 3 origins done, about "
                                            "2:00 left")
    # two side by side: two done in 60 s, one left at that pace (a free worker takes the
    # next origin at once: no rounds), never "0:00" while one still fits
    assert OriginsDone(2, 3, 60.0, 2).left == 30.0
    assert OriginsDone(3, 4, 120.0, 2).left == 40.0
    # the estimate falls as origins end at a steady pace (it rose after each round)
    lefts = [OriginsDone(done, 5, 50.0 * done, 2).left for done in (2, 3, 4)]
    assert lefts == sorted(lefts, reverse=True) and lefts[-1] == 50.0


def test_no_time_left_is_given_before_as_many_origins_ended_as_fit_side_by_side():
    """Three origins side by side said "about 0:00 left" once the first had ended, the
    other two still fitting."""
    from engine.many.folds import OriginsDone

    assert OriginsDone(1, 3, 200.0, 3).left is None
    assert OriginsDone(1, 3, 200.0, 3).text == "Backtest: 1 of the 3 origins done"
    assert OriginsDone(2, 3, 200.0, 3).left is None
    assert OriginsDone(1, 3, 60.0, 2).left is None


def test_the_origins_done_are_counted_in_words():
    """`backtest --origins 1` ended on "Backtest: all 1 origins done"."""
    from engine.many.folds import OriginsDone

    assert OriginsDone(1, 1, 5.0).text == "Backtest: the one origin done"
    assert OriginsDone(3, 3, 5.0, 3).text == "Backtest: all 3 origins done"


def test_a_stop_is_heard_while_the_origins_fit_side_by_side():
    """The folds of a pool were gathered one ``result()`` after the other: a stop waited
    for every origin to end."""
    from concurrent.futures import Future

    from engine.many.folds import collect_folds
    from engine.tasks import Cancelled, TaskState

    task = TaskState()

    class Busy:                       # a pool whose folds never end until stopped
        workers = 2

        def submit(self, spec):
            if spec["origin"] == 2:
                task.cancel()
            return Future()

    with pytest.raises(Cancelled):
        collect_folds(Busy(), 2, task)


def test_a_stop_during_the_last_fold_in_this_process_keeps_nothing():
    """The last fold's training caught the stop and the fold was scored: the backtest
    ended as if finished, on a fit cut short."""
    from concurrent.futures import Future

    from engine.many.folds import collect_folds
    from engine.tasks import Cancelled, TaskState

    task = TaskState()

    class ThisProcess:                # folds fitted at their submit; Stop during the last
        workers = 1

        def submit(self, spec):
            if spec["origin"] == 2:
                task.cancel()
            future = Future()
            future.set_result({"origin": spec["origin"]})
            return future

    with pytest.raises(Cancelled):
        collect_folds(ThisProcess(), 2, task)


def test_a_note_of_some_targets_only_names_them():
    """A fold's notes of several targets, each once: one that only some targets give
    names them (two notes of different counts read as if of one target)."""
    from types import SimpleNamespace

    from engine.many.backtest import targets_notes

    sales = SimpleNamespace(target="sales", notes=["Shared.", "2 series were not scored."])
    returns = SimpleNamespace(target="returns", notes=["Shared.", "1 series was not scored."])
    assert targets_notes([sales, returns]) == [
        "Shared.", "sales: 2 series were not scored.", "returns: 1 series was not scored."]
    assert targets_notes([sales]) == sales.notes


def test_a_fold_stopped_during_its_fit_is_not_scored(monkeypatch):
    """Stop during a fold's fit (which keeps its best epoch) raised only after the fold
    was scored with every comparator over every series, for nothing."""
    import engine.many.backtest as backtest
    import engine.many.evaluation as evaluation
    import engine.many.fitting as fitting
    from engine.tasks import Cancelled, TaskState

    task, scored = TaskState(), []

    def stopped_fit(fold, settings, task, later):
        task.cancel()
        return object()

    monkeypatch.setattr(backtest, "fold_data", lambda data, settings, origin: data)
    monkeypatch.setattr(fitting, "fit_global", stopped_fit)
    monkeypatch.setattr(evaluation, "evaluate_global", lambda *a, **k: scored.append(a))
    from engine.many.global_model import GlobalSettings

    settings = GlobalSettings(horizon=4)
    with pytest.raises(Cancelled):
        backtest.run_fold((None, settings), {"origin": 1}, task)
    assert scored == []


def test_the_backtest_sentence_quotes_the_mean_to_the_table_s_digits():
    """Two origins whose network OWAs differ in the fifth digit need five in the OWA
    column; the sentence on the mean took its digits from the mean alone and read 0.9124
    under the table's 0.91235 (and quotes the OWAs to the OWA column's digits, not to the
    six of the MASE column beside it)."""
    import io

    from engine.cli.many_series import print_backtest_table

    def summary(network):
        return {name: {"label": label, "smape": 10.0 + owa, "mase": 1.0 + owa, "owa": owa}
                for name, label, owa in (("network", "global network", network),
                                         ("naive2", "Naive2", 1.0),
                                         ("seasonal_naive", "seasonal naive", 1.2),
                                         ("theta", "Theta", 1.1))}

    result = {"origins": [{"origin": 1, "summary": summary(0.91234)},
                          {"origin": 2, "summary": summary(0.91236)}],
              "mean": summary(0.91235)}
    out = io.StringIO()
    print_backtest_table(result, None, out, ("m.npz", "d.csv"))
    table, sentence = out.getvalue().splitlines()[1:-1], out.getvalue().splitlines()[-1]
    assert any(line.split()[:2] == ["mean", "global"] and line.endswith(" 1.91235 0.91235")
               for line in table)
    assert sentence == ("Over the origins, the network's mean OWA is 0.91235: it beats "
                        "seasonal naive (1.2000) and Theta (1.1000).")


def test_the_backtest_sentence_without_an_owa_compares_mean_mases():
    """Every series' testing values all 0 (no method has an OWA): the sentence on the means
    compares their MASEs to the MASE column's digits, over the origins, and offers the
    method that beat the network, Naive2 under its mean MASE; for one target of several,
    without the command. It read "The network's MASE is 1.212" (the OWA column's digits,
    its "Over the origins" lost) and offered nothing."""
    from engine.cli.many_series import print_backtest_table
    from engine.many.evaluation import BY_MASE

    def summary(network):
        return {name: {"label": label, "smape": None, "mase": mase, "owa": None}
                for name, label, mase in (("network", "global network", network),
                                          ("naive2", "Naive2", 1.1),
                                          ("seasonal_naive", "seasonal naive", 1.3),
                                          ("theta", "Theta", 1.25))}

    origins = [(1, summary(1.21234)), (2, summary(1.21236))]
    verdict = (f"Over the origins, the network's mean MASE is 1.21235 ({BY_MASE}): it beats "
               "seasonal naive (1.30000) and Theta (1.25000). But Naive2 (mean MASE 1.10000) "
               "does better than the network")
    out = io.StringIO()
    print_backtest_table({"origins": [{"origin": k, "summary": s} for k, s in origins],
                          "mean": summary(1.21235)}, None, out, ("m.npz", "d.csv"))
    assert out.getvalue().splitlines()[-1] == (
        f"{verdict}: rnn-studio forecast m.npz d.csv --method naive2 --steps N --out "
        "FORECAST.csv uses its forecast instead.")
    out = io.StringIO()
    print_backtest_table({"origins": [{"origin": k, "targets": {"y": s}} for k, s in origins],
                          "targets": {"y": {"mean": summary(1.21235)}}}, "y", out, ("m", "d"))
    assert out.getvalue().splitlines()[-1] == f"{verdict}."


def test_the_backtest_table_prints_a_dash_for_a_measure_no_method_has():
    """The mean of origins tested on zeros has NaN for its sMAPE and OWA: the table prints
    "-" there, as evaluate's does (it printed "nan")."""
    from engine.cli.many_series import print_backtest_table

    nan = float("nan")
    summary = {name: {"label": label, "smape": nan, "mase": mase, "owa": nan}
               for name, label, mase in (("network", "global network", 1.2),
                                         ("naive2", "Naive2", 1.1),
                                         ("seasonal_naive", "seasonal naive", 1.3),
                                         ("theta", "Theta", 1.25))}
    out = io.StringIO()
    print_backtest_table({"origins": [{"origin": 1, "summary": summary}], "mean": summary},
                         None, out, ("m.npz", "d.csv"))
    rows = out.getvalue().splitlines()[1:9]
    assert all(row.split()[-1] == "-" and row.split()[-3] == "-" for row in rows), rows
    assert "nan" not in out.getvalue()
