"""The command line of many series in one file (a global model): ``fit --series``, and
``evaluate``, ``backtest``, ``forecast``, ``predict`` and ``export`` of a global model. The
commands' modules (:mod:`engine.cli.commands`) call these when the data or the model is of
that kind (see docs/many-series.md)."""

import json
import os

from engine.atomic import json_ready
from engine.errors import EngineError
from engine.cli.arguments import DEFAULT_LEVEL, csv_format
from engine.cli.text import methods_offered, scored_line
from engine.figures import number
from engine.many.fit_notes import ADVICE as FRONT_ADVICE, time_note
from engine.testing.verdict import COMMAND_LINE
from engine.words import counted, steps_ahead_range, the_last

ADVICE = {
    "target": "correct it, empty the cell to leave the value missing, or forecast another "
              "column (--target COL).",
    "input": "correct it, empty the cell to leave the value missing, or leave it out of "
             "--input (a column of one value per series, such as a region, goes with "
             "--static COL).",
    "static": "Leave it out of --static (a column of numbers that change in time goes with "
              "--input COL).",
    "time": "or give --no-time (the rows of each series are then taken in file order)"}
"""What ``fit --series``'s messages on a column it cannot read advise: its options, where
the data page's (:data:`~engine.many.series_data.PAGE_ADVICE`) speak of roles."""


def settings_from_args(args, data, windows=None):
    """The :class:`~engine.many.global_model.GlobalSettings` of ``fit --series`` and what
    was chosen for the person (sentences); ``windows``: :func:`window_choices` of
    ``args``, when already read."""
    from engine.cli.arguments import parse_hidden
    from engine.many.choices import default_choices
    from engine.many.global_model import GlobalSettings
    from engine.many.sizing import sized

    if args.test_last is not None and args.test_last < 0:     # before it sets a default
        raise EngineError(f"--test-last must be 0 or more; got {args.test_last}.")
    season, how, horizon, test_last = default_choices(data, args.test_last, args.season,
                                                      args.horizon)
    notes = [how] if how else []
    if args.test_last is None:
        notes.append(testing_choice(test_last))
    settings = GlobalSettings(horizon=int(horizon), test_last=test_last,
                              season=season, lookback=args.lookback,
                              series_column=args.series, time_column=data.time_column,
                              static_columns=tuple(args.static or ()), fold=args.fold,
                              block=args.block)
    if args.cell:
        settings.cell = args.cell
    if args.hidden:
        settings.hidden_sizes = tuple(parse_hidden(args.hidden))
    if args.linear_path is not None:
        settings.linear_path = args.linear_path
    if args.epochs is not None:
        settings.max_epochs = args.epochs
    if args.seed is not None:
        settings.seed = args.seed
    for key, value in (window_choices(args) if windows is None else windows).items():
        setattr(settings, key, value)
    if args.members is not None:
        settings.members = args.members
    if (args.workers or args.scheduler) and settings.members < 2:
        raise EngineError("--workers and --scheduler train the networks of an ensemble side "
                          "by side; give --members N (2 or more) with them.")
    settings.check()
    settings, units = sized(settings, data, FRONT_ADVICE["units"][COMMAND_LINE])
    return settings, notes + ([units] if units else [])


def window_choices(args):
    """``{setting: value}`` of ``--windows-per-series`` and ``--average-steps`` when given
    (:data:`~engine.many.project_fit.WINDOW_KEYS`; "auto" too), each checked."""
    from engine.cli.arguments import parse_average_steps, parse_windows_per_series

    given = {}
    if args.windows_per_series is not None:
        given["windows_per_series"] = parse_windows_per_series(args.windows_per_series)
    if args.average_steps is not None:
        given["average_steps"] = parse_average_steps(args.average_steps)
    return given


def testing_choice(test_last):
    """The sentence ``fit --series`` prints on the testing rows it chose (the steps ahead,
    as the data page suggests)."""
    return (f"Testing part: {the_last(test_last, 'row')} of every series, the steps ahead "
            f"({FRONT_ADVICE['testing'][COMMAND_LINE]})")


