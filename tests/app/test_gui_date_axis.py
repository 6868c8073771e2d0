"""The date axis names the year: the testing part of a monthly series (Feb to Dec 1978)
read "Feb Mar ... Dec", of no year; a daily one "Apr May ... Dec 2016", the months of 2015
unnamed. The first label that fits, and each one where the year (month, day) changes, now
says it, and the labels drawn still never overlap."""

import re

import numpy as np
import pandas as pd
import pytest
from PySide6.QtGui import QImage, QPainter

from app.widgets.date_axis import DateAxis, dated_text
from app.widgets.plots import curve, time_positions
from app.widgets.time_plot import TimePlot

YEAR = re.compile(r"\b(1[89]|20)\d\d\b")


def drawn_labels(view):
    """``[(rect, text)]`` of the labels the plot's date axis draws, left to right."""
    axis = view.plot.getAxis("bottom")
    image = QImage(10, 10, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    try:
        _, _, texts = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return sorted(((rect, text) for rect, _, text in texts if text),
                  key=lambda label: label[0].left())


def shown(qtbot, times, width):
    view = TimePlot("Testing part", x_label="time")
    qtbot.addWidget(view)
    line = curve(view.plot, "#444444")
    x, dates = time_positions(pd.Series(times))
    view.set_date_axis(dates)
    line.setData(x, np.sin(np.arange(len(x))))
    view.follow(line)
    view.resize(width, 300)
    view.show()
    qtbot.waitExposed(view)
    qtbot.wait(20)
    return view


SPANS = {"monthly, Feb to Dec": pd.date_range("1978-02-01", periods=11, freq="MS"),
         "monthly, a year from January": pd.date_range("1960-01-01", periods=12, freq="MS"),
         "quarterly": pd.date_range("1977-01-01", periods=16, freq="QS"),
         "daily": pd.date_range("2015-03-27", periods=280, freq="D"),
         "daily, two months": pd.date_range("2015-11-20", periods=60, freq="D"),
         "hourly, a day": pd.date_range("2015-12-31 02:00", periods=24, freq="h")}


@pytest.mark.parametrize("width", [420, 640])
@pytest.mark.parametrize("span", SPANS)
def test_the_labels_of_a_date_axis_name_the_year_and_never_overlap(qtbot, span, width):
    times = SPANS[span]
    labels = drawn_labels(shown(qtbot, times, width))
    texts = [text for _, text in labels]
    years = {int(found[0]) for found in (YEAR.search(text) for text in texts) if found}
    assert years and years <= set(range(times[0].year, times[-1].year + 2)), texts
    for (one, first), (other, second) in zip(labels, labels[1:]):
        assert one.right() <= other.left(), (first, second)


def test_the_year_is_named_first_and_where_it_changes(qtbot):
    texts = [text for _, text in drawn_labels(
        shown(qtbot, pd.date_range("1978-02-01", periods=11, freq="MS"), 640))]
    assert [t for t in texts if YEAR.search(t)] == [next(t for t in texts if "1978" in t)]
    assert sum("1978" in t for t in texts) == 1 and len(texts) >= 8, texts
    texts = [text for _, text in drawn_labels(
        shown(qtbot, pd.date_range("1977-07-01", periods=18, freq="MS"), 640))]
    assert any("1977" in t for t in texts) and "1978" in texts, texts


def test_a_label_names_the_units_it_needs():
    date = pd.Timestamp("2015-01-05 06:00")
    assert dated_text("Feb", date, ("year",)) == "Feb 2015"
    assert dated_text("05", date, ("month", "year")) == "05 Jan 2015"
    assert dated_text("Mon 05", date, ("month",)) == "Mon 05 Jan"
    assert dated_text("06:00", date, ("day", "month", "year")) == "05 Jan 2015 06:00"
    assert dated_text("Mar", date, ()) == "Mar"


@pytest.mark.parametrize("example, dates", [("airline", True), ("sunspots", False)])
def test_the_training_pages_selection_plot_is_over_the_times_of_the_rows(window, gui, qtbot,
                                                                         example, dates):
    """Step 4's plot of the selection part was over row numbers, even for dated data;
    like step 6's, it is over the dates (a date axis), or over a time column of numbers
    (years) as they are."""
    window.open_example(example)
    page = gui.train_briefly(window, qtbot, max_epochs=2)
    rows = page.preview.rows
    column = window.session.project.data.config.time_column
    expected, _ = time_positions(window.session.table.frame[column].iloc[rows])
    assert page.target_curve.xData == pytest.approx(expected)
    assert page.predicted_curve.xData == pytest.approx(expected)
    axis = page.prediction_plot.getAxis("bottom")
    assert isinstance(axis, DateAxis) is dates and axis.labelText == column
    if dates:
        texts = [text for _, text in drawn_labels(page.prediction_view)]
        assert any(YEAR.search(text) for text in texts), texts
