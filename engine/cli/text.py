"""How the command line writes its messages and the lines that say what was scored."""

import os


def one_line(text):
    """``text`` with every run of white space (new lines too) made one space."""
    return " ".join(str(text).split())


def scored_line(model, data, what):
    """The first line of a command that scores a model on a data file: ``"m.npz on
    data.csv: what"``, the files' names without their folders; ``what``: the rows scored,
    and how (``evaluate``, ``backtest``, of one series or many)."""
    return f"{os.path.basename(str(model))} on {os.path.basename(str(data))}: {what}"


def methods_offered(command, method, kind, methods):
    """The one line refusing ``--method method`` for a model of ``kind`` ("one series",
    "many series") that offers ``methods``: "forecast --method ets: not for a model of
    many series; choose --method network, naive2, seasonal_naive or theta."."""
    offered = ", ".join(methods[:-1]) + " or " + methods[-1]
    return f"{command} --method {method}: not for a model of {kind}; choose --method {offered}."


def project_model_path(path):
    """The model file the project at ``path`` names (relative to the working folder when
    inside it), when that file exists; else None (none trained yet, or a project that
    cannot be read again)."""
    from engine.errors import EngineError
    from engine.project.document import load_project

    try:
        model = load_project(path).model_file()
    except EngineError:
        return None
    if model is None or not os.path.isfile(model):
        return None
    try:
        relative = os.path.relpath(model)
    except ValueError:                          # another drive than the working folder's
        relative = os.pardir
    return str(model) if relative.startswith(os.pardir) else relative
