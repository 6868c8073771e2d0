"""Exports of a global model (engine.many.exports): each format, run outside the engine,
forecasts two of its series (one logged, one not) as GlobalModel.forecast does, bounds
included; the command line writes every format."""

import json
import subprocess
import sys
import textwrap
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from engine.errors import EngineError
from engine.many.exports import export_global
from engine.many.exports.python_module import rows_needed
from engine.many.fitting import fit_global as fit_with_few_windows
from engine.many.fitting import later_interval_errors
from engine.many.global_model import GlobalSettings
from engine.many.model_file import load_global_model, save_global_model
from engine.many.series_data import from_frame
from helpers.command_line import run

HORIZON = 3
# float32 network: the exports agree with the application to this share of a series'
# magnitude (mean |y|); measured at most 1.3e-6 (Python module), 8e-7 (ONNX), 5e-7 (torch)
TOLERANCE = 1e-5

RUNNER = textwrap.dedent("""
    import json, sys

    sys.path.insert(0, sys.argv[1])
    model = __import__(sys.argv[2])
    out = {}
    for case in json.load(sys.stdin):
        values = [[float("nan") if v is None else v for v in row] for row in case["values"]]
        try:
            result = model.forecast(case["series"], values, case["inputs"], case["level"])
            out[case["name"]] = [[[None if v != v else v for v in row] for row in part.tolist()]
                                 for part in result]
        except ValueError as error:
            out[case["name"]] = str(error)
    others = {m.split(".")[0] for m in sys.modules} & {"pandas", "engine", "scipy", "torch"}
    assert not others, f"the module imported {others}"
    print(json.dumps({"rows": model.ROWS, "ids": model.IDS, "out": out}))
""")


def series_frame(kind):
    """Three series of 60 rows: "up" (above 0, logged), "low" (around -1, not logged),
    "walk" (above 900, logged); with an input column "x" (``kind`` "one_input"), a second
    target "z", above 0 (``kind`` "two_targets"), or a static column "group" ("a", "b",
    "a"; ``kind`` "static")."""
    rng = np.random.default_rng(0)
    t = np.arange(60)
    parts = []
    for name, y in (("up", 100 + 10 * np.sin(2 * np.pi * t / 6) + rng.normal(0, 1, 60)),
                    ("low", 5 * np.sin(2 * np.pi * t / 6) + rng.normal(0, 1, 60) - 1),
                    ("walk", 1000 + np.cumsum(rng.normal(0, 5, 60)))):
        part = pd.DataFrame({"series": name, "y": y})
        if kind == "one_input":
            part["x"] = rng.normal(3, 2, 60)
        if kind == "two_targets":
            part["z"] = 50 + np.cumsum(rng.normal(0, 1, 60))
        if kind == "static":
            part["group"] = "b" if name == "low" else "a"
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


@pytest.fixture(scope="module", params=["no_inputs", "one_input", "two_targets", "static",
                                        "unfolded"])
def trained(request):
    """``(model, data)``: a GRU of 4 units trained 2 epochs on :func:`series_frame`, its
    windows of 12 rows read in 2 steps of a season (6 rows), or row by row ("unfolded")."""
    kind = request.param
    data = from_frame(series_frame(kind), "series",
                      ["y", "z"] if kind == "two_targets" else ["y"],
                      ["x"] if kind == "one_input" else [],
                      statics=["group"] if kind == "static" else [])
    settings = GlobalSettings(horizon=HORIZON, season=6, hidden_sizes=(4,), max_epochs=2,
                              fold=1 if kind == "unfolded" else None)
    model = fit_global(data, settings)
    assert (model.lookback, model.fold) == (12, 1 if kind == "unfolded" else 6)
    return model, data


def fit_global(data, settings):
    """The model of ``data`` with bounds known at every level: its 9 selection windows
    (3 series, 3 steps) are too few for a 90% interval (19), so the quantiles of their
    errors stand in for them, that the exports' bounds are compared too."""
    from engine.many.global_model import LEVELS, global_windows, never_narrower_bounds

    model = fit_with_few_windows(data, settings)
    windows = global_windows(data, settings)
    errors = np.asarray(windows.Y_sel, float) - model.network.predict(windows.X_sel)
    model.interval_errors = {
        level: never_narrower_bounds(
            np.stack([np.minimum(np.quantile(errors, (1 - level) / 2, axis=0), 0),
                      np.maximum(np.quantile(errors, (1 + level) / 2, axis=0), 0)]),
            len(model.target_names))
        for level in LEVELS}
    if model.later_errors:
        model.later_errors = later_interval_errors(model, data, settings)
    return model


