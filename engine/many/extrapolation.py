"""Series whose values lie far outside those a global model was trained on, named in one
note (:func:`far_outside_note`); one series' rule is :mod:`engine.data.extrapolation`.

The model file keeps each series' own scale, fitted on its training rows
(:mod:`engine.many.scaling`): per target the mean size ``mean |y|`` of its values, per
input their mean and standard deviation. A value of a series is far outside those it was
trained on when

* a target's size is more than :data:`TIMES_MEAN_SIZE` (10) times the mean size of the
  series' training values (``|y| > 10 mean |y|``): a series trained at about 500 is far
  outside above 5,000 (or below -5,000);
* an input lies more than :data:`~engine.data.extrapolation.STANDARD_DEVIATIONS` (6)
  standard deviations from the series' training mean, as for one series.
"""

import numpy as np

from engine.data.extrapolation import ADVICE, STANDARD_DEVIATIONS, figure, span_words
from engine.words import counted, counted_of, verb

TIMES_MEAN_SIZE = 10.0
NAMED = 10            # series named in the note; the others are counted


def far_rows(model, data):
    """``(numbers, far)``: the model's number of each series of ``data`` (a
    :class:`~engine.many.series_data.SeriesSet`) and (rows, n_targets + n_inputs) bool,
    the values far outside their series' training values (the module docstring's
    rule), targets first; NaN is not."""
    numbers = model.series_numbers(data)
    series = numbers[data.series_of_rows()]
    scaling = model.scaling
    with np.errstate(invalid="ignore"):
        far = [np.abs(data.targets) > TIMES_MEAN_SIZE * scaling.magnitude[series]]
        if data.inputs.shape[1]:
            distance = np.abs(data.inputs - scaling.input_mean[series])
            far.append(distance > STANDARD_DEVIATIONS * scaling.input_std[series])
    return numbers, np.concatenate(far, axis=1)


def _example(model, data, number, i, far, read):
    """How far series ``i`` of ``data`` (the model's series ``number``) lies outside its
    training values, in words, for its first column with far values (``far``: its
    rows' :func:`far_rows`, within the rows ``read``: its rows' bool mask)."""
    j = int(np.flatnonzero(far.any(axis=0))[0])
    scaling, rows = model.scaling, data.rows(i)
    t = len(model.target_names)
    if j < t:
        values = data.targets[rows, j]
        trained = f"a mean size (absolute value) of {figure(scaling.magnitude[number, j])}"
        name = model.target_names[j]
    else:
        values = data.inputs[rows, j - t]
        trained = (f"a mean of {figure(scaling.input_mean[number, j - t])} and a standard "
                   f"deviation of {figure(scaling.input_std[number, j - t])}")
        name = model.input_names[j - t]
    values = values[read & np.isfinite(values)]
    return (f"in {data.ids[i]!r}: {name} in "
            f"{counted_of(int(far[:, j].sum()), values.size, 'row')} read (trained on values "
            f"with {trained}; here {span_words(values)})")


def far_outside_note(model, data, read=None):
    """The note naming the series of ``data`` with values far outside their training
    values in the rows ``read`` ((rows,) bool; default: every row), with an example of
    the first; None when there are none."""
    numbers, far = far_rows(model, data)
    read = np.ones(len(far), dtype=bool) if read is None else np.asarray(read, dtype=bool)
    far &= read[:, None]
    found = [i for i in range(data.n_series) if far[data.rows(i)].any()]
    if not found:
        return None
    names = ", ".join(str(data.ids[i]) for i in found[:NAMED])
    if len(found) > NAMED:
        names += f", ... ({len(found):,} in all)"
    first = found[0]
    rows = data.rows(first)
    example = _example(model, data, numbers[first], first, far[rows], read[rows])
    many = f"{counted(len(found), 'series', 'series')} {verb(len(found), 'has', 'have')}"
    example = f"For example, {example}" if len(found) > 1 else example[0].upper() + example[1:]
    return (f"{many} values far outside those the model was trained on: {names}. "
            f"{example}. " + ADVICE)
