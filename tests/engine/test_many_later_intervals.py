"""The intervals of a recursive global model's later blocks (the steps it forecasts from its
own forecasts): read at fit time from second blocks that fall on the rows before the testing
part, widened by sqrt(j / 2) for block j and never narrower than the block before ends,
kept by the model file and given alike by every export; a model without them (an earlier
file) gives every later block the first block's last step's."""

import importlib.util
from dataclasses import replace

import numpy as np
import pytest

from engine.errors import EngineError
from engine.many.exports import export_global
from engine.many.exports.python_module import rows_needed
from engine.many.fitting import LATER_ORIGINS, fit_global, later_interval_errors
from engine.many.forecasting import _extended, forecast_frame, forecast_steps
from engine.many.global_model import LEVELS, GlobalSettings
from engine.many.model_file import load_global_model, save_global_model
from engine.many.series_data import from_frame
from helpers.many_series import long_frame, seasonal
from helpers.model_files import header_of, members_of, rewrite_header

B, H, N = 4, 8, 8          # steps at once, steps of the fit, testing rows
SETTINGS = GlobalSettings(horizon=H, test_last=N, season=4, lookback=16, fold=4, block=B,
                          hidden_sizes=(4,), max_epochs=2, batch_size=64, members=1)


@pytest.fixture(scope="module")
def data():
    return from_frame(long_frame({f"s{k}": seasonal(90 + 5 * k, 100 * (k + 1), k)
                                  for k in range(5)}), "id", ["y"])


@pytest.fixture(scope="module")
def model(data):
    return fit_global(data, SETTINGS)


def second_block_errors(model, data, count):
    """The scaled errors (n_series, B) of the second block from ``count`` rows before each
    series' end, computed from two calls of the network (the first block appended)."""
    cut = data.without_last(count)
    first, _, _, _ = model.forecast(cut)
    second, _, _, _ = model.forecast(_extended(cut, first))
    errors = []
    for i in range(data.n_series):
        rows = data.targets[data.rows(i)][:, 0]
        start = len(rows) - count + B
        truth = rows[start:start + B]
        errors.append((np.log(truth) - np.log(second[i, :, 0])) / model.scaling.scale[i, 0])
    return np.array(errors)


def test_the_later_errors_are_the_quantiles_of_second_blocks_on_the_selection_rows(model,
                                                                                    data):
    assert model.scaling.log.all()              # the base values are the logarithms
    # second blocks on the H rows before the testing part: origins N + 2B .. N + H + B
    # rows before the end, at most LATER_ORIGINS of them
    counts = np.unique(np.linspace(N + 2 * B, N + H + B, LATER_ORIGINS).round().astype(int))
    assert counts.tolist() == [16, 17, 18, 19, 20]
    errors = np.concatenate([second_block_errors(model, data, c) for c in counts])
    assert errors.shape == (25, B) and np.isfinite(errors).all()
    for level in LEVELS:
        lower, upper = np.quantile(errors, [(1 - level) / 2, (1 + level) / 2], axis=0)
        first_lower, first_upper = model.interval_errors[level] * np.sqrt(2)
        # never narrower with the step, from the first block's last step on
        lower = np.minimum.accumulate(np.minimum(np.minimum(lower, first_lower),
                                                 model.interval_errors[level][0, -1]))
        upper = np.maximum.accumulate(np.maximum(np.maximum(upper, first_upper),
                                                 model.interval_errors[level][1, -1]))
        np.testing.assert_allclose(model.later_errors[level], [lower, upper], atol=1e-9)
    # the quantiles themselves, where the first block's errors are 0
    errors_alone = later_interval_errors(
        replace(model, interval_errors={level: np.zeros((2, B)) for level in LEVELS}), data,
        SETTINGS)
    for level in LEVELS:
        lower, upper = np.quantile(errors, [(1 - level) / 2, (1 + level) / 2], axis=0)
        np.testing.assert_allclose(errors_alone[level],
                                   [np.minimum.accumulate(np.minimum(lower, 0)),
                                    np.maximum.accumulate(np.maximum(upper, 0))], atol=1e-9)
        assert (errors_alone[level][0] < 0).any() and (errors_alone[level][1] > 0).any()
    # the testing rows play no part: changed, the same errors
    changed = replace(data, targets=data.targets.copy())
    for i in range(data.n_series):
        changed.targets[data.rows(i)][-N:] *= 3.0
    again = later_interval_errors(model, changed, SETTINGS)
    for level in LEVELS:
        np.testing.assert_array_equal(again[level], model.later_errors[level])


