"""The project document: the whole state of a project as one plain, versioned JSON file.

Document (format version 1), keys in this order::

    {
      "format": "rnn-studio-project",
      "format_version": 1,
      "saved_with": "0.1.0",
      "name": "Airline passengers",
      "description": "",
      "data": {"path": "data/airline.csv", "config": {...from the data layer...}},
      "architecture": {"cell": "gru", "hidden_sizes": [32], "activation": "tanh",
                       "dtype": "float64", "seed": 0, "linear_path": true,
                       "units_by_hand": false},
      "training": {...training settings...},
      "selection": {"settings": {...}, "summary": {...}},
      "results": {...summary of training and testing results; "training" holds the
                  loss history and settings fingerprint of engine.project.model_status...},
      "model": {"path": "model.npz"}
    }

In memory each section is a typed record (:mod:`engine.project.sections`; the architecture is
an :class:`~engine.network.architecture.Architecture`), parsed and checked once when the
document is opened; :meth:`Project.table` is the one loader of the project's data.

Paths (``data.path``, ``model.path``) are stored relative to the project file's folder, with
``/`` separators, when the file lies inside that folder, so that a folder moved or copied
with its data keeps working; a file elsewhere is stored as an absolute path. In memory the
document's paths stay as stored; :meth:`Project.data_file` and :meth:`Project.model_file`
give absolute paths.

Versions: an incompatible change increases ``format_version`` and adds a function to
:data:`MIGRATIONS` that turns a version ``k`` document into version ``k + 1``; older documents
are upgraded on loading. Additive changes keep the version: keys this version does not know,
at the top level (kept in :attr:`Project.extra`) or inside a section, are kept unchanged on
a load/save round trip. A section is written in the order of its record's fields, then
the keys it does not know; the data-set settings are written back as they were read while
they are unchanged; ``architecture.units_by_hand`` (whether the units were set by hand, see
:class:`~engine.network.architecture.Architecture`) is written once it is known, so a file
without it (older, or of one series whose units were never set by hand) is written back
without it; the file is indented JSON in UTF-8 with ``\\n`` line ends, so that the same
project always gives the same bytes.

Loading and saving check every setting this version knows (types, ranges, spellings; see
:mod:`engine.project.checks`): a wrong value is named when the file is opened, not met
later as a failure, and nothing is saved that would not open again.
"""

import copy
import json
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from engine.atomic import atomic_write_text, json_ready
from engine.data.config import CONFIG_KEYS
from engine.data.csv_reader import CsvOptions, with_corrections
from engine.data.pipeline import load_table, with_series_time
from engine.errors import EngineError, newer_version_error
from engine.network.architecture import Architecture
from engine.project.checks import checked_sections
from engine.project.sections import (DataSection, ModelSection, Results, SelectionSection,
                                     TrainingChoices)

FORMAT_NAME = "rnn-studio-project"
FORMAT_VERSION = 1
PROJECT_SUFFIX = ".json"
MAX_STEM_BYTES = 120
SECTIONS = ("data", "architecture", "training", "selection", "results", "model")
KNOWN_KEYS = ("format", "format_version", "saved_with", "name", "description") + SECTIONS


# -- paths relative to the project folder ------------------------------------------------------

def stored_path(path, folder):
    """``path`` as a project stores it: relative to ``folder`` with ``/`` when inside it,
    otherwise absolute."""
    folder = os.path.abspath(folder)
    path = os.path.abspath(os.path.join(folder, os.fspath(path)))
    try:
        inside = os.path.commonpath([folder, path]) == folder
    except ValueError:                      # another drive (Windows)
        inside = False
    if not inside:
        return path
    return PurePosixPath(*Path(os.path.relpath(path, folder)).parts).as_posix()


def resolve_path(stored, folder):
    """The absolute path of a stored path (``None`` stays ``None``)."""
    if stored is None:
        return None
    return Path(os.path.normpath(os.path.join(os.path.abspath(folder), stored)))