def run_fit(args, out, err):
    """``rnn-studio fit DATA.csv --series COL --target COL ... [--project P.json] --out
    MODEL``: the model, and the project of the same choices
    (:func:`~engine.many.new_project.many_series_project`) at ``--project`` or beside the
    model (``MODEL`` with ``.json``), as a fit of one series writes its project."""
    import time

    from engine.cli.main import progress_task
    from engine.data.data_file import file_record
    from engine.many.choosing import fit_chosen
    from engine.many.evaluation import evaluate_targets
    from engine.many.project_fit import (WINDOW_KEYS, ManyFit, record_many_fit,
                                         save_many_fit)
    from engine.data.csv_reader import usual_marks
    from engine.many.series_data import DETECT, read_series
    from engine.project.document import save_project

    given = csv_format(args)
    windows = window_choices(args)              # a wrong value before the file is read
    project_path, refused = checked_project_path(args)   # and the files it writes
    data, _, options = read_series(args.data, args.series, args.target, args.input or (),
                                   None if args.no_time else args.time or DETECT,
                                   args.static or (), given, ADVICE)
    settings, notes = settings_from_args(args, data, windows)
    if args.time is None and not args.no_time:
        notes.insert(0, time_note(data.time_column))
    project, table = fit_project_file(args, data, settings, notes, project_path, refused)
    started = time.perf_counter()
    with progress_task(err) as task:
        model = fit_chosen(data, settings, task, workers=args.workers or 0,
                           scheduler=args.scheduler)
    model.use_csv_format(file_corrections(args.data, given))
    model.settings["csv_marks"] = usual_marks(options, args.data)
    evaluations = []
    if settings.test_last:
        evaluations = evaluate_targets(model, data, settings.test_last, task=task)
    fit = ManyFit(model, data, evaluations, notes + list(model.notes),
                  time.perf_counter() - started, data_file=file_record(table))
    save_many_fit(fit, args.out, os.path.basename(args.data))
    print(f"Data: {os.path.basename(args.data)}, {data.describe()}", file=out)
    for note in fit.notes:
        print(note, file=out)
    print_window_choice(model, out, [key for key in WINDOW_KEYS
                                     if getattr(settings, key) != "auto"])
    print(network_line(model), file=out)
    print(training_line(fit), file=out)
    print_evaluations(evaluations, out, (args.out, args.data))
    print(f"Model written to {args.out}", file=out)
    if project is not None:
        project.data.config.lookback = int(model.lookback)     # the one fitted
        record_many_fit(project, fit, os.path.abspath(args.out))
        save_project(project, project_path)
        print(f"Project written to {project_path}", file=out)
    return 0


def checked_project_path(args):
    """``(path, refused)``: where ``fit --series`` writes its project (``--project``, else
    the model's path with ``.json``), checked writable and replacing neither the model nor
    the data file (:func:`~engine.cli.written_files.check_fit_files`), and None; or None
    and the sentence on why a project cannot hold the fit
    (:func:`~engine.many.new_project.not_in_a_project`; refused with ``--project``). Both
    follow from the command line alone, so a line refused is refused before the data file
    is read."""
    from engine.atomic import check_writable
    from engine.cli.written_files import check_fit_files
    from engine.many.global_model import GlobalSettings
    from engine.many.new_project import not_in_a_project

    # the columns decide; the horizon, not known before the data is read, plays no part
    columns = GlobalSettings(horizon=1, series_column=args.series,
                             static_columns=tuple(args.static or ()))
    refused = not_in_a_project(columns)
    if refused and args.project:
        raise EngineError(f"--project: {refused}; leave --project out, or read another "
                          "column as static.")
    if refused:
        return None, refused
    path = check_fit_files(args)
    check_writable(os.path.abspath(path))       # --out is checked by main.check_output
    return path, None


def fit_project_file(args, data, settings, notes, path, refused=None):
    """``(project, table)`` of ``fit --series``: the project of its choices
    (:func:`~engine.many.new_project.many_series_project`), to be written at ``path``
    (:func:`checked_project_path`), and the data file read as a table. Without a ``path``
    (a fit a project cannot hold) ``(None, None)`` and a note on why: ``refused``, the
    sentence of :func:`checked_project_path`."""
    from engine.data import CsvOptions, load_table
    from engine.data.pipeline import with_series_time
    from engine.many.new_project import many_series_project

    if path is None:
        notes.append(f"No project written: {refused}.")
        return None, None
    table = with_series_time(load_table(args.data, CsvOptions.from_dict(
        {**csv_format(args), "time_column": False})), data.time_column)
    project = many_series_project(table, data, settings,
                                  os.path.dirname(os.path.abspath(path)),
                                  units_by_hand=bool(args.hidden))
    return project, table


