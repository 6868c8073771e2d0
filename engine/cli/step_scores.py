"""The scores of a model of several steps ahead as ``fit`` and ``evaluate`` print them: the
RMSE of each step ahead beside the baselines' RMSE at the same step, the figures of step 6's
and the report's errors table (:func:`engine.testing.report.error_rows`), then the recursive
forecasts from many origins that step 6's verdict reads
(:func:`engine.testing.verdict.verdict_on_testing`).

Up to :data:`ALL_STEPS` steps ahead every step has a line; a longer horizon lists step 1, a
few steps and the last (:func:`listed_steps`), and the mean of every step's RMSE."""

import numpy as np

from engine.figures import number, table_digits
from engine.testing.baselines import NO_SEASON
from engine.testing.report import (BASELINE_NAMES, comparators_subset, error_rows,
                                   model_legend, recursive_label)
from engine.words import counted

ALL_STEPS = 6       # steps ahead up to which every step has a line


def listed_steps(steps):
    """The steps ahead (from 1) that a table of ``steps`` lists: every one up to
    :data:`ALL_STEPS`, else 1, 2, 3, the middle one and the last."""
    if steps <= ALL_STEPS:
        return list(range(1, steps + 1))
    return sorted({1, 2, 3, (steps + 1) // 2, steps})


def _mean(values):
    """The mean of the known values, None when none is known."""
    known = [v for v in values if v is not None]
    return float(np.mean(known)) if known else None


def step_rows(analysis, j):
    """The lines of target ``j``'s table: ``[(label, RMSE, {baseline: RMSE})]`` (None where
    a figure is unknown): the listed direct steps, the mean over every step when some are
    left out, and the recursive forecasts of the analysis' horizon from many origins."""
    rows = [(label, figures["rmse"], {key: value for key, (value, _) in versus.items()})
            for label, figures, versus in error_rows(analysis, j)]
    direct, pooled = rows[:-1], rows[-1]
    lines = [(counted(h, "step") + " ahead", *direct[h - 1][1:])
             for h in listed_steps(len(direct))]
    if len(lines) < len(direct):
        lines.append((f"mean of steps 1–{len(direct)}", _mean(r[1] for r in direct),
                      {key: _mean(r[2][key] for r in direct) for key in BASELINE_NAMES}))
    return lines + [(recursive_label(analysis), *pooled[1:])]


def step_digits(lines):
    """The significant digits of a table of :func:`step_rows`' ``lines``, which are all
    RMSEs: the network's and the baselines' told apart (:func:`~engine.figures.table_digits`),
    and those a verdict under the table quotes its two RMSEs to at least."""
    return table_digits(figure for _, own, versus in lines for figure in (own, *versus.values()))


def print_step_scores(analysis, out, indent="  "):
    """Print every target's table of :func:`step_rows` to ``out``, its title saying when
    the classical comparators made only some of the recursive row's forecasts, and after
    it why the recursive row's horizon is shorter than the forecast length asked for; the
    model's column headed as the report's legend names it
    (:func:`~engine.testing.report.model_legend`: "network", or "model (linear
    autoregression)" for one that kept its least-squares start)."""
    names = list(BASELINE_NAMES.values())
    subset = comparators_subset(analysis)
    subset = "" if subset is None else f" ({subset})"
    for j, target in enumerate(analysis.target_names):
        lines = step_rows(analysis, j)
        width = max(len(label) for label, _, _ in lines)
        print(f"{indent}RMSE of {target} by steps ahead, beside the baselines' at the same "
              f"steps{subset}:", file=out)
        own_name = model_legend(getattr(analysis, "subject", "the network"))
        own_width = max(10, len(own_name))
        print(f"{indent}  {'':<{width}} {own_name:>{own_width}}"
              + "".join(f" {name:>{max(10, len(name))}}" for name in names), file=out)
        digits = step_digits(lines)
        for label, own, versus in lines:
            figures = [number(versus[key], digits) for key in BASELINE_NAMES]
            print(f"{indent}  {label:<{width}} {number(own, digits):>{own_width}}"
                  + "".join(f" {text:>{max(10, len(name))}}"
                            for text, name in zip(figures, names)), file=out)
    if getattr(analysis, "horizon_note", None):
        print(f"{indent}{analysis.horizon_note}", file=out)


def missing_baselines(seasonal, comparators):
    """The lines on the baselines that have no figure and why: seasonal naive without a
    season (``seasonal`` False), a classical comparator that could not be fitted
    (``comparators``: ``{name: Comparator}``)."""
    lines = [] if seasonal else [f"baseline {BASELINE_NAMES['seasonal_naive']}: none "
                               f"({NO_SEASON})"]
    return lines + [f"baseline {BASELINE_NAMES.get(name, name)}: none ({comparator.reason})"
                    for name, comparator in comparators.items() if comparator.reason]
