"""The share of the recurrent part a network with a linear path keeps."""

import numpy as np
import pytest

from engine import RecurrentNetwork
from engine.testing.comparators import design_matrix
from engine.training.linear_share import blended, choose_share, selection_score
from engine.training.linear_start import least_squares_weights


def _windows(n=300, lookback=6, seed=0):
    rng = np.random.default_rng(seed)
    y = np.zeros(n + lookback)
    for t in range(2, len(y)):
        y[t] = 0.6 * y[t - 1] - 0.3 * y[t - 2] + rng.normal()
    X = np.lib.stride_tricks.sliding_window_view(y[:-1], lookback)[:, :, None]
    return np.ascontiguousarray(X), y[lookback:, None]


@pytest.mark.parametrize("share", [0.0, 0.5, 1.0])
def test_a_blend_is_one_network_mixing_the_network_and_least_squares(share):
    X, Y = _windows()
    network = RecurrentNetwork("gru", 1, [4], 1, seed=0, linear_path=True, lookback=6)
    network.fit(X[:200], Y[:200], X[200:], Y[200:], max_epochs=3)
    start = least_squares_weights(X[:200], Y[:200])
    mixed = blended(network, start, share)
    linear = design_matrix(X) @ start
    expected = share * network.predict(X) + (1 - share) * linear
    np.testing.assert_allclose(mixed.predict(X), expected, rtol=1e-9, atol=1e-9)
    assert mixed.history_ == network.history_            # the fitted attributes travel


def test_more_parts_count_in_the_least_squares_weights():
    X, Y = _windows()
    together = least_squares_weights(X, Y)
    parts = least_squares_weights(X[:120], Y[:120], more=[(X[120:], Y[120:])])
    np.testing.assert_allclose(parts, together, rtol=1e-8, atol=1e-10)


def test_a_fit_keeps_the_share_its_selection_score_prefers(seasonal_csv):
    from engine.training.automatic import AutomaticChoices, automatic_project
    from engine.training.fitting import fit_project

    project, _ = automatic_project(AutomaticChoices(seasonal_csv, ["y"], lookback=4,
                                                    max_epochs=5, test_from="2019-01-01"))
    result = fit_project(project)
    check = result.linear_share
    scores = {float(k): v for k, v in check["scores"].items()}
    assert check["share"] == min(scores, key=lambda s: (scores[s], -s))
    assert selection_score(result.network, result.prepared) is not None
    assert result.summary()["linear_share"] == check


def test_no_share_without_a_linear_path(seasonal_csv):
    from engine.data import load_table, prepare_training
    from engine.training.automatic import AutomaticChoices, automatic_project

    project, _ = automatic_project(AutomaticChoices(seasonal_csv, ["y"], lookback=4,
                                                    test_from="2019-01-01"))
    prepared = prepare_training(load_table(seasonal_csv), project.dataset_config())
    network = RecurrentNetwork("gru", prepared.n_inputs, [4], 1, seed=0)
    network.fit(prepared.X_train, prepared.Y_train, max_epochs=2)
    assert choose_share(network, prepared) == (network, None)


def test_the_forecast_steps_wanted_set_the_blocks_of_the_choices(seasonal_csv, monkeypatch):
    """fit --forecast-steps N: the backtest of the choices and the share's recursive
    score read blocks of N rows (here 18, longer than the 12 of the season)."""
    from engine.testing.backtest import block_rows
    from engine.training import linear_choice
    from engine.training.automatic import AutomaticChoices, automatic_project
    from engine.training.fitting import fit_project

    assert (block_rows(1, 12), block_rows(1, 12, 18), block_rows(24, 12, 18)) == (12, 18, 24)
    assert block_rows(1, None, 5) == 12                   # never shorter than the rule
    blocks = []
    scored = linear_choice.origin_scores
    monkeypatch.setattr(linear_choice, "origin_scores", lambda table, config, origin, block:
                        blocks.append(block) or scored(table, config, origin, block))
    project, _ = automatic_project(AutomaticChoices(
        seasonal_csv, ["y"], lookback=4, max_epochs=2, test_from="2019-01-01",
        forecast_steps=18))
    assert project.selection.settings["forecast_steps"] == 18
    result = fit_project(project)
    assert blocks and set(blocks) == {18}
    assert result.linear_share["block"] == min(18, len(result.prepared.Y_sel))
    with pytest.raises(Exception, match="at least 1"):
        automatic_project(AutomaticChoices(seasonal_csv, ["y"], forecast_steps=0))


def test_with_less_than_all_kept_the_selection_part_judges_the_blend_before_its_refit(
        seasonal_csv, monkeypatch):
    """A share below 1 is fitted again on the selection windows too; the selection scores,
    intervals and verdict must read the blend that never saw them."""
    from engine.testing.evaluation import part_scores
    from engine.testing.intervals import selection_intervals
    from engine.training import linear_share
    from engine.training.automatic import AutomaticChoices, automatic_project
    from engine.training.fitting import fit_project

    monkeypatch.setattr(linear_share, "SHARES", (0.0,))      # the linear model alone
    project, _ = automatic_project(AutomaticChoices(seasonal_csv, ["y"], lookback=4,
                                                    max_epochs=2, test_from="2019-01-01"))
    result = fit_project(project)
    prepared = result.prepared
    assert result.linear_share["share"] == 0.0
    unseen = blended(result.network, least_squares_weights(prepared.X_train,
                                                           prepared.Y_train), 0.0)
    every = least_squares_weights(prepared.X_train, prepared.Y_train,
                                  more=[(prepared.X_sel, prepared.Y_sel)])
    np.testing.assert_allclose(result.network.predict(prepared.X_sel),
                               design_matrix(prepared.X_sel) @ every, rtol=1e-8, atol=1e-8)
    expected = part_scores(unseen, prepared, "selection").to_dict()
    kept = part_scores(result.network, prepared, "selection").to_dict()
    assert result.scores["selection"].to_dict() == expected != kept
    assert result.intervals == selection_intervals(unseen, prepared)
    assert result.comparison["network"] == pytest.approx(expected["targets"]["y"]["rmse"])