def file_corrections(path, given):
    """What of the CSV format ``given`` on the command line differs from what is detected
    in the file at ``path`` (:func:`~engine.data.csv_reader.format_corrections`): what a
    model keeps to read its files as its fit did. ``{}`` when nothing was given."""
    from engine.data.csv_reader import CsvOptions, detect_options, format_corrections

    if not given:
        return {}
    return format_corrections(detect_options(path, CsvOptions.from_dict(given)), path)


def network_line(model):
    """The line ``fit --series`` and ``fit --project`` of a project of many series print on
    the global network of ``model``: the networks averaged (those trained,
    :func:`~engine.many.global_model.trained_members`), each one's cell and units, the
    linear path, the window, the forecast and the weights."""
    from engine.many.global_model import member_weights, trained_members

    settings, members = model.settings, trained_members(model)
    shape = f"{settings['cell'].upper()} hidden {list(settings['hidden_sizes'])}" + \
        (", linear path" if settings["linear_path"] else "")
    networks = f"{members} networks averaged, each" if members > 1 else "one"
    weights = f"{members} x {member_weights(model):,}" if members > 1 else \
        f"{model.network.n_parameters:,}"
    return (f"Network: {networks} {shape}, over all series; lookback {model.lookback}, "
            f"{model.reach()}; {weights} weights")


def training_line(fit):
    """The line ``fit --series`` and ``fit --project`` of a project of many series print on
    the training of a :class:`~engine.many.project_fit.ManyFit`: why it stopped, the
    training windows and the whole fit's seconds (the window's choice and the scoring
    included, as the report counts them)."""
    model = fit.model
    return (f"Training: {model.network.stop_reason_} "
            f"({model.settings['training_windows']:,} windows, {fit.seconds:.0f} s in all)")


def print_window_choice(model, out, given=()):
    """The candidate windows the backtest compared, when it compared several, and the
    training windows and weights' average of the fit (:func:`given_windows_text` when the
    person gave either: ``given``, the keys of
    :data:`~engine.many.project_fit.WINDOW_KEYS` they gave)."""
    from engine.many.choosing import trials_text, windows_text
    from engine.many.metrics import ranking_words

    trials = model.settings.get("window_trials")
    if trials and all(trial["owa"] is None for trial in trials):
        print("No candidate window could be fitted at the latest origin before the testing "
              "part (the series are too short there); the default window was fitted, "
              "forecasting every step at once:", file=out)
    elif trials:
        print("Window chosen at the latest origin before the testing part, by the "
              f"{ranking_words(model.steps)}:", file=out)
        for line in trials_text(trials):
            print(line, file=out)
    sentence = given_windows_text(model.settings, given) or windows_text(model.settings)
    if sentence:
        print(sentence, file=out)


def given_windows_text(settings, given):
    """The sentence on the training windows per series and the weights' average of a
    model's ``settings`` (dict) when the person gave either (``given``: their keys), each
    said to be given or set otherwise (by the window's choice when a chosen trial has a
    best epoch, as :func:`~engine.many.choosing.with_windows` reads it, else the
    default); None when neither was given. E.g. "Training windows: every window of each
    series (as given); the weights not averaged (as the window's choice set it)."."""
    from engine.many.global_model import AVERAGE_EPOCHS, LATEST_WINDOWS

    if not given:
        return None
    chosen = next((t for t in settings.get("window_trials") or () if t.get("chosen")), {})
    unless = "as the window's choice set it" if chosen.get("best_epoch") is not None else \
        "the default"
    how = {key: "as given" if key in given else unless for key in
           ("windows_per_series", "average_steps")}
    cap = settings.get("windows_per_series")
    cap = LATEST_WINDOWS if cap == "auto" else cap
    most = int(settings.get("most_windows_per_series") or 0)
    which = f"every window of each series ({how['windows_per_series']})" if cap == "all" \
        else f"the latest {int(cap):,} of each series ({how['windows_per_series']}" + (
            "; every window, as no series has more)" if 0 < most <= int(cap) else ")")
    averaged, asked = settings.get("averaged_steps"), settings.get("average_steps")
    average = f"averaged over each network's latest {averaged:,} steps" if averaged else \
        "not averaged"
    if averaged and asked not in ("auto", None) and averaged < int(asked):
        how["average_steps"] += f"; {int(asked):,} cut to {AVERAGE_EPOCHS} epochs' steps"
    return f"Training windows: {which}; the weights {average} ({how['average_steps']})."


