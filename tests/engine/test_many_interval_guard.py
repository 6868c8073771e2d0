"""A many-series model's intervals from too few selection windows: split conformal on each
tail, unknown (NaN) where the rank passes the count, and said so by the forecast, the
coverage sentence and the report instead of an interval that held 0%."""

import numpy as np

from engine.many.evaluation import coverage_sentence
from engine.many.fitting import interval_errors
from engine.many.global_model import LEVELS, GlobalModel
from engine.many.report import coverage_table


class Zero:
    """A network that predicts 0 for every output."""

    def predict(self, X):
        return np.zeros((len(X), 1))


def bounds_of(errors):
    errors = np.asarray(errors, float)[:, None]
    return interval_errors(Zero(), np.zeros((len(errors), 1)), errors, 1)


def test_five_errors_give_no_interval_at_any_level():
    """Five series, 1 step ahead, 5 selection errors all below the forecast;
    the quantiles gave an 80% interval with its upper bound 0, which held 0%."""
    bounds = bounds_of([-1.0, -2.0, -2.5, -2.9, -3.0])
    for level in LEVELS:
        assert np.isnan(bounds[level]).all()


def test_each_tail_is_the_conformal_rank_of_its_errors():
    errors = np.arange(1, 20, dtype=float) - 10           # -9 .. 9, n = 19
    bounds = bounds_of(errors)
    # 80%: k = ceil(20 * 0.9) = 18, the 18th smallest (8) and the 18th largest (-8)
    assert bounds[0.8][:, 0].tolist() == [-8.0, 8.0]
    # 90%: k = ceil(20 * 0.95) = 19 = n, the extremes; 95%: k = 20 > 19, unknown
    assert bounds[0.9][:, 0].tolist() == [-9.0, 9.0]
    assert np.isnan(bounds[0.95]).all()
    one_sided = bounds_of(errors + 10)                     # 1 .. 19: all above it
    assert one_sided[0.8][0, 0] == 0.0 and one_sided[0.8][1, 0] == 18.0
    assert np.isnan(bounds_of([])[0.8]).all()             # no selection window


def test_unknown_levels_are_named_not_scored():
    errors = {0.8: np.array([[-1.0], [1.0]]), 0.9: np.full((2, 1), np.nan),
              0.95: np.full((2, 1), np.nan)}
    model = GlobalModel(None, None, ["a"], ["y"], [], 1, 4, errors)
    assert model.unknown_levels() == [0.9, 0.95]
    note = model.unknown_note([0.9])
    assert note.startswith("No 90% interval: the selection part had too few windows")
    assert model.unknown_note([0.8]) == ""
    coverage = {0.8: 0.75, 0.9: None, 0.95: None}
    assert coverage_sentence(coverage) == (
        "The network's 80% interval held 75% of the testing values. The 90% and 95% "
        "intervals are unknown: too few selection windows to calibrate them.")
    table = coverage_table(coverage)
    assert table.count("unknown width: too few selection windows") == 2 and "75%" in table


def test_the_words_on_an_unknown_level_offer_only_a_known_lower_one():
    """'choose a lower level' was offered at 80%, the lowest, and when none was known."""
    from engine.many.forecasting import later_note

    errors = {0.8: np.array([[-1.0], [1.0]]), 0.9: np.full((2, 1), np.nan),
              0.95: np.full((2, 1), np.nan)}
    model = GlobalModel(None, None, ["a"], ["y"], [], 1, 4, errors)
    assert model.unknown_note([0.95]).endswith("or more steps ahead, or choose the 80% "
                                               "interval.")
    none_known = GlobalModel(None, None, ["a"], ["y"], [], 1, 4,
                             {level: np.full((2, 1), np.nan) for level in LEVELS})
    assert none_known.unknown_note([0.8]).endswith("Train on more series or more steps "
                                                   "ahead.")
    assert model.interval_words(0.8) == "with 80% intervals"
    assert model.interval_words(0.9) == "without intervals (the 90% interval is unknown)"
    assert later_note(model, 8, bounded=False) == ("Steps beyond 1 were forecast from the "
                                                   "model's own forecasts.")


def test_the_bounds_never_narrow_with_the_step_target_by_target():
    """2 steps of 2 targets (outputs y1, z1, y2, z2), 19 selection windows: one large error
    at step 1 of y above the forecast and of z below it. Each step's rank alone holds it at
    step 1 only and narrows at step 2; the bounds are the running extremes per target, so
    y's large upper bound does not widen z's, nor z's lower bound y's."""
    errors = np.tile(np.linspace(-1, 1, 19)[:, None], (1, 4))
    errors[0, 0], errors[-1, 1] = 5.0, -5.0          # y at step 1 above, z below
    bounds = interval_errors(Zero(), np.zeros((19, 1)), errors, 4, targets=2)[0.9]
    # 90%: k = ceil(20 * 0.95) = 19 = n, each side's extreme (at step 1, 8/9 where the
    # extreme was replaced; at step 2 alone, -1 and 1)
    np.testing.assert_allclose(bounds[1], [5.0, 8 / 9, 5.0, 1.0])
    np.testing.assert_allclose(bounds[0], [-8 / 9, -5.0, -1.0, -5.0])
