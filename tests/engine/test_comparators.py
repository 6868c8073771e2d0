"""The classical comparators (engine/testing/comparators.py): the linear path is least
squares, ETS and Theta on series with a known answer, fitted on the rows before the testing
part only, and None with a reason when they cannot be fitted."""

import numpy as np
import pandas as pd
import pytest

from engine.data import default_config, load_table, prepare_training
from engine.model.forecaster import Forecaster
from engine.network.recurrent import RecurrentNetwork
from engine.testing.comparators import (Comparator, comparator_guesses, design_matrix,
                                        fit_comparators, fit_ets, fit_linear, fit_theta,
                                        form_notation, form_text, form_words, gap_notes)
from engine.testing.evaluation import evaluate_frame, row_runs


def model_of(frame, lookback=2, test_from=80, **settings):
    """An untrained model whose metadata records its split as ``fit`` does."""
    table = load_table(frame)
    config = default_config(table, ["y"], lookback=lookback, **settings)
    config.split.test_from = test_from
    prepared = prepare_training(table, config)
    network = RecurrentNetwork("gru", prepared.n_inputs, [4], prepared.n_outputs, seed=0)
    network.load_state_dict(network.state_dict())   # seeded weights stand for trained ones
    rows = prepared.target_rows("testing")[:, 0]
    metadata = {"training": {"training_windows": len(prepared.Y_train)},
                "testing": {"from": {"row": test_from}, "rows": row_runs(np.sort(rows)),
                            "file_rows": len(frame)}}
    model = Forecaster(network, {"preprocessing": prepared.fitted.to_dict(),
                                 "metadata": metadata}, prepared.fitted)
    return model, prepared


def sine_frame(rows=100):
    """Noiseless AR(2): ``y_t = a1 y_(t-1) - y_(t-2) + 10 (2 - a1)``, ``a1 = 2 cos(w)``."""
    t = np.arange(rows)
    return pd.DataFrame({"y": 10 + 5 * np.sin(2 * np.pi * t / 9.5 + 0.4)})


def test_linear_path_is_least_squares_and_recovers_an_ar2():
    frame = sine_frame()
    model, prepared = model_of(frame)
    encoded = model.preprocessing.encode(frame, prediction=True)
    forecast, _, rows = fit_linear(model, encoded, 80)     # every row before the testing
    X = np.concatenate([np.asarray(prepared.X_train), np.asarray(prepared.X_sel)])
    Y = np.concatenate([prepared.Y_train, prepared.Y_sel])
    expected = np.linalg.lstsq(np.column_stack([np.asarray(X).reshape(len(Y), -1),
                                                np.ones(len(Y))]), Y, rcond=None)[0]
    np.testing.assert_allclose(forecast.weights, expected, rtol=1e-12, atol=1e-12)
    a1 = 2 * np.cos(2 * np.pi / 9.5)
    # window rows oldest first: weights (y'_(t-2), y'_(t-1), 1) on the scaled values
    np.testing.assert_allclose(forecast.weights[:2, 0], [-1.0, a1], atol=1e-8)
    assert design_matrix(X).shape == (len(Y), 3)
    rows_tested = np.arange(80, 100)
    one_step = comparator_guesses(model_comparator(forecast), rows_tested, rows_tested - 1, 1)
    np.testing.assert_allclose(one_step[:, 0], frame["y"].to_numpy()[80:], atol=1e-8)
    recursive = forecast(np.array([80]), 20)[0, :, 0]
    np.testing.assert_allclose(recursive, frame["y"].to_numpy()[80:], atol=1e-6)


def model_comparator(forecast):
    from engine.testing.comparators import Comparator
    return Comparator("linear", forecast)


