"""``rnn-studio forecast`` and ``rnn-studio export``: the deploy step on the command line.

::

    rnn-studio forecast MODEL DATA.csv --steps N --out FORECAST.csv [--level 0.8|0.9|0.95]
                        [--method network|ets|theta|linear|naive2|seasonal_naive]
                        [--clip zero|range]
    rnn-studio export MODEL --format model|python|onnx|torch --out FILE
"""

import os

from engine.cli.arguments import DEFAULT_LEVEL, add_csv_options, csv_format
from engine.cli.text import methods_offered
from engine.errors import EngineError
from engine.words import counted, verb

NAMES = ("forecast", "export")


def add_parsers(commands):
    """Add the two subcommands to the argparse subparsers ``commands``."""
    from engine.deploy.exports import FORMATS
    from engine.deploy.forecasting import CLIPS, LEVELS, METHODS
    from engine.many.method_forecasts import FORECAST_METHODS

    forecast = commands.add_parser(
        "forecast", help="forecast the rows after a CSV file's last known targets",
        description="Forecast the next N steps after the last row whose targets are known, "
                    "with prediction intervals, and write them as CSV (time, then per target "
                    "the forecast and its lower and upper bound). A model with inputs other "
                    "than the targets' own history needs their future values: give them in "
                    "rows at the end of the file with the target cells empty.")
    forecast.add_argument("model", metavar="MODEL")
    forecast.add_argument("data", metavar="DATA.csv")
    forecast.add_argument("--steps", type=int, required=True, metavar="N",
                          help="how many steps to forecast")
    forecast.add_argument("--level", type=float, choices=LEVELS,
                          help="the intervals' level (default 0.9: 90%% of outcomes inside)")
    forecast.add_argument("--method", default="network",
                          choices=tuple(dict.fromkeys(METHODS + FORECAST_METHODS)),
                          help="what makes the forecast: the model's network (default), or a "
                               "classical method fitted on DATA.csv's known target values: "
                               "ets (exponential smoothing), theta (the Theta method), linear "
                               "(a linear autoregression on the model's windows, no "
                               "intervals); for a model of many series naive2, seasonal_naive "
                               "or theta, made from each series' own values, no intervals. "
                               "'rnn-studio fit' says when one of them beat the network")
    forecast.add_argument("--clip", choices=CLIPS,
                          help="keep the forecast and its interval within the data's bounds: "
                               "zero (not below 0, for a target that never goes below zero "
                               "in DATA.csv) or range (between its lowest and highest known "
                               "value); default: not clipped")
    forecast.add_argument("--out", required=True, metavar="FORECAST.csv",
                          help="the CSV to write; for a model of many series one row per "
                               "series and step: the series, the time (or step number), "
                               "then per target the forecast and its bounds")
    add_csv_options(forecast)
    export = commands.add_parser(
        "export", help="export a model for use outside RNN Studio",
        description="Write the model in another form: " + "; ".join(
            f"{key}: {text} ({suffix})" for key, (text, suffix) in FORMATS.items()) +
        ". A model of many series is exported in each of them with its per-series scaling "
        "table, so that each forecasts any of its series from that series' recent values.")
    export.add_argument("model", metavar="MODEL")
    export.add_argument("--format", required=True, choices=tuple(FORMATS), dest="fmt")
    export.add_argument("--out", required=True, metavar="FILE")


def run(args, out, err):
    """Run ``args.command``; returns the exit status."""
    from engine.deploy.forecasting import MAX_STEPS, METHODS
    from engine.model.model_file import holds_many_series, load_model

    if args.command == "forecast" and not 1 <= args.steps <= MAX_STEPS:
        raise EngineError(f"--steps must be from 1 to {MAX_STEPS:,}; got {args.steps}.")
    if holds_many_series(args.model):
        from engine.cli.many_series import run_export, run_forecast
        return (run_export if args.command == "export" else run_forecast)(args, out, err)
    model = load_model(args.model)
    if args.command == "forecast" and args.method not in METHODS:
        raise EngineError(methods_offered("forecast", args.method, "one series", METHODS))
    if args.command == "export":
        from engine.deploy.exports import FORMATS, export_model
        path = export_model(model, args.fmt, args.out)
        print(f"Wrote the {FORMATS[args.fmt][0]} of {os.path.basename(args.model)} to {path}",
              file=out)
        return 0
    import numpy as np

    from engine.deploy.forecasting import forecast_file

    model.use_csv_format(csv_format(args))
    level = DEFAULT_LEVEL if args.level is None else args.level
    result = forecast_file(model, args.data, args.out, args.steps, level, args.method,
                           args.clip)
    frame = result.to_frame()
    # one step is one time, named once ("year 1955", not "year 1955 to 1955")
    span = f"{frame.iloc[0, 0]}" + ("" if result.steps == 1 else f" to {frame.iloc[-1, 0]}")
    where = verb(result.steps, "row", "rows") if not result.times else \
        (result.time_column or "time")
    how = result.method if result.source == "network" else result.source
    bounds = f"with {result.level:.0%} intervals" if np.isfinite(result.lower).any() \
        else "without intervals"
    print(f"Forecast of {counted(result.steps, 'step')} ({how}), {where} {span}, {bounds}, "
          f"written to {args.out}", file=out)
    for note in result.notes:
        print(f"Note: {note}", file=out)
    return 0
