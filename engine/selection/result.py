"""The outcome of a search, as the page, the command line and the project all see it.

A :class:`SearchResult` holds one :class:`TrialRow` per setting tried. A row's ``runs`` are
the trial results of its repeats (plain dicts, :mod:`engine.selection.trial`); from them::

    selection_error = mean_r e_r,   selection_error_sd = sqrt(sum_r (e_r - mean)^2 / (R - 1))

over the ``R`` finished repeats (sd 0 for one; a repeat that failed is no finished one, and
the row's ``warning`` says how many failed and why), where ``e_r`` is the repeat's selection
RMSE for one target, or its score (mean RMSE / spread over the targets) for several; the
same for the training error. The chosen row is the simplest whose mean selection score is
within 1% of the lowest (:mod:`engine.selection.choice`); testing data play no part.

A row's ``index`` (from 0) is its place in the search, as stored in the project file; a
person reads it as trial ``number = index + 1`` (the table, the messages).

Stored in the project under ``selection["search"][method]`` (:func:`record_search`);
:func:`apply_trial` puts a row's settings into the project.
"""

from dataclasses import dataclass, field, replace

import numpy as np

from engine.figures import number
from engine.data.data_file import file_digest
from engine.errors import EngineError
from engine.project.model_status import settings_fingerprint
from engine.selection.candidates import apply_changes
from engine.selection.choice import choice_reason, choose_row

FORMAT_VERSION = 1
METHOD_TITLES = {"neurons": "Neurons selection (growing neurons)",
                 "lookback": "Lookback selection",
                 "inputs": "Inputs selection (growing inputs)",
                 "inputs_pruning": "Inputs selection (pruning inputs)",
                 "cell": "Cell comparison",
                 "regularization": "Regularization (L2 strength)",
                 "ensemble": "Ensemble of networks from different seeds"}
AXIS_TITLES = {"neurons": "units per layer", "lookback": "lookback (time steps)",
               "inputs": "inputs besides the targets' own past",
               "inputs_pruning": "inputs besides the targets' own past", "cell": "cell",
               "regularization": "L2 strength", "ensemble": "network"}


def _mean_sd(values):
    values = [v for v in values if v is not None and np.isfinite(v)]
    if not values:
        return None, None
    sd = float(np.std(values, ddof=1)) if len(values) > 1 else 0.0
    return float(np.mean(values)), sd