def test_ets_on_a_linear_trend_chooses_a_trend_and_forecasts_it():
    y = 5.0 + 0.7 * np.arange(60)
    notes = []
    forecast, form, rows = fit_ets(y, 50, None, notes)
    assert form in ("A,A,N", "A,Ad,N") and rows == [0, 49]
    np.testing.assert_allclose(forecast(np.array([50]), 10)[0], y[50:60], rtol=1e-3)
    np.testing.assert_allclose(forecast(np.arange(51, 60), 1)[:, 0], y[51:60], rtol=1e-3)


def test_ets_says_when_the_season_is_too_long_for_its_seasonal_forms():
    """Weekly data with a yearly season (52 rows): ETS fits no seasonal form, and its
    score, often worse than persistence, needs that said beside it (step 6, evaluate)."""
    t = np.arange(300)
    y = 300 + 0.03 * t + 3 * np.sin(2 * np.pi * t / 52)
    notes = []
    _, form, _ = fit_ets(y, 250, 52, notes)
    assert form.endswith(",N")
    assert gap_notes({"ets": Comparator("ets", notes=notes)}) == [
        "ETS: no seasonal form, as the season of 52 rows is longer than the 24 it fits; it "
        "forecasts without a season."]
    monthly = []
    fit_ets(y, 250, 12, monthly)
    assert gap_notes({"ets": Comparator("ets", notes=monthly)}) == []
    unfitted = []                             # too few rows: no ETS at all, so no such note
    assert isinstance(fit_ets(y[:3], 3, 52, unfitted), str)
    assert gap_notes({"ets": Comparator("ets", notes=unfitted)}) == []


def test_ets_forecasts_do_not_depend_on_the_unit_of_the_data():
    """A seasonal series with a trend near 9,000 (as monthly accidental deaths): an
    additive-error ETS model of ``1000 y`` is the model of ``y`` times 1,000, so the form and
    the forecasts must follow. Fitted in the data's own units, the optimizer stopped near
    its start for the large states and the form and forecasts changed with the unit."""
    t = np.arange(72)
    noise = np.random.default_rng(5).standard_normal(72)
    y = 9000 - 8 * t + 900 * np.sin(2 * np.pi * t / 12) + 300 * noise
    forms, forecasts = [], []
    for unit in (0.001, 1.0, 1000.0):
        forecast, form, _ = fit_ets(unit * y, 60, 12, [])
        forms.append(form)
        forecasts.append(forecast(np.array([60]), 12)[0] / unit)
    assert forms[0] == forms[1] == forms[2] and forms[0].endswith(",A")
    np.testing.assert_allclose(forecasts[0], forecasts[1], rtol=1e-4)
    np.testing.assert_allclose(forecasts[2], forecasts[1], rtol=1e-4)


def test_ets_on_a_noisy_level_chooses_no_trend():
    y = 20 + np.random.default_rng(3).standard_normal(120)
    _, form, _ = fit_ets(y, 100, None, [])
    assert form == "A,N,N"


def test_theta_equals_the_library_from_the_fit_origin_and_halves_a_trend():
    from statsmodels.tsa.forecasting.theta import ThetaModel

    y = 50 + 2.0 * np.arange(80) + np.random.default_rng(1).standard_normal(80) * 0.01
    forecast, form, _ = fit_theta(y, 60, None, [])
    library = ThetaModel(y[:60], deseasonalize=False).fit().forecast(8)
    np.testing.assert_allclose(forecast(np.array([60]), 8)[0], np.asarray(library),
                               rtol=1e-10)
    # SES follows a clean trend (alpha ~ 1): y_(T-1) + b0 / 2 * (h - 1 + 1/alpha) ~ y_(T-1) + h
    np.testing.assert_allclose(forecast(np.array([70]), 3)[0], y[69] + np.arange(1, 4),
                               atol=0.05)
    assert "no season" in form