def run_project_fit(project, project_path, args, out, err):
    """``rnn-studio fit --project P.json --out MODEL`` of a project whose data set names a
    series column: the same fit as the training page's
    (:func:`~engine.many.project_fit.fit_many_project`). ``project`` holds the options
    given already (``--members`` among them: ``fit``'s ``_project_from_args``)."""
    from engine.atomic import check_writable
    from engine.cli.main import progress_task
    from engine.many.global_model import GlobalSettings
    from engine.many.project_fit import (WINDOW_KEYS, fit_many_project, keep_window_choices,
                                         record_many_fit, save_many_fit)
    from engine.project.document import save_project

    given = [flag for flag, value in (("--season", args.season), ("--static", args.static),
                                      ("--fold", args.fold), ("--block", args.block))
             if value is not None]
    if given:
        raise EngineError(f"{', '.join(given)}: a project keeps its season and inputs in its "
                          "data-set settings, and its window is chosen on the backtest; "
                          "change the project file, or fit the data file with --series.")
    keep_window_choices(project.training, **window_choices(args))
    members = project.training.to_dict().get("members") or GlobalSettings.members
    if (args.workers or args.scheduler) and members < 2:
        raise EngineError("--workers and --scheduler train the networks of an ensemble side "
                          "by side; give --members N (2 or more) with them.")
    check_writable(project_path)        # --out is checked by main.check_output
    with progress_task(err) as task:
        fit = fit_many_project(project, task, workers=args.workers or 0,
                               scheduler=args.scheduler)
    save_many_fit(fit, args.out, project.data_file().name)
    record_many_fit(project, fit, os.path.abspath(args.out))
    print(f"Data: {project.data_file().name}, {fit.data.describe()}", file=out)
    for note in fit.notes:
        print(note, file=out)
    print_window_choice(fit.model, out, [key for key in WINDOW_KEYS
                                         if key in project.training.to_dict()])
    print(network_line(fit.model), file=out)
    print(training_line(fit), file=out)
    print_evaluations(fit.evaluations, out, (args.out, project.data_file()))
    save_project(project, project_path)
    print(f"Model written to {args.out}", file=out)
    print(f"Project written to {args.project}", file=out)      # as given, as fit of one
    return 0


def print_evaluations(evaluations, out, files=None):
    """:func:`print_evaluation` of each target's evaluation, named when there are several;
    then, for several, under "Every target:", what did best on each and the command that
    uses the forecast of each method that did best on one
    (:func:`~engine.many.every_target.every_target_verdict`), and a note every target's
    evaluation gives (such as the rows left out at the end of the series), printed once.
    ``files``: the model and data files ``(model, data)`` the offer of a method that beat
    the network names (:func:`method_offer`; None for either: MODEL, DATA.csv)."""
    several = len(evaluations) > 1
    shared = [note for note in evaluations[0].notes
              if all(note in evaluation.notes for evaluation in evaluations)] \
        if several else []
    for evaluation in evaluations:
        if several:
            print(f"Target {evaluation.target}:", file=out)
        print_evaluation(evaluation, out, skip=shared, files=files, offer=not several)
    offer = targets_offer({e.target: e for e in evaluations}, *(files or ())) \
        if several else ""
    if offer or (several and shared):
        print("Every target:", file=out)
    if offer:
        print(offer, file=out)
    for note in shared:
        print(f"Note: {note}", file=out)


def measure_cells(row, digits):
    """The cells of a row of scores (``"smape"``, ``"mase"``, ``"owa"``, a figure or None
    each) as a table prints them, to ``digits`` (measure -> digits): "-" for a measure the
    method has not (the sMAPE and OWA of series tested on zeros)."""
    from engine.many.evaluation import finite_number

    return {key: number(row.get(key) if finite_number(row.get(key)) else None, digits[key])
            for key in ("smape", "mase", "owa")}


