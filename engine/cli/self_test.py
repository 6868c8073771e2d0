"""``rnn-studio --self-test``: a built-in example run end to end, without a screen.

It checks that an installation (a virtual environment or the desktop bundle) can do the
whole job, and says which stage fails when it cannot:

1. load: copy the airline example (:data:`EXAMPLE`) into a temporary folder and make its
   project with the automatic defaults
   (:func:`engine.training.automatic.automatic_project`), with a fixed lookback and
   transform so that no trial fits run;
2. train: a small GRU for a few epochs (:func:`engine.training.fitting.fit_project`), its
   model file written as the command line writes it
   (:func:`engine.training.fitting.save_fit`);
3. evaluate: the model file read back and scored on the data file
   (:func:`engine.testing.evaluation.evaluate_file`), with the classical comparators
   (ETS, Theta, linear: each must be fitted); its testing RMSE must equal the one computed
   in memory during training (the model file, its preprocessing and the CSV reader agree);
4. export: an ONNX file (:func:`engine.deploy.exports.export_model`), checked with
   ``onnx.checker`` and run by onnx's reference evaluator on the testing windows: its
   outputs must match the network's (:data:`ONNX_TOLERANCE`); and the Python module of
   NumPy only, which must compile (it is made from source files of the engine that an
   installation must carry).

Each stage prints one line with its time; any failure prints what failed and the exit
status is 1. Nothing outside the temporary folder is written.
"""

import math
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from engine.errors import EngineError
from engine.files import carried_folder

EXAMPLES = carried_folder("resources", "examples")
EXAMPLE = {"file": "airline_passengers.csv", "target": "passengers",
           "test_from": "1960-01-01", "lookback": 12, "transform": "seasonal_difference"}
EPOCHS = 5
ONNX_TOLERANCE = 1e-4        # float32 ONNX against the float64 network
HIDDEN = [8]


class SelfTestFailure(Exception):
    """A stage produced a wrong result (an installation problem, not a user error)."""


def _load(folder):
    from engine.cli.arguments import parse_when
    from engine.training.automatic import AutomaticChoices, automatic_project

    source = EXAMPLES / EXAMPLE["file"]
    if not source.is_file():
        raise SelfTestFailure(f"The example data {source} is missing: the installation is "
                              "incomplete. Reinstall RNN Studio or rebuild the bundle.")
    data = folder / EXAMPLE["file"]
    shutil.copyfile(source, data)
    project, _ = automatic_project(AutomaticChoices(
        data, [EXAMPLE["target"]], lookback=EXAMPLE["lookback"],
        test_from=parse_when(EXAMPLE["test_from"]), hidden_sizes=HIDDEN, max_epochs=EPOCHS,
        seed=0, folder=folder, name="self-test"))
    config = project.dataset_config()
    config.target_transform = EXAMPLE["transform"]
    project.data.config = config
    project.selection.settings = {"choose_target_transform": False,
                                  "choose_inputs": False}
    project.training.patience = 0
    table = project.table()
    return {"data": data, "project": project, "table": table,
            "text": f"{data.name}: {len(table.frame)} rows, target {EXAMPLE['target']}"}


def _train(folder, state):
    from engine.training.fitting import fit_project, save_fit

    result = fit_project(state["project"], table=state["table"])
    if len(result.history) != EPOCHS:
        raise SelfTestFailure(f"Training ran {len(result.history)} epochs instead of "
                              f"{EPOCHS}.")
    losses = [report.training_loss for report in result.history]
    if not all(math.isfinite(loss) for loss in losses):
        raise SelfTestFailure(f"Training losses are not finite: {losses}.")
    model_path = folder / "self-test.model.npz"
    save_fit(result, model_path)
    state.update(result=result, model_path=model_path)
    net = result.network
    return (f"{net.cell.upper()} {list(net.hidden_sizes)}, {EPOCHS} epochs, training loss "
            f"{losses[0]:.4g} -> {losses[-1]:.4g}")


