"""Whether a project's trained model is up to date, the same rule for the command line and
the application.

A fit stamps into ``project.results.training`` the settings fingerprint of the project it
trained (:func:`settings_fingerprint`) and the loss by epoch of its final training
(:func:`loss_history`). A later change of the data file, the data-set settings, the
architecture or the training settings gives another fingerprint: the model is then out of
date (:func:`model_status`). So does a change of what a fit chooses by itself: the
switches of its automatic choices and the length of the forecasts they score
(:data:`FIT_SWITCHES`).
"""

import hashlib
import json
import uuid

from engine.project.checks import SELECTION_SWITCHES

NOT_TRAINED, CURRENT, OUT_OF_DATE = "not trained", "current", "out of date"

FIT_SWITCHES = SELECTION_SWITCHES + ("forecast_steps",)
"""The keys of ``selection.settings`` that change what a fit trains (a switch off and a
switch absent are the same)."""

FINGERPRINT_VERSION = 2
"""What :func:`settings_fingerprint` hashes: 1, the data, architecture and training
sections; 2, also the :data:`FIT_SWITCHES` that are set. A fit stamps the version beside
the fingerprint; a fingerprint stamped without one is of version 1 and compared as such,
so that models fitted before version 2 stay up to date."""


def settings_fingerprint(project, version=FINGERPRINT_VERSION):
    """A short hash (16 hex digits) of everything a trained model depends on: the data
    section (file and settings), the architecture and the training settings, and (from
    ``version`` 2) the :data:`FIT_SWITCHES` set in ``selection.settings``. An architecture
    without a linear path is hashed without that key, as before it existed, and a project
    without switches as in version 1, so that models fitted then stay up to date."""
    architecture = project.architecture.to_dict()
    if architecture.get("linear_path") is False:
        del architecture["linear_path"]
    parts = {"data": project.data.model_dict(), "architecture": architecture,
             "training": project.training.to_dict()}
    switches = fit_switches(project)
    if version >= 2 and switches:
        parts["selection"] = switches
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def fit_switches(project):
    """``{key: value}`` of the :data:`FIT_SWITCHES` set (true, or a number) in
    ``project``'s ``selection.settings``."""
    return {key: value for key, value in project.selection.settings.items()
            if key in FIT_SWITCHES and value}


def new_training_id():
    """A name of one training, written into its model file and into the project's results
    (``results.training["id"]``), so that a model file replaced by another one (a copy, a
    fit of another process) is told apart (:func:`model_belongs`)."""
    return uuid.uuid4().hex


def model_belongs(project, path):
    """Whether the model file at ``path`` holds the training the project's results
    describe: the same training id in both, or no id in one of them (files and projects
    written before ids were). An unreadable file counts as belonging: the pages that load
    it say what is wrong with it."""
    from engine.errors import EngineError
    from engine.model.model_file import training_id

    stamped = (project.results.training or {}).get("id")
    try:
        written = training_id(path)
    except EngineError:
        return True
    return stamped is None or written is None or stamped == written


def trained_fingerprint(project):
    """The fingerprint stamped by the latest fit, or None (never trained)."""
    return (project.results.training or {}).get("fingerprint")


def model_status(project):
    """:data:`NOT_TRAINED`, :data:`CURRENT` or :data:`OUT_OF_DATE` (the settings changed
    since the fit), the fingerprint taken in the version the fit stamped."""
    stamped = trained_fingerprint(project)
    if stamped is None:
        return NOT_TRAINED
    version = project.results.training.get("fingerprint_version", 1)
    return CURRENT if stamped == settings_fingerprint(project, version) else OUT_OF_DATE


def data_change(project):
    """A sentence when the project's data file is no longer the file its model was trained
    on (:func:`~engine.data.data_file.changed_since`: its bytes changed); else None. The
    model stays usable (a file with rows appended is what a forecast wants), so this does
    not put the model out of date."""
    from engine.data.data_file import changed_since

    record = (project.results.training or {}).get("data_file")
    return changed_since(record, project.data_file()) if record else None


def loss_history(reports):
    """The losses of a training by epoch, as the project stores them:
    ``{"epoch": [...], "training": [...], "selection": [... or None]}`` from a list of
    :class:`~engine.training.settings.EpochReport` (values to 6 significant digits), and
    ``"start": {"training": t, "selection": s}``, the losses of the least-squares start,
    when the start was a candidate (the weights before epoch 1: epoch 0)."""
    def rounded(value):
        return None if value is None else float(f"{value:.6g}")

    history = {"epoch": [int(r.epoch) for r in reports],
               "training": [rounded(r.training_loss) for r in reports],
               "selection": [rounded(r.selection_loss) for r in reports]}
    start = reports[-1].start if reports else None
    if start is not None:
        history["start"] = {"training": rounded(start[0]), "selection": rounded(start[1])}
    return history


def stamp_training(project, reports):
    """Write the fingerprint of ``project`` as it is now and the loss history of
    ``reports`` into ``project.results.training`` (which the fit has recorded)."""
    _training_results(project)["history"] = loss_history(reports)
    stamp_fingerprint(project)


def stamp_fingerprint(project):
    """Declare the trained model up to date with ``project`` as it is now (after a fit, or
    when only the way the data path is stored changed)."""
    results = _training_results(project)
    results["fingerprint"] = settings_fingerprint(project)
    results["fingerprint_version"] = FINGERPRINT_VERSION


def _training_results(project):
    """``project.results.training``, made an empty dict when there is none."""
    if project.results.training is None:
        project.results.training = {}
    return project.results.training