@dataclass
class TrialRow:
    """One setting tried: ``changes`` to the project (see
    :mod:`engine.selection.candidates`), its ``label``, its place ``x`` on the complexity
    axis, the pruning ``round``, whether it is the project's ``current`` setting, the
    ``runs`` of its repeats, and their summary (filled by :meth:`summarize`)."""

    index: int
    changes: dict
    label: str
    x: float
    round: int = 0
    current: bool = False
    ensemble: bool = False
    runs: list = field(default_factory=list)
    training_error: float | None = None
    training_error_sd: float | None = None
    selection_error: float | None = None
    selection_error_sd: float | None = None
    selection_score: float | None = None
    seconds: float = 0.0
    error: str | None = None
    warning: str | None = None

    @property
    def number(self):
        """The trial's number as a person reads it: ``index + 1``."""
        return self.index + 1

    def finished_runs(self):
        return [r for r in self.runs if r.get("error") is None and not r.get("cancelled")
                and r.get("selection_score") is not None]

    def summarize(self, single_target):
        """Fill the summary fields from ``runs``."""
        done = self.finished_runs()

        def error_of(run, part):
            if single_target:
                return next(iter(run[f"{part}_rmse"].values()))
            return run[f"{part}_score"]

        self.training_error, self.training_error_sd = _mean_sd(
            [error_of(r, "training") for r in done])
        self.selection_error, self.selection_error_sd = _mean_sd(
            [error_of(r, "selection") for r in done])
        self.selection_score = _mean_sd([r["selection_score"] for r in done])[0]
        self.seconds = float(sum(r.get("seconds", 0.0) for r in self.runs))
        failed = [r["error"] for r in self.runs if r.get("error")]
        self.error = failed[0] if failed and not done else None
        self.warning = (f"{len(failed)} of {len(failed) + len(done)} repeats failed "
                        f"({failed[0].rstrip('.')}); the errors shown are of the other "
                        f"{len(done)}.") if failed and done else None
        return self

    def snapshot(self):
        """A copy that later runs do not change (for progress reports to another thread)."""
        return replace(self, changes=dict(self.changes), runs=list(self.runs))

    def to_dict(self):
        runs = [{k: v for k, v in run.items() if k != "predictions"} for run in self.runs]
        for run in runs:
            run["seconds"] = round(float(run.get("seconds", 0.0)), 3)
        return {"index": self.index, "changes": self.changes, "label": self.label,
                "x": self.x, "round": self.round, "current": self.current,
                "ensemble": self.ensemble, "training_error": self.training_error,
                "training_error_sd": self.training_error_sd,
                "selection_error": self.selection_error,
                "selection_error_sd": self.selection_error_sd,
                "selection_score": self.selection_score, "seconds": round(self.seconds, 3),
                "error": self.error, "warning": self.warning, "runs": runs}

    @classmethod
    def from_dict(cls, data):
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass
class SearchResult:
    """A search: its ``method``, the error ``measure`` in words, the ``rows`` tried, the
    ``chosen`` row index (None when no trial finished), ``repeats``, where it ran
    (``runner``, ``workers``), its ``seconds``, whether it was ``cancelled``, ``notes``
    (plain sentences: the suggestion it started from, pruning decisions, the ensemble's
    gain), the ``applied`` row, if any, the settings ``fingerprint``
    (:func:`~engine.project.model_status.settings_fingerprint`) of the project it searched
    from and the ``data_digest`` of the data file it read
    (:func:`~engine.data.data_file.file_digest`; None for data of no file), both for
    :func:`search_is_current`."""

    method: str
    measure: str
    targets: list
    rows: list = field(default_factory=list)
    chosen: int | None = None
    repeats: int = 1
    runner: str = ""
    workers: int = 1
    seconds: float = 0.0
    cancelled: bool = False
    notes: list = field(default_factory=list)
    applied: int | None = None
    fingerprint: str | None = None
    data_digest: str | None = None

    @property
    def title(self):
        return METHOD_TITLES.get(self.method, self.method)

    def choose(self):
        """Set ``chosen`` to the simplest row within 1% of the lowest mean selection score
        (ensemble rows aside; :func:`~engine.selection.choice.choose_row`)."""
        self.chosen = choose_row(self.method, self.rows)
        return self.chosen

    def reason(self):
        """Why the chosen row was chosen, in one sentence ("" when none is)."""
        return choice_reason(self.method, self.rows, self.chosen)

    def trainings(self):
        """The trainings that finished (the ensemble's average is none; stopped or failed
        ones do not count)."""
        return sum(len(row.finished_runs()) for row in self.rows if not row.ensemble)

    def row(self, index):
        for row in self.rows:
            if row.index == index:
                return row
        raise EngineError(f"There is no trial {index + 1}; the trials are numbered 1 to "
                          f"{len(self.rows)}.")

    def curve(self):
        """The plot of errors against complexity: one point per distinct ``x``, in order:
        the chosen row at its ``x`` (layers of 6 x 3 chosen beside 6 x 6 of a slightly
        lower error, both at 6), the row of the lowest score at every other. Returns
        ``{"x": positions 0..n-1, "labels": tick texts, "training", "selection",
        "training_sd", "selection_sd": lists (None where no trial finished), "rows": row
        indices, "chosen": position of the chosen row or None, "axis": axis title}``."""
        best = {}
        for row in self.rows:
            if row.ensemble:
                continue
            held = best.get(row.x)
            if held is None or row.index == self.chosen or (
                    held.index != self.chosen and _lower(row, held)):
                best[row.x] = row
        order = sorted(best)
        points = [best[x] for x in order]
        ensemble = [row for row in self.rows if row.ensemble]
        points += ensemble
        chosen = next((k for k, row in enumerate(points) if row.index == self.chosen), None)
        return {"x": list(range(len(points))), "labels": [_tick(self.method, row)
                                                          for row in points],
                "training": [row.training_error for row in points],
                "selection": [row.selection_error for row in points],
                "training_sd": [row.training_error_sd for row in points],
                "selection_sd": [row.selection_error_sd for row in points],
                "rows": [row.index for row in points], "chosen": chosen,
                "axis": AXIS_TITLES.get(self.method, "")}

    def table_lines(self):
        """The table as lines of text (the command line prints them)."""
        sd = self.repeats > 1
        head = (f"  {'#':>3}  {'setting':<44} {'training':>16} {'selection':>16} "
                f"{'seconds':>7}")
        lines = [f"{self.title}; error: {self.measure}"
                 + (f", mean ± sd of {self.repeats} repeats" if sd else ""), head]
        for row in self.rows:
            mark = " (current)" if row.current else ""
            label = row.label if len(row.label) + len(mark) <= 44 else \
                row.label[:41 - len(mark)] + "..."
            label += mark
            if row.selection_error is None:
                text = "not possible: " + row.error if row.error else "not run"
                lines.append(f"  {row.number:>3}  {label:<44} {text}")
                continue
            figures = "".join(f" {figure(m, s, sd):>16}" for m, s in (
                (row.training_error, row.training_error_sd),
                (row.selection_error, row.selection_error_sd)))
            mark = "  <- chosen" if row.index == self.chosen else ""
            lines.append(f"  {row.number:>3}  {label:<44}{figures} {row.seconds:>7.1f}{mark}")
            if row.warning:
                lines.append(f"       {row.warning}")
        lines += [self.reason()] if self.chosen is not None else []
        lines += self.notes
        return lines

    def to_dict(self):
        return {"format_version": FORMAT_VERSION, "method": self.method,
                "measure": self.measure, "targets": list(self.targets),
                "repeats": self.repeats, "runner": self.runner, "workers": self.workers,
                "seconds": round(self.seconds, 2), "cancelled": self.cancelled,
                "chosen": self.chosen, "applied": self.applied, "notes": list(self.notes),
                "fingerprint": self.fingerprint, "data_digest": self.data_digest,
                "rows": [row.to_dict() for row in self.rows]}

    @classmethod
    def from_dict(cls, data):
        """The result stored as ``data``; its chosen row by the rule of now (a search
        stored before chose the lowest selection error, however slight the gain)."""
        if not isinstance(data, dict) or "method" not in data:
            raise EngineError("The stored model-selection result is damaged; run the "
                              "search again.")
        result = cls(method=data["method"], measure=data.get("measure", ""),
                   targets=list(data.get("targets", [])),
                   rows=[TrialRow.from_dict(r) for r in data.get("rows", [])],
                   chosen=data.get("chosen"), repeats=int(data.get("repeats", 1)),
                   runner=data.get("runner", ""), workers=int(data.get("workers", 1)),
                   seconds=float(data.get("seconds", 0.0)),
                   cancelled=bool(data.get("cancelled", False)),
                   notes=list(data.get("notes", [])), applied=data.get("applied"),
                   fingerprint=data.get("fingerprint"),
                   data_digest=data.get("data_digest"))
        if choose_row(result.method, result.rows) is not None:
            result.choose()
        return result