def test_seasonal_theta_from_later_origins_matches_a_library_fit_at_the_fit_origin():
    from statsmodels.tsa.forecasting.theta import ThetaModel

    t = np.arange(96)
    y = 100 + t + 10 * np.sin(2 * np.pi * t / 12) + np.random.default_rng(2).normal(0, 1, 96)
    forecast, form, _ = fit_theta(y, 72, 12, [])
    assert "season 12" in form
    library = ThetaModel(y[:72], period=12).fit().forecast(12)
    np.testing.assert_allclose(forecast(np.array([72]), 12)[0], np.asarray(library),
                               rtol=1e-8)


def theta_one_model_per_origin(y, first, stop, period, b0, alpha, one_step, indices,
                               method, origins, steps):
    """Theta's forecasts as statsmodels gives them with a ThetaModel of the rows before
    each origin (how the comparator once made them, 0.6 ms an origin)."""
    from statsmodels.tsa.forecasting.theta import ThetaModel, ThetaModelResults

    seasonal = bool(period) and len(y[first:]) >= 2 * period
    out = np.full((len(origins), steps), np.nan)
    for i, o in enumerate(origins):
        if first < o <= stop:
            at = ThetaModel(y[first:o], period=period if seasonal else None,
                            deseasonalize=seasonal, use_test=False, method=method)
            out[i] = np.asarray(ThetaModelResults(b0, alpha, 1.0, one_step[o - first],
                                                  indices, False, at).forecast(steps))
    return out


@pytest.mark.parametrize("shift, period", [(100, 12), (-100, 12), (100, None)])
def test_theta_from_many_origins_gives_the_library_numbers_without_a_model_per_origin(
        monkeypatch, shift, period):
    """Multiplicative season (positive series), additive season (negative values), no
    season: the forecasts from every origin, one step and five, equal to 1e-9 those of a
    statsmodels ThetaModel built per origin, and forecasting builds none."""
    import statsmodels.tsa.forecasting.theta as theta
    from engine.testing import comparators

    t = np.arange(160)
    y = shift + 0.3 * t + 10 * np.sin(2 * np.pi * t / 12) + \
        np.random.default_rng(4).normal(0, 1, 160)
    kept = {}
    ses = comparators._ses_one_step

    def keep(series, alpha, notes):
        kept["one_step"] = ses(series, alpha, notes)
        return kept["one_step"]

    monkeypatch.setattr(comparators, "_ses_one_step", keep)
    forecast, form, _ = fit_theta(y, 100, period, [])
    assert ("season 12" in form) == bool(period)
    model, _ = comparators._theta_model(y[:100], period)
    result = model.fit()
    b0, alpha = (float(v) for v in result.params)
    origins = np.arange(95, 162)        # some in the fitted rows, the last past the data
    built = []
    monkeypatch.setattr(theta, "ThetaModel", lambda *a, **k: built.append(a))
    for steps in (1, 5):
        new = forecast(origins, steps)
        monkeypatch.undo()
        old = theta_one_model_per_origin(y, 0, 160, period, b0, alpha, kept["one_step"],
                                         comparators._theta_seasonal(result), model.method,
                                         origins, steps)
        monkeypatch.setattr(theta, "ThetaModel", lambda *a, **k: built.append(a))
        np.testing.assert_allclose(new, old, rtol=1e-9, atol=1e-9)
        assert np.isfinite(new[:-1]).all() and np.isnan(new[-1]).all()
    assert built == []


def test_comparators_never_see_the_testing_rows():
    frame = sine_frame(120)
    frame["y"] += np.random.default_rng(0).normal(0, 0.3, 120)
    model, _ = model_of(frame, lookback=4, test_from=90)
    changed = frame.copy()
    changed.loc[90:, "y"] = changed.loc[90:, "y"] * 3 + 7
    before = fit_comparators(model, model.preprocessing.encode(frame, prediction=True), 90)
    after = fit_comparators(model, model.preprocessing.encode(changed, prediction=True), 90)
    for name in ("ets", "theta", "linear"):
        assert before[name].reason is None and before[name].form == after[name].form
        assert before[name].fitted_rows[1] < 90
        # the forecast from the testing start uses only rows before it
        np.testing.assert_allclose(before[name].forecast(np.array([90]), 5),
                                   after[name].forecast(np.array([90]), 5))
    np.testing.assert_allclose(before["linear"].forecast.weights,
                               after["linear"].forecast.weights)


