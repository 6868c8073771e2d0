"""What the deploy page's tools write the same way: step counts, numbers, the model in one
sentence, table widths and heights and the default file names."""

from pathlib import Path

from engine.figures import MOST_DIGITS, number
from engine.training.share_words import network_words
from engine.words import counted, the_last

COMMAND = "rnn\u2011studio"     # the command's name: a non-breaking hyphen, never wrapped


def steps_text(n):
    """``"1 step"``, ``"4 steps"``."""
    return counted(n, "step")


def ahead_text(offset):
    """An output's place in time: ``"same step"`` (offset 0) or ``"2 steps ahead"``."""
    return "same step" if offset == 0 else f"{steps_text(offset)} ahead"


def number_text(value):
    """Six significant digits, as a value of the file reads (112, not 112.000); a dash for
    a missing value (None or NaN)."""
    if value is None or value != value:
        return "–"
    return f"{value:.6g}"


def output_text(value):
    """An output of the model to six significant digits, trailing zeros kept so that a
    column of them reads alike (618.620 beside 485.723, :func:`engine.figures.number`); a
    dash for a missing value (None or NaN)."""
    if value is None or value != value:
        return "–"
    return number(value + 0.0, MOST_DIGITS)       # -0.0 reads 0.00000


def fit_width(table):
    """Make ``table`` as wide as its columns (plus its row labels and a scroll bar)."""
    table.resizeColumnsToContents()
    for c in range(table.columnCount()):
        table.setColumnWidth(c, max(table.columnWidth(c), 110))
    width = table.verticalHeader().sizeHint().width() + sum(
        table.columnWidth(c) for c in range(table.columnCount()))
    table.setMaximumWidth(width + table.verticalScrollBar().sizeHint().width() +
                          2 * table.frameWidth() + 2)
    table.setMinimumWidth(min(width + 2 * table.frameWidth(), 480))


def fit_rows(table, spare=4):
    """Let ``table`` grow no taller than its header and rows (plus ``spare`` pixels, and
    its sideways scroll bar while it shows one): a short table stays short instead of a
    tall frame of empty rows; a long one takes the height it is given and scrolls."""
    height = table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth() + spare
    height += sum(table.rowHeight(r) for r in range(table.rowCount()))
    if table.horizontalScrollBar().maximum() > 0:
        height += table.horizontalScrollBar().sizeHint().height()
    table.setMaximumHeight(height)
    if not table.property("rows_follow_scroll"):     # the bar comes and goes with the width
        table.setProperty("rows_follow_scroll", True)
        table.horizontalScrollBar().rangeChanged.connect(lambda *_: fit_rows(table, spare))


def model_summary(network, fitted, path, unsaved, share=None):
    """One sentence on the model the page deploys; ``share``: how much of the recurrent
    part its fit kept (the model file's ``linear_share``; None: all of it), said as
    :func:`~engine.training.share_words.network_words` says it."""

    steps = "the same step" if fitted.horizon == 0 else f"{steps_text(fitted.horizon)} ahead"
    transform = {"none": "", "difference": "; the target as differences",
                 "seasonal_difference": "; the target as seasonal differences"}.get(
        fitted.target_transform, f"; the target as {fitted.target_transform}")
    where = "trained, not saved yet: File > Save keeps it" if unsaved else Path(path).name
    return (f"Model: {network_words(network, share)}, "
            f"predicting {', '.join(fitted.target_names)} {steps} from "
            f"{the_last(fitted.lookback, 'row')} of "
            f"{', '.join(v['name'] for v in fitted.inputs)}"
            f"{transform} ({where}).")


def default_path(project, suffix):
    """``<project folder>/<project name as a file name><suffix>`` (``model`` without a
    project), the name a save dialog proposes."""
    folder = project.folder if project else Path.cwd()
    name = (project.name if project else "model").strip() or "model"
    stem = "".join(ch if ch.isalnum() else "_" for ch in name).strip("_").lower() or "model"
    return str(Path(folder) / f"{stem}{suffix}")


UNFIT = ("The data set of step 2 does not fit the model (the message above the tabs says "
         "why): load one that does, or a model that fits it.")
