"""The message of ``fit DATA.csv`` given no ``--target``: it names the file's columns that
could be one."""

from engine.cli.arguments import csv_format


def possible_targets(args, series=None):
    """The columns of ``args.data`` that ``--target`` could name: numeric (or binary), neither
    the time column (``--time``, else detected) nor one that the time is built from; of a
    file of many series (``series``: the column that names them), read without a time
    column (its times repeat from series to series), neither ``--time`` nor ``series``.
    In file order."""
    from engine.data import CsvOptions, load_table

    time = False if series else (args.time or None)
    table = load_table(args.data, CsvOptions.from_dict({**csv_format(args),
                                                        "time_column": time}))
    return [c.name for c in table.columns
            if c.type in ("numeric", "binary") and not c.time_part
            and c.name not in (table.time_column, args.time, series)]


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