def print_evaluation(evaluation, out, worst=5, skip=(), files=None, offer=True):
    """The aggregate table and the worst series, the verdict (with :func:`method_offer`'s
    command naming ``files``, unless not ``offer``: one target of several), and the notes
    but those of ``skip``."""
    print(f"Testing: {evaluation.scope()} of {evaluation.n_scored:,} series "
          f"(MASE scaled by the season-{evaluation.season} difference of each series' "
          "history):", file=out)
    print(f"  {'method':<22} {'sMAPE %':>8} {'MASE':>8} {'OWA':>7}", file=out)
    from engine.many.evaluation import (beats_sentence, coverage_sentence, finite_number,
                                        network_subject, summary_digits)

    summary = evaluation.summary().values()
    digits = summary_digits(summary)
    for row in summary:
        cells = measure_cells(row, digits)
        print(f"  {row['label']:<22} {cells['smape']:>8} {cells['mase']:>8} "
              f"{cells['owa']:>7}", file=out)

    spread = evaluation.spread()
    if any(map(finite_number, spread.values())):
        print(f"  {network_subject(evaluation)}'s sMAPE per series: 10% of them below "
              f"{number(spread[0.1], 3)}%, half below {number(spread[0.5], 3)}%, 90% below "
              f"{number(spread[0.9], 3)}%", file=out)
    rows = evaluation.worst(worst)
    if rows:
        print("  worst series by sMAPE: " + ", ".join(
            f"{r['series']} {number(r['smape'])}%" for r in rows), file=out)
    from engine.many.every_target import target_verdict

    verdict = " ".join(part for part in (beats_sentence(evaluation.summary()),
                                         method_offer(evaluation, *(files or ())))
                       if part) if offer else target_verdict(evaluation.summary())
    for sentence in (verdict, coverage_sentence(evaluation.coverage, network_subject(evaluation))):
        if sentence:
            print(sentence, file=out)
    for note in evaluation.notes:
        if note not in skip:
            print(f"Note: {note}", file=out)


def targets_offer(summaries, model=None, data=None):
    """What did best on each of several targets (``summaries``: target -> its scores) and
    the command that uses the forecast of each method that did best on one, naming the
    files ``model`` and ``data`` (None: MODEL, DATA.csv)
    (:func:`~engine.many.every_target.every_target_verdict`)."""
    from engine.many.every_target import every_target_verdict
    from engine.testing.verdict import COMMAND_LINE, command_files, use_instead

    model, data = command_files(model, data)
    return every_target_verdict(summaries, lambda method, words: use_instead(
        method, COMMAND_LINE, model, data, words=words))


def method_offer(evaluation, model=None, data=None, figure="OWA", digits=None):
    """The sentence after the verdict of ``evaluation`` (or its ``summary()``, such as a
    backtest's means) when a classical method beat the network
    (:func:`~engine.many.evaluation.best_method`): the command that uses its
    forecast instead, naming the files ``model`` and ``data`` (None: MODEL, DATA.csv), as
    one series' verdict does (:func:`~engine.testing.verdict.use_instead`); "" when the
    network beat them all. Naive2, which the verdict does not name, is said to beat the
    network first, with its ``figure`` ("OWA", or "mean OWA" over a backtest's origins)
    to ``digits`` (:func:`~engine.many.evaluation.naive2_lead`)."""
    from engine.many.evaluation import best_method, naive2_lead
    from engine.testing.verdict import COMMAND_LINE, command_files, use_instead

    best = best_method(evaluation)
    if best is None:
        return ""
    offer = use_instead(best, COMMAND_LINE, *command_files(model, data))
    lead = naive2_lead(evaluation, best, figure, digits)
    return f"{lead}: {offer}" if lead else offer


def run_forecast(args, out, err):
    """``rnn-studio forecast MODEL DATA.csv --steps N --out F.csv [--method M]`` for a
    global model: its network's forecast, or a classical method's
    (:mod:`engine.many.method_forecasts`)."""
    from engine.many.forecasting import forecast_headline, write_forecast_file
    from engine.many.method_forecasts import FORECAST_METHODS
    from engine.many.model_file import load_global_model
    from engine.testing.verdict import method_words

    if args.method not in FORECAST_METHODS:
        raise EngineError(methods_offered("forecast", args.method, "many series",
                                          FORECAST_METHODS))
    refuse_flags("forecast", (("--clip", args.clip),),
                 "its forecasts are the network's or the method's, as they are")
    level = DEFAULT_LEVEL if args.level is None else args.level
    model = load_global_model(args.model)
    model.use_csv_format(csv_format(args))
    frame, notes = write_forecast_file(model, args.data, args.steps, args.out, level,
                                       method=args.method)
    if args.level is not None and args.method != "network":
        notes.append(f"--level {args.level:g} names the bounds' columns only: "
                     f"{method_words(args.method)} gives no intervals.")
    # the steps written: fewer than asked when the model cannot reach them (a note says why)
    print(f"{forecast_headline(frame, model, level, method=args.method)}, written to "
          f"{args.out}", file=out)
    for note in notes:
        print(f"Note: {note}", file=out)
    return 0