def _lower(row, other):
    """Whether ``row`` scored and ``other`` did not, or scored higher."""
    return row.selection_score is not None and (
        other.selection_score is None or row.selection_score < other.selection_score)


def figure(mean, sd, with_sd):
    """An error of the table (the page's and the command line's): the ``mean`` to 4
    significant digits, trailing zeros kept (3.000 beside 2.971, as the reason reads it),
    with `` ± sd`` to 2 when ``with_sd`` (several repeats)."""
    text = number(mean)
    return f"{text} ± {sd:.2g}" if with_sd and sd is not None else text


def _tick(method, row):
    changes = row.changes
    if row.ensemble:
        return "ensemble"
    if method == "neurons":
        return str(changes["hidden_sizes"][0])
    if method == "lookback":
        return str(changes["lookback"])
    if method in ("inputs", "inputs_pruning"):
        return str(len(changes["inputs"]))
    if method == "cell":
        return {"rnn": "RNN", "gru": "GRU", "lstm": "LSTM"}.get(changes["cell"],
                                                                changes["cell"])
    if method == "regularization":
        return "0" if changes["l2"] == 0 else f"{changes['l2']:g}"
    if method == "ensemble":
        return f"seed {changes['seed']}"
    return row.label


def record_search(project, result):
    """Keep ``result`` in the project (``selection.search[method]``); True when kept. A
    search stopped before any training finished is not kept: it would replace the search
    of that method stored before with an empty one."""
    if result.cancelled and result.trainings() == 0:
        return False
    project.selection.search[result.method] = result.to_dict()
    return True


