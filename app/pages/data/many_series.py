"""The settings of a table of many series on step 2: the notes and problems shown for
them, step 3's units that follow their training windows, the season, steps ahead, testing
rows and lookback suggested for them, and the settings of one series and of many kept
while the Series role comes and goes, put back when it returns."""

import copy
from dataclasses import replace

from PySide6.QtCore import Slot

from engine import EngineError
from engine.project.sections import TYPED
from engine.many.project_fit import (is_many_series, kept_units_note, project_windows,
                                     series_of, size_global_network, suggested_choices,
                                     units_follow_data, use_global_network,
                                     with_suggestions)

FOLLOWING = TYPED
"""The settings of many series that follow the others until the person types them."""


class ManySeriesSettings:
    """The data page's part for the settings of many series."""

    def _show_many(self, config):
        """A table of many series: the series at a glance, the chosen one plotted with its
        parts, the notes (the suggested season's while the season box holds it) and the
        problems of the settings."""
        problems, summary = self.session.data_check()
        notes = [note for note, season in self._many_notes if season == config.period]
        notes[:0] = self._series_time_notes()
        note = self._network_note(summary) if self._network else None
        notes += [note] if note else []
        self.many_panel.show_summary(summary, notes)
        self.series_view.show_series(summary.data if summary else None, config.test_last,
                                     config.horizon, summary.short if summary else ())
        self._show_problems(problems)

    def _network_note(self, summary):
        """The note on step 3's units for the training windows of the settings shown
        (``summary.windows``; None: not known, the note stays as it was): the units this
        page set follow them (:func:`engine.many.project_fit.size_global_network`), units
        set by hand (on step 3, elsewhere, or so marked in the project opened:
        :func:`engine.many.project_fit.units_follow_data`) are kept and the note says so."""
        units, note = self._network
        windows = summary.windows if summary is not None else None
        if windows is None:
            return note
        architecture = self.session.project.architecture
        follow = units_follow_data(architecture, windows) if units is None else \
            not architecture.units_by_hand and list(architecture.hidden_sizes or ()) == units
        if not follow:
            architecture.units_by_hand = True
            return kept_units_note(architecture.hidden_sizes, windows)
        note = size_global_network(architecture, windows)
        self._network = (list(architecture.hidden_sizes), note)
        return note

    def _keep_series_settings(self, config, series_before, targets_before):
        """The settings of the side the table leaves, kept to be put back when it returns:
        those of one series when a column of role Series came (``series_before`` None),
        those of many (with the series column and ``targets_before`` they are of, their
        notes and step 3's units) when it went, unless they were not suggested yet."""
        architecture = self.session.project.architecture
        if config.series_column is not None and series_before is None:
            self._one_series = series_settings(config, architecture)
        if config.series_column is None and series_before is not None:
            self._many_series = None if self._suggest_pending else (
                (series_before, targets_before), series_settings(config, architecture),
                self._many_notes, self._network)

    def _as_many_series(self, config, series_before):
        """``config``, which names a series column (``series_before``: the one it named
        before, None for one series): a new series column gives the series their time;
        a table that just became many series gets the settings it had as many series
        again, else those suggested for its series and step 3's network for many series
        (also once settings that could not be suggested are)."""
        if config.series_column != series_before:
            self._time_of_series(config)
        again = self._many_series_again(config) if series_before is None else None
        if again is not None:
            return again
        if config.series_column != series_before or self._suggest_pending:
            pending = self._suggest_pending
            config = self._suggested(config)
            if series_before is None or (pending and not self._suggest_pending):
                architecture = self.session.project.architecture
                note = use_global_network(architecture, self._training_windows(config))
                self._network = (list(architecture.hidden_sizes), note)
        return config

    def _as_one_series(self, config, series_before):
        """``config``, of one series: one that was many a moment ago (``series_before``
        names its series column) loses the time built for the series and gets the
        settings it had as one series again."""
        self._network = None
        if series_before is None:
            return config
        config = self._without_series_time(config)
        if self._one_series:
            config = self._one_series_again(config)
        return config

    def _one_series_again(self, config):
        """``config`` with the settings it had as one series (lookback, steps ahead, season,
        transform, split) and step 3's network as it was, shown in the controls."""
        kept, self._one_series = self._one_series, None
        row, self._series_time_row = self._series_time_row, None
        if row is not None and row < len(config.variables) and \
                config.variables[row].role == "time":
            config.variables[row].role = "unused"        # as it was: the dates repeat
            self._set_role_box(row, "unused")
        return self._put_back(config, kept)

    def _many_series_again(self, config):
        """``config`` (of one series a moment ago) with the settings it had as many series,
        step 3's network and their notes as they were, when the same column names the
        series again for the same targets (else None: its suggestions are made)."""
        kept, self._many_series = self._many_series, None
        if kept is None or kept[0] != (config.series_column, self._targets(config)):
            return None
        _, settings, self._many_notes, self._network = kept
        self._suggest_pending = False
        return self._put_back(config, settings)

    def _put_back(self, config, kept):
        """``config`` with the settings ``kept`` (:func:`series_settings`) and step 3's
        network as they were, shown in the controls."""
        settings, network = kept
        config = replace(config, **settings)
        architecture = self.session.project.architecture
        for name, value in network.items():
            setattr(architecture, name, value)
        self._show_values(config)
        return config

    def _suggested(self, config):
        """``config`` (it names a series column) with the season, steps ahead, testing
        rows and lookback suggested for its series
        (:func:`engine.many.project_fit.with_suggestions`), shown in the controls; as it
        is, when they cannot be suggested yet (no target: the check says so)."""
        self._adopt = set()
        self.session.project.data.typed = []
        try:
            config, notes = with_suggestions(config, self.session.table)
            self._many_notes = [(note, config.period) for note in notes]
        except EngineError:
            self._suggest_pending, self._many_notes = True, []
            return config
        self._suggest_pending = False
        self._show_values(config)
        return config

    def _training_windows(self, config):
        """The training windows of ``config``'s series once its settings are suggested
        (:func:`engine.many.project_fit.project_windows`), None before."""
        if self._suggest_pending:
            return None
        return project_windows(self.session.table, config)

    @Slot()
    def _suggest_again(self):
        config = self.session.config()
        if config is not None and is_many_series(config):
            self._store(self._suggested(config))

    def _many_settings_edited(self, config):
        """The settings of a table of many series: season, lookback, steps ahead and the
        testing rows of every series. "None found" is stored as a season of 1 (none), not
        left for the fit to look for again. The testing rows follow the steps ahead (stored
        as None, as ``fit --series`` takes them) until the person sets them; the steps
        ahead and the lookback the person has not typed follow the other settings as
        ``fit --series`` takes them (:meth:`_follow_settings`); from then on a number typed
        is stored and kept."""
        before = replace(config)
        typed = {name for name in FOLLOWING if getattr(self, name).value() !=
                 getattr(config, name)}
        config.period = self.period.value()
        config.lookback = self.lookback.value()
        if self.test_last.value() != config.test_last:      # set by hand
            config.split = replace(config.split, test_last=self.test_last.value())
        config.horizon = self.horizon.value()
        config = self._follow_settings(config, before, typed)
        self._loading = True
        try:
            for name in FOLLOWING + ("test_last",):
                getattr(self, name).setValue(getattr(config, name))
        finally:
            self._loading = False
        self._store(config)

    def _follow_settings(self, config, before, typed):
        """``config`` with the steps ahead and the lookback that follow the other settings
        made again as ``fit --series`` makes them from the season, the testing rows and the
        steps ahead given (:func:`engine.many.project_fit.suggested_choices`). One
        follows until the person types it (``typed``, now or before on this page) and
        while it holds the value made for the settings ``before`` (so that a project
        opened keeps those it was given). The project keeps which were typed
        (:attr:`~engine.project.sections.DataSection.typed`), so that one stays fixed in
        the project opened again, also where it equals the value it would follow."""
        section = self.session.project.data
        section.typed = [*section.typed, *[name for name in FOLLOWING
                                           if name in typed and name not in section.typed]]
        typed = set(section.typed)
        try:
            data = series_of(self.session.table, config)
        except EngineError:             # no target: the check says so
            return config
        made = suggested_choices(data, before.split.test_last, before.period, None)
        following = {name for name in FOLLOWING if name not in typed}
        if before.horizon != made["horizon"]:
            following.discard("horizon")
        if before.lookback != suggested_choices(data, before.split.test_last, before.period,
                                                before.horizon)["lookback"]:
            following.discard("lookback")
        made = suggested_choices(data, config.split.test_last, config.period,
                                 None if "horizon" in following else config.horizon)
        return replace(config, **{name: made[name] for name in following})


def series_settings(config, architecture):
    """``(settings, network)``: what a table of one series had before it became many, or
    of many before it became one (:meth:`DataPage._one_series_again` and
    :meth:`DataPage._many_series_again` put them back)."""
    settings = {name: copy.deepcopy(getattr(config, name))
                for name in ("lookback", "horizon", "period", "target_transform", "split")}
    network = {name: copy.deepcopy(getattr(architecture, name))
               for name in ("cell", "hidden_sizes", "linear_path", "units_by_hand")}
    return settings, network