def run_predict(args, out, err):
    """``rnn-studio predict MODEL DATA.csv --out PREDICTIONS.csv`` for a global model
    (:mod:`engine.many.predicting`)."""
    from engine.many.model_file import load_global_model
    from engine.many.predicting import write_predictions

    model = load_global_model(args.model)
    model.use_csv_format(csv_format(args))
    written = write_predictions(model, args.data, args.out)
    ahead = steps_ahead_range(model.horizon)
    if written.predicted == written.series:
        print(f"Wrote {written.rows:,} rows of {written.series:,} series, each with its "
              f"predictions {ahead}, to {args.out}", file=out)
    else:
        print(f"Wrote {written.rows:,} rows of {written.series:,} series to {args.out}, "
              f"the rows of {written.predicted:,} of them each with its predictions "
              f"{ahead} (see the note)", file=out)
    for note in written.notes:
        print(f"Note: {note}", file=out)
    return 0


def run_export(args, out, err):
    """``rnn-studio export MODEL --format model|python|onnx|torch --out FILE`` of a global
    model (:mod:`engine.many.exports`)."""
    from engine.deploy.exports import FORMATS
    from engine.many.exports import export_global

    path = export_global(args.model, args.fmt, args.out)
    print(f"Wrote the {FORMATS[args.fmt][0]} of {os.path.basename(args.model)} (a model of "
          f"many series, with its per-series scaling table) to {path}", file=out)
    return 0


def run_backtest(args, out, err):
    """``rnn-studio backtest PROJECT.json|MODEL DATA.csv [--origins K] [--json] [--workers
    N] [--scheduler ADDRESS]`` of a global model, or of a project of many series
    (:func:`backtest_inputs`): the fit repeated at K origins before the testing part
    (:mod:`engine.many.backtest`); the verdict on the means ends with
    :func:`method_offer`'s command, by the mean OWA over the origins, or MASE (with several
    targets, once for all of them: :func:`targets_offer`, under "Every target, by the mean
    OWA over the origins:", naming the measure compared, ``measure_words``). A project's
    backtest first says which window it fits."""
    from engine.cli.main import progress_task
    from engine.many.backtest import MAX_ORIGINS, backtest_global, most_origins
    from engine.many.every_target import measure_words
    from engine.selection.executors import default_workers

    if args.block is not None:
        raise EngineError("A model of many series is backtested on blocks of its horizon; "
                          "leave --block out.")
    data, settings, lines, model_file = backtest_inputs(args)
    most = most_origins(data, settings)
    if 0 < most < args.origins <= MAX_ORIGINS:
        raise EngineError(f"{args.origins} origins leave even the longest series too short: "
                          f"each takes {settings.horizon} more rows from its end, and at most "
                          f"{most} leave a window to fit; give --origins {most} or fewer.")
    workers = args.workers
    if workers is None:
        workers = min(default_workers(), args.origins)
    with progress_task(err, epochs=False, indent="  ") as task:
        result = backtest_global(data, settings, args.origins, workers, args.scheduler,
                                 task)
    if args.json:
        print(json.dumps(json_ready(result), allow_nan=False), file=out)
        return 0
    for line in lines:
        print(line, file=out)
    count = len(result["origins"])
    before = (f"before the testing part ({the_last(settings.test_last, 'step')} of every "
              "series)") if settings.test_last else "at the end of every series (no testing part)"
    print(f"{counted(count, 'origin')} of {counted(settings.horizon, 'step')} {before}:",
          file=out)
    targets = result.get("targets") or {}
    for target in targets or [None]:
        if target is not None:
            print(f"Target {target}:", file=out)
        print_backtest_table(result, target, out, (model_file, args.data))
    means = {target: both["mean"] for target, both in targets.items()}
    offer = targets_offer(means, model_file, args.data) if targets else ""
    if offer:
        print(f"Every target, by the mean {measure_words(means)} over the origins:",
              file=out)
        print(offer, file=out)
    for fold in result["origins"]:
        for note in fold["notes"]:
            print(f"Note (origin {fold['origin']}): {note}", file=out)
    return 0


