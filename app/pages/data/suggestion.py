"""The suggestions of step 2 for one series: the target's autocorrelation with the
suggested lookback and the inputs' lags, the suggested steps ahead and the season found,
and the suggestions a newly configured data set takes as its values."""

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QVBoxLayout

from engine.data.statistics import season_words, short_reason
from engine.many.project_fit import is_many_series
from engine.training.choice_start import last_choices

from ...widgets.controls import WrappedLabel
from ...widgets.plots import COLORS, curve, make_plot
from .texts import HORIZON_TOOLTIP, NO_SEASON, PERIOD_TOOLTIP, SUGGESTION_TOOLTIP


class LookbackSuggestion:
    """The data page's part for the suggested lookback and steps ahead."""

    def _build_suggestion(self):
        """The autocorrelation plot (``acf_plot``) and the row of the suggested lookback."""
        import pyqtgraph as pg
        self.acf_plot = make_plot("Autocorrelation of the target", x_label="lag (time steps)",
                                 x_integers=True)
        self.acf_plot.setMinimumHeight(130)      # room for a long reason below it
        self.acf_plot.setToolTip("How strongly the target resembles itself k steps earlier. "
                                 "The dashed line marks the suggested lookback.")
        self.acf_bars = curve(self.acf_plot, COLORS["training"], symbol="o")
        self.suggested_line = pg.InfiniteLine(angle=90, pen=pg.mkPen(COLORS["prediction"],
                                                                     style=Qt.PenStyle.DashLine))
        self.acf_plot.addItem(self.suggested_line)
        self.suggestion = WrappedLabel()
        self.suggestion.setToolTip(SUGGESTION_TOOLTIP)
        self.use_suggestion = QPushButton("&Use suggested lookback")
        self.use_suggestion.setToolTip("Set the lookback to the suggested value. A lookback "
                                       "set here is kept: step 4 no longer chooses it.")
        self.use_suggestion.clicked.connect(self._apply_suggestion)
        suggestion_row = QVBoxLayout()            # the reason can be long: the whole width
        suggestion_row.addWidget(self.suggestion)
        suggestion_row.addWidget(self.use_suggestion, 0, Qt.AlignmentFlag.AlignRight)
        return suggestion_row

    def _no_suggestion(self, text):
        """No autocorrelation, suggested lookback or steps ahead; ``text`` says why."""
        self.acf_bars.setData([], [])
        self.suggested_line.setVisible(False)
        self.suggestion.setText(text)
        self.horizon_hint.setText("")
        self.use_suggestion.setEnabled(False)

    def _show_suggestion(self, statistics):
        """The target's autocorrelation, the suggested lookback with the inputs' lags, the
        suggested steps ahead, and (one series) the season found, which the season box
        shows until one is set; then the suggestions the data set adopts."""
        acf, period = statistics.acf, statistics.period
        self.acf_bars.setData(np.arange(acf.size), acf)
        self.suggested = statistics.suggested
        self.suggested_line.setValue(self.suggested)
        self.suggested_line.setVisible(True)
        self._show_suggestion_text(statistics)
        self.suggestion.setToolTip(f"{SUGGESTION_TOOLTIP}\n\nThis one: {statistics.reason}."
                                   + _lags_tooltip(statistics.lags))
        self.horizon_hint.setText(f"Suggested: {statistics.steps}")
        self.horizon_hint.setToolTip(f"{HORIZON_TOOLTIP}\n\nSuggested: {statistics.steps}, "
                                     f"{statistics.steps_reason}. The steps ahead stay as "
                                     "you set them.")
        self.use_suggestion.setEnabled(self.suggested != statistics.lookback)
        config = self.session.config()
        if is_many_series(config):
            return
        self.period.setToolTip(PERIOD_TOOLTIP + "\n\n" + _season_note(
            period, statistics.table.time_step(), config is not None and config.period))
        if config is not None and not config.period:
            self._loading = True            # shown, not stored: the season detected
            try:
                self.period.setValue(period or NO_SEASON)
            finally:
                self._loading = False
        self._adopt_suggestions(statistics)


    def _show_suggestion_text(self, statistics):
        """The line of the suggested lookback with its reason and the inputs' lags; while
        step 4 chooses the lookback and the project holds the one its backtest chose last,
        it says that the suggestion is where the choice started and what it chose."""
        chosen = self._backtest_lookback()
        when = "" if chosen is None else " before training"
        if chosen is None:
            after = "."
        elif chosen == self.suggested:
            after = "; step 4's backtest kept it."
        else:
            after = f"; step 4's backtest chose <b>{chosen}</b>."
        self.suggestion.setText(f"Suggested lookback for '{statistics.target}'{when}: "
                                f"<b>{self.suggested}</b> ({short_reason(statistics.reason)})"
                                + after + _lags_text(statistics.lags))

    def _backtest_lookback(self):
        """The lookback step 4's backtest chose last, while it chooses the lookback
        (``choose_lookback``) and the project holds that choice; else None."""
        project, config = self.session.project, self.session.config()
        if project is None or config is None or \
                not project.selection.settings.get("choose_lookback"):
            return None
        chosen = last_choices(project.selection.summary).get("lookback")
        return chosen if chosen == config.lookback else None

    def _detected_period(self):
        """The season the statistics shown detected in the current table, or None."""
        shown = self.statistics
        return shown.period if shown is not None and shown.table is self.session.table \
            else None

    def _shown_period(self, config):
        """The season length the box shows: the one set, else the one detected (of one
        series), else :data:`NO_SEASON` ("none found")."""
        detected = None if is_many_series(config) else self._detected_period()
        return config.period or detected or NO_SEASON

    def _set_by_hand(self, name):
        """The person set ``name`` ("lookback" or "period", typed or by "Use suggested
        lookback"): no suggestion replaces it, and a lookback set here is no longer chosen
        at step 4 (a project made by ``rnn-studio fit`` chooses it there,
        ``choose_lookback``)."""
        self._by_hand.add(name)
        self._adopt.discard(name)
        if name == "lookback":
            self.session.project.selection.settings.pop("choose_lookback", None)

    def _adopt_suggestions(self, statistics):
        """Make the suggested lookback and the season detected the project's values, as
        the command line's fit stores them, when the data set was newly configured (a new
        file or target) and the person has not set them."""
        adopt, self._adopt = self._adopt, set()
        config = self.session.config()
        if not adopt or config is None or is_many_series(config):
            return
        if "lookback" in adopt and statistics.suggested:
            config.lookback = int(statistics.suggested)
        if "period" in adopt:
            config.period = statistics.period or None
        self._loading = True
        try:
            self.lookback.setValue(config.lookback)
            self.period.setValue(self._shown_period(config))
        finally:
            self._loading = False
        self.use_suggestion.setEnabled(self.suggested != config.lookback)
        self._store(config)

    def _apply_suggestion(self):
        if self.suggested:
            self.lookback.setValue(self.suggested)


