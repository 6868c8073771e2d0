"""Counts the window says read as English in the singular too: the network drawing's
description ("1 input", "1 output", not "1 input(s)") and the deploy page's model sentence
("from the last row", not "the last 1 rows")."""

from types import SimpleNamespace

from app.pages.deploy.texts import model_summary
from app.widgets.network_drawing import NetworkDrawing


def test_the_network_drawing_describes_one_input_and_one_output_in_the_singular(qtbot):
    drawing = NetworkDrawing()
    qtbot.addWidget(drawing)
    drawing.set_network("gru", [4], 1, 1, lookback=1)
    assert drawing.accessibleDescription() == (
        "GRU network: 1 input, 1 recurrent layer of 4 units, 1 output; unrolled over 1 time "
        "step.")
    drawing.set_network("lstm", [8, 4], 3, 2, lookback=12)
    assert drawing.description() == (
        "LSTM network: 3 inputs, 2 recurrent layers of 8, 4 units, 2 outputs; unrolled over "
        "12 time steps.")


def test_the_model_sentence_says_the_last_row_for_a_lookback_of_one():
    network = SimpleNamespace(members_=1, hidden_sizes=[8], cell="gru")
    fitted = SimpleNamespace(horizon=1, target_transform="none", target_names=["y"],
                             lookback=1, inputs=[{"name": "y"}])
    assert model_summary(network, fitted, "sales.model.npz", False) == (
        "Model: GRU of 8 units, predicting y 1 step ahead from the last row of y "
        "(sales.model.npz).")
    fitted.lookback, fitted.horizon = 6, 3
    assert "predicting y 3 steps ahead from the last 6 rows of y" in model_summary(
        network, fitted, "sales.model.npz", False)
