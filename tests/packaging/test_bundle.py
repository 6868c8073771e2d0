"""The desktop bundle: PyInstaller builds it from packaging/rnn-studio.spec (as `make package`
does) into a temporary folder, and the bundle then runs on its own, without this Python,
in an environment with nothing but PATH and HOME: the self-test, the version, the
application window (offscreen) opening a built-in example, the desktop entry's installer.
It holds the examples, the icons and the licences' metadata, and none of the tests, the
optional extras or the Qt modules the application does not use.

Skipped when PyInstaller is not installed (`make pyinstaller` installs it; CI does).
"""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("PyInstaller", reason="PyInstaller is not installed (make pyinstaller); "
                                          "the desktop bundle is not built")

import engine  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "packaging" / "rnn-studio.spec"
EXAMPLES = ROOT / "resources" / "examples"
MAX_MEGABYTES = 340          # about 310 today (statsmodels and SciPy, the comparators, add 90);
                             # PyTorch or QtWebEngine would add hundreds
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    """The bundle folder (``.../rnn-studio``), built once for this module."""
    work = tmp_path_factory.mktemp("bundle")
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(work / "dist"), "--workpath", str(work / "build"), str(SPEC)],
        cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-4000:]
    folder = work / "dist" / "rnn-studio"
    seconds = time.perf_counter() - started
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    print(f"\nbundle built in {seconds:.0f} s: {size / 2 ** 20:.0f} MiB in {folder}")
    shutil.rmtree(work / "build", ignore_errors=True)
    yield folder
    shutil.rmtree(work, ignore_errors=True)      # 220 MB: pytest would keep it for days


def clean_environment(home, **extra):
    """What a machine without Python offers: a PATH of system folders and a home."""
    home.mkdir(parents=True, exist_ok=True)
    return {"PATH": "/usr/bin:/bin", "HOME": str(home), **extra}


def run(bundle, *args, env, timeout=120):
    return subprocess.run([str(bundle / "rnn-studio"), *args], env=env, cwd=env["HOME"],
                          capture_output=True, text=True, timeout=timeout)


