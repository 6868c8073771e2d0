"""``rnn-studio select``: model selection (step 5) without a screen.

::

    rnn-studio select PROJECT.json --method neurons|lookback|inputs|inputs-pruning|cell|
              regularization|ensemble [--max-trials N] [--repeats R] [--workers N]
              [--scheduler ADDRESS] [--apply [ROW]]

Prints the table of trials (numbered from 1; training and selection error, seconds, the
chosen row and why it was chosen) and keeps the search in the project file; with
``--apply`` the chosen row's settings (or those of trial number ``ROW``) go into the
project, whose model then needs training again.
"""

from engine.cli.arguments import add_csv_options, project_file
from engine.tolerance import TOLERANCE_TEXT
from engine.words import counted

NAMES = ("select",)
METHOD_CHOICES = ("neurons", "lookback", "inputs", "inputs-pruning", "cell",
                  "regularization", "ensemble")
CHOSEN = object()          # --apply without a row: the chosen one (no string: argparse
                           # would read it as a row number)


def add_parsers(commands):
    select = commands.add_parser(
        "select", help="search for the simplest settings of (nearly) the lowest selection "
                       "error",
        description="Improve generalization: train networks with different numbers of "
                    "units, lookbacks, inputs, cells or L2 strengths (or an ensemble of "
                    "seeds) and compare their selection errors: the simplest setting within "
                    f"{TOLERANCE_TEXT} of the lowest is chosen, and pruning leaves an input "
                    f"out while the error without it stays within {TOLERANCE_TEXT} of the "
                    "lowest. Testing data are never used. The search is kept in the "
                    "project file.")
    select.add_argument("project", metavar="PROJECT.json", help="the project file")
    select.add_argument("--method", required=True, choices=METHOD_CHOICES,
                        help="what to search: units per layer, lookback, inputs (growing "
                             "by correlation, or pruning), cell type, L2 strength, or an "
                             "ensemble of seeds")
    select.add_argument("--max-trials", type=int, metavar="N",
                        help="most settings to try from the method's list (default: the "
                             "method's own number); the project's current units, lookback "
                             "or L2 is tried besides them")
    select.add_argument("--repeats", type=int, default=1, metavar="R",
                        help="trainings per setting from different seeds (default 1); the "
                             "table shows their mean and spread")
    select.add_argument("--workers", type=int, metavar="N",
                        help="local worker processes (default: one per core; 0: none, "
                             "one trial after the other)")
    select.add_argument("--scheduler", metavar="ADDRESS",
                        help="a Dask scheduler (e.g. tcp://host:8786): run the trials on "
                             "that cluster (needs pip install 'rnn-studio[cluster]'); "
                             "default: the project's setting (selection settings, "
                             "scheduler) unless --workers is given, else this computer; "
                             "\"\" for this computer")
    select.add_argument("--apply", nargs="?", const=CHOSEN, type=int, metavar="ROW",
                        help="put the chosen row's settings (or those of trial ROW, as "
                             "numbered in the table, from 1) into the project")
    add_csv_options(select)


def data_advice(args):
    """What ``select``'s messages on the project's data set advise: its project file (the
    pages' :data:`~engine.selection.search.DATA_ADVICE` name the data set step)."""
    import shlex

    from engine.data.config import random_split_file_advice
    from engine.data.pipeline import one_row_file_advice

    project = shlex.quote(args.project)
    settings = f"the data set settings of {project}"
    return {"selection": f"give selection a share of the data (the second of the \"fractions\" "
                         f"in the \"split\" of {settings}).",
            "inputs": f"make some columns inputs (their \"role\" \"input\" in the "
                      f"\"variables\" of {settings}).",
            "split": random_split_file_advice(project),
            "one_row": one_row_file_advice(project)}


def run(args, out, err):
    from engine.cli.main import progress_task
    from engine.errors import EngineError
    from engine.project.document import save_project
    from engine.selection import apply_trial, record_search, run_search

    project = project_file(args.project, args)
    method = args.method.replace("-", "_")
    scheduler = args.scheduler if args.scheduler is not None else \
        (None if args.workers is not None else project.selection.settings.get("scheduler"))
    scheduler = scheduler or None           # --scheduler "": this computer
    with progress_task(err, epochs=False, indent="  ") as task:
        result = run_search(project, method, max_trials=args.max_trials,
                            repeats=args.repeats, workers=args.workers,
                            scheduler=scheduler, task=task, advice=data_advice(args))
    for line in result.table_lines():
        print(line, file=out)
    print(f"{counted(len(result.rows), 'setting')}, {counted(result.trainings(), 'training')} "
          f"on {result.runner} ({counted(result.workers, 'worker')})"
          f" in {result.seconds:.1f} s.", file=out)
    if not record_search(project, result):
        print("rnn-studio select: the search was stopped before any training finished; "
              "the project keeps the search it held.", file=err)
    status = 0
    if args.apply is not None and result.cancelled:
        print("rnn-studio select: the search was stopped, so nothing was applied; run it "
              "to the end to apply a row.", file=err)
        status = 1
    elif args.apply is not None:
        index = None if args.apply is CHOSEN else args.apply - 1     # the table's number
        try:
            print(apply_trial(project, result, index) + " Train the project again "
                  f"(rnn-studio fit --project {args.project} --out MODEL).", file=out)
        except EngineError as error:        # a wrong row: the search itself is still kept
            print(f"rnn-studio select: {error} Nothing was applied; the search is kept in "
                  "the project.", file=err)
            status = 1
    save_project(project, args.project)
    print(f"Project written to {args.project}", file=out)
    return status
