"""Every bad input raises :class:`EngineError` with a message that names the problem."""

import numpy as np
import pytest

from engine import EngineError, RecurrentNetwork

RNG = np.random.default_rng(0)
X = RNG.normal(size=(6, 4, 2))
Y = RNG.normal(size=(6, 1))


def net(**options):
    settings = dict(cell="gru", n_inputs=2, hidden_sizes=[3], n_outputs=1, seed=0)
    settings.update(options)
    return RecurrentNetwork(**settings)


def with_value(array, index, value):
    array = array.copy()
    array[index] = value
    return array


# -- arrays ------------------------------------------------------------------------------------

# (X, Y, words the message must contain)
BAD_DATA = {
    "X 2-D": (X[0], Y, r"X must have 3 dimensions .* it has 2 with shape \(4, 2\)"),
    "X 4-D": (X[None], Y, "X must have 3 dimensions"),
    "X inputs": (X[:, :, :1], Y, "X has 1 inputs per time step but the network expects 2"),
    "no windows": (X[:0], Y[:0], r"X is empty \(shape \(0, 4, 2\)\)"),
    "no time steps": (X[:, :0], Y, r"X is empty \(shape \(6, 0, 2\)\)"),
    "Y rows": (X, Y[:5], "Y has 5 rows but there are 6 windows"),
    "Y outputs": (X, np.hstack([Y, Y]), "Y has 2 outputs per window but the network has 1"),
    "Y 3-D": (X, Y[:, :, None], "Y must have 2 dimensions"),
    "X NaN": (with_value(X, (3, 1, 0), np.nan), Y,
              r"X contains 1 missing \(NaN\) or infinite value, the first at index "
              r"\(3, 1, 0\)"),
    "X inf": (with_value(X, (5, 3, 1), -np.inf), Y, r"X contains 1 .* index \(5, 3, 1\)"),
    "Y NaN": (X, with_value(Y, (2, 0), np.nan), r"Y contains 1 .* index \(2, 0\)"),
    "Y inf": (X, with_value(Y, (4, 0), np.inf), r"Y contains 1 .* index \(4, 0\)"),
    "X text": (X.astype(str), Y, "X must hold real numbers; it holds <U"),
    "X objects": (X.astype(object), Y, "X must hold real numbers; it holds object"),
    "X complex": (X.astype(complex), Y, "X must hold real numbers; it holds complex128"),
    "Y text": (X, Y.astype(str), "Y must hold real numbers"),
}


@pytest.mark.parametrize("case", list(BAD_DATA))
def test_bad_data_is_refused_by_fit_and_loss_and_gradients(case):
    bad_X, bad_Y, words = BAD_DATA[case]
    with pytest.raises(EngineError, match=words):
        net().fit(bad_X, bad_Y, max_epochs=1)
    with pytest.raises(EngineError, match=words):
        net().loss_and_gradients(bad_X, bad_Y)


@pytest.mark.parametrize("case", [c for c in BAD_DATA if c.startswith("X")
                                  or c.startswith("no")])
def test_bad_windows_are_refused_by_predict(case):
    bad_X, _, words = BAD_DATA[case]
    with pytest.raises(EngineError, match=words):
        net().predict(bad_X)


def test_bad_selection_set_is_named():
    with pytest.raises(EngineError, match=r"X_sel contains 1 .* index \(0, 0, 0\)"):
        net().fit(X, Y, with_value(X, (0, 0, 0), np.nan), Y, max_epochs=1)
    with pytest.raises(EngineError, match="Y_sel has 5 rows but there are 6 windows"):
        net().fit(X, Y, X, Y[:5], max_epochs=1)
    with pytest.raises(EngineError, match="X_sel has 1 inputs per time step"):
        net().fit(X, Y, X[:, :, :1], Y, max_epochs=1)


def test_a_count_of_bad_values_is_given():
    bad = X.copy()
    bad[1, :, 0] = np.nan
    with pytest.raises(EngineError, match=r"X contains 4 missing .* index \(1, 0, 0\)"):
        net().predict(bad)


