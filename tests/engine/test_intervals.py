"""Split conformal intervals: the quantile rule, coverage on data from a known distribution,
vectorized recursive forecasts against the one-origin forecast, and the stored widths."""

import json

import numpy as np
import pytest

from engine.data import default_config, prepare_training
from engine.errors import EngineError
from engine.model.recursive import recursive_forecast, recursive_forecasts
from engine.testing.intervals import (LEVELS, conformal_half_width, coverage, fewest_errors,
                                      half_widths, never_narrower, recursive_errors,
                                      selection_intervals)
from engine.network.recurrent import RecurrentNetwork


def test_half_width_is_the_kth_smallest_error():
    errors = np.array([5.0, 1, 9, 3, 7, 2, 8, 4, 6])          # n = 9, sorted 1..9
    assert conformal_half_width(errors, 0.8) == 8.0           # k = ceil(10 * 0.8) = 8
    assert conformal_half_width(errors, 0.9) == 9.0           # k = ceil(10 * 0.9) = 9, not 10
    assert conformal_half_width(errors, 0.95) == np.inf       # k = 10 > n
    assert conformal_half_width(errors, 0.5) == 5.0           # k = 5
    # per column, NaN (no truth) left out: the second column has n = 4 -> k = ceil(5*0.8) = 4
    table = np.array([[1.0, 10], [2, np.nan], [3, 30], [4, 20], [5, 40]])
    np.testing.assert_array_equal(conformal_half_width(table, 0.8), [5.0, 40.0])
    assert conformal_half_width(np.ones((3, 2, 4)), 0.5).shape == (2, 4)
    with pytest.raises(EngineError, match="between 0 and 1"):
        conformal_half_width(errors, 90)


def test_coverage_on_a_known_distribution():
    """For continuous exchangeable errors, P(|e| <= q) = k / (n + 1) exactly."""
    rng = np.random.default_rng(0)
    n, repeats, tests = 39, 4000, 25
    calibration = np.abs(rng.standard_t(3, size=(n, repeats)))
    new = np.abs(rng.standard_t(3, size=(tests, repeats)))
    for level in LEVELS:
        q = conformal_half_width(calibration, level)            # (repeats,)
        k = int(np.ceil((n + 1) * level - 1e-9))
        if k > n:
            assert np.isinf(q).all()
            continue
        reached = (new <= q).mean()
        assert reached == pytest.approx(k / (n + 1), abs=0.006)
        assert reached >= level - 0.006
    # the coverage helper counts the same thing, per step and target
    widths = np.array([[1.0], [2.0]])
    errors = np.array([[[0.5], [2.5]], [[-1.5], [-1.0]], [[np.nan], [0.0]]])
    np.testing.assert_allclose(coverage(errors, widths), [[0.5], [2 / 3]])


def _prepared(frame, transform, inputs="all", lookback=6):
    from engine.data import load_table

    table = load_table(frame)
    config = default_config(table, ["y"], lookback=lookback, target_transform=transform,
                            period=12)
    if inputs == "own":
        config = config.with_roles(x="unused")
    config = config.with_roles(note="unused")
    return prepare_training(table, config)


@pytest.mark.parametrize("transform,inputs", [("none", "all"), ("difference", "all"),
                                              ("seasonal_difference", "own"),
                                              ("log_difference", "own")])
