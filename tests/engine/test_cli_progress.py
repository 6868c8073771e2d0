"""Progress of long commands on a file or a pipe: timed lines, flushed, none in the first
quiet seconds, an epoch at most every few seconds; the long commands all write them."""

import io
import re

import pytest

from engine.cli import progress_bar
from engine.cli.main import main
from engine.cli.progress_bar import EPOCH_SECONDS, TerminalLines, TimedLines
from engine.project.document import save_project
from engine.training.automatic import AutomaticChoices, automatic_project
from engine.training.settings import EpochReport


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


class Flushes(io.StringIO):
    """A file that keeps only what was flushed."""

    def __init__(self):
        super().__init__()
        self.flushed = ""

    def flush(self):
        self.flushed = self.getvalue()


def report(epoch):
    return EpochReport(epoch, 0.5, 0.25, 1.0, 0.01, 0.0, epoch, 0.25, 200)


def test_lines_come_after_the_quiet_seconds_and_epochs_at_most_every_few(monkeypatch):
    monkeypatch.setattr(progress_bar, "QUIET_SECONDS", 5.0)
    clock, stream = Clock(), Flushes()
    lines = TimedLines(stream, indent="  ", clock=clock)
    lines.stage("Choosing the transform")           # held: the command may end soon
    lines.epoch(report(1))
    assert stream.flushed == ""
    clock.now += 6
    for epoch in range(2, 40):                       # 2 s an epoch
        lines.epoch(report(epoch))
        clock.now += 2
    lines.stage("Training network 2 of 3")
    lines.close()
    written = stream.flushed.splitlines()
    assert written[0] == "  [0:06] Choosing the transform"
    assert written[1] == ("  [0:06] epoch 2/200 training 0.5 selection 0.25 best@2. "
                          "Time left: at most 1:39.")
    epochs = [line for line in written if "epoch " in line]
    assert len(epochs) == 1 + (38 * 2 - 2) // EPOCH_SECONDS
    assert written[-1] == "  [1:22] Training network 2 of 3"
    assert "\r" not in stream.getvalue()


def test_a_stage_begun_in_the_quiet_seconds_is_written_when_they_end(monkeypatch):
    monkeypatch.setattr(progress_bar, "QUIET_SECONDS", 0.2)
    stream = Flushes()
    lines = TimedLines(stream)
    lines.stage("Backtest: fitting 5 origins")
    lines.timer.join(5)
    lines.close()
    assert re.fullmatch(r"\[0:0\d\] Backtest: fitting 5 origins\n", stream.flushed)


def test_a_command_that_ends_in_the_quiet_seconds_writes_no_progress(monkeypatch):
    monkeypatch.setattr(progress_bar, "QUIET_SECONDS", 60.0)
    stream = Flushes()
    lines = TimedLines(stream)
    lines.stage("Backtest: fitting 5 origins")
    lines.close()
    assert stream.getvalue() == "" and not lines.timer.is_alive()


@pytest.fixture
def project_path(seasonal_csv, tmp_path):
    project, _ = automatic_project(AutomaticChoices(seasonal_csv, ["y"],
                                                    test_from="2019-01-01", max_epochs=3,
                                                    lookback=4))
    project.selection.settings = {}
    project.architecture.hidden_sizes = [3]
    return save_project(project, tmp_path / "p.json")


@pytest.mark.parametrize("argv, line", [
    (["backtest", "{project}", "{data}", "--origins", "2", "--workers", "0"],
     "  [m:ss] Backtest: 2 of 2 origins done"),
    (["select", "{project}", "--method", "cell", "--workers", "0"],
     "  [m:ss] Trial 3 of 3: LSTM"),
    (["fit", "--project", "{project}", "--out", "{model}"], "[m:ss] Training"),
])
def test_long_commands_write_progress_to_a_file(monkeypatch, project_path, seasonal_csv,
                                                tmp_path, argv, line):
    monkeypatch.setattr(progress_bar, "QUIET_SECONDS", 0.0)
    names = {"project": project_path, "data": seasonal_csv, "model": tmp_path / "m.npz"}
    out, err = io.StringIO(), Flushes()
    status = main([a.format(**names) for a in argv], out=out, err=err)
    assert status == 0, err.getvalue()
    pattern = re.escape(line).replace(re.escape("[m:ss]"), r"\[\d+:\d\d\]")
    assert any(re.match(pattern, written) for written in err.flushed.splitlines()), \
        err.flushed
    assert "\r" not in err.getvalue() and "[0:" not in out.getvalue()


def epoch_lines(*stages):
    """The lines on a pipe of an epoch (``report(2)``) after each stage of ``stages``."""
    stream = Flushes()
    lines = TimedLines(stream)
    for stage in stages:
        lines.stage(stage)
        lines.epoch(report(2))
    lines.close()
    return [line for line in stream.flushed.splitlines() if "epoch 2/" in line]


def bar_text(*stages):
    """What a terminal shows of an epoch (``report(2)``) after each stage of ``stages``."""
    terminal = Flushes()
    terminal.isatty = lambda: True
    shown = TerminalLines(terminal)
    for stage in stages:
        shown.stage(stage)
        shown.epoch(report(2))
    shown.close()
    return terminal.getvalue()


def test_a_global_fit_s_time_left_is_the_choice_s_then_the_whole_fit_s(monkeypatch):
    """During the window's choice the time left counts the candidates after this one and
    says that the whole fit's follows once the window is chosen (no number for it); then
    it counts every network of the fit. On a pipe the epoch lines gave no time left, and
    the terminal's bar gave the network's own alone, as if the fit ended with it; step 4
    says the same words (:func:`engine.training.time_left.time_left`)."""
    monkeypatch.setattr(progress_bar, "QUIET_SECONDS", 0.0)
    monkeypatch.setattr(progress_bar, "EPOCH_SECONDS", 0.0)
    choice, network = epoch_lines(      # 0.5 s an epoch: 198 + 2 * 200 left of each
        "Choosing the window: candidate 1 of 3 (lookback 96, 4 steps)",
        "Training network 1 of 3")
    assert choice.endswith("best@2. Time left of the choice: at most 4:59; the whole "
                           "fit's follows once the window is chosen.")
    assert network.endswith("best@2. Time left: at most 4:59.")
    shown = bar_text("Choosing the window: candidate 3 of 3 (lookback 96, whole in one step)",
                     "Training network 2 of 3")
    assert "best@2 choice left <= 1:39, total once chosen" in shown
    assert "best@2 left <= 3:19\x1b[K" in shown


def test_the_trials_time_left_is_theirs_and_the_networks_on_other_cores_share_them(
        monkeypatch):
    """A trial of the settings tried on one series counts the trials after it and says
    that the final training follows: its lines said "Time left: at most 1:39." of the
    current trial alone. Of 5 networks with the others on 1 more core, the 4 after this
    one are shared by 2 cores (2 each at most, not 4 one after another)."""
    monkeypatch.setattr(progress_bar, "QUIET_SECONDS", 0.0)
    monkeypatch.setattr(progress_bar, "EPOCH_SECONDS", 0.0)
    trial, network = epoch_lines(       # 0.5 s an epoch: 198 + 4 * 200 left, then
        "Trial 2/6: log, with inputs",      # 198 + 2 * 200
        "Training network 1 of 5 (the others on 1 more core)")
    assert trial.endswith("best@2. Time left of the trials: at most 8:19; the final "
                          "training follows.")
    assert network.endswith("best@2. Time left: at most 4:59.")
    assert "best@2 trials left <= 1:39, final training follows" in bar_text(
        "Trial 6/6: none, without inputs")