def test_one_dimensional_targets_are_accepted_for_one_output_only():
    first = net().loss_and_gradients(X, Y[:, 0])[0]
    assert first == net().loss_and_gradients(X, Y)[0]
    with pytest.raises(EngineError, match="Y must have 2 dimensions"):
        net(n_outputs=2).loss_and_gradients(X, Y[:, 0])


def test_integer_data_is_converted():
    assert net().predict(np.ones((2, 3, 2), dtype=np.int64), untrained=True).dtype == \
        np.float64


# -- network settings --------------------------------------------------------------------------

@pytest.mark.parametrize("options,words", [
    ({"hidden_sizes": [0]}, "Layer 1 has 0 units"),
    ({"hidden_sizes": [4, -2]}, "Layer 2 has -2 units"),
    ({"hidden_sizes": [2.5]}, "Layer 1 has 2.5 units; every recurrent layer needs a whole"),
    ({"hidden_sizes": ["8"]}, "Layer 1 has '8' units"),
    ({"hidden_sizes": [True]}, "Layer 1 has True units"),
    ({"hidden_sizes": 0}, "Layer 1 has 0 units"),
    ({"hidden_sizes": []}, "hidden_sizes is empty"),
    ({"n_inputs": 0}, "n_inputs .* must be a whole number of at least 1; got 0"),
    ({"n_inputs": 1.5}, "n_inputs .* got 1.5"),
    ({"n_outputs": -1}, "n_outputs must be a whole number of at least 1; got -1"),
    ({"cell": "transformer"}, "Unknown cell type 'transformer'; choose one of: rnn, gru, lstm"),
    ({"activation": "sigmoid"}, "Unknown activation 'sigmoid'; choose one of: tanh, relu"),
    ({"dtype": "float16"}, "dtype must be float32 or float64; got 'float16'"),
    ({"dtype": "int32"}, "dtype must be float32 or float64"),
])
def test_bad_network_settings_are_named_on_first_use(options, words):
    network = net(**options)                      # storing never fails
    for use in (lambda: network.predict(X), lambda: network.state_dict(),
                lambda: network.fit(X, Y, max_epochs=1)):
        with pytest.raises(EngineError, match=words):
            use()


def test_unknown_dtype_name_is_named():
    with pytest.raises(EngineError, match="dtype must be float32 or float64"):
        net(dtype="banana").predict(X)


@pytest.mark.parametrize("value", [0, -1, 1.5])
def test_bad_thread_count_is_named(value):
    with pytest.raises(EngineError, match=f"n_threads must be a whole number .* {value}"):
        net(n_threads=value).predict(X)


def test_unknown_setting_names_are_listed():
    with pytest.raises(EngineError, match="Unknown setting 'hidden'; the settings are: cell"):
        net().set_params(hidden=[4])
    with pytest.raises(EngineError, match=r"Unknown training setting\(s\) epochs, lr; the "
                                          "settings are: average_steps, batch_size"):
        net().fit(X, Y, epochs=3, lr=0.1)


# -- training settings -------------------------------------------------------------------------

