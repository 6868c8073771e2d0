"""The plots read right: the loss plot's axis, legend and best-epoch line agree at every
refresh; axes show plain numbers (no "(x0.001)", no "5·10⁻²"); an empty plot says so; long
series open on a recent stretch and zoom with buttons and the overview's window; legends sit
above the data; date ticks do not collide; a one-step forecast is a marker with its bar."""

import re
from types import SimpleNamespace

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
import pytest

from app.widgets.plots import Axis, DateAxis, Plot, curve, make_plot, plain_number
from app.widgets.time_plot import RECENT_POINTS, TimePlot
from helpers.projects import untrained_project


def _report(epoch, best, max_epochs=1000):
    return SimpleNamespace(epoch=epoch, training_loss=0.1 / epoch, selection_loss=0.12 / epoch,
                           best_epoch=best, max_epochs=max_epochs, elapsed=0.01 * epoch,
                           start=None)


def _run(page, epochs, best=lambda n: n):
    """Report ``epochs`` epochs to the training page, redrawing after each as its timer
    does, and check after each that the axis covers exactly the epochs drawn and that the
    legend and the dashed line name the same best epoch (the title stays short)."""
    for n in range(1, epochs + 1):
        page._on_epoch(_report(n, best(n)))
        page._redraw()
        low, high = page.loss_plot.getPlotItem().vb.viewRange()[0]
        assert low <= 1 and high >= n, (n, low, high)
        assert high - low <= max(n, 2) * 1.2, (n, low, high)
        assert page.loss_plot.getPlotItem().titleLabel.text == "Error by epoch"
        legend = [label.text for _, label in page.loss_plot.getPlotItem().legend.items]
        assert legend == ["training", "selection", f"best: epoch {best(n)}"]
        assert page.best_line.value() == best(n)


def test_the_loss_plot_axis_title_and_marker_agree_at_every_refresh(window, tmp_path):
    assert window.open_project(untrained_project(tmp_path, "loss"))
    assert window.go_to_step(3)
    page = window.pages[3]
    assert page.loss_plot.empty
    _run(page, 14, best=lambda n: max(1, n - 3))
    assert page.progress.text() == "epoch 14 of at most 1000"
    page._on_stage("Training network 2 of 2")          # the next network starts afresh
    page._redraw()
    assert page.loss_plot.empty and not page.best_line.isVisible()
    page._on_epoch(_report(3, 2))
    page._redraw()
    assert page.progress.text() == "network 2 of 2: epoch 3 of at most 1000"
    page.reports = []
    _run(page, 440)                   # a long run, then a new start: the new run's range
    page.reports = []
    page._clear_plots()
    assert page.loss_plot.empty and not page.best_line.isVisible()
    _run(page, 6)
    assert page.loss_plot.getPlotItem().vb.viewRange()[0][1] < 10


def _axes(widget):
    return [item for item in widget.findChildren(pg.PlotWidget)
            for item in item.getPlotItem().axes.values() for item in [item["item"]]]


def test_no_axis_is_scaled_by_an_si_prefix_and_log_ticks_are_plain(window, tmp_path):
    """Every plot of every page, empty and with small numbers: no "(x0.001)" label."""
    assert window.open_project(untrained_project(tmp_path, "axes"))
    plots = [p for page in window.pages for p in page.findChildren(pg.PlotWidget)]
    assert len(plots) >= 10
    for plot in plots:
        plot.plot([0.001, 0.002, 0.003], [0.0001, 0.0002, 0.0005])
        for name in ("left", "bottom"):
            axis = plot.getAxis(name)
            axis.setLabel(axis.labelText or "value")
            axis.setRange(0.001, 0.003)
            assert "(x" not in axis.labelString(), (plot, name, axis.labelString())
    axis = Axis("left")
    axis.setLogMode(False, True)
    values = axis.tickValues(np.log10(0.045), np.log10(0.11), 300)
    strings = axis.tickStrings(values[0][1], 1, None)
    assert "0.05" in strings and "0.1" in strings
    assert all("·" not in s and "10" not in s.replace("0.1", "") for s in strings), strings


