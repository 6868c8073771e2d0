"""``rnn-studio report PROJECT.json --out report.html``: the testing report of a project's
trained model, one HTML file with the plots inside (see :mod:`engine.testing.report`; for a
project of many series :mod:`engine.many.report`)."""

import os

from engine.cli.arguments import add_csv_options, project_file

NAMES = ("report",)


def add_parsers(commands):
    report = commands.add_parser(
        "report", help="write the testing report of a project as one HTML file",
        description="Test the project's trained model on its testing part (errors per "
                    "target and step ahead beside naive baselines, one step ahead against "
                    "recursive forecasts, goodness of fit, the errors, prediction intervals "
                    "and their coverage) and write one HTML file with the plots inside. "
                    "For a project of many series: the global network's sMAPE, MASE and "
                    "OWA beside Naive2, seasonal naive and Theta, its intervals' coverage, "
                    "its sMAPE per series, the worst series and plots of some series.")
    report.add_argument("project", metavar="PROJECT.json", help="a project with a trained "
                        "model (rnn-studio fit --project ... writes one)")
    report.add_argument("--out", required=True, metavar="REPORT.html",
                        help="the HTML file to write")
    report.add_argument("--model", metavar="MODEL",
                        help="a model file to test instead of the project's own")
    add_csv_options(report)


def train_advice(args):
    """How ``report``'s messages on a project without a model it can test say to train
    one: the command that does (:data:`~engine.testing.analysis.TRAIN_ADVICE` has the
    pages' words); with ``--model``, a model of another kind is the one given."""
    import shlex

    fit = f"rnn-studio fit --project {shlex.quote(args.project)} --out MODEL."
    again = "give --model a model of this project's data, or leave --model out." \
        if args.model else f"train the network again: {fit}"
    return {"first": f"train the network first: {fit}", "again": again}


def no_testing_advice(args):
    """What ``report``'s messages on a model without testing rows in the project's data
    advise: the project file's split and ``fit --project``, or ``evaluate --from`` (the
    pages' :data:`~engine.testing.analysis.NO_TESTING_ADVICE` name the data-set step)."""
    import shlex

    project = shlex.quote(args.project)
    fit = f"rnn-studio fit --project {project} --out MODEL"
    evaluate = "score the model from a row or date: rnn-studio evaluate MODEL DATA.csv " \
               "--from ROW|DATE"
    return {"no_testing": f"Set a testing part (\"test_from\", or the third of the "
                          f"\"fractions\", in the \"split\" of the data set settings of "
                          f"{project}) and train again ({fit}), or {evaluate}.",
            "past_end": f"Put the rows back, train again ({fit}), or {evaluate}."}


def testing_rows_advice(args):
    """What ``report``'s messages on the testing rows of a project of many series advise:
    the project file's ``test_last`` (the pages'
    :data:`~engine.many.project_testing.TESTING_ROWS_ADVICE` name step 2)."""
    import shlex

    project = shlex.quote(args.project)
    where = f"in the \"split\" of the data set settings of {project}"
    return {"none": f"Set \"test_last\" (the testing rows of every series) {where}, and "
                    f"train again: rnn-studio fit --project {project} --out MODEL.",
            "too_many": f"Set \"test_last\" below {{longest}} {where}."}


def run(args, out, err):
    from engine.atomic import check_writable
    from engine.cli.written_files import refuse_read_file
    from engine.many.project_fit import is_many_series
    from engine.testing.report import project_report
    from engine.testing.verdict import COMMAND_LINE

    from engine.project.model_status import OUT_OF_DATE, data_change, model_status
    from engine.testing.report import STALE_MODEL

    project = project_file(args.project, args)
    refuse_read_file(args.out, {"data": project.data_file(),
                                "model": args.model or project.model_file()})
    check_writable(args.out)
    if is_many_series(project.dataset_config()):
        from engine.many.report import many_project_report

        many_project_report(project, args.out, model=args.model, advice=train_advice(args),
                            rows_advice=testing_rows_advice(args))
    else:
        project_report(project, args.out, model=args.model, asker=COMMAND_LINE,
                       advice={**train_advice(args), **no_testing_advice(args)})
    print(f"Report written to {args.out} ({os.path.getsize(args.out) // 1024} KiB)",
          file=out)
    if args.model is None and model_status(project) == OUT_OF_DATE:
        print(f"Note: the model is {STALE_MODEL}. Train again: rnn-studio fit --project "
              f"{args.project} --out MODEL.", file=out)
    changed = data_change(project) if args.model is None else None
    if changed:
        print(f"Note: {changed}", file=out)
    return 0