def test_too_short_or_constant_series_give_a_reason_not_an_error():
    assert "at least" in fit_ets(np.arange(6.0), 6, None, [])
    assert "at least" in fit_theta(np.arange(6.0), 6, None, [])
    assert "constant" in fit_ets(np.full(40, 3.0), 30, None, [])
    frame = pd.DataFrame({"y": np.sin(np.arange(30))})
    model, _ = model_of(frame, lookback=2, test_from=10)
    evaluation = evaluate_frame(model, frame)
    linear = evaluation.comparators["linear"]
    assert linear.forecast is None and "at least" in linear.reason
    assert evaluation.baselines["linear"] is None
    assert "linear" not in evaluation.to_dict()["baselines"]
    assert evaluation.to_dict()["comparators"]["linear"]["reason"] == linear.reason


def test_evaluate_lists_the_comparators_with_the_networks_metrics():
    frame = sine_frame(120)
    model, _ = model_of(frame, lookback=3, test_from=96)
    for recursive in (False, True):
        report = evaluate_frame(model, frame, recursive=recursive).to_dict()
        for name in ("ets", "theta", "linear"):
            scores = report["baselines"][name]
            assert scores["count"] == report["count"]
            assert set(scores["targets"]["y"]) == set(report["targets"]["y"])
        assert report["baselines"]["linear"]["targets"]["y"]["rmse"] < 1e-6


def test_the_analysis_and_the_report_show_the_comparators():
    from engine.testing.analysis import analyze_model
    from engine.testing.report import report_html

    frame = sine_frame(120)
    frame["y"] += np.random.default_rng(4).normal(0, 0.2, 120)
    model, _ = model_of(frame, lookback=3, test_from=96)
    analysis = analyze_model(model, frame, horizon=6)
    figures = analysis.to_dict()
    for name in ("ets", "theta", "linear"):
        assert name in figures["direct"][0]["baselines"]
        assert name in figures["recursive"]["baselines"]
        assert len(figures["by_horizon"]["baselines_rmse"][name]["y"]) == 6
        assert figures["comparators"][name]["fitted_rows"][1] < 96
    html = report_html(analysis)
    for title in ("ETS RMSE", "Theta RMSE", "linear AR RMSE"):
        assert html.count(title) == 2          # the errors table and the table by horizon


def test_a_failing_forecast_leaves_nan_and_a_note():
    from engine.testing.comparators import Comparator

    def broken(origins, steps):
        raise ValueError("no state")

    comparator = Comparator("ets", broken)
    guesses = comparator_guesses(comparator, np.array([5, 6]), np.array([4, 5]), 1)
    assert np.isnan(guesses).all() and "no state" in comparator.notes[0]


def test_without_a_stored_period_ets_and_theta_use_the_season_of_the_seasonal_naive():
    """A model whose project never stored its season (the data page shows the one it
    found): ETS and Theta are fitted at the season the seasonal naive baseline finds in the
    rows before testing, not without one; so is the forecast by a classical method."""
    from engine.deploy.forecasting import comparator_forecast
    from engine.testing.baselines import season_length

    t = np.arange(144)
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"y": 50 + 10 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 1, 144)})
    model, _ = model_of(frame, lookback=3, test_from=120)
    assert model.preprocessing.period is None
    encoded = model.preprocessing.encode(frame, prediction=True)
    assert season_length(None, encoded.levels, 120) == 12
    comparators = fit_comparators(model, encoded, 120)
    assert comparators["ets"].form.endswith(",A") and "season 12" in comparators["theta"].form
    forecast = comparator_forecast(model, frame, 144, 0, 12, 0.9, "theta")
    peak, trough = int(np.argmax(forecast.values[:, 0])), int(np.argmin(forecast.values[:, 0]))
    assert abs(peak - trough) == 6                     # a season, not a flat line