def backtest_inputs(args):
    """``(data, settings, lines, model file)`` of ``backtest`` of ``args.source``: of a
    model file, the series of DATA.csv as the model reads them and the settings it was
    trained with (:func:`stored_settings`), no lines, and the file itself; of a project of
    many series (``.json``), :func:`project_backtest_inputs`."""
    from engine.many.model_file import load_global_model
    from engine.many.series_data import series_for_model

    if os.fspath(args.source).lower().endswith(".json"):
        return project_backtest_inputs(args)
    model = load_global_model(args.source)
    model.use_csv_format(csv_format(args))
    data = series_for_model(model, args.data, statics=True)
    return data, stored_settings(model), [], args.source


def project_backtest_inputs(args):
    """``(data, settings, lines, model file)`` of ``backtest PROJECT.json DATA.csv`` of a
    project of many series: DATA.csv read with the project's CSV options (the options
    given over them) as its series (:func:`~engine.many.project_fit.series_of`), the
    settings ``fit --project`` fits (:func:`~engine.many.project_fit.settings_of`) with
    the window, training windows per series and weights' average of the project's model
    when it is current (:func:`~engine.many.project_fit.trained_settings`, as step 5's
    backtest takes them), the notes on them and the sentence on the window fitted
    (:func:`backtest_window_line`), and the model file the project names (None when it has
    none: the offer of a method's forecast then names MODEL)."""
    from engine.cli.text import project_model_path
    from engine.many.project_fit import series_of, trained_settings
    from engine.project.checks import check_project
    from engine.project.document import load_project

    project = load_project(args.source)
    project.use_csv_format(csv_format(args))
    check_project(project)
    config = project.dataset_config()
    data = series_of(project.table(config, path=args.data), config)
    settings, notes = trained_settings(project, data)
    return data, settings, notes + [backtest_window_line(settings, data, args.source)], \
        project_model_path(args.source)


def backtest_window_line(settings, data, project):
    """The sentence on the window a project's backtest fits (``settings`` of
    :func:`project_backtest_inputs`, ``data`` its series): the one its current model was
    fitted with (the fit chose it on the backtest), else the project's lookback in the
    steps a fit of it takes (:func:`~engine.many.global_model.window_plan`), forecasting
    every step at once, with what the fit would choose left at its defaults and the command
    that fits the project first."""
    import shlex

    from engine.many.choosing import trial_window_text
    from engine.many.global_model import window_plan

    if settings.fold is not None:                     # trained_settings: the model's window
        window = trial_window_text({"lookback": int(settings.lookback),
                                    "fold": int(settings.fold),
                                    "block": settings.steps_at_once,
                                    "horizon": int(settings.horizon)})
        return f"Window: {window}, as the project's model was fitted (its fit chose it)."
    lookback, fold = window_plan(settings, data.lengths)
    window = trial_window_text({"lookback": lookback, "fold": fold})
    return (f"Window: {window}, every step at once, from the project's settings: the project "
            "has no model fitted with its settings as they are, so the window, the training "
            "windows per series and the weights' average are the defaults, not what a fit "
            f"chooses on its backtest (rnn-studio fit --project {shlex.quote(str(project))} "
            "--out MODEL, then backtest the project again, to backtest those).")


def print_backtest_table(result, target, out, files):
    """The rows of a backtest's origins, mean and median (from
    :data:`~engine.testing.backtest.MEDIAN_FROM` origins) of the first target (``target``
    None) or of ``target``, then the verdict on the means, its figures to the table's
    digits: with :func:`method_offer`'s command naming ``files`` (model, data) for a model
    of one target; for one target of several, without it (:func:`targets_offer`
    follows)."""
    from engine.many.evaluation import summary_digits
    from engine.testing.backtest import MEDIAN_FROM

    folds = result["origins"]
    if target is None:
        summaries, means = [fold["summary"] for fold in folds], result
    else:
        summaries = [fold["targets"][target] for fold in folds]
        means = result["targets"][target]
    rows = [(fold["origin"], summary) for fold, summary in zip(folds, summaries)]
    rows.append(("mean", means["mean"]))
    if len(folds) >= MEDIAN_FROM:
        rows.append(("median", means["median"]))
    print(f"  {'origin':<8} {'method':<22} {'sMAPE %':>8} {'MASE':>8} {'OWA':>7}", file=out)
    digits = summary_digits(row for _, summary in rows for row in summary.values())
    for origin, summary in rows:
        for row in summary.values():
            cells = measure_cells(row, digits)
            print(f"  {str(origin):<8} {row['label']:<22} {cells['smape']:>8} "
                  f"{cells['mase']:>8} {cells['owa']:>7}", file=out)
    verdict = origins_verdict(means["mean"], digits, files if target is None else None)
    if verdict:
        print(verdict, file=out)