def test_log_tick_labels_never_overlap():
    """A short run's losses (0.08 to 0.1) on a short axis: labels a line apart at least."""
    axis = Axis("left")
    axis.setLogMode(False, True)
    for low, high, pixels in ((0.08, 0.1, 120), (0.05, 0.1, 80), (1e-6, 1e3, 150),
                              (300, 620, 200)):
        (_, values), = axis.tickValues(np.log10(low), np.log10(high), pixels)
        assert len(values) >= 2, (low, high, values)
        gaps = np.diff(values) * pixels / (np.log10(high) - np.log10(low))
        assert gaps.min() >= 20, (low, high, axis.tickStrings(values, 1, None))
    assert plain_number(0.05) == "0.05" and plain_number(600.0) == "600"


def test_epochs_and_lags_are_ticked_at_whole_numbers():
    axis = Axis("bottom", integers=True)
    values = [v for _, level in axis.tickValues(0.9, 2.4, 400) for v in level]
    assert values and all(float(v).is_integer() for v in values)


def test_an_empty_plot_says_so_until_data_arrives(qtbot):
    plot = make_plot("Errors", x_label="epoch", y_label="loss", log_y=True)
    qtbot.addWidget(plot)
    line = curve(plot, "#000000")
    assert plot.empty and plot._message.isVisible() and plot._message.text() == "No data yet"
    assert not plot.getAxis("left").style["showValues"]
    line.setData([1, 2, 3], [0.3, 0.2, 0.1])
    assert not plot.empty and not plot._message.isVisible()
    assert plot.getAxis("left").style["showValues"]
    bars = pg.BarGraphItem(x=[], height=[], width=0.3)
    plot.addItem(bars)
    line.setData([], [])
    assert plot.empty
    bars.setOpts(x=[1, 2], height=[0.5, 0.2], width=0.3)
    assert not plot.empty


def test_a_narrow_plot_cuts_its_title_and_wraps_its_legend_to_stay_in_sight(qtbot):
    """A title or a legend wider than the plot made the drawing wider than the plot: its
    right part, where a forecast is, was out of sight."""
    title = "H1: the network's sMAPE 4.53, MASE 0.724 (shaded: its 90% interval)"
    plot = make_plot(title=title, x_label="row", legend=True)
    qtbot.addWidget(plot)
    for name in ("history", "testing values", "network", "seasonal naive"):
        plot.plot([0, 1, 2], [1, 2, 3], name=name)
    item = plot.getPlotItem()
    for width, cut in ((330, True), (900, False)):
        plot.resize(width, 300)
        plot.show()
        qtbot.wait(50)
        shown = item.titleLabel.item.toPlainText()
        assert shown.endswith("…") is cut and (plot.toolTip() == title) is cut
        assert item.titleLabel.text == title
        assert item.effectiveSizeHint(Qt.SizeHint.MinimumSize).width() <= \
            plot.viewport().width()
        assert item.legend.columnCount == (2 if cut else 3)
    assert shown == title
    plot.setToolTip("Drag to pan.")
    plot.resize(330, 300)
    qtbot.wait(50)
    assert plot.toolTip() == title + "\n\nDrag to pan."


def test_a_narrow_legend_uses_the_width_above_the_left_axis_too(qtbot):
    """Step 4's plot of a fit of many series in the smallest window (350 pixels wide)
    showed its four entries one a row, the legend half the plot's height: it was given the
    width right of the left axis only, less a margin three times as wide as the axis."""
    plot = make_plot(title="Error by epoch", x_label="epoch", legend=True)
    qtbot.addWidget(plot)
    for name in ("training", "selection", "start: linear model", "best: epoch 0, the start"):
        plot.plot([0, 1, 2], [1, 2, 3], name=name)
    plot.resize(350, 330)
    plot.show()
    qtbot.wait(50)
    legend = plot.getPlotItem().legend
    assert legend.columnCount == 2
    assert legend.sceneBoundingRect().right() <= plot.viewport().width()


def _long_plot(qtbot, count=8000, dates=True):
    view = TimePlot("Long", legend=True)
    qtbot.addWidget(view)
    view.resize(700, 400)
    view.show()
    line = curve(view.plot, "#444444", "target")
    view.follow(line)
    view.set_date_axis(dates)
    x = 1.45e9 + 600.0 * np.arange(count) if dates else np.arange(count, dtype=float)
    line.setData(x, np.sin(np.arange(count) / 20))
    return view, x


