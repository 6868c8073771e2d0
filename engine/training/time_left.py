"""The time left of a training, from the stage it reports and its latest epoch, in the
words the training page and the command line both show.

A stage "network k of n" (the networks averaged) or "candidate k of n" (the window's
choice of a global fit) has ``n - k`` networks after this one. With ``E`` the most epochs,
``e`` the epochs done and ``t`` their seconds, the time left is at most

    (t / e) * ((E - e) + (n - k) * E)

the epochs left of this network and the most of each one after it, all at this network's
pace (early stopping usually ends sooner). During the window's choice that is the
choice's alone: the fit that follows trains on the window chosen, whose windows per
series (and so pace) and networks are known only then, so no total is given before it.
After the choice the stages are the fit's networks, and the time left is the whole fit's.
"""

import re
from dataclasses import dataclass

MEMBER_STAGE = re.compile(r"(network|candidate) (\d+) of (\d+)")
"""The stage of one of several networks: of a fit's averaged, or of the window's
candidates."""
CHOICE_STAGE = "Choosing the window"
"""How the stages of a global fit's choice of the window begin."""
TOTAL_LATER = "the whole fit's follows once the window is chosen"


def format_seconds(seconds):
    """``75.3`` -> ``"1:15"``; hours when needed (``"2:03:04"``)."""
    seconds = int(round(max(seconds, 0)))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


@dataclass(frozen=True)
class TimeLeft:
    """``seconds``: at most this long (the module docstring's bound); ``of_choice``: the
    window's choice alone, the fit's total not known yet."""

    seconds: float
    of_choice: bool

    @property
    def sentence(self):
        """``"Time left: at most 1:50."``; during the choice ``"Time left of the choice:
        at most 1:50; the whole fit's follows once the window is chosen."``"""
        if self.of_choice:
            return (f"Time left of the choice: at most {format_seconds(self.seconds)}; "
                    f"{TOTAL_LATER}.")
        return f"Time left: at most {format_seconds(self.seconds)}."

    @property
    def short(self):
        """The same in the few words of a redrawn progress bar: ``"left <= 1:50"``, or
        ``"choice left <= 1:50, total once chosen"``."""
        if self.of_choice:
            return f"choice left <= {format_seconds(self.seconds)}, total once chosen"
        return f"left <= {format_seconds(self.seconds)}"


def time_left(stage, report):
    """The :class:`TimeLeft` after the epoch ``report``
    (:class:`~engine.training.settings.EpochReport`) of the stage ``stage`` (its text;
    None or "" for a training without stages)."""
    stage = stage or ""
    member = MEMBER_STAGE.search(stage)
    later = int(member[3]) - int(member[2]) if member else 0
    pace = report.elapsed / max(report.epoch, 1)
    seconds = pace * (report.max_epochs - report.epoch + later * report.max_epochs)
    return TimeLeft(seconds, stage.startswith(CHOICE_STAGE))
