"""``rnn-studio evaluate MODEL DATA.csv [--from ROW|DATE | --test-last N] [--recursive]
[--horizon H] [--json]``: score a model on a CSV file, one step ahead, as a recursive
forecast, or as recursive forecasts of ``H`` steps from many origins, beside naive baselines
and classical comparators (:func:`engine.testing.evaluation.evaluate_frame`); ``--test-last
N`` scores the file's last N rows."""

import json

from engine.cli.arguments import (add_csv_options, csv_format, last_rows, parse_when,
                                  rows_to_last_target)
from engine.cli.step_scores import missing_baselines, print_step_scores, step_digits, step_rows
from engine.cli.text import one_line, scored_line
from engine.figures import number
from engine.errors import EngineError
from engine.testing.report import MEASURES, error_digits
from engine.words import counted, verb

NAMES = ("evaluate",)
NO_TESTING_ADVICE = {
    "no_testing": "Give --from ROW|DATE to score from a row or date, or train it with a "
                  "testing part (rnn-studio fit DATA.csv --test-from ROW|DATE).",
    "past_end": "Put the rows back, give --from ROW|DATE, or train again."}
"""What ``evaluate --json``'s analysis says on a model without testing rows in the data
given: ``--from`` (the pages' :data:`~engine.testing.analysis.NO_TESTING_ADVICE` name
the data-set step)."""
SHORTENED_WORDS = {
    "forecast": "the analysis' \"recursive\"; --recursive forecasts every row",
    "unaffected": "the scores of each step ahead (\"direct\") and of the forecasts from many "
                  "origins (\"recursive_horizon\", \"by_horizon\") are"}
"""How ``evaluate --json``'s analysis names the recursive forecast from the testing start
when it is cut short (the pages' :data:`~engine.testing.analysis.SHORTENED_WORDS` name a
plot)."""


def add_parsers(commands):
    evaluate = commands.add_parser(
        "evaluate", help="score a model on a CSV file",
        description="Score a model's predictions (RMSE, MAE, MAPE, R2) in the targets' units, "
                    "one step ahead from the true history, or as a recursive forecast.")
    evaluate.add_argument("model", metavar="MODEL")
    evaluate.add_argument("data", metavar="DATA.csv")
    evaluate.add_argument("--from", dest="start", metavar="ROW|DATE",
                          help="score the rows from this row or date on (after a random "
                               "split, its testing rows among them; default: the "
                               "model's testing rows, those fit scored)")
    evaluate.add_argument("--recursive", action="store_true",
                          help="forecast from --from on, feeding the predictions back")
    evaluate.add_argument("--horizon", type=int, metavar="H",
                          help="forecast H steps recursively from every scored row (evenly "
                               "spaced rows when there are many) and score every step of "
                               "the forecasts that end by the last scored row")
    evaluate.add_argument("--test-last", type=int, metavar="N",
                          help="score the last N rows (of every series, for a model of "
                               "many series; default: the testing part the model was "
                               "trained with), as fit --test-last N tests them")
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")
    add_csv_options(evaluate)