@pytest.mark.parametrize("settings,words", [
    ({"optimizer": "adagrad"}, "Unknown optimizer 'adagrad'; choose one of: adam, sgd, "
                               "rmsprop, lbfgs"),
    ({"loss": "rmse"}, "Unknown loss 'rmse'; choose one of: mse, mae, huber"),
    ({"learning_rate": 0}, "learning_rate must be a number above 0; got 0"),
    ({"learning_rate": -0.1}, "learning_rate must be a number above 0"),
    ({"learning_rate": float("inf")}, "learning_rate must be"),
    ({"learning_rate": "0.1"}, "learning_rate must be"),
    ({"batch_size": 0}, "batch_size must be a whole number of at least 1; got 0"),
    ({"batch_size": 8.0}, "batch_size must be a whole number"),
    ({"max_epochs": -5}, "max_epochs must be a whole number"),
    ({"patience": -1}, "patience must be a whole number of at least 1 .* got -1"),
    ({"patience": 2.5}, "patience must be a whole number"),
    ({"lr_patience": -3}, "lr_patience must be a whole number"),
    ({"clip_norm": 0}, "clip_norm must be a number above 0 .*None to turn it off"),
    ({"clip_norm": -1.0}, "clip_norm must be a number above 0"),
    ({"l1": -1e-3}, "l1 must be a number at least 0"),
    ({"l2": float("nan")}, "l2 must be a number at least 0"),
    ({"momentum": 1.0}, "momentum must be a number at least 0 and below 1"),
    ({"momentum": -0.5}, "momentum must be"),
    ({"optimizer": "sgd", "momentum": 0.0, "nesterov": True}, "nesterov needs a momentum"),
    ({"rms_alpha": 1.5}, "rms_alpha must be a number at least 0 and below 1"),
    ({"lbfgs_history": 0}, "lbfgs_history must be a whole number"),
    ({"gradient_tolerance": -1.0}, "gradient_tolerance must be"),
    ({"lr_factor": 0.0}, "lr_factor must be a number above 0 and at most 1"),
    ({"lr_factor": 2.0}, "lr_factor must be"),
    ({"min_learning_rate": -1.0}, "min_learning_rate must be"),
    ({"selection_fraction": 1.0}, "selection_fraction must be a number at least 0 and below 1"),
    ({"selection_fraction": -0.1}, "selection_fraction must be"),
    ({"huber_delta": 0.0}, "huber_delta must be a positive number"),
    ({"minkowski_p": 2.5}, "minkowski_p must be a number from 1 to 2"),
    ({"loss_goal": float("nan")}, "loss_goal must be a finite number"),
    ({"time_limit": 0}, "time_limit must be a number above 0"),
    ({"shuffle": "yes"}, "shuffle must be True or False"),
    ({"nesterov": 1}, "nesterov must be True or False"),
    ({"seed": -1}, "seed must be None or a whole number of 0 or more"),
    ({"seed": 1.5}, "seed must be None or a whole number"),
])
def test_bad_training_settings_are_named_before_any_change(settings, words):
    network = net()
    network.fit(X, Y, max_epochs=2)
    before = network.state_dict()
    with pytest.raises(EngineError, match=words):
        network.fit(X, Y, **settings)
    for name, value in network.state_dict().items():
        np.testing.assert_array_equal(value, before[name], err_msg=name)


# -- loading weights ---------------------------------------------------------------------------

def assert_untouched(network, before):
    for name, value in network.state_dict().items():
        np.testing.assert_array_equal(value, before[name], err_msg=name)


def test_load_state_dict_with_missing_keys_names_them_and_changes_nothing():
    network = net()
    before = network.state_dict()
    state = {k: v + 1 for k, v in before.items() if k != "head.bias"}
    with pytest.raises(EngineError, match="missing head.bias; build the network with the same"):
        network.load_state_dict(state)
    assert_untouched(network, before)


def test_load_state_dict_with_extra_keys_names_them_and_changes_nothing():
    network = net()
    before = network.state_dict()
    state = {k: v + 1 for k, v in before.items()}
    state["rnn.weight_ih_l1"] = np.zeros((9, 3))
    with pytest.raises(EngineError, match="unexpected rnn.weight_ih_l1"):
        network.load_state_dict(state)
    assert_untouched(network, before)


def test_load_state_dict_with_a_wrong_shape_changes_nothing():
    network = net()
    before = network.state_dict()
    state = {k: v + 1 for k, v in before.items()}      # every earlier array would load...
    state["head.weight"] = np.zeros((1, 4))           # ...but the head comes last
    with pytest.raises(EngineError, match=r"head.weight has shape \(1, 4\); this network "
                                          r"needs \(1, 3\)"):
        network.load_state_dict(state)
    assert_untouched(network, before)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_load_state_dict_with_nan_or_inf_changes_nothing(bad):
    network = net()
    before = network.state_dict()
    state = {k: v + 1 for k, v in before.items()}
    state["head.bias"] = np.array([bad])
    with pytest.raises(EngineError, match="head.bias contains NaN or infinite values"):
        network.load_state_dict(state)
    assert_untouched(network, before)


def test_load_state_dict_of_another_cell_is_refused():
    with pytest.raises(EngineError, match=r"rnn.weight_ih_l0 has shape \(9, 2\); this "
                                          r"network needs \(12, 2\)"):
        net(cell="lstm").load_state_dict(net(cell="gru").state_dict())
