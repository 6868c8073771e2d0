"""``rnn-studio --self-test``: every stage runs and reports, a broken stage is caught and
named, and the whole run needs no Qt."""

import io
import re
import subprocess
import sys
import types
from pathlib import Path

import numpy as np

import engine.model.model_file
import engine.cli.self_test as self_test
from engine.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
STAGE_LINE = re.compile(r"^  (load|train|evaluate|export) +\d+\.\d\d s  \S")


def run(monkeypatch=None, tmp_path=None):
    out, err = io.StringIO(), io.StringIO()
    if tmp_path is not None:
        monkeypatch.setattr(self_test.tempfile, "tempdir", str(tmp_path))
    status = self_test.run_self_test(out, err)
    return status, out.getvalue(), err.getvalue()


def test_every_stage_passes_in_order_and_leaves_nothing_behind(monkeypatch, tmp_path):
    status, out, err = run(monkeypatch, tmp_path)
    assert status == 0, err
    lines = out.splitlines()
    assert lines[0] == f"RNN Studio {engine.__version__} self-test"
    assert [STAGE_LINE.match(line).group(1) for line in lines[1:5]] == [
        "load", "train", "evaluate", "export"]
    assert f"{self_test.EPOCHS} epochs" in lines[2]
    assert re.match(r"Self-test passed in \d+\.\d\d s$", lines[5])
    assert err == ""
    assert list(tmp_path.iterdir()) == []         # the temporary folder is removed


def test_the_command_line_flag_runs_it_without_loading_qt():
    code = ("import sys; from engine.cli.main import main; status = main(['--self-test']); "
            "qt = sorted(m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))); "
            "print('QT', qt); sys.exit(status)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Self-test passed" in done.stdout
    assert "QT []" in done.stdout


def test_missing_example_data_fails_the_load_stage(monkeypatch, tmp_path):
    monkeypatch.setattr(self_test, "EXAMPLES", tmp_path / "nowhere")
    status, out, err = run()
    assert status == 1
    assert err.startswith("rnn-studio --self-test: load failed: The example data")
    assert "installation is incomplete" in err
    assert "passed" not in out


def test_a_model_file_that_reads_back_wrong_fails_the_evaluate_stage(monkeypatch):
    real = engine.model.model_file.load_model

    def damaged(path, **kwargs):
        model = real(path, **kwargs)
        state = model.network.state_dict()
        state["head.bias"] = state["head.bias"] + 0.5
        model.network.load_state_dict(state)
        return model

    monkeypatch.setattr(engine.model.model_file, "load_model", damaged)
    status, out, err = run()
    assert status == 1
    assert "evaluate failed: The model file scores testing RMSE" in err
    assert "  train " in out and "  evaluate " not in out


def _fake_exports(monkeypatch, write):
    module = types.ModuleType("engine.deploy.exports")
    module.export_model = write
    monkeypatch.setitem(sys.modules, "engine.deploy.exports", module)


def test_an_onnx_file_that_computes_something_else_fails_the_export_stage(monkeypatch):
    from engine.deploy.exports import export_model

    def shifted(model, fmt, path):       # a valid ONNX file of a different network
        state = model.network.state_dict()
        state["head.bias"] = state["head.bias"] + 0.01
        model.network.load_state_dict(state)
        return export_model(model, fmt, path)

    _fake_exports(monkeypatch, shifted)
    status, out, err = run()
    assert status == 1
    assert re.search(r"export failed: The ONNX file's outputs differ from the network's by "
                     r"0\.01", err), err


def test_a_broken_onnx_file_fails_the_export_stage(monkeypatch):
    _fake_exports(monkeypatch, lambda model, fmt, path: Path(path).write_bytes(b"not onnx"))
    status, out, err = run()
    assert status == 1
    assert "export failed:" in err


def test_any_unexpected_error_is_one_line_and_status_1(monkeypatch):
    def broken(*args, **kwargs):
        raise np.linalg.LinAlgError("singular matrix")

    monkeypatch.setattr("engine.training.fitting.fit_project", broken)
    status, out, err = run()
    assert status == 1
    assert err == "rnn-studio --self-test: train failed: LinAlgError: singular matrix\n"


def test_main_returns_the_status():
    out, err = io.StringIO(), io.StringIO()
    assert main(["--self-test"], out=out, err=err) == 0
    assert "Self-test passed" in out.getvalue()


def test_a_missing_runtime_of_the_python_export_fails_the_export_stage(monkeypatch):
    import engine.deploy.exports.python_module as python_module

    monkeypatch.setattr(python_module, "RUNTIME", Path("/nowhere/standalone_runtime.py"))
    monkeypatch.setattr(python_module.runtime_code, "__defaults__", (python_module.RUNTIME,))
    status, out, err = run()
    assert status == 1
    assert err.startswith("rnn-studio --self-test: export failed: FileNotFoundError")
    assert "standalone_runtime.py" in err