MISSING_DATA_ADVICE = "locate it on the data-set step."
"""What the message on a project's missing data file advises, in the pages' words (the
window offers to locate it when the project opens); the command line's are
:func:`missing_data_file_advice`."""


def missing_data_file_advice(project):
    """What the message on a missing data file advises on the command line, naming the
    project file ``project`` (as the command line was given it): no command that reads a
    project takes its data file, so the file goes back, or the project file names where
    it is now."""
    return (f"put it back, or set \"path\" in the \"data\" of {project} to where it is now "
            "(relative to the project file's folder, or a full path).")


# -- the project ----------------------------------------------------------------------------

@dataclass
class Project:
    """A project: its document's sections, parsed and checked when it was opened (see
    :mod:`engine.project.sections`), and the folder of its file.

    ``folder`` is where relative paths point from; :func:`save_project` sets it to the
    folder of the file written. ``extra`` holds top-level keys this version does not know.
    ``saved_with`` (the application version that wrote the file) and ``loaded_version``
    (the format version the file had before any upgrade) are informative and take no part
    in comparisons.
    """

    name: str
    folder: Path
    description: str = ""
    data: DataSection = field(default_factory=DataSection)
    architecture: Architecture = field(default_factory=Architecture)
    training: TrainingChoices = field(default_factory=TrainingChoices)
    selection: SelectionSection = field(default_factory=SelectionSection)
    results: Results = field(default_factory=Results)
    model: ModelSection = field(default_factory=ModelSection)
    extra: dict = field(default_factory=dict)
    saved_with: str | None = field(default=None, compare=False)
    loaded_version: int = field(default=FORMAT_VERSION, compare=False)

    def data_file(self):
        """Absolute path of the data file, or ``None`` when none is chosen."""
        return resolve_path(self.data.path, self.folder)

    def set_data_file(self, path):
        """Choose the data file (``None``: none); stored relative to :attr:`folder`."""
        self.data.path = None if path is None else stored_path(path, self.folder)

    def model_file(self):
        """Absolute path of the trained model file, or ``None``."""
        return resolve_path(self.model.path, self.folder)

    def set_model_file(self, path):
        """Set the trained model file (``None``: none); stored relative to :attr:`folder`."""
        self.model.path = None if path is None else stored_path(path, self.folder)

    def dataset_config(self):
        """A copy of the data-set settings (a :class:`~engine.data.DatasetConfig` the caller
        may change; :attr:`data` keeps its own). Raises :class:`EngineError` before any
        are made."""
        if self.data.config is None:
            raise EngineError("The project has no data-set settings yet; choose the data "
                              "file and the target first.")
        return copy.deepcopy(self.data.config)

    def use_csv_format(self, corrections):
        """Read the data file with ``corrections`` (``{option: value}`` of
        :data:`~engine.data.csv_reader.FORMAT_KEYS`, e.g. ``{"header": False}``: what
        ``--no-header`` and the other options of the command line give) over the CSV options
        of the data-set settings (:func:`~engine.data.csv_reader.with_corrections`), which
        keep them: a project saved then is saved with them. ``{}`` changes nothing; a project without data-set settings is refused."""
        if not corrections:
            return
        config = self.dataset_config()
        config.csv = CsvOptions.from_dict(with_corrections(config.csv.to_dict(), corrections))
        self.data.config = config

    def check_data_file(self, advice=MISSING_DATA_ADVICE):
        """The absolute path of the project's data file; raises :class:`EngineError` when
        none is chosen, or when it is missing (the message ends with ``advice``: the
        pages' words by default, :func:`missing_data_file_advice` the command line's)."""
        path = self.data_file()
        if path is None:
            raise EngineError("The project has no data file; choose a CSV file first.")
        if not path.exists():
            raise EngineError(f"The project's data file {path} is missing; {advice}")
        return path

    def table(self, config=None, front="command_line", path=None):
        """The project's data file (or the file at ``path``, such as the DATA.csv of a
        command) read with the CSV options of ``config`` (default: the project's data-set
        settings, if any): the one loader of a project's data. A table of many series gets
        its time built from a year and a quarter (month) when the time column names the two
        (:func:`~engine.data.pipeline.with_series_time`). ``front``: whose words the reading
        speaks (:func:`~engine.data.load_table`).

        Raises :class:`EngineError` when no data file is chosen or it is missing
        (:meth:`check_data_file`; ``path`` not checked here: the reading names it)."""
        path = self.check_data_file() if path is None else path
        config = self.data.config if config is None else config
        table = load_table(path, None if config is None else config.csv, front)
        if config is not None and config.series_column:
            table = with_series_time(table, config.time_column)
        return table

    def to_document(self):
        """The JSON document (a new dict of plain values, paths as stored)."""
        from engine.version import __version__

        document = {"format": FORMAT_NAME, "format_version": FORMAT_VERSION,
                    "saved_with": __version__, "name": self.name,
                    "description": self.description}
        for section in SECTIONS:
            document[section] = section_document(getattr(self, section))
        for key, value in self.extra.items():
            if key not in document:
                document[key] = value
        return json_ready(document, "project")