def test_recursive_forecasts_match_the_one_origin_forecast(make_seasonal_frame, transform,
                                                           inputs):
    frame = make_seasonal_frame()
    prepared = _prepared(frame, transform, inputs)
    net = RecurrentNetwork(cell="gru", n_inputs=prepared.n_inputs, hidden_sizes=[5],
                           n_outputs=prepared.n_outputs, dtype="float64", seed=1)
    net.load_state_dict(net.state_dict())       # its seeded weights stand for trained ones
    calls = []

    def predict(X):
        calls.append(len(X))
        return net.predict(X)

    origins = np.array([20, 33, 50, 80, 90, 95])
    values, truth = recursive_forecasts(prepared.fitted, frame, predict, origins, 8)
    assert values.shape == truth.shape == (6, 8, 1)
    assert len(calls) <= 8                                   # one call per step
    for i, origin in enumerate(origins):
        steps = min(8, 97 - origin) if inputs == "all" else 8
        expected = recursive_forecast(prepared.fitted, frame, net.predict, origin, steps)
        np.testing.assert_allclose(values[i, :steps], expected.values, rtol=1e-12)
        if steps < 8:                                        # other inputs unknown there
            assert np.isnan(values[i, steps:]).all()
        inside = origin + np.arange(8) < 96
        np.testing.assert_allclose(truth[i, inside, 0], frame["y"].to_numpy()[
            origin + np.arange(8)[inside]])
        assert np.isnan(truth[i, ~inside]).all()
    errors = recursive_errors(prepared.fitted, frame, net.predict, origins, 8)
    np.testing.assert_allclose(errors, values - truth)


def test_selection_intervals_are_stored_and_read_back(make_seasonal_frame):
    frame = make_seasonal_frame()
    prepared = _prepared(frame, "difference", "own")
    net = RecurrentNetwork(cell="gru", n_inputs=prepared.n_inputs, hidden_sizes=[4],
                           n_outputs=prepared.n_outputs, dtype="float64", seed=0)
    net.load_state_dict(net.state_dict())       # its seeded weights stand for trained ones
    intervals = selection_intervals(net, prepared)
    json.dumps(intervals, allow_nan=False)                    # plain JSON
    n_sel = len(prepared.anchors["selection"])
    assert intervals["count"] == n_sel and intervals["levels"] == list(LEVELS)
    # direct widths: the conformal quantile of the one-step selection errors
    values = prepared.inverse(net.predict(prepared.X_sel, untrained=True), "selection")
    direct = np.abs(values - prepared.true_values("selection"))[:, 0, 0]
    assert intervals["direct"]["0.8"][0][0] == pytest.approx(
        np.sort(direct)[int(np.ceil((n_sel + 1) * 0.8)) - 1])
    # recursive: no horizon reaches into the testing rows; counts fall by one per step
    H = intervals["horizon"]
    counts = intervals["recursive_count"]
    assert counts[0] == n_sel and counts[-1] >= 10 and len(counts) == H
    assert all(a - b == 1 for a, b in zip(counts, counts[1:]))
    # the first recursive horizon is the one-step forecast: the same widths
    assert intervals["recursive"]["0.9"][0] == pytest.approx(intervals["direct"]["0.9"][0])
    widths = half_widths({"intervals": intervals}, 0.9, H + 5)
    assert widths.shape == (H + 5, 1)
    np.testing.assert_array_equal(widths[H:], np.repeat(widths[H - 1:H], 5, axis=0))
    assert half_widths(intervals, 0.8, 1, mode="direct")[0, 0] == \
        intervals["direct"]["0.8"][0][0]
    with pytest.raises(EngineError, match="train the model again"):
        half_widths({"scores": {}}, 0.9, 3)
    with pytest.raises(EngineError, match="80%, 90%, 95%"):
        half_widths(intervals, 0.5, 3)


def no_change_model(rows, test_from, horizon):
    """``(model, frame, intervals)``: y a Gaussian random walk of ``rows`` rows and a
    "network" that predicts no change, its intervals calibrated on the selection part for
    ``horizon`` steps, testing from row ``test_from``."""
    import pandas as pd

    from engine.data import load_table
    from engine.model.forecaster import Forecaster

    rng = np.random.default_rng(7)
    frame = pd.DataFrame({"y": 1000 + np.cumsum(rng.standard_normal(rows))})
    table = load_table(frame)
    config = default_config(table, ["y"], lookback=4, target_transform="difference")
    config.split.test_from = test_from
    prepared = prepare_training(table, config)

    class NoChange:
        def predict(self, X):
            scaler = prepared.fitted.scaler("y")
            return np.full((len(X), 1), -scaler.center / scaler.scale)

    intervals = selection_intervals(NoChange(), prepared, horizon=horizon)
    assert intervals["count"] == len(prepared.anchors["selection"])
    model = Forecaster(NoChange(), {"preprocessing": prepared.fitted.to_dict(),
                                    "metadata": {"testing": {"from": test_from},
                                                 "intervals": intervals}})
    return model, frame, intervals