def test_a_long_series_opens_on_its_recent_points_and_zooms(qtbot):
    view, x = _long_plot(qtbot)
    low, high = view.x_range()
    assert low >= x[-RECENT_POINTS - 20] and high >= x[-1]          # not the whole series
    assert view.overview.isVisible() and view.region.getRegion()[0] == pytest.approx(low)
    view.buttons["in"].click()
    zoomed = view.x_range()
    assert zoomed[1] - zoomed[0] == pytest.approx((high - low) / 2, rel=0.01)
    view.buttons["out"].click()
    view.buttons["out"].click()
    wider = view.x_range()
    assert wider[1] - wider[0] == pytest.approx((high - low) * 2, rel=0.01)
    view.buttons["all"].click()
    low, high = view.x_range()
    assert low <= x[0] and high >= x[-1]
    view.region.setRegion((x[1000], x[1500]))          # the overview's window drags the view
    assert view.x_range() == pytest.approx((x[1000], x[1500]))
    view.plot.setXRange(x[3000], x[3100], padding=0)   # and follows the view
    assert view.region.getRegion() == pytest.approx((x[3000], x[3100]))


def test_a_short_series_is_shown_whole_without_an_overview(qtbot):
    view, x = _long_plot(qtbot, count=40, dates=False)
    low, high = view.x_range()
    assert low <= 0 and high >= 39 and not view.overview.isVisible()


