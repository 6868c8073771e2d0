"""Step 4's automatic choices as step 2 sets them: the target transform ("Automatic"
and the line under its box), the automatic lookback and inputs (:class:`AutomaticSwitches`)
and the forecast length; a new data set or target starts with those ``rnn-studio fit``
would make."""

from PySide6.QtCore import Slot

from engine.many.project_fit import is_many_series
from engine.project.checks import SELECTION_SWITCHES
from engine.training.automatic import automatic_settings
from engine.training.choice_start import last_choices

from ...widgets.controls import select
from .texts import AUTOMATIC, TRANSFORM_LABELS


class AutomaticChoices:
    """The data page's part that sets step 4's automatic choices."""

    def _start_automatic(self, config):
        """A newly configured data set of one series starts with the automatic choices of
        ``rnn-studio fit`` (:func:`~engine.training.automatic.automatic_settings`)."""
        settings = self.session.project.selection.settings
        for key in SELECTION_SWITCHES:
            settings.pop(key, None)
        self.session.project.selection.summary = {}     # the last fit's choices: other data
        if not is_many_series(config):
            settings.update({key: True for key, on in automatic_settings(config).items()
                             if on})

    def _show_transform(self, config):
        """The transform box: "Automatic" when step 4 chooses the transform, else the
        project's transform; and the line under it (:meth:`_show_transform_note`)."""
        automatic = bool(self.session.project.selection.settings.get(
            "choose_target_transform"))
        select(self.transform, AUTOMATIC if automatic else config.target_transform)
        self._show_transform_note(config, automatic)

    def _show_transform_note(self, config, automatic):
        """The line under the transform box while step 4 chooses it (one series only): the
        transform the project holds, the last chosen or the one set before."""
        held = dict(TRANSFORM_LABELS).get(config.target_transform, config.target_transform)
        summary = self.session.project.selection.summary
        chosen = last_choices(summary).get("target_transform") == \
            config.target_transform                              # by step 4's last choice
        self.transform_note.setText(
            "Chosen at step 4 " + (f"(last: <b>{held.lower()}</b>)." if chosen else
                                   f"(until then: <b>{held.lower()}</b>)."))
        self.transform_note.setVisible(automatic and not is_many_series(config))

    def _show_switches(self, config):
        """The automatic lookback and inputs (:class:`AutomaticSwitches`), the inputs' box
        only when step 4 has that choice; neither without a data set or for many series."""
        if config is None:                  # no data set: nothing to choose
            self.switches.lookback.setVisible(False)
            self.switches.inputs.setVisible(False)
            return
        selection = self.session.project.selection
        offered = self.switches.show(config, selection.settings, selection.summary)
        one = not is_many_series(config)
        self.switches.lookback.setVisible(one)
        self.switches.inputs.setVisible(one and offered)

    def _choose_inputs_again(self, config):
        """A new target: step 4 chooses its inputs when ``rnn-studio fit`` would
        (:func:`~engine.training.automatic.automatic_settings`), and the choices of the last
        fit (of another target) are forgotten."""
        self.session.project.selection.summary = {}
        settings = self.session.project.selection.settings
        settings.pop("choose_inputs", None)
        if not is_many_series(config) and automatic_settings(config)["choose_inputs"]:
            settings["choose_inputs"] = True

    @Slot(int)
    def _forecast_length_edited(self, steps):
        """The length of the forecasts the person wants (``selection.settings``'s
        ``forecast_steps``; 0: a season, or 12)."""
        if self._loading or self.session.project is None:
            return
        settings = self.session.project.selection.settings
        if (settings.get("forecast_steps") or 0) != steps:
            if steps:
                settings["forecast_steps"] = int(steps)
            else:
                settings.pop("forecast_steps", None)
            self.session.touch()

    @Slot(str, bool)
    def _switch_toggled(self, key, on):
        """The person turned an automatic choice of step 4 on or off."""
        if self.session.project is None or self.session.config() is None:
            return
        settings = self.session.project.selection.settings
        if on:
            settings[key] = True
        else:
            settings.pop(key, None)
        self.session.touch()
        self._show_switches(self.session.config())
        if self.statistics is not None and self.statistics.target is not None:
            self._show_suggestion_text(self.statistics)

    def _set_automatic_transform(self, on):
        """Step 4 chooses the target transform (``selection.settings``'s
        ``choose_target_transform``), or the box's transform is kept."""
        settings = self.session.project.selection.settings
        if bool(settings.get("choose_target_transform")) != on:
            if on:
                settings["choose_target_transform"] = True
            else:
                settings.pop("choose_target_transform", None)
            self.session.touch()
