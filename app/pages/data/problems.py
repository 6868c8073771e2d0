"""The problems of step 2's settings: listed under the settings, and said where they are
(the controls they are about tinted, the problem in their tooltips)."""

from PySide6.QtGui import QColor, QPalette

from .texts import PROBLEM_COLOR


class ProblemMarks:
    """The data page's part that says the problems of the settings."""

    def _show_problems(self, problems):
        """The problems to fix before the next step (said where they are), or that the
        data set is ready."""
        if problems:
            self.problems.setText("<span style='color:#b00020'><b>To fix before the next "
                                  "step:</b><br>" + "<br>".join(problems) + "</span>")
        else:
            self.problems.setText("<span style='color:#1b5e20'>The data set is ready.</span>")
        self._mark_problems(problems)


    def _mark_problems(self, problems):
        """Tint the controls a problem is about and add the problem to their
        tooltips, so that it is said where it is, not only in the list below."""
        places = {"lookback": [self.lookback, self.horizon], "target": [self.variables],
                  "input": [self.variables], "part": self.fractions + [self.test_from],
                  "testing": self.fractions + [self.test_from, self.test_last],
                  "steps ahead": [self.horizon]}
        marked = {}
        for problem in problems:
            lowered = problem.lower()
            for word, widgets in places.items():
                if word in lowered:
                    for widget in widgets:
                        marked.setdefault(widget, []).append(problem)
        widgets = {w for group in places.values() for w in group}
        for widget in widgets:
            base = widget.property("base_tooltip")
            if base is None:
                base = widget.toolTip()
                widget.setProperty("base_tooltip", base)
            found = marked.get(widget)
            palette = QPalette()
            if found:
                palette.setColor(QPalette.ColorRole.Base, QColor(PROBLEM_COLOR))
            widget.setPalette(palette)
            widget.setToolTip(base + ("\n\nTo fix: " + " ".join(found) if found else ""))