def test_block_j_of_a_forecast_has_the_later_errors_widened_by_the_root_of_half_j(model,
                                                                                   data):
    steps = 3 * B
    values, lower, upper, ok = forecast_steps(model, data, steps, level=0.9)
    assert ok.all()
    s = model.scaling.scale[:, 0][:, None]
    shift_low = (np.log(lower[:, :, 0]) - np.log(values[:, :, 0])) / s
    shift_up = (np.log(upper[:, :, 0]) - np.log(values[:, :, 0])) / s
    first, later = model.interval_errors[0.9], model.later_errors[0.9]
    for j, factor in ((1, None), (2, 1.0), (3, np.sqrt(1.5))):
        part = slice((j - 1) * B, j * B)
        want = first if factor is None else later * factor
        np.testing.assert_allclose(shift_low[:, part], np.broadcast_to(want[0], (5, B)),
                                   atol=1e-9)
        np.testing.assert_allclose(shift_up[:, part], np.broadcast_to(want[1], (5, B)),
                                   atol=1e-9)
    # the later intervals are at least the first block's times sqrt 2
    assert (later[0] <= np.sqrt(2) * first[0]).all()
    assert (later[1] >= np.sqrt(2) * first[1]).all()
    frame, notes = forecast_frame(model, data, steps)
    assert np.allclose(frame["y_upper_90"].to_numpy(), upper[:, :, 0].ravel())
    assert any("wider, as errors that add up block by block" in note and
               "(measured up to 8 steps ahead)" in note for note in notes)


FIRST = np.array([[-0.5, -0.5, -0.6, -0.7], [0.5, 0.6, 0.6, 0.7]])
LATER = np.array([[-1.0, -1.2, -2.0, -4.0], [0.8, 1.0, 2.0, 3.0]])
"""Bounds whose second block widens more than sqrt(3 / 2) from its first step to its last
(3 / 0.8 and 4 / 1): times sqrt(j / 2) alone, block 3 would start narrower than block 2
ends, and block 4 than block 3."""


@pytest.fixture(scope="module")
def widening(model):
    return replace(model, interval_errors={level: FIRST for level in LEVELS},
                   later_errors={level: LATER for level in LEVELS})


def step_by_step(blocks):
    """The (2, blocks * B) bounds of the rule read step by step: block j's ``LATER *
    sqrt(j / 2)``, each side the running extreme from the first step of the forecast."""
    grown = [FIRST] + [LATER * np.sqrt(j / 2) for j in range(2, blocks + 1)]
    joined = np.concatenate(grown, axis=1)
    return np.stack([np.minimum.accumulate(joined[0]), np.maximum.accumulate(joined[1])])


def shifts(model, values, bound):
    """The scaled errors (n_series, steps) a forecast's ``bound`` was read from."""
    s = model.scaling.scale[:, 0][:, None]
    return (np.log(bound[:, :, 0]) - np.log(values[:, :, 0])) / s


def test_the_bounds_of_later_blocks_never_narrow_from_one_block_to_the_next(widening, data):
    steps = 4 * B + 2                                   # 5 blocks, the last cut short
    values, lower, upper, ok = forecast_steps(widening, data, steps, level=0.9)
    assert ok.all()
    want = step_by_step(5)[:, :steps]
    np.testing.assert_allclose(shifts(widening, values, lower), np.broadcast_to(
        want[0], (5, steps)), atol=1e-9)
    np.testing.assert_allclose(shifts(widening, values, upper), np.broadcast_to(
        want[1], (5, steps)), atol=1e-9)
    # block 3 starts where block 2 ends (3 > 0.8 sqrt 1.5), block 4 where block 3 ends
    assert want[1, 2 * B] == 3.0 and want[1, 3 * B] == pytest.approx(3.0 * np.sqrt(1.5))
    assert (np.diff(want[1]) >= 0).all() and (np.diff(want[0]) <= 0).all()