def test_intervals_of_a_random_walk_reach_their_level_on_the_testing_part():
    """y is a Gaussian random walk and the "network" predicts no change: its h-step errors
    are sums of h independent N(0, 1) steps, so the 90% half-width at horizon h must be
    near 1.645 sqrt(h) and cover about 90% of the testing errors."""
    from engine.testing.analysis import analyze_model

    model, frame, intervals = no_change_model(3000, 2000, 6)
    assert intervals["count"] > 350
    widths = half_widths(intervals, 0.9, 6)[:, 0]
    np.testing.assert_allclose(widths, 1.645 * np.sqrt(np.arange(1, 7)), rtol=0.15)
    analysis = analyze_model(model, frame, horizon=6)
    for key, level in (("0.8", 0.8), ("0.9", 0.9), ("0.95", 0.95)):
        reached = analysis.intervals["recursive_coverage"][key][:, 0]
        assert np.all(np.abs(reached - level) < 0.045), (key, reached)
        assert abs(analysis.intervals["direct_coverage"][key][0, 0] - level) < 0.04


def test_widths_past_the_calibrated_steps_are_marked_held():
    """Step 6's analysis says so in a note, and its intervals table and the report's table
    by horizon mark the widths past the 2 calibrated steps "held"; the report says it once
    (with the analysis' notes)."""
    from engine.testing.analysis import analyze_model
    from engine.testing.intervals import held_note
    from engine.testing.report import horizon_table, interval_rows, report_html

    model, frame, _ = no_change_model(400, 300, 2)
    analysis = analyze_model(model, frame, horizon=6)
    assert analysis.intervals["calibrated"]["0.9"] == 2
    assert held_note(2, 6) in " ".join(analysis.notes)
    assert 'Such widths are marked "held".' in " ".join(analysis.notes)
    rows = interval_rows(analysis, 0)
    assert all(row[3].endswith(" (held)") for row in rows)      # "± at 6 ahead"
    html = horizon_table(analysis, 0)
    assert html.count("(held)") == 4                            # steps 3 to 6
    assert report_html(analysis).count("calibrated for up to 2 steps ahead") == 1
    assert held_note(2, 2) is None and held_note(1, 3).startswith(
        "The intervals were calibrated for up to 1 step ahead; past that they keep the "
        "width they have 1 step ahead and probably")
    assert "6 steps ahead and" in held_note(6, 7) and "step 6" not in held_note(6, 7)
    calibrated = analyze_model(model, frame, horizon=2)
    assert not any("held" in row[3] for row in interval_rows(calibrated, 0))
    assert "(held)" not in horizon_table(calibrated, 0)