def section_document(section):
    """A typed section as the document stores it: the architecture with what only a project
    records (:meth:`~engine.network.architecture.Architecture.to_document`), every other
    section's ``to_dict``."""
    return section.to_document() if isinstance(section, Architecture) else section.to_dict()


def new_project(name, folder, description=""):
    """A new project named ``name`` whose file will live in ``folder`` (not written yet)."""
    if not isinstance(name, str) or not name.strip():
        raise EngineError("A project needs a name; type one, e.g. 'Airline passengers'.")
    if not isinstance(description, str):
        raise EngineError("The project description must be text.")
    project = Project(name=name.strip(), folder=Path(os.path.abspath(folder)),
                      description=description)
    project.architecture.linear_path = True     # a file without the key: off (older files)
    return project


def project_file_name(name):
    """A file name for a project called ``name``: safe characters, at most
    :data:`MAX_STEM_BYTES` bytes of them (a long name would pass the file system's limit
    of a name, 255 bytes, with the model file's ``.model.npz`` too), and
    :data:`PROJECT_SUFFIX`."""
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in name.strip()).strip("-.")
    while len(safe.encode("utf-8")) > MAX_STEM_BYTES:
        safe = safe[:-1]
    return (safe.rstrip("-.") or "project") + PROJECT_SUFFIX


def new_project_path(name, folder):
    """The project file of a new project called ``name`` in ``folder`` (``~`` is the home
    folder), the folder made when it does not exist. Raises :class:`EngineError`, saying
    what to do, for an empty or relative folder (relative to the program's working folder,
    which the person does not see), a file where the folder should be, a folder that cannot
    be made, and a project file of that name already there (it is not replaced)."""
    text = str(folder).strip()
    if not text:
        raise EngineError("Choose the folder for the project (Browse...).")
    folder = Path(os.path.expanduser(text))
    if not folder.is_absolute():
        raise EngineError(f"The folder {text!r} is no full path; give the whole path, "
                          f"e.g. {Path.home() / text}, or choose it with Browse...")
    try:
        if folder.exists() and not folder.is_dir():
            raise EngineError(f"{folder} is a file, not a folder; choose a folder.")
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:    # a file in the way, no permission, a name too long
        raise EngineError(f"Could not make the project's folder {folder}: "
                          f"{error.strerror or error}. Choose another folder.") from None
    path = folder / project_file_name(name)
    if path.exists():
        raise EngineError(f"There is already a project file {path.name} in {folder}. "
                          "Choose another name or folder, or open that project.")
    return path


