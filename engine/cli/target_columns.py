"""The message of ``fit DATA.csv`` given no ``--target``: it names the file's columns that
could be one."""

from engine.cli.arguments import csv_format


def possible_targets(args, series=None):
    """The columns of ``args.data`` that ``--target`` could name: numeric (or binary), neither
    the time column (``--time``, else detected) nor one that the time is built from; of a
    file of many series (``series``: the column that names them), read without a time
    column (its times repeat from series to series), neither ``series`` nor the time
    (``--time``, else the one ``fit --series`` finds, and a year and a quarter or month it
    is built from). In file order."""
    from engine.data import CsvOptions, load_table
    from engine.data.csv_reader import require_columns

    time = False if series or getattr(args, "no_time", None) else (args.time or None)
    table = load_table(args.data, CsvOptions.from_dict({**csv_format(args),
                                                        "time_column": time}))
    if series:
        require_columns(table.frame, [series])
    left_out = {table.time_column, args.time, series}
    if series and not args.time and not getattr(args, "no_time", None):
        left_out |= _series_time_columns(table, series)
    return [c.name for c in table.columns
            if c.type in ("numeric", "binary") and not c.time_part and c.name not in left_out]


def _series_time_columns(table, series):
    """The columns of ``table`` (of many series) that ``fit --series`` takes for the time
    when none is given (:func:`~engine.many.series_data.series_time`): the one it finds, or
    the year and the quarter or month it builds the time from."""
    from engine.data.year_period import find_year_period
    from engine.many.series_data import series_time

    names = [c.name for c in table.columns if c.name != series]
    _, detected, built = series_time(table.frame, series, names, table.options)
    if built is None:
        return {detected}
    parts = find_year_period(table.frame, series)
    return {parts.year, parts.period}


def no_target_message(args, series=None):
    """``Choose the column to predict with --target COL; the file's numeric columns:
    'sales', 'price'.`` (to forecast, of a file of many ``series``: :func:`possible_targets`),
    or, when it has none, that it has none."""
    verb = "forecast" if series else "predict"
    names = possible_targets(args, series)
    if names:
        return (f"Choose the column to {verb} with --target COL; the file's numeric "
                f"{'columns' if len(names) > 1 else 'column'}: {', '.join(map(repr, names))}.")
    return (f"Choose the column to {verb} with --target COL: a numeric column, and the file "
            "has none (check --delimiter and --decimal if its numbers were read as text).")
