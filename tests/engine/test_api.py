"""scikit-learn habits: the constructor stores, get/set_params round trip, fit returns self,
fitted attributes end in ``_``; networks pickle; float32 networks stay float32."""

import pickle

import numpy as np
import pytest

from engine import EngineError, RecurrentNetwork

ARGUMENTS = dict(cell="lstm", n_inputs=2, hidden_sizes=[5, 3], n_outputs=2,
                 activation="tanh", dtype="float64", seed=7, linear_path=False, lookback=None,
                 n_threads=1)


def data(n=40, steps=5, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, steps, 2))
    return X, np.stack([X[:, -1, 0], X[:, -2, 1]], axis=1)


def test_constructor_stores_the_arguments_unchanged_and_validates_nothing():
    net = RecurrentNetwork(**ARGUMENTS)
    for name, value in ARGUMENTS.items():
        assert getattr(net, name) is value
    odd = RecurrentNetwork(cell="nonsense", n_inputs=-1, hidden_sizes=[0], n_outputs="x",
                           activation=None, dtype="float16", seed="s", n_threads=0)
    assert odd.cell == "nonsense" and odd.hidden_sizes == [0] and odd.n_outputs == "x"


def test_get_params_returns_the_constructor_arguments():
    assert RecurrentNetwork(**ARGUMENTS).get_params() == ARGUMENTS
    assert set(RecurrentNetwork().get_params()) == set(ARGUMENTS)


def test_get_params_set_params_round_trip():
    source = RecurrentNetwork(**ARGUMENTS)
    target = RecurrentNetwork()
    assert target.set_params(**source.get_params()) is target
    assert target.get_params() == source.get_params()
    X, _ = data()
    np.testing.assert_array_equal(target.predict(X, untrained=True),
                                  source.predict(X, untrained=True))


def test_set_params_rebuilds_the_weights():
    net = RecurrentNetwork(**ARGUMENTS)
    X, Y = data()
    net.fit(X, Y, max_epochs=2)
    trained = net.state_dict()
    net.set_params(seed=7)                         # same seed: back to the initial weights
    initial = RecurrentNetwork(**ARGUMENTS).state_dict()
    for name, value in net.state_dict().items():
        np.testing.assert_array_equal(value, initial[name])
        assert not np.array_equal(value, trained[name]) or "bias" in name
    net.set_params(seed=8)
    assert not np.array_equal(net.state_dict()["head.weight"], initial["head.weight"])
    net.set_params(hidden_sizes=[4], cell="gru")
    assert net.state_dict()["rnn.weight_hh_l0"].shape == (12, 4)
    assert "rnn.weight_hh_l1" not in net.state_dict()


def test_fit_returns_self():
    net = RecurrentNetwork(**ARGUMENTS)
    X, Y = data()
    assert net.fit(X, Y, max_epochs=1) is net


def test_fitted_attributes_end_in_an_underscore_and_appear_only_after_fit():
    net = RecurrentNetwork(**ARGUMENTS)
    X, Y = data()
    net.predict(X, untrained=True)
    before = set(vars(net))
    fitted = {"history_", "stop_reason_", "best_epoch_", "training_loss_", "selection_loss_"}
    assert not fitted & before
    net.fit(X, Y, max_epochs=3)
    added = set(vars(net)) - before
    assert fitted <= added
    assert all(name.endswith("_") or name.startswith("_") for name in added)
    public = [n for n in vars(net) if not n.startswith("_") and not n.endswith("_")]
    assert sorted(public) == sorted(ARGUMENTS)


def test_fit_without_warm_start_starts_again_from_the_seed():
    X, Y = data()
    once = RecurrentNetwork(**ARGUMENTS).fit(X, Y, max_epochs=3)
    twice = RecurrentNetwork(**ARGUMENTS).fit(X, Y, max_epochs=3).fit(X, Y, max_epochs=3)
    for name, value in once.state_dict().items():
        np.testing.assert_array_equal(value, twice.state_dict()[name])