def origins_verdict(mean, digits, files):
    """The verdict on a backtest's means ``mean`` ("Over the origins, the network's mean
    OWA is ...", by MASE when no method has an OWA), its figures to ``digits`` (measure ->
    the table's, :func:`~engine.many.evaluation.summary_digits`), then
    :func:`method_offer`'s command naming ``files`` (model, data); ``files`` None (one
    target of several): whether Naive2 did better, without an offer
    (:func:`~engine.many.every_target.target_verdict`); "" without the figures."""
    from engine.many.evaluation import beats_sentence
    from engine.many.every_target import target_verdict
    from engine.many.metrics import judged_by

    places = digits[judged_by(mean.values())]
    if files is None:
        return target_verdict(mean, places, over_origins=True)
    sentence = beats_sentence(mean, places, over_origins=True)
    if not sentence:
        return ""
    return " ".join(part for part in (sentence, method_offer(mean, *files, "mean OWA",
                                                              places)) if part)


def stored_settings(model):
    """The :class:`~engine.many.global_model.GlobalSettings` a model was trained with."""
    from dataclasses import fields

    from engine.many.global_model import GlobalSettings

    names = {f.name for f in fields(GlobalSettings)}
    stored = {k: v for k, v in model.settings.items() if k in names}
    stored["hidden_sizes"] = tuple(stored["hidden_sizes"]) if stored.get("hidden_sizes") \
        else None                                   # none recorded: sized to the data
    stored["static_columns"] = tuple(stored.get("static_columns", ()))
    return GlobalSettings(**stored)


def run_evaluate(args, out, err):
    """``rnn-studio evaluate MODEL DATA.csv [--test-last N] [--json]`` for a global
    model."""
    from engine.many.evaluation import evaluate_targets, evaluations_dict
    from engine.many.model_file import load_global_model
    from engine.many.series_data import series_for_model

    refuse_flags("evaluate", (("--from", args.start), ("--recursive", args.recursive),
                              ("--horizon", args.horizon)),
                 "a model of many series is scored on the last N rows of every series "
                 "(--test-last N), with the forecasts of its horizon")
    model = load_global_model(args.model)
    model.use_csv_format(csv_format(args))
    data = series_for_model(model, args.data)
    trained_on = int(model.settings.get("test_last") or 0)
    test_last = trained_on if args.test_last is None else args.test_last
    if test_last < 1 and args.test_last is not None:
        raise EngineError(f"--test-last must be 1 or more (the rows scored at the end of "
                          f"every series); got {args.test_last}. The model's testing part "
                          f"is {trained_on} rows.")
    if test_last < 1:
        raise EngineError("The model was trained with no testing part, so every row was "
                          "used to train or select it; give --test-last N to score the "
                          "last N rows anyway (they are then no test of the model).")
    evaluations = evaluate_targets(model, data, test_last)
    if args.json:
        print(json.dumps(evaluations_dict(evaluations), allow_nan=False), file=out)
    else:
        print(evaluation_header(args.model, args.data, evaluations[0]), file=out)
        print_evaluations(evaluations, out, (args.model, args.data))
    return 0


def evaluation_header(model_path, data_path, evaluation):
    """``evaluate``'s first line on a model of many series, as on one
    (:func:`~engine.cli.text.scored_line`): the model, the data and the rows scored, e.g.
    ``"m.npz on data.csv: forecasts of 1 step, 11 rows (the last step of 11 series)"``."""
    rows = evaluation.steps * evaluation.n_scored
    return scored_line(model_path, data_path,
                       f"forecasts of {counted(evaluation.steps, 'step')}, "
                       f"{counted(rows, 'row')} ({evaluation.scope()} of "
                       f"{evaluation.n_scored:,} series)")


def refuse_flags(command, flags, why):
    """Raise when a flag of ``flags`` (``(name, value)``, False or None when not given) is
    given: it has no meaning for a model of many series."""
    given = [name for name, value in flags if value not in (None, False)]
    if given:
        raise EngineError(f"{command} {', '.join(given)}: not for a model of many series; "
                          f"{why}.")