def test_an_interval_that_could_not_be_made_has_no_coverage(tmp_path):
    """An infinite width (too few selection rows for the level) holds every error: its
    coverage is unknown (NaN, null in JSON, "–" in the report), not 100%; the others are
    counted as before."""
    import io

    import pandas as pd

    from engine.cli.main import main
    from engine.model.model_file import load_model
    from engine.testing.analysis import analyze_model
    from html import escape

    from engine.testing.report import interval_rows, report_html, unbounded_note

    errors = np.array([[[0.5, 9.0]], [[2.0, -1.0]]])            # (2 rows, 1 step, 2 targets)
    assert np.isnan(coverage(errors, np.array([[1.0, np.inf]]))[0, 1])
    assert coverage(errors, np.array([[1.0, np.inf]]))[0, 0] == 0.5
    rng = np.random.default_rng(1)                 # 12 selection rows: no 95% interval
    data = tmp_path / "short.csv"
    pd.DataFrame({"y": np.cumsum(rng.normal(size=60))}).to_csv(data, index=False)
    model = tmp_path / "short.npz"
    assert main(["fit", str(data), "--target", "y", "--epochs", "3", "--out", str(model)],
                out=io.StringIO(), err=io.StringIO()) == 0
    out = io.StringIO()
    assert main(["evaluate", str(model), str(data), "--json"], out=out) == 0
    intervals = json.loads(out.getvalue())["analysis"]["intervals"]
    assert intervals["direct"]["0.95"] == [[None]]                     # ∞
    assert intervals["direct_coverage"]["0.95"] == [[None]]
    assert intervals["recursive_coverage_all"]["0.95"] == [None]
    assert intervals["direct_coverage"]["0.8"][0][0] is not None
    analysis = analyze_model(load_model(model), pd.read_csv(data))
    rows = interval_rows(analysis, 0)
    assert rows[-1][:3] == ["95%", "∞", "–"] and rows[-1][4] == "–"
    # the table's "∞" is explained in words: the errors the level takes and those there were
    assert unbounded_note(analysis, 0) == (
        "∞: the selection part has too few errors to calibrate that bound (a 95% bound "
        f"takes at least 19; there were {intervals_count(analysis)}). A longer selection "
        "part gives one.")
    # the report says it in the same words, and --json gives the counts behind them
    report = report_html(analysis)
    assert f"<p class=note>{escape(unbounded_note(analysis, 0))} Its coverage is –" in report
    assert "too few selection rows" not in report
    assert intervals["count"] == analysis.intervals["count"] == intervals_count(analysis)
    assert intervals["recursive_count"] == analysis.intervals["recursive_count"]
    assert 0 < len(intervals["recursive_count"]) <= len(intervals["recursive"]["0.8"])


def intervals_count(analysis):
    """The selection errors of the direct widths, the same at the only calibrated step."""
    iv = analysis.intervals
    assert iv["recursive_count"][-1] == iv["count"] < 19
    return iv["count"]


@pytest.mark.parametrize("level, fewest", [(0.8, 4), (0.9, 9), (0.95, 19), (0.99, 99)])
def test_the_fewest_errors_of_a_level_are_the_first_that_give_a_finite_width(level, fewest):
    assert fewest_errors(level) == fewest
    assert np.isinf(conformal_half_width(np.arange(fewest - 1.0), level))
    assert np.isfinite(conformal_half_width(np.arange(float(fewest)), level))


def test_the_note_on_unbounded_widths_names_each_level_and_column():
    """One step ahead and at the table's last horizon the errors differ; a note only when a
    width is infinite, and only for the columns that are."""
    from types import SimpleNamespace

    from engine.testing.report import unbounded_note

    def analysis(direct, recursive):
        return SimpleNamespace(intervals={
            "direct": {key: np.array([[w]]) for key, w in direct.items()},
            "recursive": {key: np.full((24, 1), w) for key, w in recursive.items()},
            "count": 8, "recursive_count": [8] * 12 + [6] * 12})

    finite = {"0.8": 1.0, "0.9": 2.0, "0.95": 3.0}
    assert unbounded_note(analysis(finite, finite), 0) is None
    both = {"0.8": 1.0, "0.9": np.inf, "0.95": np.inf}
    assert unbounded_note(analysis(both, both), 0) == (
        "∞: the selection part has too few errors to calibrate that bound (a 90% bound "
        "takes at least 9 and a 95% bound 19; there were 8 one step ahead and 6 at 24 "
        "steps ahead). A longer selection part gives one.")
    far = {"0.8": 1.0, "0.9": 2.0, "0.95": np.inf}
    assert "(a 95% bound takes at least 19; there were 6 at 24 steps ahead)" in \
        unbounded_note(analysis(finite, far), 0)


def _spiked(rows, horizon, fractions):
    """Prepared data of ``rows`` values 10 +- 1 (no transform, lookback 4, ``horizon``
    output steps, split ``fractions``) with 30 at the first selection window's first
    target row."""
    import pandas as pd

    from engine.data import load_table

    def prepared_with(spike_row):
        y = 10 + np.random.default_rng(3).uniform(-1, 1, rows)
        if spike_row is not None:
            y[spike_row] = 30.0
        table = load_table(pd.DataFrame({"y": y}))
        config = default_config(table, ["y"], lookback=4, horizon=horizon,
                                target_transform="none")
        config.split.fractions = fractions
        return prepare_training(table, config)

    return prepared_with(int(prepared_with(None).target_rows("selection")[0, 0]))