def run(args, out, err):
    from engine.model.model_file import holds_many_series, load_model
    from engine.testing.analysis import tested_subject
    from engine.testing.evaluation import evaluate_frame

    if holds_many_series(args.model):
        from engine.cli.many_series import run_evaluate
        return run_evaluate(args, out, err)
    if args.test_last is not None and args.start is not None:
        raise EngineError("Give --from or --test-last, not both.")
    model = load_model(args.model)
    model.use_csv_format(csv_format(args))
    start = None if args.start is None else parse_when(args.start)
    frame = model.read_csv(args.data)
    if args.test_last is not None:
        rows = rows_to_last_target(frame, model.preprocessing.target_names)
        start = last_rows(args.test_last, *rows, least=1, start_flag="--from")
    evaluation = evaluate_frame(model, frame, start, args.recursive, args.horizon)
    analysis, analysis_error = _analysis(model, frame, start, args, evaluation)
    subject = tested_subject(model)
    verdict = _verdict(evaluation, analysis, args, subject)
    if args.json:
        report = evaluation.to_dict()
        report["verdict"] = verdict
        report["analysis"] = analysis.to_dict() if analysis is not None else \
            {"error": analysis_error}
        print(json.dumps(report, allow_nan=False), file=out)
        return 0
    each_step = analysis is not None and _each_step(model, args)
    when = f" ({evaluation.start_time})" if evaluation.start_time is not None else ""
    steps = model.preprocessing.steps if each_step else 1
    print(scored_line(args.model, args.data,
                      f"{_mode(evaluation, steps)} from row {evaluation.start_row}{when}"),
          file=out)
    head = "target, one step ahead" if each_step else "target"
    width = max(16, len(head))
    print(f"  {head:<{width}} {'RMSE':>10} {'MAE':>10} {'MAPE %':>8} {'R²':>8}", file=out)
    digits = _digits(evaluation, baselines=not each_step)
    for name, m in evaluation.scores.to_dict()["targets"].items():
        print(f"  {name:<{width}} {number(m['rmse'], digits['rmse']):>10} "
              f"{number(m['mae'], digits['mae']):>10} {number(m['mape'], digits['mape']):>8} "
              f"{number(m['r2'], digits['r2']):>8}", file=out)
    if each_step:
        print_step_scores(analysis, out)
    else:
        _print_baselines(evaluation, out, digits["rmse"])
        if analysis_error and _each_step(model, args):
            print(f"  The scores of each of the {counted(model.preprocessing.steps, 'step')} "
                  f"ahead are not shown: {analysis_error}", file=out)
    for line in missing_baselines("seasonal_naive" in evaluation.baselines,
                                  evaluation.comparators):
        print(f"  {line}", file=out)
    _print_notes(evaluation, out, analysis if each_step else None, subject)
    for line in verdict:
        print(line, file=out)
    if evaluation.remark:
        print(evaluation.remark, file=out)
    return 0


def _each_step(model, args):
    """Whether the scores are those of each step ahead beside the one-step ones: a model
    of several steps ahead scored from the true history (neither ``--recursive`` nor
    ``--horizon``)."""
    return model.preprocessing.steps > 1 and not args.recursive and args.horizon is None


def _analysis(model, frame, start, args, evaluation):
    """``(analysis, None)``: the testing analysis step 6 shows
    (:func:`~engine.testing.analysis.analyze_model`, every step ahead, by horizon, fit,
    errors, intervals and coverage), with the comparators the evaluation fitted and the
    prediction windows it made (and its recursive forecast from the testing start, when
    it made one), when ``--json`` or the scores of each step ahead (:func:`_each_step`)
    need it, from the data the evaluation encoded; else ``(None, why)``."""
    from engine.testing.analysis import LABELS_OF, analyze_model

    if not (args.json or _each_step(model, args)):
        return None, None
    try:
        # printed, the table of each step ahead shows no forecast from the testing start
        shown = LABELS_OF if args.json else ("direct", "horizon")
        windows = evaluation.windows if evaluation.windows is not None else \
            model.windows(evaluation.encoded)           # the frame is not encoded again
        return analyze_model(model, frame, start, horizon=args.horizon,
                             comparators=evaluation.comparators,
                             advice={**NO_TESTING_ADVICE, **SHORTENED_WORDS},
                             recursive=evaluation, labels_of=shown, windows=windows,
                             predicted=evaluation.window_predictions), None
    except EngineError as error:
        return None, one_line(error)