def test_the_model_file_keeps_them_and_a_file_without_them_gives_the_first_blocks_end(
        model, data, tmp_path):
    path = tmp_path / "recursive.npz"
    save_global_model(path, model)
    loaded = load_global_model(path)
    for level in LEVELS:
        np.testing.assert_array_equal(loaded.later_errors[level], model.later_errors[level])
    members = members_of(path)
    header = header_of(members)
    del header["many_series"]["later_interval_errors"]
    rewrite_header(path, header, members, checksum=True)
    earlier = load_global_model(path)
    assert earlier.later_errors is None
    _, lower, _, _ = forecast_steps(earlier, data, 2 * B)
    _, first_lower, _, _ = earlier.forecast(data)
    values, _, _, _ = forecast_steps(earlier, data, 2 * B)
    s = earlier.scaling.scale[:, 0][:, None]
    shift = (np.log(lower[:, B:, 0]) - np.log(values[:, B:, 0])) / s
    # the first block's last step, that the second block starts no narrower than it ends
    np.testing.assert_allclose(shift, earlier.interval_errors[0.9][0, -1], atol=1e-9)
    assert (earlier.interval_errors[0.9][0, :-1] > earlier.interval_errors[0.9][0, -1]).any()
    assert any(f"those {B} steps ahead and too narrow" in note
               for note in forecast_frame(earlier, data, 2 * B)[1])
    header["many_series"]["later_interval_errors"] = {
        str(level): [[0.0] * B] for level in LEVELS}
    rewrite_header(path, header, members, checksum=True)
    with pytest.raises(EngineError, match="later_interval_errors needs finite lower and "
                                          "upper errors per output for each level"):
        load_global_model(path)
    header["many_series"]["later_interval_errors"] = None
    rewrite_header(path, header, members, checksum=True)
    with pytest.raises(EngineError, match="invalid header.*later_interval_errors needs lower "
                                          "and upper errors per output for each level"):
        load_global_model(path)


def test_too_few_second_blocks_give_the_first_blocks_times_the_root_of_two(model, data,
                                                                            monkeypatch):
    import engine.many.fitting as fitting
    monkeypatch.setattr(fitting, "LATER_SAMPLES", 26)        # 5 series x 5 origins = 25
    errors = later_interval_errors(model, data, SETTINGS)
    for level in LEVELS:
        np.testing.assert_allclose(errors[level], model.interval_errors[level] * np.sqrt(2))


def test_a_model_with_inputs_has_none(data):
    with_input = from_frame(long_frame({f"s{k}": seasonal(90, 100, k) for k in range(5)})
                            .assign(x=1.0), "id", ["y"], inputs=["x"])
    model = fit_global(with_input, replace(SETTINGS, block=None))
    assert model.later_errors is None


def recent_values(data, i, rows):
    return data.targets[data.rows(i)][-rows:]


def assert_close(got, expected, magnitude):
    """Equal to float32 precision: within 1e-5 of the series' magnitude (mean |y|)."""
    assert got.shape == expected.shape
    assert np.all(np.abs(got - expected) <= 1e-5 * magnitude), np.abs(got - expected)


def onnx_session(model, path):
    """An onnxruntime session of ``model``'s ONNX export at ``path`` (skips without it)."""
    onnxruntime = pytest.importorskip("onnxruntime")
    export_global(model, "onnx", path)
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3                # not the note that ``block`` may be fed
    return onnxruntime.InferenceSession(str(path), options,
                                        providers=["CPUExecutionProvider"])


@pytest.fixture(params=["fitted", "widening", "without_later"])
def exported(request, model, widening):
    """The fitted model, one whose later blocks would narrow at their start but for the
    rule, and one without later errors (an earlier file's)."""
    return {"fitted": model, "widening": widening,
            "without_later": replace(model, later_errors=None)}[request.param]