class _Zero:
    """A "network" of ``prepared``'s outputs that always predicts 0 (in target units)."""

    def __init__(self, prepared):
        self.prepared = prepared

    def predict(self, X):
        scaler = self.prepared.fitted.scaler("y")
        return np.full((len(X), self.prepared.n_outputs), -scaler.center / scaler.scale)


def test_recursive_widths_never_narrow_with_the_horizon():
    """A "network" that always predicts 0 on small noise with one large value at the first
    selection row: every horizon's errors are the values themselves, and horizon h sees the
    rows from the (h-1)-th selection row on, so the raw per-horizon 95% quantile (the largest
    of fewer than 39 errors) holds the large value at 1 step ahead only and narrows at 2.
    The stored widths are their running maximum, and so are those read from a file that
    stored the raw ones."""
    prepared = _spiked(120, 1, (0.6, 0.25, 0.15))
    intervals = selection_intervals(_Zero(prepared), prepared, horizon=4)
    origins = prepared.anchors["selection"] + prepared.fitted.target_offsets[0]
    encoded = prepared.fitted.encode(prepared.table.frame, prediction=True)
    errors = recursive_errors(prepared.fitted, encoded, _Zero(prepared).predict, origins, 4)
    errors[np.isin(origins[:, None] + np.arange(4), prepared.target_rows("testing"))] = \
        np.nan
    raw = conformal_half_width(np.abs(errors), 0.95)[:, 0]
    assert len(origins) < 39 and raw[0] == pytest.approx(30.0) and raw[1] < 11
    stored = [row[0] for row in intervals["recursive"]["0.95"]]
    assert stored == pytest.approx([raw[0]] * 4)
    for key in intervals["recursive"]:
        widths = np.array([row[0] for row in intervals["recursive"][key]])
        assert np.all(np.diff(widths) >= 0), key
    # a file written before the widths were stored so: read back as the running maximum
    old = {**intervals, "recursive": {**intervals["recursive"],
                                      "0.9": [[4.0], [2.0], [None], [3.0]]}}
    np.testing.assert_array_equal(half_widths(old, 0.9, 6)[:, 0],
                                  [4.0, 4.0, np.inf, np.inf, np.inf, np.inf])
    assert never_narrower(np.empty((0, 1))).shape == (0, 1)


def test_direct_widths_never_narrow_with_the_output_step():
    """A "network" of 3 output steps that always predicts 0 on small noise with one large
    value at the first selection window's step-1 target: that row is a step-1 target only
    (the window whose step 2 falls on it is a training window), so the raw 90% quantile of
    each step (the largest of fewer than 19 errors) holds the large value at step 1 and
    narrows at step 2. The stored widths are their running maximum, and so are those read
    from a file that stored the raw ones."""
    prepared = _spiked(80, 3, (0.6, 0.2, 0.2))
    intervals = selection_intervals(_Zero(prepared), prepared, horizon=2)
    raw = conformal_half_width(prepared.true_values("selection"), 0.9)[:, 0]
    assert intervals["count"] < 19 and raw[0] == pytest.approx(30.0) and raw[1] < 11
    for key in intervals["direct"]:
        widths = np.array([np.inf if row[0] is None else row[0]
                           for row in intervals["direct"][key]])
        assert np.all(widths[1:] >= widths[:-1]), key
    assert [row[0] for row in intervals["direct"]["0.9"]] == pytest.approx([raw[0]] * 3)
    # a file written before the widths were stored so: read back as the running maximum
    old = {**intervals, "direct": {**intervals["direct"], "0.9": [[4.0], [2.0], [3.0]]}}
    np.testing.assert_array_equal(half_widths(old, 0.9, 4, mode="direct")[:, 0],
                                  [4.0, 4.0, 4.0, 4.0])
