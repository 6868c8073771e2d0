"""A pandas DataFrame given instead of a CSV file: numbers held as text are read as the
reader reads a file of decimal points; a number written with a comma (a file of decimal
commas read by pd.read_csv without ``decimal=","``) or a typo is refused with its column,
its row and what to do, by the fit's column types and by every call a model makes on a
frame; never read as missing values, never a NumPy traceback."""

import numpy as np
import pytest

from engine.errors import EngineError
from helpers.models import naive_model, seasonal_frame


def with_y(frame, texts):
    copy = frame.copy()
    copy["y"] = texts
    return copy


def commas(frame):
    return with_y(frame, [f"{v:.3f}".replace(".", ",") for v in frame["y"]])


def typo(frame):
    copy = with_y(frame, frame["y"].astype(object))
    copy.loc[90, "y"] = "abc"
    return copy


@pytest.fixture(scope="module")
def model():
    return naive_model(seasonal_frame(), "difference")[0]


@pytest.mark.parametrize("call", ["forecast", "ets", "evaluate", "read_csv"])
def test_a_model_refuses_numbers_written_with_a_comma_in_a_frame(model, call):
    from engine.deploy.forecasting import forecast
    from engine.testing.evaluation import evaluate_frame

    runs = {"forecast": lambda f: forecast(model, f, 3),
            "ets": lambda f: forecast(model, f, 3, method="ets"),
            "evaluate": lambda f: evaluate_frame(model, f),
            "read_csv": model.read_csv}
    with pytest.raises(EngineError, match=r"Column 'y' holds '100,777' in data row 0, which "
                                          r"is no number \(96 such cells\); it is a number "
                                          r"written with a comma.*decimal=','"):
        runs[call](commas(seasonal_frame()))
    with pytest.raises(EngineError, match=r"Column 'y' holds 'abc' in data row 90, which is "
                                          r"no number \(1 such cell\); correct it"):
        runs[call](typo(seasonal_frame()))


def test_numbers_held_as_text_in_a_frame_are_read_as_numbers(model):
    from engine.testing.evaluation import evaluate_frame

    frame = seasonal_frame()
    as_text = with_y(frame, [f" {v} " for v in frame["y"]])
    ours, theirs = evaluate_frame(model, as_text), evaluate_frame(model, frame)
    np.testing.assert_allclose(ours.scores.rmse, theirs.scores.rmse)


def test_a_frame_to_fit_names_its_numbers_written_with_a_comma():
    """The column types of a frame (load_table): a column of decimal commas is text whose
    note says what to do, and as a target it is refused with that note, also when it
    holds only two different numbers (not taken for two labels)."""
    from engine.data import default_config, load_table

    frame = seasonal_frame()
    two = with_y(frame, ["0,5" if k % 2 else "1,5" for k in range(len(frame))])
    for data in (commas(frame), two):
        table = load_table(data)
        info = {c.name: c for c in table.columns}["y"]
        assert info.type == "text" and info.note.startswith("numbers written with a comma")
        with pytest.raises(EngineError, match=r"Column 'y' holds numbers written with a "
                                              r"comma, e.g. data row 0 holds '(100,777|1,5)'"
                                              r", read as text: .*pd.read_csv"):
            default_config(table, ["y"], lookback=6)
    typed = {c.name: c.type for c in load_table(frame).columns}
    assert typed == {"month": "datetime", "y": "numeric", "x": "numeric", "note": "text"}
