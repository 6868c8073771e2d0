"""Help > About: the version, what RNN Studio is for, the licences of the libraries it
ships with, and where each example data set comes from.

The licences are read from the installed packages' metadata (``License-Expression``, else
``License``, else the ``License ::`` classifiers), so the dialog states what is really
installed or bundled. The examples' provenance is the table in resources/examples/README.md.
"""

import html
from importlib import metadata
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QTextBrowser,
                               QVBoxLayout)

from engine import __version__
from engine.files import carried_folder

from .icon import application_icon

EXAMPLES_README = carried_folder("resources", "examples") / "README.md"

DESCRIPTION = ("Build, train, test and deploy recurrent neural networks for time series, "
               "without writing code: from a CSV file to a trained, tested and exported "
               "network in seven steps.")

OWN_LICENCE = "RNN Studio is free software under the MIT licence."

# (shown name, distribution name, note) of the libraries the application runs on.
LIBRARIES = (
    ("Qt for Python (PySide6)", "PySide6-Essentials",
     "used under the LGPL-3.0; includes the Qt 6 libraries (LGPL-3.0)"),
    ("Shiboken", "shiboken6", "used under the LGPL-3.0"),
    ("NumPy", "numpy", ""),
    ("pandas", "pandas", ""),
    ("pyqtgraph", "pyqtgraph", ""),
    ("ONNX", "onnx", ""),
    ("Protocol Buffers", "protobuf", "used by ONNX"),
    ("ml_dtypes", "ml_dtypes", "used by ONNX"),
    ("threadpoolctl", "threadpoolctl", ""),
    ("python-dateutil", "python-dateutil", "used by pandas"),
    ("statsmodels", "statsmodels", "the ETS and Theta comparators of the testing step"),
    ("SciPy", "scipy", "used by statsmodels"),
    ("patsy", "patsy", "used by statsmodels"),
    ("formulaic", "formulaic", "used by statsmodels"),
)
LICENCE_CLASSIFIER = "License :: "
MAX_LICENCE_TEXT = 80     # a License field longer than this is the licence's whole text


def licence_of(distribution):
    """``(version, licence)`` of an installed distribution, from its metadata; ``None``
    when it is not installed (or its metadata was not bundled)."""
    try:
        meta = metadata.metadata(distribution)
    except metadata.PackageNotFoundError:
        return None
    licence = (meta.get("License-Expression") or "").strip()
    if not licence:
        text = (meta.get("License") or "").strip()
        if text and len(text) <= MAX_LICENCE_TEXT and "\n" not in text:
            licence = text
    if not licence:
        classifiers = [c[len(LICENCE_CLASSIFIER):].split(" :: ")[-1]
                       for c in meta.get_all("Classifier") or []
                       if c.startswith(LICENCE_CLASSIFIER)]
        licence = ", ".join(classifiers)
    return meta.get("Version", "?"), licence or "not stated in the package"


def library_licences():
    """``[(name, distribution, version, licence, note)]`` for :data:`LIBRARIES`; a library
    that is missing has version ``None`` and licence ``"not installed"``."""
    rows = []
    for name, distribution, note in LIBRARIES:
        found = licence_of(distribution)
        version, licence = found if found else (None, "not installed")
        rows.append((name, distribution, version, licence, note))
    return rows


def _cells(line):
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def example_provenance(readme=None):
    """The rows of the table in the examples' README (default :data:`EXAMPLES_README`), as
    dicts keyed by its header (``file``, ``rows``, ``what it is``, ``source``, ``licence as
    the package states it``); an empty list when the README is missing."""
    try:
        lines = Path(readme or EXAMPLES_README).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    table = [line for line in lines if line.lstrip().startswith("|")]
    if len(table) < 2:
        return []
    header = _cells(table[0])
    return [dict(zip(header, _cells(line))) for line in table[2:]]


def _licences_html():
    rows = []
    for name, distribution, version, licence, note in library_licences():
        extra = f"<br><small>{html.escape(note)}</small>" if note else ""
        rows.append(f"<tr><td>{html.escape(name)}</td><td>{html.escape(version or '-')}</td>"
                    f"<td>{html.escape(licence)}{extra}</td></tr>")
    return ("<h3>Libraries</h3><table cellspacing='0' cellpadding='3' width='100%'>"
            "<tr><th align='left'>library</th><th align='left'>version</th>"
            "<th align='left'>licence</th></tr>" + "".join(rows) + "</table>"
            "<p><small>Python itself is under the PSF License. The licence texts are in each "
            "package's metadata folder (<i>name</i>.dist-info) of the installation or the "
            "bundle.</small></p>")


def _provenance_html():
    entries = example_provenance()
    if not entries:
        return ("<h3>Example data</h3><p>The examples' README (resources/examples/README.md) "
                "is missing from this installation.</p>")
    items = []
    for entry in entries:
        values = list(entry.values())
        file = entry.get("file", values[0])
        what = entry.get("what it is", "")
        source = entry.get("source", "")
        licence = entry.get("licence as the package states it", values[-1])
        items.append(f"<li style='margin-bottom: 6px'><b>{html.escape(file)}</b>: "
                     f"{html.escape(what)}.<br>Source: {html.escape(source)}.<br>"
                     f"Licence: {html.escape(licence)}</li>")
    return ("<h3>Example data</h3><p>The built-in examples are real measurements:</p><ul>"
            + "".join(items) + "</ul>")


class AboutDialog(QDialog):
    """The About box: icon, name and version, description, licences, example provenance."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("About RNN Studio")
        icon = QLabel()
        icon.setPixmap(application_icon().pixmap(64, 64))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.heading = QLabel(f"<h2>RNN Studio {__version__}</h2><p>{DESCRIPTION}</p>"
                              f"<p>{OWN_LICENCE}</p>")
        self.heading.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addWidget(self.heading, 1)
        self.details = QTextBrowser()
        self.details.setOpenExternalLinks(True)
        self.details.setHtml(_licences_html() + _provenance_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.resize(720, 620)

    def text(self):
        """Everything the dialog shows, as plain text."""
        return self.heading.text() + "\n" + self.details.toPlainText()