def test_ets_and_theta_are_fitted_after_the_last_gap_in_time():
    """A month missing at row 60 (the rows around it one step apart in the array, two in
    time): both are fitted on the rows after it only, say so, and forecast what a fit of
    those rows alone forecasts. A gap between the last fitted row and the first forecast
    one, or one that would leave too few rows after it, is not cut at; no forecast starts
    after a later gap (the smoothed season would be a month out of step), and a note says
    so."""
    t = np.arange(120)
    y = 100 + 10 * np.sin(2 * np.pi * t / 12) + 0.3 * t
    gaps = np.zeros(120, dtype=bool)
    gaps[[60, 110]] = True
    for fit in (fit_ets, fit_theta):
        notes = []
        forecast, _, rows = fit(y, 100, 12, notes, gaps=gaps)
        assert rows == [60, 99]
        assert any("fitted on the rows from row 60, after a gap in time" in n for n in notes)
        alone, _, _ = fit(y[60:], 40, 12, [])
        np.testing.assert_allclose(forecast(np.array([100]), 5)[0],
                                   alone(np.array([40]), 5)[0], rtol=1e-6)
        assert np.isfinite(forecast(np.array([109]), 1)).all()
        assert np.isnan(forecast(np.array([110, 111]), 1)).all()  # the gap at 110
        assert any("no forecast of row 110 or later, behind a gap" in n for n in notes)
        assert fit(y, 110, 12, [], gaps=gaps)[2] == [60, 109]      # the gap at 110: after
        notes = []
        assert fit(y, 65, 12, notes, gaps=gaps)[2] == [0, 64]      # 5 rows after: across
        assert not any("after a gap" in n for n in notes)
        name = "ETS" if fit is fit_ets else "Theta"
        assert f"{name}: fitted across a gap in time before row 60, as only 5 rows follow " \
            "it (a fit needs 10); its season may be out of step after the gap." in notes


def test_a_warning_of_statsmodels_is_a_note_that_ends_as_a_sentence():
    """The notes are shown one after another (step 7 joins them): each ends with a full
    stop, a warning's too."""
    import warnings

    from engine.testing.comparators import _quietly

    def warns():
        warnings.warn("did not converge", RuntimeWarning)
        return 3

    notes = []
    assert _quietly(warns, notes, "ETS A,A,A") == 3
    assert notes == ["ETS A,A,A: statsmodels warned (RuntimeWarning); kept the result."]


@pytest.mark.parametrize("form, words", [
    ((None, False, None), "no trend or season"),
    (("add", False, None), "additive trend, no season"),
    (("add", True, None), "damped trend, no season"),
    ((None, False, "add"), "no trend, additive season"),
    (("add", False, "add"), "additive trend and season"),
    (("add", True, "add"), "damped trend, additive season")])
def test_every_ets_form_reads_in_words(form, words):
    """Step 7 and the command line said "exponential smoothing (A,A,A)": the notation,
    which few read, is for the tooltip."""
    assert form_words(form_text(*form)) == words


def test_forms_of_several_targets_and_of_other_methods():
    assert form_words("A,A,A; A,N,A") == "additive trend and season; no trend, additive season"
    for other in ("theta 2, multiplicative season 12", "least squares, 12 lags x inputs + "
                  "constant, 79 windows"):
        assert form_words(other) == other and form_notation(other) == ""
    assert form_notation("A,Ad,A") == "ETS(A,Ad,A): error, trend, season; A additive, Ad damped"
    assert form_notation("A,N,N; A,A,A") == ("ETS(A,N,N), ETS(A,A,A): error, trend, season; "
                                             "A additive, N none")