def app_forecast(model, data, level=0.9):
    values, lower, upper, ok = model.forecast(data, level=level)
    assert ok.all()
    return values, lower, upper


def assert_close(got, expected, magnitude):
    """``got`` and ``expected`` (..., n_targets) agree to TOLERANCE times each target's
    ``magnitude`` (n_targets,)."""
    assert got.shape == expected.shape
    assert np.all(np.abs(got - expected) <= TOLERANCE * magnitude), np.abs(got - expected)


def recent(data, i, rows):
    """Series ``i``'s last ``rows`` values and inputs."""
    part = data.rows(i)
    inputs = data.inputs[part][-rows:] if data.inputs.shape[1] else None
    return data.targets[part][-rows:], inputs


def test_the_series_below_zero_is_not_logged(trained):
    model, _ = trained
    assert model.scaling.log[:, 0].tolist() == [True, False, True]
    assert rows_needed(model) == model.lookback + model.scaling.level_rows - 1
    assert model.scaling.level_rows == 6          # the season, at most the lookback


def run_module(path, cases):
    payload = [{"name": name, "series": series, "values": np.asarray(v).tolist(),
                "inputs": None if x is None else np.asarray(x).tolist(), "level": level}
               for name, series, v, x, level in cases]
    payload = json.loads(json.dumps(payload).replace("NaN", "null"))
    done = subprocess.run([sys.executable, "-I", "-c", RUNNER, str(path.parent), path.stem],
                          input=json.dumps(payload), capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def as_array(parts):
    return np.array([[[np.nan if v is None else v for v in row] for row in part]
                     for part in parts])


@pytest.mark.parametrize("level", [0.9, 0.8])
def test_the_python_module_forecasts_as_the_application(trained, tmp_path, level):
    model, data = trained
    path = export_global(model, "python", tmp_path / "global_model.py")
    rows = rows_needed(model)
    cases = [(f"s{i}", data.ids[i], *recent(data, i, rows), level) for i in (0, 1)]
    full = data.targets[data.rows(1)], data.inputs[data.rows(1)] if model.input_names else None
    cases.append(("whole", "low", *full, level))
    cases.append(("short", "low", *recent(data, 1, rows - 1), level))
    result = run_module(path, cases)
    assert result["rows"] == rows and result["ids"] == ["up", "low", "walk"]
    expected = np.stack(app_forecast(model, data, level), axis=1)    # (series, 3, H, 1)
    for i in (0, 1):
        got = as_array(result["out"][f"s{i}"])
        assert got.shape == (3, HORIZON, len(model.target_names))
        assert_close(got, expected[i], model.scaling.magnitude[i])
    assert result["out"]["whole"] == result["out"]["s1"]   # only the last ROWS rows count
    assert f"at least {rows} rows" in result["out"]["short"]


def test_the_python_module_gives_nan_where_the_application_cannot_forecast(trained, tmp_path):
    model, data = trained
    gap = replace(data, targets=data.targets.copy())
    gap.targets[int(data.starts[1]) - 1] = np.nan          # the last value of "up"
    _, _, _, ok = model.forecast(gap)
    values, inputs = recent(gap, 0, rows_needed(model))
    path = export_global(model, "python", tmp_path / "global_model.py")
    result = run_module(path, [("gap", "up", values, inputs, 0.9),
                               ("unknown", "nobody", values, inputs, 0.9)])
    assert ok.tolist() == [False, True, True]
    assert np.isnan(as_array(result["out"]["gap"])).all()
    assert "knows no series 'nobody'" in result["out"]["unknown"]


@pytest.mark.parametrize("trained", ["no_inputs"], indirect=True)
def test_a_series_without_a_scale_is_refused_by_the_module_and_left_out_of_onnx_checks(
        trained, tmp_path):
    """A series whose every row was testing has no scale (NaN magnitude): the module
    says so instead of forecasting NaN, and the ONNX file is checked on the other series
    and written; the model file keeps it unknown."""
    model, data = trained
    unscaled = replace(model, scaling=replace(model.scaling,
                                              magnitude=model.scaling.magnitude.copy()))
    unscaled.scaling.magnitude[0] = np.nan
    path = export_global(unscaled, "python", tmp_path / "unscaled.py")
    result = run_module(path, [(name, name, *recent(data, i, rows_needed(model)), 0.9)
                               for i, name in enumerate(("up", "low"))])
    assert "no scale for series 'up'" in result["out"]["up"]
    assert_close(as_array(result["out"]["low"]), np.stack(app_forecast(model, data),
                                                          axis=1)[1],
                 model.scaling.magnitude[1])
    export_global(unscaled, "onnx", tmp_path / "unscaled.onnx")
    import onnx
    table = {p.key: p.value for p in onnx.load(tmp_path / "unscaled.onnx").metadata_props}
    assert "NaN" not in table["rnn_studio.many_series"]          # JSON: null
    assert json.loads(table["rnn_studio.many_series"])["scaling"]["magnitude"][0] == [None]
    described = onnx.load(tmp_path / "unscaled.onnx").doc_string
    assert described.endswith(" NaN for up: no value other than 0 before the model's testing "
                          "part, so no scale to read it on; forecast it otherwise (RNN "
                          "Studio gives it its own seasonal naive forecast).")
    save_global_model(tmp_path / "unscaled.npz", unscaled)
    loaded = load_global_model(tmp_path / "unscaled.npz").scaling.magnitude
    assert np.isnan(loaded[0]).all() and np.isfinite(loaded[1:]).all()


def test_series_names_with_quotes_and_backslashes_give_a_module_that_runs(tmp_path):
    frame = series_frame("no_inputs")
    first = frame["series"].iloc[0]
    odd = 'say """hi""" \\ "'
    frame["series"] = frame["series"].where(frame["series"] != first, odd)
    data = from_frame(frame, "series", ["y"])
    model = fit_global(data, GlobalSettings(horizon=HORIZON, season=6, hidden_sizes=(4,),
                                            max_epochs=1))
    path = export_global(model, "python", tmp_path / "odd_names.py")
    result = run_module(path, [("odd", odd, *recent(data, 0, rows_needed(model)), 0.9)])
    expected = np.stack(app_forecast(model, data), axis=1)[0]
    assert_close(as_array(result["out"]["odd"]), expected, model.scaling.magnitude[0])


def test_the_python_module_of_a_recursive_model_goes_on_block_by_block(tmp_path):
    from engine.many.forecasting import forecast_steps

    data = from_frame(series_frame("no_inputs"), "series", ["y"])
    settings = GlobalSettings(horizon=HORIZON, season=6, hidden_sizes=(4,), max_epochs=2,
                              block=1)
    model = fit_global(data, settings)
    assert (model.horizon, model.steps) == (1, HORIZON)
    path = export_global(model, "python", tmp_path / "recursive_model.py")
    rows = rows_needed(model)
    cases = [(f"s{i}", data.ids[i], *recent(data, i, rows), 0.9) for i in (0, 2)]
    result = run_module(path, cases)
    expected = np.stack(forecast_steps(model, data, HORIZON)[:3], axis=1)
    for i in (0, 2):
        got = as_array(result["out"][f"s{i}"])
        assert got.shape == (3, HORIZON, 1)
        assert_close(got, expected[i], model.scaling.magnitude[i])
    assert "STEPS = MODEL.steps" in path.read_text()


def test_the_onnx_graph_of_a_recursive_model_gives_its_first_block(tmp_path):
    """A recursive model's graph gives the network's block (its self-check compares that
    block, not the whole forecast); run again on the values with it appended, the next."""
    onnxruntime = pytest.importorskip("onnxruntime")
    from engine.many.forecasting import forecast_steps

    data = from_frame(series_frame("no_inputs"), "series", ["y"])
    settings = GlobalSettings(horizon=HORIZON, season=6, hidden_sizes=(4,), max_epochs=2,
                              block=1)
    model = fit_global(data, settings)
    path = export_global(model, "onnx", tmp_path / "recursive.onnx")
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    rows, series = rows_needed(model), [0, 2]
    values = np.stack([recent(data, i, rows)[0] for i in series])
    expected = forecast_steps(model, data, HORIZON)[0]
    for step in range(2):
        got = session.run(["forecast"], {"values": values,
                                         "series": np.array(series, dtype=np.int64)})[0]
        assert got.shape == (2, 1, 1)
        for b, i in enumerate(series):
            assert_close(got[b], expected[i][step:step + 1], model.scaling.magnitude[i])
        values = np.concatenate([values, got], axis=1)[:, -rows:]


def test_onnx_runs_the_scaling_and_the_network_to_the_applications_forecasts(trained,
                                                                             tmp_path):
    onnxruntime = pytest.importorskip("onnxruntime")
    onnx = pytest.importorskip("onnx")
    model, data = trained
    path = export_global(model, "onnx", tmp_path / "global.onnx")
    operators = [node.op_type for node in onnx.load(str(path)).graph.node]
    assert operators.count("GRU") == 1 and "Gather" in operators and "CumSum" in operators
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    rows = rows_needed(model)
    order = [1, 0]                                    # any series in any order
    feed = {"values": np.stack([recent(data, i, rows)[0] for i in order]),
            "series": np.array(order, dtype=np.int64)}
    if model.input_names:
        feed["inputs"] = np.stack([recent(data, i, rows)[1] for i in order])
    assert [i.name for i in session.get_inputs()] == list(feed)
    got = session.run(["forecast", "lower", "upper"], feed)
    expected = app_forecast(model, data)
    for out, want in zip(got, expected):
        assert out.shape == (2, HORIZON, len(model.target_names))
        for b, i in enumerate(order):
            assert_close(out[b], want[i], model.scaling.magnitude[i])
    assert np.all(got[1] < got[0]) and np.all(got[0] < got[2])


def test_an_onnx_file_that_disagrees_is_not_written(trained, tmp_path, monkeypatch):
    pytest.importorskip("onnx")
    import engine.many.exports.onnx_model as onnx_model
    monkeypatch.setattr(onnx_model, "self_check", lambda proto, model, level: 0.5)
    target = tmp_path / "global.onnx"
    with pytest.raises(EngineError, match="differ"):
        export_global(trained[0], "onnx", target)
    assert not target.exists()


def test_the_torch_export_holds_the_state_dict_and_the_table(trained, tmp_path):
    model, _ = trained
    path = export_global(model, "torch", tmp_path / "weights.npz")
    with np.load(path, allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    state = model.network.state_dict()
    for name, value in state.items():
        assert arrays[name].dtype == value.dtype and np.array_equal(arrays[name], value)
    network_names = [n for n in arrays if n.startswith(("rnn.", "head.", "ar."))]
    assert sorted(network_names) == sorted(state)
    assert arrays["series.ids"].tolist() == ["up", "low", "walk"]
    for name in ("log", "magnitude", "scale", "input_mean", "input_std", "static"):
        assert np.array_equal(arrays[f"series.{name}"], getattr(model.scaling, name))
    assert arrays["model.static_names"].tolist() == model.scaling.static_names
    assert (int(arrays["model.horizon"]), int(arrays["model.lookback"]),
            int(arrays["model.level_rows"])) == (HORIZON, model.lookback, 6)
    assert arrays["model.input_names"].tolist() == model.input_names
    assert arrays["intervals.levels"].tolist() == [0.8, 0.9, 0.95]
    assert np.array_equal(arrays["intervals.errors"][1], model.interval_errors[0.9])
    assert "series.scale" in str(arrays["README"])


def readme_forecast(arrays, module, i, values, inputs, torch):
    """The forecast of series ``i`` computed as the export's README says."""
    L, k = int(arrays["model.lookback"]), int(arrays["model.level_rows"])
    s, magnitude = arrays["series.scale"][i], arrays["series.magnitude"][i]
    log = arrays["series.log"][i]
    u = np.where(log, np.log(np.abs(values)), values / magnitude)
    level = np.array([u[t - k + 1:t + 1].mean(axis=0) for t in range(len(u) - L, len(u))])
    columns = [(u[-L:] - u[-L - 1:-1]) / s, (u[-L:] - level) / s]
    if inputs is not None:
        columns.append((inputs[-L:] - arrays["series.input_mean"][i]) /
                       arrays["series.input_std"][i])
    if arrays["series.static"].shape[1]:
        columns.append(np.repeat(arrays["series.static"][i][None], L, axis=0))
    steps = np.concatenate(columns, axis=1).reshape(1, L // int(arrays["model.fold"]), -1)
    x = torch.from_numpy(steps.astype(np.float32))
    with torch.no_grad():
        z = module(x).numpy()[0].astype(float)
    base = level[-1] + z.reshape(int(arrays["model.horizon"]), -1) * s
    return np.where(log, np.exp(base), base * magnitude)


def test_pytorch_loads_the_state_dict_and_forecasts_as_the_readme_says(trained, tmp_path):
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (optional)")
    from helpers.torch_reference import TorchNetwork

    model, data = trained
    path = export_global(model, "torch", tmp_path / "weights.npz")
    with np.load(path, allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    state = {k: torch.from_numpy(v) for k, v in arrays.items()
             if k.startswith(("rnn.", "head.", "ar."))}
    targets = len(model.target_names)
    features = 2 * targets + len(model.input_names) + len(model.scaling.static_names)
    module = TorchNetwork("gru", features * model.fold, list(model.network.hidden_sizes),
                          HORIZON * targets,
                          lookback=model.lookback // model.fold)
    module.load_state_dict(state)
    expected = app_forecast(model, data)[0]
    for i in (0, 1):
        values, inputs = recent(data, i, rows_needed(model))
        got = readme_forecast(arrays, module, i, values, inputs, torch)
        assert_close(got, expected[i], model.scaling.magnitude[i])


@pytest.mark.parametrize("fmt,suffix", [("model", ".npz"), ("python", ".py"),
                                        ("onnx", ".onnx"), ("torch", ".npz")])
def test_the_command_line_exports_a_global_model(trained, tmp_path, fmt, suffix):
    model, data = trained
    source = tmp_path / "global.npz"
    save_global_model(source, model, metadata={"data": "series.csv"})
    target = tmp_path / f"export_{fmt}{suffix}"
    status, text, err = run("export", source, "--format", fmt, "--out", target)
    assert status == 0, err
    assert f"of global.npz (a model of many series, with its per-series scaling table) to " \
           f"{target}" in text
    assert (fmt == "torch") == text.startswith("Wrote the PyTorch weights of ")
    if fmt == "model":
        from engine.model.model_file import read_checked_arrays
        assert read_checked_arrays(target)[0]["metadata"] == {"data": "series.csv"}
        copy = load_global_model(target)
        for got, want in zip(app_forecast(copy, data), app_forecast(model, data)):
            np.testing.assert_array_equal(got, want)
    else:
        assert target.stat().st_size > 1000


def test_unknown_formats_and_folders_are_refused(trained, tmp_path):
    with pytest.raises(EngineError, match="Unknown export format 'keras'"):
        export_global(trained[0], "keras", tmp_path / "x")
    with pytest.raises(EngineError, match="is a folder"):
        export_global(trained[0], "python", tmp_path)


@pytest.mark.parametrize("trained", ["one_input"], indirect=True)
def test_a_model_with_inputs_asks_for_them(trained, tmp_path):
    model, data = trained
    path = export_global(model, "python", tmp_path / "global_model.py")
    values, _ = recent(data, 0, rows_needed(model))
    result = run_module(path, [("no_inputs", "up", values, None, 0.9)])
    assert "reads the inputs x" in result["out"]["no_inputs"]


def test_an_unknown_interval_is_nan_in_every_export(tmp_path):
    """Too few selection windows for 90% (9 of 19): the application, the Python module and
    the ONNX model leave its bounds empty (NaN) and keep the 80% ones (9 are enough)."""
    from engine.many.exports.onnx_model import build_onnx, self_check

    data = from_frame(series_frame("no_inputs"), "series", ["y"], [])
    model = fit_with_few_windows(data, GlobalSettings(horizon=HORIZON, season=6,
                                                      hidden_sizes=(4,), max_epochs=2))
    assert model.unknown_levels() == [0.9, 0.95]
    assert np.isfinite(model.interval_errors[0.8]).all()
    saved = save_global_model(tmp_path / "m.npz", model)
    assert saved["many_series"]["interval_errors"]["0.9"] == [[None] * HORIZON] * 2
    model = load_global_model(tmp_path / "m.npz")
    assert np.isnan(model.interval_errors[0.9]).all() and model.unknown_levels() == [0.9, 0.95]
    values, lower, upper = app_forecast(model, data, 0.9)
    assert np.isfinite(values).all() and np.isnan(lower).all() and np.isnan(upper).all()
    path = tmp_path / "m.py"
    export_global(model, "python", path)
    rows = rows_needed(model)
    result = run_module(path, [("s", "up", *recent(data, 0, rows), 0.9),
                               ("s80", "up", *recent(data, 0, rows), 0.8)])["out"]
    got = as_array(result["s"])
    assert np.isfinite(got[0]).all() and np.isnan(got[1:]).all()
    assert np.isfinite(as_array(result["s80"])).all()
    assert "lower and upper are NaN for a level whose interval is unknown" in \
        path.read_text() and "here 0.9, 0.95" in path.read_text()
    proto = build_onnx(model, 0.9)
    assert "NaN: unknown" in proto.doc_string
    difference = self_check(proto, model, 0.9)
    assert difference is None or difference <= TOLERANCE