def stored_searches(project, current=False):
    """``{method: SearchResult}`` kept in the project; with ``current``, only those made
    with its settings of now (:func:`search_is_current`)."""
    stored = project.selection.search
    searches = {method: SearchResult.from_dict(data) for method, data in stored.items()
                if isinstance(data, dict)}
    return {method: result for method, result in searches.items()
            if not current or search_is_current(project, result)}


def restamp_searches(project, before):
    """The searches and the backtest kept in ``project`` that were made with the
    fingerprint ``before`` take the project's fingerprint of now: for a change of how the
    settings are stored, not of what they are (the data path written anew when the project
    is saved into another folder)."""
    now = settings_fingerprint(project)
    for stored in [*project.selection.search.values(), project.selection.backtest]:
        if isinstance(stored, dict) and stored.get("fingerprint") == before:
            stored["fingerprint"] = now


def search_is_current(project, result):
    """Whether ``result`` was made with ``project``'s settings of now, on its data file as
    it is now (the same bytes: not edited or saved over since): its trials then differ
    from the project in what they tried alone. A search kept before searches were stamped
    (or of data read from no file, or of a file that cannot be read now) counts as current
    in what it was not stamped with."""
    if result.fingerprint not in (None, settings_fingerprint(project)):
        return False
    digest = file_digest(project.data_file()) if result.data_digest else None
    return digest in (None, result.data_digest)


def apply_trial(project, result, index=None):
    """Put the settings of row ``index`` (its place from 0, as ``TrialRow.index``; a
    person reads it as trial ``index + 1``; default: the chosen one) into ``project``:
    units and cell into the architecture, lookback and inputs into the data-set
    configuration, the L2 strength into the training settings, an ensemble member's seed
    into the architecture. Returns a sentence saying what changed. The project's trained
    model is then out of date (its settings fingerprint changed)."""
    if result.cancelled:
        raise EngineError("The search was stopped before every setting was trained, so "
                          "none of its rows is applied; run it to the end to apply a row.")
    if index is None:
        index = result.chosen
    if index is None:
        raise EngineError("No trial finished, so there is nothing to apply; run the "
                          "search (longer).")
    row = result.row(index)
    if row.ensemble:
        raise EngineError("A project trains one network, so the ensemble itself cannot be "
                          "applied; apply one of its members (its seed) instead.")
    if row.selection_error is None:
        raise EngineError(f"Trial {row.number} ({row.label}) did not finish, so its settings "
                          "are not known to work; choose another row.")
    config = project.dataset_config()
    config, architecture, settings = apply_changes(config, project.architecture.to_dict(),
                                                   project.training.to_dict(), row.changes)
    project.data.config = config
    for key in ("hidden_sizes", "cell", "seed"):
        if key in row.changes:
            setattr(project.architecture, key, architecture[key])
    if "l2" in row.changes:
        project.training.l2 = settings["l2"]
    if "inputs" in row.changes or "lookback" in row.changes:
        # the fit keeps the inputs, lookback and transform the trial was scored with
        for switch in ("choose_inputs", "choose_lookback", "choose_target_transform"):
            project.selection.settings[switch] = False
    result.applied = index
    result.fingerprint = settings_fingerprint(project)   # the change it tried is made
    record_search(project, result)
    return f"Applied trial {row.number}: {row.label}."