def _verdict(evaluation, analysis, args, subject="the network"):
    """The verdict's lines: on the same basis as step 6's
    (:func:`~engine.testing.verdict.verdict_on_testing`: the recursive forecasts from many
    origins) for a model of several steps ahead, or one whose fit asked for forecasts of
    several steps, scored from the true history, else on the
    scored rows (:func:`~engine.testing.verdict.verdict_on_evaluation`); the model named
    ``subject`` (:func:`~engine.testing.analysis.tested_subject`)."""
    import shlex

    from engine.testing.verdict import (COMMAND_LINE, verdict_on_evaluation,
                                        verdict_on_testing)

    files = shlex.quote(args.model), shlex.quote(args.data)
    many_steps = analysis is not None and (analysis.steps > 1 or
                                           (analysis.forecast_steps or 1) > 1)
    if not many_steps or args.recursive or args.horizon is not None:
        return verdict_on_evaluation(evaluation, *files, digits=_digits(evaluation)["rmse"],
                                     subject=subject)
    several = len(analysis.target_names) > 1
    lines = [verdict_on_testing(analysis, j, COMMAND_LINE, *files,
                                digits=step_digits(step_rows(analysis, j)), subject=subject)
             for j in range(len(analysis.target_names))]
    return [f"For {name}: {line}" if several else line
            for name, line in zip(analysis.target_names, lines) if line]


def _digits(evaluation, baselines=True):
    """The significant digits of each measure of the scores' table, ``{key of MEASURES:
    digits}``, as step 6 and the report give their errors table's
    (:func:`~engine.testing.report.error_digits`): each measure's column told apart on its
    own, the RMSEs together with, when ``baselines``, the baselines' RMSEs printed below
    the table (:func:`_print_baselines`), which the verdict quotes beside the network's."""
    shown = {base: scores.to_dict()["targets"] for base, scores in evaluation.baselines.items()
             if baselines and scores is not None}
    return error_digits([(name, {key: m.get(key) for key, _ in MEASURES},
                          {base: ((targets.get(name) or {}).get("rmse"), None)
                           for base, targets in shown.items()})
                         for name, m in evaluation.scores.to_dict()["targets"].items()])


def _print_baselines(evaluation, out, digits):
    """The baselines' RMSE on the scored rows, one line each, to ``digits`` significant
    digits."""
    from engine.testing.report import BASELINE_NAMES

    for base, scores in evaluation.baselines.items():
        if scores is None:
            continue
        figures = ", ".join(f"{name} {number(m['rmse'], digits)}"
                            for name, m in scores.to_dict()["targets"].items())
        print(f"  baseline {BASELINE_NAMES.get(base, base)}: RMSE {figures}", file=out)


def _print_notes(evaluation, out, analysis=None, subject="the network"):
    """The evaluation's notes and the rows left out for an empty target cell; with the
    ``analysis`` of a model of several steps ahead (:func:`_each_step`), its note on
    labels the model was not trained on (counting every step ahead and the recursive
    forecasts that the table scores) in place of the evaluation's (one step ahead); the
    model named ``subject``."""
    notes = evaluation.notes
    if analysis is not None:
        notes = [note for note in notes if note != evaluation.labels_note] + \
            ([analysis.labels_note] if analysis.labels_note else [])
    for note in notes:
        print(f"  {note}", file=out)
    if evaluation.filled:
        print(f"  {counted(evaluation.filled, 'row')} whose target cell is empty or no number "
              f"{verb(evaluation.filled, 'is', 'are')} "
              f"not scored: {subject} and the baselines read them filled in, but they are "
              "no measurement to compare with.", file=out)


def _mode(evaluation, steps=1):
    """What was scored: ``"one step ahead, 12 rows"`` (``"1 to 4 steps ahead, 12 rows"``
    with the scores of each of ``steps`` steps ahead), ``"recursive forecast, 12 rows"`` or
    ``"recursive forecasts of 4 steps from 9 origins, 36 forecasts"`` (and from how many
    origins the comparators were scored, when from fewer)."""
    count = evaluation.scores.count
    if evaluation.horizon is not None:
        origins = evaluation.origins
        text = (f"recursive forecasts of {counted(evaluation.horizon, 'step')} from "
                f"{counted(origins, 'origin')}, {counted(count, 'forecast')}")
        if evaluation.comparator_origins is not None:
            text += (f"; ETS, Theta and linear AR from {evaluation.comparator_origins:,} of "
                     f"the {origins:,} origins")
        return text
    mode = "recursive forecast" if evaluation.recursive else \
        "one step ahead" if steps == 1 else f"1 to {steps} steps ahead"
    return f"{mode}, {counted(count, 'row')}"
