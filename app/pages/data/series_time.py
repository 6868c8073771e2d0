"""The time of a table of many series, which repeats its times from series to series and
is read without one: the page makes a column of dates (or years) the time of each series'
rows, or builds it from a year and a quarter (month), and takes it back when the table is
one series again."""

from engine.data import VariableSpec


class SeriesTime:
    """The data page's part that gives many series their time."""

    def _forget_series_time(self):
        """No time given to many series by the page (a new page, or a project opened)."""
        self._series_time_row = None    # the dates made the time of many series, by the page
        self._series_table = None       # (table, roles of the year and the quarter) before
                                        # the time of many series was built from the two

    def _time_of_series(self, config):
        """A table of many series repeats its times from series to series, so it is read
        without a time column: its one column of dates (unused), else a column of numbers
        named for the time that differ within each series (a year; not a target), becomes
        the time of each series' rows."""
        from engine.many.series_data import series_time

        if config.time_column is not None or self.session.table is None:
            return
        dates = [row for row, spec in enumerate(config.variables)
                 if spec.type == "datetime" and spec.role == "unused"]
        if len(dates) != 1:
            table = self.session.table
            named = [spec.name for spec in config.variables
                     if spec.role in ("unused", "input") and spec.name in table.frame.columns]
            frame, found, _ = series_time(table.frame, config.series_column, named,
                                             table.options)
            if frame is not table.frame:
                self._build_series_time(config, found)
                return
            dates = [row for row, spec in enumerate(config.variables) if spec.name == found]
            if len(dates) != 1:
                return
        config.variables[dates[0]].role = "time"
        self._series_time_row = dates[0]
        self._set_role_box(dates[0], "time")

    def _build_series_time(self, config, name):
        """The time ``name`` (``year-quarter``) built from a year and a quarter (month) of
        the table, as ``fit --series`` and a project opened again build it
        (:func:`~engine.data.pipeline.with_series_time`): the table gets the column first,
        ``config`` a variable of it with the role Time, the year and the quarter are not
        used (as for one series), and the notes of the series say so
        (:meth:`_series_time_notes`)."""
        from engine.data.pipeline import with_series_time
        from engine.data.year_period import named_year_period

        table = self.session.table
        built = with_series_time(table, name)
        parts = named_year_period(name)
        self._series_table = (table, {spec.name: spec.role for spec in config.variables
                                      if spec.name in (parts.year, parts.period)})
        kind = next(info.type for info in built.columns if info.name == name)
        config.variables.insert(0, VariableSpec(name, role="time", type=kind, scaler="none"))
        for spec in config.variables:
            if spec.name in (parts.year, parts.period):
                spec.role = "unused"
        self._show_table(built, config)

    def _without_series_time(self, config):
        """``config`` (one series again) without a time built for many series from a year
        and a quarter (month), with the table as a file of one series is read (as it was
        before :meth:`_build_series_time`, else without the built column:
        :func:`~engine.data.pipeline.without_series_time`, nothing read again) and the
        year and the quarter with the roles they had before, if known; else ``config``."""
        from engine.data.pipeline import without_series_time

        kept, self._series_table = self._series_table, None
        table, roles = kept or (without_series_time(self.session.table), {})
        if table is self.session.table:     # no time built for many series
            return config
        config.variables = [spec for spec in config.variables
                            if spec.name in table.frame.columns]
        for spec in config.variables:
            if spec.role == "unused" and spec.name in roles:
                spec.role = roles[spec.name]
        self._show_table(table, config)
        return config

    def _series_time_notes(self):
        """The note on the time built for many series from a year and a quarter (month),
        by the page or when a project of many series was opened
        (:func:`~engine.data.pipeline.series_time_note`); none when none was built."""
        from engine.data.pipeline import series_time_note

        note = series_time_note(self.session.table)
        return [note] if note else []