def test_the_self_test_passes_in_a_clean_environment(bundle, tmp_path):
    # "on" asks for the second training process whenever possible: a bundle has no Python
    # interpreter to start it with, so it must train in one process instead
    env = clean_environment(tmp_path / "home", RNN_STUDIO_PROCESS_PAIR="on")
    done = run(bundle, "--self-test", env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    stages = [line.split()[0] for line in done.stdout.splitlines()[1:5]]
    assert stages == ["load", "train", "evaluate", "export"]
    assert "Self-test passed" in done.stdout
    assert "ONNX file of" in done.stdout              # onnx and the export are bundled
    assert done.stderr == ""


def _bundle_processes(bundle):
    """Process ids of programs running from the bundle folder."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and Path(os.readlink(entry / "exe")).is_relative_to(bundle):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def test_model_selection_runs_worker_processes_from_the_bundle(bundle, tmp_path):
    """The process pool's workers are the bundle's own program started again (there is no
    Python to start): they run their trials and end with the search."""
    from engine.training.automatic import AutomaticChoices, automatic_project
    from engine.project.document import save_project

    csv = tmp_path / "airline.csv"
    shutil.copy(EXAMPLES / "airline_passengers.csv", csv)
    project, _ = automatic_project(AutomaticChoices(
        csv, ["passengers"], test_from="1960-01-01", max_epochs=5, folder=tmp_path))
    save_project(project, tmp_path / "airline.json")
    done = run(bundle, "select", str(tmp_path / "airline.json"), "--method", "cell",
               "--workers", "2", env=clean_environment(tmp_path / "home"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "on local processes (2 workers)" in done.stdout
    for cell in ("simple RNN", "GRU", "LSTM"):
        assert cell in done.stdout
    assert not _bundle_processes(bundle)


def test_the_version_is_the_engines(bundle, tmp_path):
    done = run(bundle, "--version", env=clean_environment(tmp_path / "home"))
    assert done.returncode == 0
    assert done.stdout == f"rnn-studio {engine.__version__}\n"


def test_the_command_line_subcommands_are_bundled(bundle, tmp_path):
    from engine.cli.main import command_names

    done = run(bundle, "--help", env=clean_environment(tmp_path / "home"))
    assert done.returncode == 0
    for name in command_names():      # engine/cli/commands/* are found with pkgutil at run time
        assert f"    {name} " in done.stdout or f"    {name}\n" in done.stdout, name


def test_the_window_opens_an_example_from_the_bundled_data(bundle, tmp_path):
    """`rnn-studio --example airline` copies the bundled airline data into the user's
    examples folder and opens it: the copy appearing proves that the application (not just
    the engine) and its data are in the bundle."""
    home = tmp_path / "home"
    env = clean_environment(home, QT_QPA_PLATFORM="offscreen")
    process = subprocess.Popen([str(bundle / "rnn-studio"), "--example", "airline"], env=env,
                               cwd=home, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    copied = None
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            found = list(home.rglob("examples/airline/airline_passengers.csv"))
            if found and list(found[0].parent.glob("*.json")):
                copied = found[0]
                time.sleep(1.0)        # let it run on with the project open
                break
            time.sleep(0.2)
        still_running = process.poll() is None
    finally:
        process.terminate()
        out, err = process.communicate(timeout=30)
    assert copied is not None, f"no example project was created; stderr:\n{err}"
    assert still_running, f"the application ended early; stderr:\n{err}"
    assert copied.read_bytes() == (EXAMPLES / "airline_passengers.csv").read_bytes()
    assert "Traceback" not in err and "rror" not in err, err


def test_the_bundle_holds_the_examples_icons_licences_and_guide(bundle):
    from app.about_dialog import LIBRARIES
    from app.examples import EXAMPLES as BUILT_IN

    data = bundle / "_internal" / "resources"
    for example in BUILT_IN.values():
        assert ((data / "examples" / example.file).read_bytes()
                == (EXAMPLES / example.file).read_bytes())
    assert (data / "examples" / "README.md").read_text() == (EXAMPLES / "README.md").read_text()
    # Help > User guide reads docs/ beside app/ (app/help_window.py), in the bundle too
    from app.help_window import GUIDE
    assert (bundle / "_internal" / GUIDE.relative_to(ROOT)).read_text() == GUIDE.read_text()
    for size in (16, 32, 48, 64, 128, 256):
        assert (data / "icons" / f"rnn-studio-{size}.png").is_file()
    folders = {p.name.lower() for p in (bundle / "_internal").glob("*.dist-info")}
    for _, distribution, _ in LIBRARIES:
        prefix = distribution.lower().replace("-", "_") + "-"
        assert any(name.startswith(prefix) for name in folders), distribution


def test_the_bundle_is_lean(bundle):
    internal = bundle / "_internal"
    files = [p for p in bundle.rglob("*") if p.is_file()]
    names = {p.name for p in files}
    relative = [str(p.relative_to(bundle)) for p in files]
    # no tests: neither the project's nor those of the libraries
    ours = {p.name for p in (ROOT / "tests").rglob("*.py")} - {"__init__.py"}
    assert not ours & names
    assert not [r for r in relative if "/tests/" in r or r.endswith("conftest.py")]
    # no optional extras or unused Qt modules
    for package in ("torch", "onnxruntime", "distributed", "dask", "PyInstaller", "pytest",
                    "IPython", "matplotlib", "tkinter"):
        assert not (internal / package).exists(), package
    assert not [n for n in names if n.startswith("_tkinter")]
    present = {p.name.split(".")[0] for p in (internal / "PySide6").glob("Qt*.so")}
    assert present == {"QtCore", "QtGui", "QtWidgets", "QtSvg", "QtOpenGL", "QtOpenGLWidgets"}
    for library in ("Qml", "Quick", "Pdf", "WebEngineCore", "Network", "Multimedia"):
        assert f"libQt6{library}.so.6" not in names, library
    size = sum(p.stat().st_size for p in files if not p.is_symlink())
    assert size < MAX_MEGABYTES * 2 ** 20, f"{size / 2 ** 20:.0f} MiB"


def test_the_desktop_entry_installs_from_the_bundle(bundle, tmp_path):
    env = clean_environment(tmp_path / "home", XDG_DATA_HOME=str(tmp_path / "share"))
    done = subprocess.run(["sh", str(bundle / "install-desktop-entry.sh")], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    entry = tmp_path / "share" / "applications" / "rnn-studio.desktop"
    lines = entry.read_text().splitlines()
    assert f'Exec="{bundle / "rnn-studio"}" %f' in lines
    assert "Icon=rnn-studio" in lines
    for size in (16, 32, 48, 64, 128, 256):
        icon = tmp_path / "share" / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        assert (icon / "rnn-studio.png").read_bytes() == (
            ROOT / "resources" / "icons" / f"rnn-studio-{size}.png").read_bytes()
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True,
                               text=True)
        assert check.returncode == 0 and not check.stdout.strip(), check.stdout
    removed = subprocess.run(["sh", str(bundle / "install-desktop-entry.sh"), "--remove"],
                             env=env, capture_output=True, text=True, timeout=60)
    assert removed.returncode == 0 and not entry.exists()


@pytest.mark.skipif(os.name != "posix", reason="the bundle is built for Linux here")
def test_the_bundle_needs_only_basic_system_libraries(bundle):
    """Every library the bundle links to is either in it or one that libc6, libgl1,
    libegl1 and libxcb1 (or, for Wayland sessions, libwayland-client0/-cursor0) provide."""
    if shutil.which("ldd") is None:
        pytest.skip("ldd is not available")
    internal = bundle / "_internal"
    search = os.pathsep.join(str(p) for p in (internal, internal / "PySide6" / "Qt" / "lib",
                                                internal / "numpy.libs"))
    env = {"PATH": "/usr/bin:/bin", "LD_LIBRARY_PATH": search}
    allowed = ("libc.so", "libm.so", "libdl.so", "libpthread.so", "librt.so", "libresolv.so",
               "libutil.so", "ld-linux", "libGL.so", "libGLX.so", "libGLdispatch.so",
               "libEGL.so", "libOpenGL.so", "libxcb.so", "libwayland-client.so",
               "libwayland-cursor.so", "libwayland-egl.so", "libvulkan.so", "linux-vdso")
    outside = set()
    for path in [bundle / "rnn-studio", *internal.rglob("*.so*")]:
        if path.is_symlink() or not path.is_file():
            continue
        listing = subprocess.run(["ldd", str(path)], env=env, capture_output=True,
                                 text=True).stdout
        for line in listing.splitlines():
            name = os.path.basename(line.split()[0]) if line.strip() else ""
            target = line.split("=>")[-1].strip() if "=>" in line else ""
            if str(internal) in target or not name or "statically" in line:
                continue
            if not name.startswith(allowed):
                outside.add(f"{name} (needed by {path.name})")
    assert not outside, sorted(outside)
