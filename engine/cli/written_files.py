"""The files a command writes, against the files it reads and against each other: writing
must replace none of them (``fit``'s model and project under one name, a forecast over its
data file), so such a command line is refused before any work.

A path that does not exist yet is compared by its absolute, resolved name
(:func:`same_file`); ``fit``'s project goes to ``--project``, else beside the model, named
as ``--out`` with ``.json`` (:func:`fit_project_path`).
"""

import os

from engine.errors import EngineError


def same_file(first, second):
    """True when the paths ``first`` and ``second`` name one file: the same file when both
    exist (through a link too), else the same resolved absolute path."""
    if os.path.exists(first) and os.path.exists(second):
        return os.path.samefile(first, second)
    return os.path.normcase(os.path.realpath(first)) == \
        os.path.normcase(os.path.realpath(second))


def refuse_read_file(target, read):
    """Refuse ``--out target`` when it names one of the existing files ``read`` (``{what:
    path}``, e.g. ``{"data": "sales.csv"}``; a None path is skipped) that the command
    reads, which writing would replace."""
    for name, given in read.items():
        if isinstance(given, (str, os.PathLike)) and os.path.exists(given) and \
                same_file(given, target):
            raise EngineError(f"--out {target} is the {name} file this command reads; "
                              "choose another name for what it writes.")


def fit_project_path(args):
    """Where ``fit DATA.csv ... --out MODEL`` writes its project: ``--project``, else
    beside the model, ``MODEL`` with ``.json`` for its suffix (as the command line was
    given it)."""
    return args.project or os.path.splitext(args.out)[0] + ".json"


def check_fit_files(args):
    """Refuse ``fit DATA.csv`` when the project it writes (:func:`fit_project_path`) would
    replace the model file it writes (``--out``) or the data file it reads; returns the
    project's path as given."""
    project = fit_project_path(args)
    stem = os.path.splitext(args.out)[0]
    if same_file(project, args.out) and args.project:
        other = stem + ".npz" if not same_file(stem + ".npz", args.out) else \
            stem + ".model.npz"
        raise EngineError(f"--project and --out both name {args.out}, so the project would "
                          f"replace the model; give the model another name, such as "
                          f"{other}.")
    if same_file(project, args.out):
        raise EngineError(f"--out names the model file, and the project is written beside "
                          f"it under the same name ending in .json, so both would be "
                          f"{args.out}; give the model a name ending in .npz, such as "
                          f"{stem}.npz: the project is written beside it as {project}.")
    if args.data is not None and os.path.exists(args.data) and same_file(project, args.data):
        what = "--project" if args.project else \
            f"--out {args.out} puts the project beside the model, and its name"
        raise EngineError(f"{what} {project} is the data file this command reads; choose "
                          f"another name for the {'project' if args.project else 'model'}.")
    return project
