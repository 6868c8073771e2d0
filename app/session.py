"""The open project as the GUI sees it: the document, its file, the loaded table, and which
steps are done, to do or out of date. Pages edit the project only through this object."""

import copy
import json
import os
import uuid
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from engine import EngineError
from engine.tasks import Cancelled
from engine.atomic import place_file, remove_stray_temp_files
from engine.many.project_fit import is_many_series
from engine.training.fitting import default_model_path
from engine.project.model_status import (CURRENT, NOT_TRAINED, model_belongs, model_status,
                                         settings_fingerprint, stamp_fingerprint)
from engine.selection import restamp_searches, stored_searches
from engine.testing.verdict import WINDOW
from engine.project.document import load_project, new_project, new_project_path, save_project

from .pages.many_data_check import many_series_check

TODO, DONE, STALE, LOCKED = "to do", "done", "out of date", "locked"
LARGE_TABLE_ROWS = 100_000   # a table whose check runs in a worker (ProjectSession.data_check)
CHECK_STOPPED = "The check of the data set was stopped: open the data set step again."
WRITTEN_SINCE = (-1, -1)      # a state of the project file that no file on disk has
MISSING_MODEL = ("The model file {name} is missing (moved or deleted): train again, or put "
                 "it back and open the project again.")
OTHER_MODEL = ("The model file {name} holds another training than the one this project "
               "describes (it was replaced, by a copy or by a fit in another window or on "
               "the command line): train again.")


def model_path_beside(project_path):
    """The model file of the project file ``project_path``: ``NAME.json`` keeps
    ``NAME.model.npz`` beside it."""
    project_path = Path(project_path)
    return project_path.with_name(project_path.stem + ".model.npz")


