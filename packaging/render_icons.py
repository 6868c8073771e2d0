"""Render resources/icons/rnn-studio.svg to the PNG sizes a desktop needs (16 to 256 pixels),
with Qt's SVG renderer, offscreen. The PNGs are committed; run this after editing the SVG:

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/render_icons.py
"""

import os
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
SOURCE = ICONS / "rnn-studio.svg"
SIZES = (16, 32, 48, 64, 128, 256)


def png_path(size, folder=ICONS):
    return Path(folder) / f"rnn-studio-{size}.png"


def render(source=SOURCE, sizes=SIZES, folder=ICONS):
    """Write ``rnn-studio-{size}.png`` for every size into ``folder``; returns the paths."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    if QGuiApplication.instance() is None:
        render.application = QGuiApplication(sys.argv[:1])   # kept alive while rendering
    renderer = QSvgRenderer(str(source))
    if not renderer.isValid():
        raise SystemExit(f"{source} is not a valid SVG file.")
    written = []
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter)
        painter.end()
        path = png_path(size, folder)
        if not image.save(str(path)):
            raise SystemExit(f"Could not write {path}.")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in render():
        print(path.relative_to(ICONS.parents[1]))