def test_the_time_plots_of_the_pages_open_on_recent_rows(window):
    """The appliances example (19,735 rows): the data page's plot and, on the test results
    page, the testing part open on a recent stretch with the overview below."""
    window.open_example("appliances")
    assert window.go_to_step(1)
    page = window.pages[1]
    view = page.variable_view
    x = page.variable_curve.xData
    assert len(x) > 19000
    target = window.session.config().targets[0].name     # the axis names it, not "value"
    assert page.variable_plot.getAxis("left").labelText == target
    low, high = view.x_range()
    assert high >= x[-1] and low > x[len(x) // 2] and view.overview.isVisible()
    view.buttons["all"].click()
    assert view.x_range()[0] <= x[0]


def test_legends_sit_above_the_plotting_area(window):
    testing = window.pages[5]
    forecast = window.pages[6].forecast
    for plot in (testing.horizon_plot, testing.prediction_plot, forecast.plot):
        item = plot.getPlotItem()
        assert item.legend.parentItem() is item                 # not inside the view box
        assert item.legend not in item.vb.childItems()


@pytest.mark.parametrize("days, size", [(120, 400), (3200, 900)])
def test_date_ticks_leave_room_for_the_coarser_labels_and_keep_an_even_grid(days, size):
    """Labels beside a coarser tick ("31" before "Jan", a month beside its year) are left
    out, and those in the way of a label naming its year ("Jun 2016"); the ticks
    themselves, and so the grid lines, stay evenly spaced (leaving them out made clusters
    of grid lines between the years)."""
    from PySide6.QtGui import QFont, QFontMetrics

    axis = DateAxis()
    axis.fontMetrics = QFontMetrics(QFont())          # as when the axis is painted
    start = 1.45e9
    levels = axis.tickValues(start, start + days * 86400, size)
    coarse = np.array(levels[0][1])
    assert len(levels) > 1
    metrics, pixels = axis.fontMetrics, size / (days * 86400)
    texts = {v: t for spacing, values in levels
             for v, t in zip(values, axis.tickStrings(list(values), 1.0, spacing))}
    dated = [v for v, t in texts.items() if re.search(r"\d{4}", t)]
    for spacing, values in levels[1:]:
        values = np.array(values)
        near = np.abs(values[:, None] - coarse[None, :]).min(axis=1) < axis.minSpacing
        for value, crowded in zip(values, near):
            if crowded:
                assert texts[value] == ""
            elif texts[value] == "":            # only in the way of a label naming its year
                assert any(abs(value - d) * pixels < metrics.horizontalAdvance(texts[d]) + 6
                           for d in dated), value
        gaps = np.diff(np.union1d(values, coarse))
        assert gaps.max() <= 1.5 * spacing               # no finer tick dropped: even grid


def test_a_one_step_forecast_is_a_marker_with_its_interval_beside_recent_history(window):
    page = window.pages[6].forecast
    result = SimpleNamespace(
        target_names=["y"], source="network", level=0.9, steps=1, time_column=None,
        times=[], history=np.sin(np.arange(200.0))[:, None], values=np.array([[0.5]]),
        lower=np.array([[0.2]]), upper=np.array([[0.8]]),
        axis=lambda which="forecast": (np.arange(200.0) if which == "history"
                                       else np.array([200.0])))
    page.result = result
    page.show_target()
    assert page.interval.bar.isVisible() and not page.interval.band.isVisible()
    assert page.forecast_curve.opts["symbolSize"] >= 8
    low, high = page.view.x_range()
    assert high > 200 and 100 < low < 199         # recent history beside it, not 200 rows


def test_times_become_plot_positions_in_seconds_or_their_own_numbers():
    import pandas as pd

    from app.widgets.plots import time_positions

    days = pd.Series(pd.to_datetime(["1970-01-01", "1970-01-02"]))
    for times in (days, days.to_numpy()):
        x, dates = time_positions(times)
        assert dates and x.tolist() == [0.0, 86400.0]
    x, dates = time_positions(pd.Series([1990, 1991]))
    assert not dates and x.tolist() == [1990.0, 1991.0]


def test_the_loss_plot_says_when_the_selection_error_is_of_averaged_weights(qtbot):
    from app.pages.training_parts import (BEST_TOOLTIP, LOSS_TOOLTIP, NOT_BEATEN_TOOLTIP,
                                          LossCurves)

    losses = LossCurves()
    qtbot.addWidget(losses.plot)
    history = {"epoch": [1, 2, 3], "training": [0.5, 0.4, 0.3],
               "selection": [0.6, 0.5, 0.55]}
    legend = losses.plot.getPlotItem().legend
    losses.show_history({"history": history, "best_epoch": 2, "average_steps": 3000})
    assert legend.getLabel(losses.selection_curve).text == "selection, averaged weights"
    assert "latest 3,000 training steps" in losses.plot.toolTip()
    losses.clear()
    losses.show_history({"history": history, "best_epoch": 2,
                         "settings": {"average_steps": None}})
    assert legend.getLabel(losses.selection_curve).text == "selection"
    assert losses.plot.toolTip() == LOSS_TOOLTIP + BEST_TOOLTIP
    losses.clear()
    losses.show_history({"history": history, "best_epoch": 0})      # the start was kept
    assert losses.plot.toolTip() == LOSS_TOOLTIP + NOT_BEATEN_TOOLTIP
    assert legend.getLabel(losses.best_sample) is None and not losses.best_line.isVisible()


@pytest.mark.parametrize("steps", [1, 3])
def test_an_interval_of_one_step_is_a_bar_and_keeps_the_view_on_the_data(qtbot, steps):
    """A band of one point has no area, and its empty bounding box pulled the view's range
    to 0: values near 36,000 were squeezed into a corner of an axis from 0."""
    from app.widgets.plots import COLORS, Interval

    plot = make_plot("interval")
    qtbot.addWidget(plot)
    plot.resize(600, 400)
    curve(plot, COLORS["target"]).setData(np.arange(150.0), 36_000 + np.sin(np.arange(150.0)))
    interval = Interval(plot, COLORS["prediction"])
    x = 150.0 + np.arange(steps)
    interval.show(x, np.full(steps, 36_000.0), np.full(steps, 35_990.0),
                  np.full(steps, 36_010.0))
    assert interval.bar.isVisible() == (steps == 1)
    assert interval.band.isVisible() == (steps > 1)
    assert interval.words("its 90% interval") == (" (bar: its 90% interval)" if steps == 1
                                                  else " (shaded: its 90% interval)")
    plot.getPlotItem().enableAutoRange()
    plot.show()
    qtbot.wait(50)
    (x_low, _), (y_low, y_high) = plot.getPlotItem().getViewBox().viewRange()
    assert y_low > 35_000 and y_high < 37_000 and x_low > -10
    interval.show(x, np.full(steps, 36_000.0), np.full(steps, np.nan), np.full(steps, 1.0))
    assert not interval.bar.isVisible() and not interval.band.isVisible()
    assert interval.words("its 90% interval") == ""


def test_a_long_series_times_are_sorted_once_for_all_its_zooms(qtbot, monkeypatch):
    """The overview, the recent stretch and every zoom ask for the curves' times: they are
    worked out once a data change (a million times took 0.2 s to sort, three times over),
    in one pass when they are in order, and the same as np.unique gives."""
    import app.widgets.time_plot as time_plot

    calls = []

    def counted(values):
        calls.append(values.size)
        return real(values)

    real = time_plot.sorted_distinct
    monkeypatch.setattr(time_plot, "sorted_distinct", counted)
    view, x = _long_plot(qtbot)
    for name in ("in", "out", "all"):
        view.buttons[name].click()
    assert calls == [x.size]
    assert view.data_bounds() == (x[0], x[-1])
    view.plot.listDataItems()[0].setData(x[:100], x[:100])      # new data: worked out again
    assert calls == [x.size, 100] and view.data_bounds() == (x[0], x[99])
    for values in (np.array([]), np.array([2.0]), np.array([1.0, 1, 2, 5, 5]),
                   np.array([3.0, 1, 2, 1])):
        assert np.array_equal(real(values), np.unique(values))


def test_the_overview_strip_draws_its_curves_with_a_thin_line_of_their_colour(qtbot):
    """The strip repeats the whole series, downsampled to thousands of points: drawn 1.5
    pixels wide, a million rows took Qt 0.5 s a paint; one pixel wide, 0.02 s."""
    view, _ = _long_plot(qtbot)
    (line, copy), = view._followed
    assert copy.opts["pen"].widthF() <= 1 < line.opts["pen"].widthF()
    assert copy.opts["pen"].color() == line.opts["pen"].color()


def test_a_curve_followed_with_data_already_counts_in_the_times_and_the_strip(qtbot):
    """Following a curve that holds data after the times of the curves followed before were
    worked out: its times count (the bounds, Show all) and the strip draws it, without
    waiting for one of the curves to change."""
    view, x = _long_plot(qtbot, count=800, dates=False)
    assert view.data_bounds() == (0.0, 799.0)
    later = curve(view.plot, "#1f77b4", "forecast")
    later.setData(np.arange(800.0, 900.0), np.zeros(100))
    view.follow(later)
    assert view.data_bounds() == (0.0, 899.0)
    assert len(view.overview.listDataItems()[-1].xData) == 100
    view.show_all()
    assert view.x_range()[1] >= 899.0


def test_a_plot_made_narrower_draws_within_its_width(qtbot):
    """A plot narrowed under a long title: the drawing was laid out before the title was
    cut to the new width, as wide as the title cut to the width before, and the plot's
    right part (a forecast's points) was out of sight until the next resize."""
    title = "H1: the network's sMAPE 4.53, MASE 0.724 (shaded: its 90% interval)"
    plot = make_plot(title=title, x_label="row", legend=True)
    qtbot.addWidget(plot)
    plot.plot([0, 1, 2], [1, 2, 3], name="history")
    plot.resize(900, 300)
    plot.show()
    qtbot.wait(50)
    plot.resize(330, 300)
    qtbot.wait(50)
    item = plot.getPlotItem()
    assert item.titleLabel.item.toPlainText().endswith("…")
    assert item.geometry().width() <= plot.viewport().width()


def test_a_long_noisy_series_shown_whole_repaints_in_a_moment(qtbot):
    """Show all on a long noisy series (step 6's testing part of 200,000 rows): the
    curves, drawn 2 pixels wide and dashed, are downsampled to thousands of points that Qt
    stroked as one antialiased path in 10-30 s a repaint; drawn as line segments they
    take a fraction of a second."""
    import time

    view = TimePlot("Long", legend=True)
    qtbot.addWidget(view)
    view.resize(700, 400)
    view.show()
    wide = curve(view.plot, "#444444", "target", width=2)
    dashed = view.plot.plot([], [], pen=pg.mkPen("#1f77b4", width=1.6,
                                                 style=Qt.PenStyle.DashLine))
    view.follow(wide)
    rng = np.random.default_rng(0)
    x = np.arange(50_000, dtype=float)
    wide.setData(x, np.sin(x / 4) + rng.normal(0, 0.3, x.size))
    dashed.setData(x, np.sin(x / 4))
    view.buttons["all"].click()
    began = time.perf_counter()
    view.grab()
    took = time.perf_counter() - began
    assert wide.curve._shouldUseDrawLineSegments(wide.opts["pen"])
    assert dashed.curve._shouldUseDrawLineSegments(dashed.opts["pen"])
    assert took < 4.0, f"a repaint took {took:.1f} s"
