"""An ensemble merged into one network predicts exactly the mean of its members."""

import numpy as np
import pytest

from engine.errors import EngineError
from engine.network.ensemble import merge_networks
from engine.network.recurrent import RecurrentNetwork


def _members(cell, sizes, count=3, n_inputs=2, n_outputs=2):
    members = []
    for seed in range(count):
        network = RecurrentNetwork(cell=cell, n_inputs=n_inputs, hidden_sizes=sizes,
                                   n_outputs=n_outputs, seed=seed)
        network.parameters_
        network._trained = True
        members.append(network)
    return members


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
@pytest.mark.parametrize("sizes", [[4], [3, 5]])
def test_merged_network_predicts_the_mean_of_its_members(cell, sizes):
    members = _members(cell, sizes)
    X = np.random.default_rng(7).normal(size=(9, 6, 2))
    merged = merge_networks(members)
    assert [int(h) for h in merged.hidden_sizes] == [3 * h for h in sizes]
    mean = np.mean([m.predict(X) for m in members], axis=0)
    assert np.allclose(merged.predict(X), mean, rtol=1e-12, atol=1e-12)
    single = members[0].predict(X)
    assert not np.allclose(merged.predict(X), single)   # the members really differ


def test_parameters_outside_the_layers_are_averaged():
    members = _members("gru", [3], count=2)
    states = [m.state_dict() for m in members]
    merged = merge_networks(members).state_dict()
    assert np.allclose(merged["head.bias"], (states[0]["head.bias"] + states[1]["head.bias"]) / 2)
    assert np.allclose(merged["head.weight"][:, :3], states[0]["head.weight"] / 2)


def test_members_with_different_settings_are_refused():
    first = _members("gru", [3], count=1)[0]
    second = _members("gru", [4], count=1)[0]
    with pytest.raises(EngineError, match="hidden_sizes"):
        merge_networks([first, second])


def test_one_member_is_itself():
    member = _members("lstm", [2], count=1)[0]
    assert merge_networks([member]) is member


def test_fit_network_averages_members_trained_from_consecutive_seeds(seasonal_csv):
    from engine.data import load_table, prepare_training
    from engine.training.automatic import AutomaticChoices, automatic_project
    from engine.training.run import fit_network

    project, _ = automatic_project(AutomaticChoices(seasonal_csv, ["y"], lookback=4, seed=3))
    config = project.dataset_config()
    prepared = prepare_training(load_table(seasonal_csv), config)
    architecture = {**project.architecture.to_dict(), "hidden_sizes": [4]}
    settings = {"max_epochs": 3, "members": 3}
    merged, _ = fit_network(prepared, architecture, settings)
    singles = [fit_network(prepared, {**architecture, "seed": seed}, {"max_epochs": 3})[0]
               for seed in (3, 4, 5)]
    X = prepared.X_test
    mean = np.mean([n.predict(X) for n in singles], axis=0)
    np.testing.assert_allclose(merged.predict(X), mean, rtol=1e-10, atol=1e-12)
    epochs = [n.best_epoch_ for n in singles]
    assert merged.members_ == 3 and merged.stop_reason_.startswith("3 networks averaged. ")
    assert merged.stop_reason_.endswith(f" Each kept the weights of its best epoch: epochs "
                                        f"{epochs[0]}, {epochs[1]} and {epochs[2]}.")
    trainings = merged.member_trainings_           # each network's, for step 4's plot
    assert [t["best_epoch"] for t in trainings] == epochs
    assert [t["history"]["selection"] for t in trainings] == [
        [float(f"{r.selection_loss:.6g}") for r in n.history_] for n in singles]


def test_the_defaults_average_networks_on_short_data_and_add_a_linear_path():
    from engine.project.document import new_project
    from engine.training.automatic import ensemble_members, training_recipe

    assert [ensemble_members(n) for n in (10, 500, 501, 2000, 2001)] == [5, 5, 3, 3, 1]
    assert training_recipe(100)["members"] == 5
    assert new_project("p", ".").architecture.linear_path is True


def test_a_model_file_knows_how_many_networks_its_network_averages():
    from engine.model.model_file import recorded_members

    network = merge_networks(_members("gru", [3], count=5))
    assert recorded_members({"metadata": {"choices": {"members": 5}}}, network) == 5
    for bad in ({"metadata": {}}, {"metadata": {"choices": {"members": 4}}},
                {"metadata": {"choices": {"members": "5"}}},
                {"metadata": {"choices": ["members"]}}):
        assert recorded_members(bad, network) == 1


def _member(reason, best_epoch, kept_start=False):
    from types import SimpleNamespace

    from engine.training.loop import START_KEPT

    kept = START_KEPT if kept_start else f" The weights of epoch {best_epoch} were kept."
    return SimpleNamespace(stop_reason_=reason + kept, best_epoch_=best_epoch,
                           kept_start_=kept_start)


