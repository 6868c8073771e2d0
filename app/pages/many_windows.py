"""Step 4's two settings of what each network of many series trains on
(:data:`engine.many.project_fit.WINDOW_KEYS`): the training windows of each series and the
weights' average. Each is "Automatic" (left to the fit, which chooses it with the window:
:func:`engine.many.choosing.with_windows`) or fixed, a choice and, under it, a number; and
is kept in the project's training section (``windows_per_series``, ``average_steps``) as
the fit reads it."""

from PySide6.QtWidgets import QComboBox

from engine.many.choosing import AVERAGE_STEPS, FEW_EPOCHS
from engine.many.global_model import AVERAGE_EPOCHS, LATEST_WINDOWS
from engine.many.project_fit import keep_window_choices
from engine.project.sections import AUTOMATIC

from ..widgets.controls import buddy_label, combo, select, spin_box
from .training_parts import COMBO_LETTERS

WINDOWS = (("auto", "Automatic"), ("all", "Every window"), ("latest", "The latest ..."))
AVERAGE = (("auto", "Automatic"), ("none", "No average"), ("steps", "Over the latest ..."))
WINDOWS_TOOLTIP = (
    "The training windows each series gives the network. Automatic: the fit chooses with "
    f"the window: the latest {LATEST_WINDOWS} of each series, or every window when the "
    f"network of the window chosen stopped learning within {FEW_EPOCHS} epochs (it lacks "
    "data, not epochs). Every window: all of them (longer on long series). The latest: "
    "as many of each series' latest windows as Latest windows says.")
AVERAGE_TOOLTIP = (
    "Keep the average of the network's weights over its latest training steps instead of "
    "the weights of one step: a steadier network. Automatic: the fit chooses: over "
    f"{AVERAGE_STEPS:,} steps when it trains on every window after few epochs, else none. "
    "No average: the weights as trained. Over the latest: as many steps as Steps averaged "
    f"says (at most {AVERAGE_EPOCHS} epochs' steps).")


def shown_windows(training):
    """``(choice, number)`` of the training windows per series a project's training
    section ``training`` holds: a number the latest that many, "all" every window, unset
    (or null) automatic; the number is :data:`LATEST_WINDOWS` unless one is set."""
    value = training.windows_per_series
    if value is AUTOMATIC or value is None:
        return "auto", LATEST_WINDOWS
    return ("all", LATEST_WINDOWS) if value == "all" else ("latest", int(value))


def shown_average(training):
    """``(choice, number)`` of the weights' average ``training`` holds: a number the
    latest that many steps, null or 0 none, unset automatic; the number is
    :data:`AVERAGE_STEPS` unless one is set."""
    value = training.average_steps
    if value is AUTOMATIC:
        return "auto", AVERAGE_STEPS
    return ("none", AVERAGE_STEPS) if not value else ("steps", int(value))


class WindowChoices:
    """Four rows of the settings form: each setting's box of choices, and under it its
    number, shown only when the box asks for one; ``changed`` is called when the person
    changes a setting (not when :meth:`show` does)."""

    def __init__(self, form, changed):
        self.changed = changed
        self.form = form
        self._showing = False
        self.windows = combo(WINDOWS, WINDOWS_TOOLTIP)
        self.windows_count = spin_box(1, 10**6, WINDOWS_TOOLTIP)
        self.average = combo(AVERAGE, AVERAGE_TOOLTIP)
        self.average_steps = spin_box(1, 10**6, AVERAGE_TOOLTIP)
        rows = ((self.windows, "Windows per ser&ies:"),
                (self.windows_count, "Latest windows:"),
                (self.average, "Weight avera&ge:"), (self.average_steps, "Steps averaged:"))
        for control, text in rows:
            form.addRow(buddy_label(text, control), control)
            signal = control.currentIndexChanged if control in (self.windows, self.average) \
                else control.valueChanged
            signal.connect(self._edited)
        for box in (self.windows, self.average):
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(COMBO_LETTERS)
        self._enable()

    def show(self, training):
        """Show the choices of a project's training section ``training``."""
        self._showing = True
        for box, number, (choice, value) in (
                (self.windows, self.windows_count, shown_windows(training)),
                (self.average, self.average_steps, shown_average(training))):
            select(box, choice)
            number.setValue(value)
        self._showing = False
        self._enable()

    def values(self):
        """``{key: value}`` of the rows as the fit takes them: "auto", "all" or a number of
        windows; "auto", None or a number of steps."""
        windows = self.windows.currentData()
        average = self.average.currentData()
        return {"windows_per_series": self.windows_count.value() if windows == "latest"
                else windows,
                "average_steps": self.average_steps.value() if average == "steps" else
                None if average == "none" else "auto"}

    def store(self, training):
        """Keep the rows' choices in ``training`` ("Automatic" leaves a setting unset)."""
        keep_window_choices(training, **self.values())

    def _enable(self):
        self.form.setRowVisible(self.windows_count, self.windows.currentData() == "latest")
        self.form.setRowVisible(self.average_steps, self.average.currentData() == "steps")

    def _edited(self, *_):
        self._enable()
        if not self._showing:
            self.changed()
