"""ETS forecasts from many origins at once (engine/testing/ets_paths.py and fit_ets's
forecast) are statsmodels' own ``predict(start=p, end=p + h - 1, dynamic=True)``, one origin
at a time, on every form ETS is chosen from."""

import numpy as np
import pytest

from engine.testing.comparators import _ets_model, ets_forms, fit_ets
from engine.testing.ets_paths import ets_paths, smoothed_states

PERIOD = 7


def series(rows=120, seed=3):
    """A weekly season, a trend and noise."""
    t = np.arange(rows)
    noise = np.random.default_rng(seed).standard_normal(rows)
    return 20 + 0.05 * t + 3 * np.sin(2 * np.pi * t / PERIOD) + 0.5 * noise


@pytest.mark.parametrize("form", ets_forms(PERIOD, 80))
def test_the_paths_of_every_form_are_statsmodels_predictions_to_the_bit(form):
    y = series()
    params = _ets_model(y[:80], form, PERIOD).fit(disp=False).params
    model = _ets_model(y, form, PERIOD)
    smoothed = model.smooth(params)
    fitted, states, internal = smoothed_states(model, params)
    np.testing.assert_array_equal(fitted, np.asarray(smoothed.fittedvalues))
    positions = np.array([1, 2, 5, 6, 7, 8, 40, 81, 119, 120])   # the first seasons too
    paths = ets_paths(states, internal, positions, 17, form[0] is not None,
                      form[2] is not None)
    for p, path in zip(positions, paths):
        expected = np.asarray(smoothed.predict(start=p, end=p + 16, dynamic=True))
        np.testing.assert_array_equal(path, expected)


def statsmodels_forecast(y, first, stop, params, form, c, origins, steps):
    """fit_ets's forecast as it was written with statsmodels alone: one predict per
    origin, the fitted values one step ahead."""
    smoothed = _ets_model(y[first:stop] / c, form, PERIOD).smooth(params)
    out = np.full((len(origins), steps), np.nan)
    for i, o in enumerate(origins):
        if first < o <= stop:
            p = o - first
            if steps == 1 and p < stop - first:
                out[i, 0] = c * smoothed.fittedvalues[p]
            else:
                out[i] = c * np.asarray(smoothed.predict(start=p, end=p + steps - 1,
                                                         dynamic=True))
    return out


def test_fit_ets_forecasts_as_statsmodels_does_from_each_origin(monkeypatch):
    y = 100 * series(150)
    y[140] = np.nan                           # the fitted run and the forecasts stop there
    kept = {}
    real = smoothed_states

    def spy(model, params):
        kept["params"] = params
        return real(model, params)

    monkeypatch.setattr("engine.testing.comparators.smoothed_states", spy)
    forecast, form, rows = fit_ets(y, 90, PERIOD, [], most=60)
    first, stop = rows[0], 140
    forms = {"A,N,N": (None, False, None), "A,A,N": ("add", False, None),
             "A,Ad,N": ("add", True, None), "A,N,A": (None, False, "add"),
             "A,A,A": ("add", False, "add"), "A,Ad,A": ("add", True, "add")}
    c = float(np.std(y[first:90]))
    origins = np.array([0, first, first + 1, 89, 90, 91, 120, 139, 140, 141, 149])
    for steps in (1, 3, 12):
        expected = statsmodels_forecast(y, first, stop, kept["params"], forms[form], c,
                                        origins, steps)
        np.testing.assert_array_equal(forecast(origins, steps), expected)


def test_fit_ets_smooths_the_rows_after_the_fit_without_a_hessian_or_a_predict_per_origin(
        monkeypatch):
    """The smoothing over the testing rows builds no results object (its Hessian of the
    likelihood took a minute over 200,000 rows) and forecasts call no predict (0.2 s
    each): only the fits of the forms compute a Hessian."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel, ETSResults

    hessians = []
    real = ETSModel.hessian

    def counted(self, *args, **kwargs):
        hessians.append(self.nobs)
        return real(self, *args, **kwargs)

    def refused(*args, **kwargs):
        raise AssertionError("a predict per origin")

    monkeypatch.setattr(ETSModel, "hessian", counted)
    monkeypatch.setattr(ETSResults, "predict", refused)
    y = series(150)
    forecast, _, rows = fit_ets(y, 90, PERIOD, [])
    assert set(hessians) == {90}                       # the fitted rows only
    assert np.isfinite(forecast(np.arange(90, 150), 5)).all()
