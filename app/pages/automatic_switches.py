"""The data page's switches of step 4's automatic lookback and inputs (one series).

Each is a check box (``selection.settings``: ``choose_lookback``, ``choose_inputs``) whose
tooltip says where step 4 starts and what it chose last; the transform's switch is the
transform box's *Automatic* item (the data page). Step 4 makes the choices of
``rnn-studio fit`` (:func:`engine.training.fitting.automatic_choices`); a new project of
one series starts with them on (:func:`engine.training.automatic.automatic_settings`).
"""

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QCheckBox

from engine.training.automatic import input_candidates
from engine.training.choice_start import choice_start, last_choices

LOOKBACK_TOOLTIP = ("Step 4 chooses the lookback, as rnn-studio fit does: the value it "
                    "starts from (the suggestion), half and twice it and the season length "
                    "are scored by a backtest of a linear autoregression on the rows before "
                    "the testing part, together with the transform. Setting the lookback "
                    "by hand turns this off.")
INPUTS_TOOLTIP = ("Step 4 chooses between every input and the target's own past only, by "
                  "the same backtest, as rnn-studio fit does. Changing a role turns this "
                  "off.")
SWITCHES = ("choose_lookback", "choose_inputs")


class AutomaticSwitches(QObject):
    """The two check boxes, their tooltips saying where step 4 starts and what it chose
    last; :attr:`toggled` ``(key, on)`` when the person turns one on or off (not when
    :meth:`show` sets them)."""

    toggled = Signal(str, bool)

    def __init__(self):
        super().__init__()
        self.lookback = QCheckBox("&Automatic")
        self.inputs = QCheckBox("Automatic &inputs: step 4 keeps all of them, or only the "
                                "target's own past")
        self._showing = False
        for key, box in zip(SWITCHES, (self.lookback, self.inputs)):
            box.toggled.connect(lambda on, key=key: self._toggled(key, on))

    def _toggled(self, key, on):
        if not self._showing:
            self.toggled.emit(key, on)

    def show(self, config, settings, summary):
        """Show the switches of ``settings`` (``selection.settings``) for ``config`` (one
        series), their tooltips naming where step 4 starts and what the last fit chose
        (``summary``, ``selection.summary``) while ``config`` holds it. Returns True when
        step 4 has a choice of inputs (there are inputs besides the targets' own past
        where it starts), so that the inputs' switch is worth showing."""
        self._showing = True
        try:
            self.lookback.setChecked(bool(settings.get("choose_lookback")))
            self.inputs.setChecked(bool(settings.get("choose_inputs")))
        finally:
            self._showing = False
        chosen = last_choices(summary)
        # each value is put back on its own: with the inputs' choice taken as on, the
        # lookback is the one step 4 starts from, the inputs those it would choose from
        start = choice_start(config, summary, {**settings, "choose_inputs": True})
        self.lookback.setToolTip(LOOKBACK_TOOLTIP + _lookback_line(config, start, chosen))
        self.inputs.setToolTip(INPUTS_TOOLTIP + _inputs_line(config, chosen))
        return len(input_candidates(start)) > 1


def _lookback_line(config, start, chosen):
    """The tooltip's lines on where step 4 starts and what it chose last."""
    line = f"\n\nStep 4 starts from {start.lookback}."
    if chosen.get("lookback") == config.lookback:
        line += f" Last chosen: {config.lookback}."
    return line


def _inputs_line(config, chosen):
    """The tooltip's line on the inputs step 4 chose last."""
    if chosen.get("inputs") != [v.name for v in config.inputs]:
        return ""
    own = all(v.role == "input_target" for v in config.inputs)
    return ("\n\nLast chosen: the target's own past only." if own else
            "\n\nLast chosen: all of them.")
