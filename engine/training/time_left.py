"""The time left of a training, from the stage it reports and its latest epoch, in the
words the training page and the command line both show.

A stage "network k of n" (the networks averaged), "candidate k of n" (the window's choice
of a global fit) or "Trial k/n" (the settings tried on one series before its training) has
``n - k`` networks after this one. With ``E`` the most epochs, ``e`` the epochs done and
``t`` their seconds, the time left is at most

    (t / e) * ((E - e) + ceil((n - k) / c) * E)

the epochs left of this network and the most of each one after it, all at this network's
pace (early stopping usually ends sooner). ``c`` is 1, or the cores of a stage "network k
of n (the others on c - 1 more cores)": the networks before this one began no later
than it, so every core is free at most ``E - e`` epochs from now, and the ``n - k`` still
to begin share the ``c`` cores.

During the window's choice that is the choice's alone, and during the trials the trials'
alone: the fit that follows trains on the window or the setting chosen, whose pace and
networks are known only then, so no total is given before it. After them the stages are
the fit's networks, and the time left is the whole fit's.
"""

import re
from dataclasses import dataclass

MEMBER_STAGE = re.compile(r"(network|candidate) (\d+) of (\d+)")
"""The stage of one of several networks: of a fit's averaged, or of the window's
candidates."""
TRIAL_STAGE = re.compile(r"\bTrial (\d+)/(\d+)")
"""The stage of one of the settings tried (engine.training.trials.run_trials)."""
MORE_CORES = re.compile(r"on (\d+) more cores?\b")
"""How a stage of a network says how many more cores train the others at the same time."""
CHOICE_STAGE = "Choosing the window"
"""How the stages of a global fit's choice of the window begin."""
TOTAL_LATER = "the whole fit's follows once the window is chosen"
TRAINING_LATER = "the final training follows"


def format_seconds(seconds):
    """``75.3`` -> ``"1:15"``; hours when needed (``"2:03:04"``)."""
    seconds = int(round(max(seconds, 0)))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


@dataclass(frozen=True)
class TimeLeft:
    """``seconds``: at most this long (the module docstring's bound); ``part``: "" of the
    whole training, or "choice" (the window's choice) or "trials" (the settings tried)
    alone, the training's total not known yet."""

    seconds: float
    part: str = ""

    @property
    def sentence(self):
        """``"Time left: at most 1:50."``; during the choice ``"Time left of the choice:
        at most 1:50; the whole fit's follows once the window is chosen."``, during the
        trials ``"Time left of the trials: at most 1:50; the final training follows."``"""
        bound = format_seconds(self.seconds)
        if not self.part:
            return f"Time left: at most {bound}."
        later = TOTAL_LATER if self.part == "choice" else TRAINING_LATER
        return f"Time left of the {self.part}: at most {bound}; {later}."

    @property
    def short(self):
        """The same in the few words of a redrawn progress bar: ``"left <= 1:50"``,
        ``"choice left <= 1:50, total once chosen"`` or ``"trials left <= 1:50, final
        training follows"``."""
        bound = format_seconds(self.seconds)
        if not self.part:
            return f"left <= {bound}"
        later = "total once chosen" if self.part == "choice" else "final training follows"
        return f"{self.part} left <= {bound}, {later}"


def networks_later(stage):
    """``(part, later)`` of the stage ``stage``: the part of the training it is ("",
    "choice" or "trials") and how many networks' most epochs follow this one's on this
    core, ``ceil((n - k) / c)`` of the module docstring."""
    trial = TRIAL_STAGE.search(stage)
    if trial:
        return "trials", int(trial[2]) - int(trial[1])
    member = MEMBER_STAGE.search(stage)
    cores = MORE_CORES.search(stage)
    cores = 1 + int(cores[1]) if cores else 1
    later = -(-(int(member[3]) - int(member[2])) // cores) if member else 0
    return ("choice" if stage.startswith(CHOICE_STAGE) else ""), later


def time_left(stage, report):
    """The :class:`TimeLeft` after the epoch ``report``
    (:class:`~engine.training.settings.EpochReport`) of the stage ``stage`` (its text;
    None or "" for a training without stages)."""
    part, later = networks_later(stage or "")
    pace = report.elapsed / max(report.epoch, 1)
    seconds = pace * (report.max_epochs - report.epoch + later * report.max_epochs)
    return TimeLeft(seconds, part)
