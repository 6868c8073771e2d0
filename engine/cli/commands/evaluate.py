"""``rnn-studio evaluate MODEL DATA.csv [--from ROW|DATE] [--recursive] [--horizon H]
[--json]``: score a model on a CSV file, one step ahead, as a recursive forecast, or as
recursive forecasts of ``H`` steps from many origins, beside naive baselines and classical
comparators (:func:`engine.testing.evaluation.evaluate_frame`)."""

import json

from engine.cli.arguments import add_csv_options, csv_format, parse_when
from engine.cli.text import number, one_line, scored_line
from engine.errors import EngineError
from engine.words import counted, verb

NAMES = ("evaluate",)
NO_TESTING_ADVICE = {
    "no_testing": "Give --from ROW|DATE to score from a row or date, or train it with a "
                  "testing part (rnn-studio fit DATA.csv --test-from ROW|DATE).",
    "past_end": "Put the rows back, give --from ROW|DATE, or train again."}
"""What ``evaluate --json``'s analysis says on a model without testing rows in the data
given: ``--from`` (the pages' :data:`~engine.testing.analysis.NO_TESTING_ADVICE` name
the data-set step)."""


def add_parsers(commands):
    evaluate = commands.add_parser(
        "evaluate", help="score a model on a CSV file",
        description="Score a model's predictions (RMSE, MAE, MAPE, R2) in the targets' units, "
                    "one step ahead from the true history, or as a recursive forecast.")
    evaluate.add_argument("model", metavar="MODEL")
    evaluate.add_argument("data", metavar="DATA.csv")
    evaluate.add_argument("--from", dest="start", metavar="ROW|DATE",
                          help="score the rows from this row or date on (default: the "
                               "model's testing rows, those fit scored)")
    evaluate.add_argument("--recursive", action="store_true",
                          help="forecast from --from on, feeding the predictions back")
    evaluate.add_argument("--horizon", type=int, metavar="H",
                          help="forecast H steps recursively from every scored row (evenly "
                               "spaced rows when there are many) and score every step of "
                               "the forecasts that end by the last scored row")
    evaluate.add_argument("--test-last", type=int, metavar="N",
                          help="a model of many series: score the last N rows of every "
                               "series (default: the testing part it was trained with)")
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")
    add_csv_options(evaluate)


def run(args, out, err):
    from engine.model.model_file import holds_many_series, load_model
    from engine.testing.evaluation import evaluate_frame
    from engine.testing.baselines import NO_SEASON
    from engine.testing.report import BASELINE_NAMES
    from engine.testing.verdict import verdict_on_evaluation

    if holds_many_series(args.model):
        from engine.cli.many_series import run_evaluate
        return run_evaluate(args, out, err)
    if args.test_last is not None:
        raise EngineError("--test-last goes with a model of many series; for this model "
                          "give --from ROW|DATE.")
    model = load_model(args.model)
    model.use_csv_format(csv_format(args))
    start = None if args.start is None else parse_when(args.start)
    frame = model.read_csv(args.data)
    evaluation = evaluate_frame(model, frame, start, args.recursive, args.horizon)
    verdict = verdict_on_evaluation(evaluation, args.model)
    if args.json:
        from engine.testing.analysis import analyze_model

        report = evaluation.to_dict()
        report["verdict"] = verdict
        try:        # every step ahead, by horizon, fit, errors, intervals and coverage
            report["analysis"] = analyze_model(model, frame, start, horizon=args.horizon,
                                               comparators=evaluation.comparators,
                                               advice=NO_TESTING_ADVICE).to_dict()
        except EngineError as error:
            report["analysis"] = {"error": one_line(error)}
        print(json.dumps(report, allow_nan=False), file=out)
        return 0
    when = f" ({evaluation.start_time})" if evaluation.start_time is not None else ""
    print(scored_line(args.model, args.data,
                      f"{_mode(evaluation)} from row {evaluation.start_row}{when}"), file=out)
    print(f"  {'target':<16} {'RMSE':>10} {'MAE':>10} {'MAPE %':>8} {'R²':>7}", file=out)
    for name, m in evaluation.scores.to_dict()["targets"].items():
        print(f"  {name:<16} {number(m['rmse'], 5):>10} {number(m['mae'], 5):>10} "
              f"{number(m['mape'], 3):>8} {number(m['r2'], 3):>7}", file=out)
    for base, scores in evaluation.baselines.items():
        if scores is None:
            continue
        figures = ", ".join(f"{name} {number(m['rmse'], 5)}"
                            for name, m in scores.to_dict()["targets"].items())
        print(f"  baseline {BASELINE_NAMES.get(base, base)}: RMSE {figures}", file=out)
    if "seasonal_naive" not in evaluation.baselines:
        print(f"  baseline {BASELINE_NAMES['seasonal_naive']}: none ({NO_SEASON})", file=out)
    for name, comparator in evaluation.comparators.items():
        if comparator.reason:
            print(f"  baseline {BASELINE_NAMES.get(name, name)}: none ({comparator.reason})",
                  file=out)
    for note in evaluation.notes:
        print(f"  {note}", file=out)
    if evaluation.filled:
        print(f"  {counted(evaluation.filled, 'row')} whose target cell is empty or no number "
              f"{verb(evaluation.filled, 'is', 'are')} "
              "not scored: the network and the baselines read them filled in, but they are "
              "no measurement to compare with.", file=out)
    for line in verdict:
        print(line, file=out)
    if evaluation.remark:
        print(evaluation.remark, file=out)
    return 0


def _mode(evaluation):
    """What was scored: ``"one step ahead, 12 rows"``, ``"recursive forecast, 12 rows"`` or
    ``"recursive forecasts of 4 steps from 9 origins, 36 forecasts"`` (and from how many
    origins the comparators were scored, when from fewer)."""
    count = evaluation.scores.count
    if evaluation.horizon is not None:
        origins = evaluation.origins
        text = (f"recursive forecasts of {counted(evaluation.horizon, 'step')} from "
                f"{counted(origins, 'origin')}, {counted(count, 'forecast')}")
        if evaluation.comparators_every > 1:
            text += (f"; ETS, Theta and the linear model from one origin in "
                     f"{evaluation.comparators_every}")
        return text
    mode = "recursive forecast" if evaluation.recursive else "one step ahead"
    return f"{mode}, {counted(count, 'row')}"