class ProjectSession(QObject):
    """Holds the project being edited and tells the window when something changes.

    Signals: ``project_changed`` (another project was opened or created),
    ``modified`` (an edit; the window shows the unsaved mark), ``steps_changed``.
    """

    project_changed = Signal()
    modified = Signal()
    steps_changed = Signal()

    def __init__(self, parent=None, run_slow=None):
        """``run_slow(function, *args)`` makes the slow calls (reading the data file); by
        default at once, in the calling thread (the window passes one that runs them in a
        worker thread)."""
        super().__init__(parent)
        self.run_slow = run_slow or (lambda function, *args: function(*args))
        self.project = None
        self.path = None
        self.dirty = False
        self.table = None
        self.pending_model = None
        self._staging_key = uuid.uuid4().hex[:8]     # names this session's waiting model
        self.note_waiting_model = None      # told where a training writes its waiting model
        self._check_cache = None
        self._belongs_key = self._belongs_value = None
        self._on_disk = None            # the project file as this session last saw it
        self.table_error = None     # why the project's data file could not be read

    # -- files -----------------------------------------------------------------------------
    def create(self, name, folder, description=""):
        """Create a project and write its file into ``folder``
        (:func:`~engine.project.document.new_project_path` says why not). A project in
        memory that has no file yet (a restored one) takes the name and description and
        is written there instead; an existing project file is never replaced."""
        project = new_project(name, folder, description)
        path = new_project_path(name, folder)
        if self.project is not None and self.path is None:
            self.project.name, self.project.description = project.name, description
            self.save(path)
            return
        project.folder = path.parent
        save_project(project, path)
        self._set(project, path)

    def open(self, path):
        """Open a project file. A missing data file does not stop the opening: the data
        page then asks the user to locate it (see :meth:`missing_data_file`). The
        temporary files that interrupted writes left in the project's folder are removed
        (:func:`engine.atomic.remove_stray_temp_files`)."""
        project = load_project(path)
        table = self._read_table_of(project)
        self._set(project, Path(path), table)
        remove_stray_temp_files(self.path.parent)

    def adopt(self, project, path=None, dirty=True, pending_model=None,
              written_since=False):
        """Take a project built in memory (an example, a restored autosave, with the model
        trained since its last save: ``pending_model``). ``written_since``: the project
        file at ``path`` was written after the project was taken from it (a restored
        autosave older than the file), so that :meth:`changed_on_disk` is true and Save
        asks before replacing it."""
        table = self._read_table_of(project)
        self._set(project, path, table, pending_model=pending_model, dirty=dirty,
                  written_since=written_since)
        if dirty:
            self.modified.emit()

    def save(self, path=None):
        """Write the project file. A model trained since the last save takes the place of
        the project's model file first (until then the saved project keeps its own). Saved
        as another file (Save As), the project gets a model file of its own beside it,
        named after it: the model trained since, else a copy of its saved one; the
        original project's files stay as they were. On an error nothing is changed (the
        model trained since is still waiting) and an :class:`EngineError` says why."""
        path = Path(path or self.path)
        stored = self.project.model.path
        pending = self.pending_model if self.pending_model is not None and \
            self.pending_model.exists() else None
        staged = self._stage_model(path, pending)
        try:
            self._write(path)
        except EngineError:
            self._take_back(staged, pending)
            self.project.model.path = stored
            raise
        if staged is not None:
            place_file(staged, self.project.model_file())
        self.pending_model = None
        self.path = path
        self._on_disk = self._file_state()
        self.dirty = False
        self.modified.emit()

    def _write(self, path):
        current = model_status(self.project) == CURRENT
        before = settings_fingerprint(self.project)
        save_project(self.project, path)
        if settings_fingerprint(self.project) != before:
            # saved into another folder: the data path is stored anew, the data are the same
            if current:
                stamp_fingerprint(self.project)
            restamp_searches(self.project, before)
            save_project(self.project, path)

    def _stage_model(self, path, pending):
        """Put the project's model (``pending``, the model trained since the last save, or
        None; else, saved elsewhere, a copy of its saved one) beside the model file the
        project saved at ``path`` keeps (see :meth:`save`), under a name of its own until
        the project file is written, and point the project at that model file. The staged
        path, or None when nothing is to move."""
        saved = self.project.model_file()
        elsewhere = self.path is None or Path(path).absolute() != Path(self.path).absolute()
        if not elsewhere and pending is None:
            return None
        target = model_path_beside(path) if elsewhere or saved is None else saved
        staged = target.with_name(f".{target.name}.saving")
        if pending is not None:
            place_file(pending, staged)
        elif saved is not None and saved.exists():
            place_file(saved, staged, keep_source=True)
        else:
            return None
        self.project.set_model_file(target)
        return staged

    @staticmethod
    def _take_back(staged, pending):
        """Undo :meth:`_stage_model` after a failed save: the model trained since goes back
        to wait, a copy is removed; the project's model file was not touched."""
        if staged is None:
            return
        if pending is not None:
            place_file(staged, pending)
        else:
            staged.unlink(missing_ok=True)

    def _file_state(self):
        """The project file's modification time and size, or None (no file)."""
        try:
            status = os.stat(self.path)
        except (OSError, TypeError):
            return None
        return status.st_mtime_ns, status.st_size

    def file_seen(self):
        """The project file's state (modification time in nanoseconds, size) when this
        session last opened or saved it; :data:`WRITTEN_SINCE` when it was known to be
        written after the project was taken from it; None (no file)."""
        return self._on_disk

    def changed_on_disk(self):
        """Whether the project file was written since this session opened or saved it
        (by another window, or by the command line: ``fit --project``, ``select``)."""
        now = self._file_state()
        return self._on_disk is not None and now is not None and now != self._on_disk

    def model_path(self):
        """Where the project's model file goes when it is saved: beside the project file,
        named after it (two projects of one name in one folder keep one each)."""
        return model_path_beside(self.path) if self.path is not None else \
            default_model_path(self.project)

    def pending_model_path(self):
        """Where a training writes its model until the project is saved: beside the model
        file, under a name of this session's own (another window, or another RNN Studio,
        with a project of the same name in the same folder trains into a file of its own).
        """
        final = self.model_path()
        return final.with_name(final.name.replace(
            ".model.npz", f".model.{self._staging_key}.unsaved.npz"))

    def model_path_for_training(self):
        """:meth:`pending_model_path`, for a training about to write into it: told first to
        ``note_waiting_model`` when set (the window notes it, so that a later start can tell
        a file left by a window that ended from the file of a window still open)."""
        path = self.pending_model_path()
        if self.note_waiting_model is not None:
            self.note_waiting_model(path)
        return path

    def keep_trained_model(self, path):
        """Make the model file ``path`` the model trained since the last save. One that
        waited in another file (restored with the unsaved work of a session that ended) is
        removed, as a training into its file would have replaced it."""
        path = Path(path)
        if self.pending_model is not None and self.pending_model != path:
            self.pending_model.unlink(missing_ok=True)
        self.pending_model = path

    def kept_model_files(self):
        """The model files this session keeps, which no export may write over: the
        project's saved one, the one File > Save writes, and a training waiting to be
        saved (those that exist or not)."""
        if self.project is None:
            return []
        return [path for path in (self.project.model_file(), self.model_path(),
                                  self.pending_model) if path is not None]

    def trained_model(self):
        """The model file of the latest training (saved or not), or None."""
        if self.pending_model is not None and self.pending_model.exists():
            return self.pending_model
        path = self.project.model_file() if self.project else None
        return path if path is not None and path.exists() else None

    def model_problem(self):
        """What stands between the project's results and a model of them, in a sentence,
        or None: the results say it was trained, but its model file is not there (moved
        or deleted), or holds another training (replaced by a copy, or by a fit of another
        window or of the command line). A model trained since the last save has none."""
        if self.project is None or model_status(self.project) == NOT_TRAINED:
            return None
        return self._model_problem()

    def _model_problem(self):
        """:meth:`model_problem` of a project whose results say it was trained."""
        if self.pending_model is not None and self.pending_model.exists():
            return None
        path = self.project.model_file() or self.model_path()
        if not path.exists():
            return MISSING_MODEL.format(name=path.name)
        if not self._belongs(path):
            return OTHER_MODEL.format(name=path.name)
        return None

    def _belongs(self, path):
        """:func:`~engine.project.model_status.model_belongs`, read once per state of the
        file and of the project's results (the step states ask often)."""
        status = path.stat()
        key = (str(path), status.st_mtime_ns, status.st_size,
               (self.project.results.training or {}).get("id"))
        if self._belongs_key != key:
            self._belongs_key, self._belongs_value = key, model_belongs(self.project, path)
        return self._belongs_value

    def _searched_with_these_settings(self):
        """Whether the project keeps a search (a backtest, for many series) made with its
        settings of now: an edit since then leaves step 5 to do again."""
        project = self.project
        backtest = project.selection.backtest or {}
        fingerprint = settings_fingerprint(project)
        return bool(stored_searches(project, current=True)) or \
            bool(backtest) and backtest.get("fingerprint", fingerprint) == fingerprint

    def model_identity(self):
        """What tells one trained model apart from another, for pages that show results of
        it: the file itself (device, inode, modification time; a save moves it without
        changing these) and the loaded table (its serial: the ``id()`` of a table freed
        is reused by the next). None without a trained model."""
        path = self.trained_model()
        if path is None:
            return None
        try:
            status = os.stat(path)
        except OSError:
            return None
        table = self.table.serial if self.table is not None else None
        return (status.st_dev, status.st_ino, status.st_mtime_ns, table)

    def model_description(self):
        """The model file as a report names it: the project's model file, with "(trained,
        not saved yet)" until File > Save puts a new model there."""
        path = self.project.model_file() if self.project else None
        if path is None:
            return None
        unsaved = self.pending_model is not None and self.pending_model.exists()
        return f"{path} (trained, not saved yet)" if unsaved else str(path)

    def saved_model_file(self):
        """The project's model file when it holds the latest training, else None (no
        model file, or a model trained since the last save, which File > Save puts there)."""
        if self.project is None or (self.pending_model is not None and
                                    self.pending_model.exists()):
            return None
        return self.project.model_file()

    def discard_pending_model(self):
        """Forget a model trained since the last save (the user discarded the changes)."""
        if self.pending_model is not None:
            self.pending_model.unlink(missing_ok=True)
        self.pending_model = None

    def _set(self, project, path, table=None, pending_model=None, dirty=False,
             written_since=False):
        """Make ``project`` (its file at ``path``, its data ``table``, the model trained
        since its last save ``pending_model``) the session's, whole, before the pages are
        told: a page that tests the model on ``project_changed`` sees the table it is
        given and starts once (a table set after it changed the model's identity, and step
        6 ran its analysis twice)."""
        self.discard_pending_model()
        self.project = project
        self.path = Path(path) if path else None
        self._on_disk = WRITTEN_SINCE if written_since else self._file_state()
        self.dirty = dirty
        self.table = table
        self.pending_model = pending_model
        self.project_changed.emit()
        self.steps_changed.emit()

    def _read_table_of(self, project):
        """The data file of a project being opened, read before it replaces the current
        project (``run_slow`` may let the window handle other events meanwhile). A data
        file that cannot be read does not stop the opening (the data step is then to do);
        the reason is kept in ``table_error`` for the window to show. A read that
        ``run_slow`` stopped (:class:`engine.tasks.Cancelled`: the application quits)
        stops the opening: the current project stays."""
        self.table_error = None
        try:
            return self._read_table(project)
        except EngineError as error:
            self.table_error = str(error)
            return None

    def missing_data_file(self):
        """The data file the project names but that does not exist, or None."""
        if self.project is None:
            return None
        path = self.project.data_file()
        return path if path is not None and not path.exists() else None

    def data_changed_on_disk(self):
        """The path of the loaded data file when its bytes on disk are no longer those it
        was read from (saved over from a spreadsheet, rows appended), else None."""
        from engine.data.data_file import file_digest

        table = self.table
        if table is None or table.path is None or table.digest is None:
            return None
        now = file_digest(table.path)
        return Path(table.path) if now is not None and now != table.digest else None

    def reload_table(self):
        """Load the project's data file with the project's CSV options (if any)."""
        self.table = None
        self._use_table(self._read_table(self.project))

    def _read_table(self, project):
        """``project``'s data file read with its CSV options (if any) through ``run_slow``;
        None when it names none or the file is missing. What it refuses speaks the window's
        words."""
        path = project.data_file() if project else None
        if path is None or not path.exists():
            return None
        return self.run_slow(project.table, None, WINDOW)

    def _use_table(self, table):
        self.table = table
        if table is not None:
            self.steps_changed.emit()

    # -- edits -----------------------------------------------------------------------------
    def touch(self):
        """Mark the project as changed."""
        self.dirty = True
        self.modified.emit()
        self.steps_changed.emit()

    def config(self):
        """A copy of the data-set configuration (a page may change it, then
        :meth:`set_config` it), or None before a data file is chosen."""
        if self.project is None or self.project.data.config is None:
            return None
        return self.project.dataset_config()

    def set_config(self, config):
        """Make (a copy of) ``config`` the project's data-set configuration."""
        self.project.data.config = copy.deepcopy(config)
        self.touch()

    def replace_table(self, table):
        """Make ``table``, the project's data file as loaded with a column built or taken
        away (the time of many series built from a year and a quarter), the loaded table;
        the page then sets the data-set configuration that names its columns."""
        self.table = table

    def set_table(self, path, table, config):
        self.project.set_data_file(path)
        self.table = table
        self.set_config(config)

    # -- steps -----------------------------------------------------------------------------
    def data_check(self):
        """``(problems, split summary)`` of the data set (engine.data.checks.check_config;
        for a table of many series :func:`~app.pages.many_data_check.many_series_check`,
        whose summary also holds the series), kept until the table or the data settings
        change: the step list, the data page and the architecture page all ask after every
        edit. The check of a table of :data:`LARGE_TABLE_ROWS` rows or more (it prepares
        every window: a second for a million rows) goes through ``run_slow``; when the
        settings change meanwhile (the window handled a queued edit), the check is of the
        settings at the end."""
        while True:
            config = self.config()
            if self.table is None or config is None:
                return ["Load a data file."], None
            table = self.table
            text = json.dumps(config.to_dict(), sort_keys=True, default=str)
            cache = self._check_cache
            if cache is not None and cache[0] is table and cache[1] == text:
                return cache[2]
            try:
                result = self._check(table, config)
            except Cancelled:               # the application quits during the check
                return [CHECK_STOPPED], None
            self._check_cache = (table, text, result)

    def _check(self, table, config):
        """The check of ``config`` on ``table`` (:meth:`data_check`), through ``run_slow``
        for a large table."""
        from engine.data.checks import check_config

        large = len(table.frame) >= LARGE_TABLE_ROWS
        if is_many_series(config):        # the worker's own copy of the project as it is
            project = copy.deepcopy(self.project) if large else self.project
            function, args = many_series_check, (project, table)
        else:
            function, args = check_config, (table, config)
        return self.run_slow(function, *args) if large else function(*args)

    def is_many_series(self):
        """True when the project's data set names a series column (a table of many)."""
        return self.project is not None and is_many_series(self.project.data.config)

    def data_problems(self):
        return self.data_check()[0]

    def reachable(self, step):
        """Whether step ``step`` (0-based) may be opened now (not :data:`LOCKED`)."""
        return self.step_states()[step] != LOCKED

    def step_states(self):
        """One state per step: done, to do, out of date, or locked (not reachable yet).

        Steps 5-7 (model selection, testing, deployment) open once a model is trained; the
        testing and deployment steps are out of date while the model is (an earlier step
        changed since it was trained), and model selection is done once a search ran (a
        backtest, for many series)."""
        from .steps import STEPS
        states = []
        if self.project is None:
            return [LOCKED] * len(STEPS)
        project_done = self.path is not None
        data_done = project_done and not self.data_problems()
        architecture_done = data_done and bool(self.project.architecture.hidden_sizes)
        status = model_status(self.project)
        training = {NOT_TRAINED: TODO, CURRENT: DONE}.get(status, STALE)
        if status != NOT_TRAINED and self._model_problem() is not None:
            training = TODO
        model = architecture_done and training != TODO
        searched = self._searched_with_these_settings()
        model_state = DONE if training == DONE else STALE
        flags = [(True, DONE if project_done else TODO),
                 (project_done, DONE if data_done else TODO),
                 (data_done, DONE if architecture_done else TODO),
                 (architecture_done, training),
                 (model, DONE if searched else TODO),
                 (model, model_state),
                 (model, model_state)]
        for reachable, state in flags:
            states.append(state if reachable else LOCKED)
        return states