def test_the_python_module_and_onnx_give_the_later_blocks_bounds(exported, data, tmp_path):
    model = exported
    path = export_global(model, "python", tmp_path / "later_model.py")
    spec = importlib.util.spec_from_file_location("later_model", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rows = rows_needed(model)
    expected = np.stack(forecast_steps(model, data, 5 * B)[:3], axis=1)   # 5 blocks
    for i in (0, 3):
        got = np.stack(module.forecast(data.ids[i], recent_values(data, i, rows),
                                       steps=5 * B))
        assert_close(got, expected[i], model.scaling.magnitude[i])
    session = onnx_session(model, tmp_path / "later.onnx")
    assert [i.name for i in session.get_inputs()] == ["values", "series"]
    assert [i.name for i in session.get_overridable_initializers()] == ["block"]
    feed = {"values": np.stack([recent_values(data, i, rows) for i in (0, 3)]),
            "series": np.array([0, 3], dtype=np.int64)}
    for block in (None, 2, 3, 4, 5):
        fed = feed if block is None else {**feed, "block": np.array(float(block))}
        got = session.run(["forecast", "lower", "upper"], fed)
        want = model.forecast(data, level=0.9, block=block or 1)[:3]
        for out_part, want_part in zip(got, want):
            for b, i in enumerate((0, 3)):
                assert_close(out_part[b], want_part[i], model.scaling.magnitude[i])


def test_the_onnx_graph_chained_block_by_block_gives_the_applications_forecast(widening,
                                                                               data,
                                                                               tmp_path):
    """Each block run on the values with the blocks before it appended, fed its number."""
    session = onnx_session(widening, tmp_path / "widening.onnx")
    rows, series = rows_needed(widening), [1, 4]
    values = np.stack([recent_values(data, i, rows) for i in series])
    parts = []
    for block in range(1, 5):
        got = session.run(["forecast", "lower", "upper"],
                          {"values": values, "series": np.array(series, dtype=np.int64),
                           "block": np.array(float(block))})
        parts.append(np.stack(got, axis=1))                      # (2, 3, B, 1)
        values = np.concatenate([values, got[0]], axis=1)[:, -rows:]
    expected = np.stack(forecast_steps(widening, data, 4 * B)[:3], axis=1)
    for b, i in enumerate(series):
        assert_close(np.concatenate([p[b] for p in parts], axis=1), expected[i],
                     widening.scaling.magnitude[i])


def test_the_torch_export_holds_them_and_its_readme_gives_the_applications_bounds(
        widening, tmp_path):
    """The README's recipe for block j, followed on the file's arrays, gives the bounds of
    the application's block j."""
    path = export_global(widening, "torch", tmp_path / "later.npz")
    with np.load(path, allow_pickle=False) as arrays:
        first, later = arrays["intervals.errors"][1], arrays["intervals.later_errors"][1]
        assert np.array_equal(later, widening.later_errors[0.9])
        readme = str(arrays["README"])
    assert "intervals.later_errors[level, 0 or 1] at step h * sqrt(j / 2)" in readme
    assert "intervals.errors[level, 0 or 1] at step H (the first block's last step)" in readme
    assert "for j >= 3, intervals.later_errors[level, 0 or 1] at step H * sqrt((j - 1) / 2)" \
        in readme
    for j in range(2, 6):
        candidates = [later * np.sqrt(j / 2), first[:, -1:]] + \
            ([later[:, -1:] * np.sqrt((j - 1) / 2)] if j >= 3 else [])
        sides = np.stack(np.broadcast_arrays(*candidates))
        recipe = np.stack([sides[:, 0].min(axis=0), sides[:, 1].max(axis=0)])
        np.testing.assert_allclose(recipe, widening.block_errors(0.9, j), atol=1e-12)


def test_a_file_whose_bounds_narrow_with_the_step_loads_them_never_narrower(model, tmp_path):
    """A file written before the bounds were stored never narrower: the first block's are
    read as their running extremes, and the later block's as theirs from the first
    block's last step on (a later block starts no narrower than the block it reads)."""
    first = np.array([[-2.0, -1.0, -3.0, -1.0], [2.0, 1.0, 1.5, 3.0]])
    later = np.array([[-1.0, -4.0, -2.0, -5.0], [1.0, 2.5, 2.0, 4.0]])
    path = tmp_path / "earlier.npz"
    save_global_model(path, replace(model, interval_errors={lv: first for lv in LEVELS},
                                    later_errors={lv: later for lv in LEVELS}))
    loaded = load_global_model(path)
    for level in LEVELS:
        np.testing.assert_array_equal(loaded.interval_errors[level],
                                      [[-2.0, -2.0, -3.0, -3.0], [2.0, 2.0, 2.0, 3.0]])
        np.testing.assert_array_equal(loaded.later_errors[level],
                                      [[-3.0, -4.0, -4.0, -5.0], [3.0, 3.0, 3.0, 4.0]])


def test_an_unknown_end_of_the_later_errors_leaves_block_2_known_before_it_in_onnx(
        model, data, tmp_path):
    """Later errors unknown (NaN) at the last step only: block 2's bounds are known at its
    other steps, in the application and in the ONNX graph alike (a floor of the unknown end
    times 0 made every step of block 2 NaN in the graph)."""
    later = {level: np.array(LATER, float) for level in LEVELS}
    for errors in later.values():
        errors[:, -1] = np.nan
    unknown_end = replace(model, interval_errors={level: FIRST for level in LEVELS},
                          later_errors=later)
    want = unknown_end.forecast(data, level=0.9, block=2)
    assert np.isfinite(want[1][:, :-1]).all() and np.isnan(want[1][:, -1]).all()
    session = onnx_session(unknown_end, tmp_path / "unknown_end.onnx")
    rows = rows_needed(unknown_end)
    feed = {"values": np.stack([recent_values(data, i, rows) for i in (0, 3)]),
            "series": np.array([0, 3], dtype=np.int64), "block": np.array(2.0)}
    got = session.run(["forecast", "lower", "upper"], feed)
    for out_part, want_part in zip(got, want[:3]):
        for b, i in enumerate((0, 3)):
            np.testing.assert_allclose(out_part[b], want_part[i], equal_nan=True,
                                       atol=1e-5 * float(np.max(unknown_end.scaling.magnitude[i])))