def _season_note(period, step, set_here):
    """The season length box's note on the season found in the data (``period`` rows of
    the time ``step``, None: none); ``set_here``: a length set in the box is used."""
    if period:
        length = season_words(period, step)[0]
        found = f"Found in the data: {period} rows" + \
            ("." if length.startswith("a season") else f", {length}.")
    else:
        found = ("No season found in the data: the target does not repeat itself at a "
                 "regular distance, so the seasonal naive baseline of step 6 is left out "
                 "unless you set a season length here.")
    return found + (" The length set here is used." if set_here else "")


def _lags_text(lags):
    """The inputs' lags (:func:`engine.data.statistics.input_lags`) in a short sentence
    (the correlations are in :func:`_lags_tooltip`), or ""."""
    if not lags:
        return ""
    found = [f"'{name}' {lag[0]}" for name, lag in lags.items() if lag]
    none = [f"'{name}'" for name, lag in lags.items() if not lag]
    text = "<br>Lag at which each input's changes correlate most with the target's: "
    text += ", ".join(found) if found else "none significant"
    if found and none:
        text += f"; none significant for {', '.join(none)}"
    return text + "."


def _lags_tooltip(lags):
    """The inputs' lags with their correlations ``r``, one input a line, or ""."""
    if not lags:
        return ""
    return "\n\nEach input's lag of highest correlation with the target's changes:\n" + \
        "\n".join(f"{name}: lag {lag[0]} (r = {lag[1]:.2f})" if lag
                  else f"{name}: none significant" for name, lag in lags.items())