def test_warm_start_continues_from_the_current_weights():
    X, Y = data()
    net = RecurrentNetwork(**ARGUMENTS).fit(X, Y, max_epochs=5, selection_fraction=0,
                                            learning_rate=0.01)
    first = net.training_loss_
    before = net.state_dict()
    net.fit(X, Y, max_epochs=5, warm_start=True, selection_fraction=0, learning_rate=0.01)
    assert net.training_loss_ < first
    assert net.history_[0].training_loss < RecurrentNetwork(**ARGUMENTS).fit(
        X, Y, max_epochs=1, selection_fraction=0, learning_rate=0.01).history_[0].training_loss
    assert any(not np.array_equal(v, before[k]) for k, v in net.state_dict().items())


@pytest.mark.parametrize("n_threads", [1, 2])
def test_a_fitted_network_pickles_and_predicts_the_same(n_threads):
    arguments = dict(ARGUMENTS, n_threads=n_threads)
    X, Y = data(n=80)                      # 2 threads share batches of 32 and more
    net = RecurrentNetwork(**arguments).fit(X, Y, max_epochs=2, batch_size=64)
    copy = pickle.loads(pickle.dumps(net))
    assert copy.get_params() == net.get_params()
    np.testing.assert_array_equal(copy.predict(X), net.predict(X))
    assert copy.stop_reason_ == net.stop_reason_ and copy.history_ == net.history_
    copy.fit(X, Y, max_epochs=1, warm_start=True)        # and it still trains
    assert np.isfinite(copy.predict(X)).all()


def test_an_unbuilt_network_pickles():
    copy = pickle.loads(pickle.dumps(RecurrentNetwork(**ARGUMENTS)))
    X, _ = data()
    np.testing.assert_array_equal(copy.predict(X, untrained=True),
                                  RecurrentNetwork(**ARGUMENTS).predict(X, untrained=True))


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
@pytest.mark.parametrize("optimizer", ["adam", "sgd", "rmsprop", "lbfgs"])
def test_float32_networks_keep_float32_everywhere(cell, optimizer):
    X, Y = data()
    net = RecurrentNetwork(**dict(ARGUMENTS, cell=cell, dtype="float32"))
    assert all(v.dtype == np.float32 for v in net.state_dict().values())
    net.fit(X, Y, optimizer=optimizer, max_epochs=2, l1=1e-4, l2=1e-4)
    assert net.parameters_.values.dtype == np.float32
    assert all(v.dtype == np.float32 for v in net.state_dict().values())
    assert net.predict(X).dtype == np.float32
    assert net.predict(X.astype(np.float64)).dtype == np.float32
    loss, grads = net.loss_and_gradients(X, Y, l2=1e-3)
    assert isinstance(loss, float)
    assert all(g.dtype == np.float32 for g in grads.values())
    assert all(isinstance(r.training_loss, float) for r in net.history_)


def test_state_dict_is_a_copy():
    net = RecurrentNetwork(**ARGUMENTS)
    state = net.state_dict()
    state["head.bias"][...] = 100.0
    assert not np.any(net.state_dict()["head.bias"] == 100.0)


def test_predict_before_any_training_says_so_unless_asked_for_the_initial_weights():
    net = RecurrentNetwork(**ARGUMENTS)
    X, Y = data()
    with pytest.raises(EngineError, match="has not been trained yet"):
        net.predict(X)
    initial = net.predict(X, untrained=True)
    loaded = RecurrentNetwork(**ARGUMENTS).load_state_dict(net.state_dict())
    np.testing.assert_array_equal(loaded.predict(X), initial)     # given weights: trained
    net.set_params(hidden_sizes=[3])                              # weights built anew
    with pytest.raises(EngineError, match="has not been trained yet"):
        net.predict(X)
    assert net.fit(X, Y, max_epochs=1).predict(X).shape == (len(X), ARGUMENTS["n_outputs"])