def _evaluate(folder, state):
    from engine.testing.evaluation import evaluate_file
    from engine.model.model_file import load_model

    model = load_model(state["model_path"])
    evaluation = evaluate_file(model, state["data"])
    rmse = evaluation.scores.to_dict()["targets"][EXAMPLE["target"]]["rmse"]
    trained = state["result"].scores["testing"].to_dict()["targets"][EXAMPLE["target"]]["rmse"]
    if not (math.isfinite(rmse) and math.isclose(rmse, trained, rel_tol=1e-6)):
        raise SelfTestFailure(f"The model file scores testing RMSE {rmse} on the data file, "
                              f"but the trained network scored {trained}.")
    missing = [c.reason for c in evaluation.comparators.values() if c.forecast is None]
    if missing:
        raise SelfTestFailure("The classical comparators were not fitted: "
                              + "; ".join(missing))
    state["model"] = model
    beside = ", ".join(f"{name} {scores.rmse[0]:.4g}"
                       for name, scores in evaluation.baselines.items()
                       if name in evaluation.comparators and scores is not None)
    return (f"testing RMSE {rmse:.4g} on {evaluation.scores.count} rows "
            f"(from {evaluation.start_time}); comparators {beside}")


def _export(folder, state):
    model, network = state["model"], state["result"].network
    from engine.deploy.exports import export_model

    exports = folder / "export"
    exports.mkdir()
    path = exports / "self-test.onnx"
    export_model(model, "onnx", path)
    difference = _onnx_difference(path, network, state["result"].prepared.X_test)
    if not difference <= ONNX_TOLERANCE:
        raise SelfTestFailure(f"The ONNX file's outputs differ from the network's by "
                              f"{difference:.3g} (more than {ONNX_TOLERANCE:g}).")
    module = exports / "self_test_model.py"
    export_model(model, "python", module)
    compile(module.read_text(encoding="utf-8"), str(module), "exec")
    return (f"ONNX file of {path.stat().st_size:,} bytes, valid, outputs within "
            f"{difference:.1g} of the network's; Python module of "
            f"{module.stat().st_size:,} bytes")


def _onnx_difference(path, network, X):
    """Largest difference between the ONNX file's outputs, computed by onnx's own reference
    evaluator (plain NumPy, no onnxruntime), and the network's, on windows ``X``; the file
    must also pass ``onnx.checker``."""
    import onnx
    from onnx.reference import ReferenceEvaluator

    proto = onnx.load(str(path))
    onnx.checker.check_model(proto)
    X = np.asarray(X, dtype=np.float32)
    got = ReferenceEvaluator(proto).run(None, {proto.graph.input[0].name: X})[0]
    return float(np.max(np.abs(got - network.predict(X.astype(np.float64)))))


STAGES = (("train", _train), ("evaluate", _evaluate), ("export", _export))


def run_self_test(out, err):
    """Run the stages, one line each on ``out``; a failure is reported on ``err``.
    Returns the exit status: 0 when every stage passed, else 1."""
    from engine.version import __version__

    print(f"RNN Studio {__version__} self-test", file=out, flush=True)
    started = time.perf_counter()
    stage = "load"
    try:
        with tempfile.TemporaryDirectory(prefix="rnn-studio-self-test-") as name:
            folder = Path(name)
            state = _load(folder)
            print(f"  load      {time.perf_counter() - started:6.2f} s  {state['text']}",
                  file=out, flush=True)
            for stage, function in STAGES:
                begun = time.perf_counter()
                text = function(folder, state)
                print(f"  {stage:<9} {time.perf_counter() - begun:6.2f} s  {text}",
                      file=out, flush=True)
    except (EngineError, SelfTestFailure) as error:
        print(f"rnn-studio --self-test: {stage} failed: {error}", file=err)
        return 1
    except Exception as error:  # noqa: BLE001 - the point is to report any failure
        print(f"rnn-studio --self-test: {stage} failed: {type(error).__name__}: {error}",
              file=err)
        return 1
    print(f"Self-test passed in {time.perf_counter() - started:.2f} s", file=out)
    return 0