def save_project(project, path):
    """Write ``project`` to ``path`` atomically; returns the absolute path written.

    Saving into another folder (Save As) rewrites the stored data and model paths so that
    they still point at the same files, and sets ``project.folder`` to the new folder; when
    the file cannot be written, ``project`` is left as it was.
    """
    path = Path(os.path.abspath(path))
    folder = path.parent
    before = (project.folder, project.data.path, project.model.path)
    try:
        if folder != project.folder:
            data_file, model_file = project.data_file(), project.model_file()
            project.folder = folder
            project.set_data_file(data_file)
            project.set_model_file(model_file)
        document = project.to_document()
        _check_document(document, path)
        sections = checked_sections(document, "The project", "Correct it before saving.")
        document.update({name: section_document(section) for name, section in sections.items()})
        text = json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
        atomic_write_text(path, text)
    except BaseException:
        project.folder, project.data.path, project.model.path = before
        raise
    return path


# -- reading and migrating --------------------------------------------------------------------

def _not_a_project(path, what):
    return EngineError(f"{path} is not an RNN Studio project file: {what}. Choose a project "
                       f"file ({PROJECT_SUFFIX}) saved by RNN Studio.")


def _read_text(path):
    if not path.exists():
        raise EngineError(f"There is no project file at {path}. Check the file name and "
                          "folder.")
    if path.is_dir():
        raise EngineError(f"{path} is a folder, not a project file. Choose the project "
                          f"file ({PROJECT_SUFFIX}) inside it.")
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise EngineError(f"Could not read {path}: {error.strerror or error}. Check that "
                          "you may read the file.") from error
    if not raw.strip():
        raise EngineError(f"The project file {path} is empty. It was probably cut off while "
                          "being copied; use another copy of the project.")
    if raw.startswith(b"PK\x03\x04"):
        raise _not_a_project(path, "it is a zip archive (a model file, perhaps)")
    if b"\0" in raw:
        raise _not_a_project(path, "it is a binary file, not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _not_a_project(path, "it is not UTF-8 text") from error


def _document_version(document, path):
    """The format version of a parsed document, or raise if it is no project."""
    if not isinstance(document, dict):
        raise _not_a_project(path, "it holds JSON, but not a JSON object")
    if "format" not in document and document.get("app") == "rnn-studio-prototype":
        return 0                            # the prototype's layout, see _from_0_to_1
    if document.get("format") != FORMAT_NAME:
        raise _not_a_project(path, f"it does not name the format {FORMAT_NAME!r}")
    version = document.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise EngineError(f"The project file {path} is damaged: its format version "
                          f"{version!r} is not a whole number of at least 1.")
    return version


def _from_0_to_1(document, folder):
    """The prototype's layout to version 1.

    Version 0 had ``app``/``version`` instead of ``format``/``format_version``,
    ``project_name`` and ``notes``, an absolute ``csv_path``, the data-set settings under
    ``dataset``, ``network`` with ``cell_type`` in capitals and ``units``,
    ``train_settings`` with ``epochs``/``lr``/``batch`` and an absolute ``model_file``.
    Its data-set settings named the column to predict as ``target`` (it becomes the one
    variable, an input and target); keys the data-set settings do not know are left out.
    """
    network = document.get("network") or {}
    units = network.get("units", [32])
    training = dict(document.get("train_settings") or {})
    for old, new in (("epochs", "max_epochs"), ("lr", "learning_rate"), ("batch", "batch_size")):
        if old in training:
            training[new] = training.pop(old)
    architecture = Architecture(cell=str(network.get("cell_type", "gru")).lower(),
                                hidden_sizes=[units] if isinstance(units, int) else list(units),
                                activation=network.get("activation", "tanh")).to_dict()
    csv_path, model_path = document.get("csv_path"), document.get("model_file")
    return {
        "format": FORMAT_NAME, "format_version": 1,
        "name": document.get("project_name") or "Untitled project",
        "description": document.get("notes") or "",
        "data": {"path": None if csv_path is None else stored_path(csv_path, folder),
                 "config": _dataset_from_0(document.get("dataset") or {})},
        "architecture": architecture,
        "training": training,
        "selection": {"settings": {}, "summary": {}},
        "results": {},
        "model": {"path": None if model_path is None else stored_path(model_path, folder)},
    }


def _dataset_from_0(dataset):
    """The data-set settings of the prototype's ``dataset`` (see :func:`_from_0_to_1`)."""
    config = {key: value for key, value in dataset.items() if key in CONFIG_KEYS}
    if isinstance(dataset.get("target"), str) and "variables" not in config:
        config["variables"] = [{"name": dataset["target"], "role": "input_target"}]
    return config


MIGRATIONS = {0: _from_0_to_1}
"""``MIGRATIONS[k](document, folder)`` turns a version ``k`` document into version ``k + 1``."""


def migrate_document(document, folder, path="the project file"):
    """Upgrade a parsed document to :data:`FORMAT_VERSION`: ``(document, original version)``.

    ``folder`` is the project file's folder (for turning old absolute paths into relative
    ones). A document from a newer version raises :class:`EngineError`.
    """
    original = version = _document_version(document, path)
    if version > FORMAT_VERSION:
        raise newer_version_error(path, "project", version, FORMAT_VERSION,
                                  document.get("saved_with"))
    document = copy.deepcopy(document)
    while version < FORMAT_VERSION:
        document = MIGRATIONS[version](document, folder)
        version += 1
        document["format_version"] = version
    return document, original


def _check_document(document, path):
    """Raise unless a version-1 document has the keys and types this version relies on."""
    def damaged(what):
        return EngineError(f"The project file {path} is damaged: {what}. Use another copy "
                           "of the project, or correct the file.")

    if not isinstance(document.get("name"), str):
        raise damaged("it has no project name")
    if not isinstance(document.get("description", ""), str):
        raise damaged("the description is not text")
    for section in SECTIONS:
        if not isinstance(document.get(section, {}), dict):
            raise damaged(f"the section {section!r} is not a JSON object")
    for section in ("data", "model"):
        stored = document.get(section, {}).get("path")
        if stored is not None and not isinstance(stored, str):
            raise damaged(f"{section}.path is not text")
    if not isinstance(document.get("data", {}).get("config", {}), dict):
        raise damaged("data.config is not a JSON object")


def load_project(path):
    """Open the project file at ``path``, upgrading an older format version.

    Raises :class:`EngineError` for a missing, empty, binary or non-JSON file, a file that
    is no project, a damaged document and a document from a newer version.
    """
    path = Path(os.path.abspath(path))
    text = _read_text(path)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise _not_a_project(path, f"it is not valid JSON ({error.msg} at line {error.lineno}, "
                                   f"column {error.colno})") from error
    except RecursionError as error:
        raise _not_a_project(path, "its JSON is nested too deeply") from error
    return project_from_document(document, path.parent, path)


def project_from_document(document, folder, path="the project document"):
    """A :class:`Project` from a parsed document (upgraded when older) whose relative
    paths point from ``folder``; used for files and for restoring an autosave. Every
    section is checked and parsed here, once (:func:`~engine.project.checks.checked_sections`)."""
    folder = Path(os.path.abspath(folder))
    document, original = migrate_document(document, folder, path)
    _check_document(document, path)
    sections = checked_sections(document, f"The project file {path}",
                                "Correct the file, or use another copy of the project.")
    if "model" in document:
        sections["model"] = ModelSection.from_dict(document["model"])
    saved_with = document.get("saved_with")
    return Project(
        name=document["name"], folder=folder, description=document.get("description", ""),
        **sections,
        extra={key: value for key, value in document.items() if key not in KNOWN_KEYS},
        saved_with=saved_with if isinstance(saved_with, str) else None,
        loaded_version=original,
    )
