"""The icon: the committed PNGs are what packaging/render_icons.py renders from the SVG, at
the sizes a desktop asks for; the desktop entry is valid and names that icon and the
program."""

import importlib.util
import shutil
import subprocess
from pathlib import Path

import pytest

QtGui = pytest.importorskip("PySide6.QtGui")

ROOT = Path(__file__).resolve().parents[2]
ICONS = ROOT / "resources" / "icons"
ENTRY = ROOT / "packaging" / "rnn-studio.desktop"


def load_renderer():
    spec = importlib.util.spec_from_file_location("render_icons",
                                                  ROOT / "packaging" / "render_icons.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_pngs_are_the_rendered_svg(qapp, tmp_path):
    renderer = load_renderer()
    written = renderer.render(folder=tmp_path)
    assert [p.name for p in written] == [f"rnn-studio-{s}.png" for s in renderer.SIZES]
    assert renderer.SIZES == (16, 32, 48, 64, 128, 256)
    for size, fresh in zip(renderer.SIZES, written):
        committed = QtGui.QImage(str(ICONS / f"rnn-studio-{size}.png"))
        again = QtGui.QImage(str(fresh))
        assert (committed.width(), committed.height()) == (size, size)
        worst = max(abs(committed.pixelColor(x, y).value() - again.pixelColor(x, y).value())
                    + abs(committed.pixelColor(x, y).alpha() - again.pixelColor(x, y).alpha())
                    for x in range(size) for y in range(size))
        assert worst <= 2, f"{size} px: rerun packaging/render_icons.py and commit the PNGs"
        assert committed.pixelColor(0, 0).alpha() == 0              # rounded corner
        assert committed.pixelColor(size // 2, size // 4).alpha() == 255


def test_the_window_icon_has_every_size(qapp):
    from app.icon import application_icon

    sizes = sorted(s.width() for s in application_icon().availableSizes())
    assert sizes == [16, 32, 48, 64, 128, 256]


def test_the_desktop_entry_names_the_program_and_the_icon():
    lines = ENTRY.read_text().splitlines()
    assert lines[0] == "[Desktop Entry]"
    fields = dict(line.split("=", 1) for line in lines[1:] if "=" in line)
    assert fields["Exec"].split()[0] == "rnn-studio"       # the console script's name
    assert fields["Icon"] == "rnn-studio"                   # the installed PNGs' name
    assert fields["Type"] == "Application" and fields["Terminal"] == "false"
    # X11 matches the window by its WM_CLASS class, which Qt takes from the application
    # name; Wayland by the desktop file name that app/main.py sets
    assert fields["StartupWMClass"] == "RNN Studio"
    main = (ROOT / "app" / "main.py").read_text()
    assert 'setApplicationName("RNN Studio")' in main
    assert f'setDesktopFileName("{ENTRY.stem}")' in main
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(ENTRY)], capture_output=True,
                               text=True)
        assert check.returncode == 0 and not check.stdout.strip(), check.stdout