EARLY = "The selection error did not improve for 6 epochs (early stopping)."


def test_the_stop_reason_of_networks_averaged_speaks_of_every_network():
    """Not of the last network alone: why each stopped (grouped when they differ) and the
    epoch each kept."""
    from engine.training.run import _averaged_reason

    members = [_member(EARLY, 9), _member(EARLY, 3), _member(EARLY, 14)]
    assert _averaged_reason(members, 3) == (
        "3 networks averaged. Each network: the selection error did not improve for 6 "
        "epochs (early stopping). Each kept the weights of its best epoch: epochs 9, 3 "
        "and 14.")
    members = [_member(EARLY, 9), _member(EARLY, 3), _member("Stopped by the user.", 2)]
    assert _averaged_reason(members, 5) == (
        "3 networks averaged (stopped after 3 of 5). Networks 1 and 2: the selection error "
        "did not improve for 6 epochs (early stopping). Network 3: stopped by the user. "
        "Each kept the weights of its best epoch: epochs 9, 3 and 2.")


def test_the_stop_reason_names_the_networks_that_kept_their_least_squares_start():
    """Some networks kept the start, others an epoch: the reason says which did which;
    all of them: that none improved on the start."""
    from engine.training.run import _averaged_reason

    members = [_member(EARLY, 9), _member(EARLY, 0, kept_start=True), _member(EARLY, 14)]
    assert _averaged_reason(members, 3) == (
        "3 networks averaged. Each network: the selection error did not improve for 6 "
        "epochs (early stopping). Networks 1 and 3 kept the weights of their best epoch "
        "(epochs 9 and 14); network 2: no epoch had a lower selection error than its "
        "starting point, a linear model fitted by least squares, so that linear model is "
        "kept.")
    members = [_member(EARLY, 0, kept_start=True) for _ in range(2)]
    assert _averaged_reason(members, 2) == (
        "2 networks averaged. Each network: the selection error did not improve for 6 "
        "epochs (early stopping). None of them improved on their starting point, a linear "
        "model fitted by least squares: no epoch had a lower selection error, so that "
        "linear model is kept.")


def test_the_stop_reason_names_the_networks_left_out_and_a_stop_by_the_user():
    """A network that finished no epoch is left out of the average: the reason counts the
    networks kept, and begins with the person's stop only when there was one (a network
    that diverged in its first epoch is left out too, without a stop)."""
    from engine.training.run import _left_out_reason

    members = [_member("Reached the maximum of 50 epochs.", 50),
               _member("Reached the maximum of 50 epochs.", 41)]
    assert _left_out_reason(members, 1, 5, cancelled=True) == (
        "Stopped by the user: 2 of 5 networks kept (the network that finished no epoch was "
        "left out). 2 networks averaged. Each network: reached the maximum of 50 epochs. "
        "Each kept the weights of its best epoch: epochs 50 and 41.")
    assert _left_out_reason(members[:1], 2, 3, cancelled=False) == (
        "1 of 3 networks kept (the 2 networks that finished no epoch were left out). The "
        "network kept: reached the maximum of 50 epochs. The weights of epoch 50 were kept.")


def test_networks_whose_average_would_be_too_large_are_refused_before_training(monkeypatch):
    """Five networks of 64 units average into one of 320: refused at once, in the terms the
    person set (units per network, networks averaged), not after training them all."""
    import engine.network.parameters
    from engine.training.run import check_merged_size

    network = RecurrentNetwork("gru", 2, [64], 1, seed=0)
    single = network.n_parameters
    monkeypatch.setattr(engine.network.parameters, "MAX_PARAMETERS", 2 * single)
    check_merged_size(network, 1)
    with pytest.raises(EngineError, match=r"5 networks of \[64\] units averaged make one "
                                          r"network of 5 times the units, larger than "
                                          r"RNN Studio builds; use fewer units \(step 3\)"):
        check_merged_size(network, 5)


def test_a_first_network_that_finished_no_epoch_is_left_out_of_the_average():
    from types import SimpleNamespace

    from engine.training.members import worth_keeping

    failed = [SimpleNamespace(best_epoch_=0, name=k) for k in (1, 2)]
    trained = SimpleNamespace(best_epoch_=7, name=3)
    assert worth_keeping(failed + [trained]) == [trained]
    assert worth_keeping(failed) == failed[:1]          # none finished one: the first alone


def test_the_epochs_of_networks_averaged_are_read_as_the_fewest_and_the_most():
    from engine.training.run import epochs_range

    assert epochs_range([{"epochs": 82}, {"epochs": 63}, {"epochs": 70}]) == (63, 82)
    assert epochs_range([{"epochs": 40}, {"epochs": 40}]) == (40, 40)
    assert epochs_range([{"epochs": 40}, {"epochs": None}, {"epochs": 52}]) is None
    assert epochs_range([{"epochs": 40}, {}]) is None          # a summary without the count
