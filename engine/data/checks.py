"""What stops a data-set configuration from training, in plain words, and how its windows
fall into training, selection and testing (for the split timeline)."""

from dataclasses import dataclass

import numpy as np

from engine.errors import EngineError
from engine.words import counted
from engine.data.column_types import not_a_target
from engine.data.pipeline import prepare_training


@dataclass
class SplitSummary:
    """Window counts and the data rows each part's targets cover.

    counts : {"training": n, "selection": n, "testing": n}
    target_rows : {part: (first row, last row) or None} of the rows the part predicts
    n_inputs, n_outputs : the network's inputs per time step (after one-hot encoding) and
        outputs (targets times steps ahead), as :func:`network_sizes` gives them
    """

    counts: dict
    target_rows: dict
    n_inputs: int | None = None
    n_outputs: int | None = None


def config_problems(table, config):
    """A list of problems (empty when the configuration can train), each saying what to do;
    see :func:`check_config`."""
    return check_config(table, config)[0]


def check_config(table, config):
    """``(problems, summary)``: the problems of ``config`` on ``table`` (empty when it can
    train), each saying what to do, and its :class:`SplitSummary` (None when the windows
    could not be made). The data are prepared once for both.

    Checked: at least one target; targets numeric or binary; at least one input; the
    lookback fits into the training part; every part has windows.
    """
    problems = []
    targets = config.targets
    if not targets:
        problems.append("Choose at least one target: set the role of the column to predict "
                        "to 'target' or 'input and target'.")
    for spec in targets:
        if spec.type not in ("numeric", "binary"):
            problems.append(not_a_target(spec.name, spec.type, table.columns))
    if not config.inputs and config.horizon == 0:
        problems.append("Choose at least one input: with 0 steps ahead the network "
                        "approximates the target from other columns of the same row, so "
                        "give another column the role 'input' (or predict 1 step ahead or "
                        "more, with the target as 'input and target').")
    elif not config.inputs:
        problems.append("Choose at least one input: a column whose past the network reads "
                        "(the target itself, as 'input and target', is often enough).")
    if config.lookback < 1:
        problems.append("The lookback must be at least 1 time step.")
    if problems:
        return problems, None
    try:
        summary = split_summary(table, config)
    except EngineError as error:
        return [str(error)], None
    n_rows = len(table.frame)
    if summary.counts["training"] < 1:
        problems.append(f"The lookback of {counted(config.lookback, 'step')} (plus "
                        f"{counted(config.horizon, 'step')} ahead) is longer than the "
                        f"training part allows with {counted(n_rows, 'row')}: use a shorter "
                        "lookback or more training rows.")
    else:
        for part in ("selection", "testing"):
            wanted = (config.split.fractions[1 if part == "selection" else 2] > 0
                      or (part == "testing" and config.split.test_from is not None))
            if wanted and summary.counts[part] < 1:
                problems.append(f"The {part} part has no windows: give it a larger share "
                                "or use a shorter lookback.")
    return problems, summary


def split_summary(table, config):
    """:class:`SplitSummary` of ``config`` on ``table`` (raises EngineError when the data
    cannot be prepared)."""
    prepared = prepare_training(table, config)
    counts, rows = {}, {}
    for part in ("training", "selection", "testing"):
        anchors = np.asarray(prepared.anchors[part])
        counts[part] = int(anchors.size)
        if anchors.size:
            target_rows = prepared.target_rows(part)
            rows[part] = (int(target_rows.min()), int(target_rows.max()))
        else:
            rows[part] = None
    return SplitSummary(counts, rows, prepared.n_inputs, prepared.n_outputs)


def network_sizes(table, config):
    """``(n_inputs, n_outputs)`` of a network for this configuration: inputs per time step
    after one-hot encoding, and targets times steps ahead (also in the
    :class:`SplitSummary` of :func:`check_config`, which prepares the data once for all)."""
    prepared = prepare_training(table, config)
    return prepared.n_inputs, prepared.n_outputs
