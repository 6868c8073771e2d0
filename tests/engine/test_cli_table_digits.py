"""The command line's tables show every figure of a measure to the same number of
significant digits (:func:`engine.figures.table_digits`, :func:`engine.figures.number`):
2.100 beside 2.594, never 2.1; 1.004 beside Naive2's 1.000, never both 1. ``evaluate``'s and
``backtest``'s tables give each measure its own digits, as step 6 and the report do
(:func:`engine.testing.report.error_digits`), and their verdicts quote the RMSEs to the
table's RMSE digits."""

import io
from types import SimpleNamespace

import numpy as np
import pytest

from engine.cli.commands.backtest import print_table
from engine.cli.many_series import print_evaluation
from engine.figures import number, table_digits


@pytest.mark.parametrize("value, digits, text", [
    (2.1, 4, "2.100"), (2.5942, 4, "2.594"), (1, 4, "1.000"), (0.888, 4, "0.8880"),
    (12345.6, 4, "12346"), (9999.7, 4, "10000"), (1234.0, 4, "1234"), (2.1, 5, "2.1000"),
    (None, 4, "-")])
def test_a_figure_keeps_its_trailing_zeros_and_large_ones_are_whole(value, digits, text):
    assert number(value, digits) == text


def test_a_table_gets_the_digits_that_tell_its_figures_apart():
    assert table_digits([2.1, 2.5942, 4.44]) == 4
    assert table_digits([2.45241, 2.45212]) == 5       # 2.452 both at 4 digits
    assert table_digits([3.5293, 3.5293 + 1e-15, None, float("nan")]) == 4


def _modes(rmse, mae):
    measures = {"targets": {"y": {"rmse": rmse, "mae": mae}}}
    return {"one_step": measures, "recursive": measures}


def test_a_backtest_table_shows_every_figure_to_four_digits():
    out = io.StringIO()
    print_table(_modes(2.5942, 1.7), {"theta": _modes(2.84, 2.0)}, ["y"], out)
    network, theta = out.getvalue().splitlines()[2:]
    assert network.split()[1:] == ["2.594", "1.700", "2.594", "1.700"]
    assert theta.split()[1:] == ["2.840", "2.000", "2.840", "2.000"]


class _Evaluation:
    """What :func:`print_evaluation` reads of a many-series evaluation: Theta's OWA 1.004
    beside Naive2's 1."""

    n_scored, season, coverage, notes = 20, 24, {}, []

    def scope(self):
        return "the last 48 steps"

    def summary(self):
        return {"network": {"label": "global network", "smape": 8.779, "mase": 0.9316,
                            "owa": 1.0121},
                "naive2": {"label": "Naive2", "smape": 8.903, "mase": 0.8971, "owa": 1.0},
                "theta": {"label": "Theta", "smape": 8.9081, "mase": 0.9043, "owa": 1.0038}}

    def spread(self):
        return {0.1: 2.39, 0.5: 6.2, 0.9: 16.9}

    def worst(self, count):
        return []


def test_the_many_series_table_tells_thetas_owa_from_naive2s():
    out = io.StringIO()
    print_evaluation(_Evaluation(), out)
    rows = {line.split()[0]: line.split()[-3:] for line in out.getvalue().splitlines()[2:5]}
    assert rows == {"global": ["8.779", "0.9316", "1.012"], "Naive2": ["8.903", "0.8971", "1.000"],
                    "Theta": ["8.908", "0.9043", "1.004"]}
    assert "half below 6.20%, 90% below 16.9%" in out.getvalue()
    assert out.getvalue().splitlines()[1].split()[1:] == ["sMAPE", "%", "MASE", "OWA"]


class _CloseOWAs(_Evaluation):
    """The network's OWA 1.0004 beside Naive2's 1: they need 5 digits, the sMAPEs and
    MASEs do not."""

    def summary(self):
        rows = super().summary()
        rows["network"] = {**rows["network"], "owa": 1.0004}
        return rows


def test_the_many_series_table_gives_each_measure_its_own_digits():
    """Two OWAs that read the same at 4 digits take 5; the sMAPEs and MASEs keep 4 (every
    figure of the table took 5), and the verdict quotes the OWAs as the table shows them."""
    out = io.StringIO()
    print_evaluation(_CloseOWAs(), out, offer=False)
    rows = {line.split()[0]: line.split()[-3:] for line in out.getvalue().splitlines()[2:5]}
    assert rows == {"global": ["8.779", "0.9316", "1.0004"],
                    "Naive2": ["8.903", "0.8971", "1.0000"],
                    "Theta": ["8.908", "0.9043", "1.0038"]}
    assert "The network's OWA is 1.0004: it beats Theta (1.0038)" in out.getvalue()


class _Worst(_Evaluation):
    def worst(self, count):
        return [{"series": "H7", "smape": 41.2}, {"series": "H2", "smape": 40.0}]


def test_the_worst_series_sMAPEs_read_as_the_table_with_their_percent_sign():
    """The worst series' sMAPEs to 4 digits, trailing zeros kept, each with its % (they
    read "H7 41.2, H2 40.0")."""
    out = io.StringIO()
    print_evaluation(_Worst(), out)
    assert "  worst series by sMAPE: H7 41.20%, H2 40.00%" in out.getvalue().splitlines()


class _Scores:
    def __init__(self, rmse):
        self.rmse = rmse

    def to_dict(self):
        return {"targets": {"y": {"rmse": self.rmse, "mae": 0.05614, "mape": 0.4679,
                                  "r2": 0.3718}}}


def test_the_scores_line_of_several_steps_ahead_takes_no_digits_from_unprinted_baselines():
    """Persistence and ETS one step ahead differ in the sixth digit; ``evaluate`` of a model
    of several steps ahead prints the table of each step in their place, so its scores'
    line keeps 4 digits."""
    from engine.cli.commands.evaluate import _digits

    evaluation = SimpleNamespace(scores=_Scores(0.062321), baselines={
        "persistence": _Scores(0.0383908), "ets": _Scores(0.0383914), "theta": None})
    assert _digits(evaluation, baselines=False)["rmse"] == 4
    assert _digits(evaluation)["rmse"] == 6


def test_a_backtest_table_gives_its_maes_their_own_digits():
    """The MAEs 1.23441 and 1.23449 read the same at 4 digits: they take 5, while the RMSEs
    keep 4 (2.594 beside 2.840), as step 6's errors table gives them."""
    out = io.StringIO()
    print_table(_modes(2.5942, 1.23441), {"theta": _modes(2.84, 1.23449)}, ["y"], out)
    network, theta = out.getvalue().splitlines()[2:]
    assert network.split()[1:] == ["2.594", "1.2344", "2.594", "1.2344"]
    assert theta.split()[1:] == ["2.840", "1.2345", "2.840", "1.2345"]


def _fold(network, theta, linear):
    """An origin of a backtest of ``y`` with these RMSEs (one step ahead and recursive) and
    an MAE of 1 for all."""
    def modes(rmse):
        scores = {"count": 12, "targets": {"y": {"rmse": rmse, "mae": 1.0}}}
        return {"one_step": scores, "recursive": scores}
    return {"origin_row": 80, "origin_time": None, "rows": 12, "epochs": 5,
            "network": modes(network),
            "baselines": {"persistence": modes(6.0), "seasonal_naive": modes(None),
                          "ets": modes(5.0), "theta": modes(theta), "linear": modes(linear)}}


def test_the_backtest_verdict_quotes_its_rmses_as_the_means_table_shows_them(monkeypatch):
    """Theta's and the linear autoregression's mean RMSEs read 3.000 both at 4 digits: the
    means' table shows its RMSEs to 5 (its MAEs keep 4), and the verdict quotes Theta's
    and the network's as the table does, never 3.000 against 4.000."""
    from engine.testing import backtest
    from helpers.command_line import run

    result = backtest.Backtest(["y"], 12, 100, [_fold(4.0, 3.00004, 3.00012)] * 2)
    monkeypatch.setattr(backtest, "backtest_file", lambda *args: result)
    status, out, err = run("backtest", "model.npz", "data.csv", "--origins", "2")
    assert status == 0, err
    lines = out.splitlines()
    means = lines[lines.index("Mean over 2 origins") + 3:]
    assert means[0].split() == ["network", "4.0000", "1.000", "4.0000", "1.000"]
    assert means[4].split() == ["Theta", "3.0000", "1.000", "3.0000", "1.000"]
    assert means[5].split() == ["linear", "AR", "3.0001", "1.000", "3.0001", "1.000"]
    assert "(mean RMSE 3.0000 against 4.0000)" in means[6]


def test_the_backtest_verdict_on_the_medians_quotes_them_as_the_medians_table_shows_them(
        monkeypatch):
    """A forecast that ran away pulls the network's mean: the verdict reads the medians,
    whose table needs 5 digits (Theta's 3.00004 beside the linear autoregression's
    3.00012), where the means' keeps 4."""
    from engine.testing import backtest
    from helpers.command_line import run

    folds = [_fold(*rmses) for rmses in ((1e40, 3.0, 3.0), (4.0, 3.00004, 3.00012),
                                         (4.0, 3.1, 3.2))]
    result = backtest.Backtest(["y"], 12, 100, folds)
    monkeypatch.setattr(backtest, "backtest_file", lambda *args: result)
    status, out, err = run("backtest", "model.npz", "data.csv", "--origins", "3")
    assert status == 0, err
    lines = out.splitlines()
    means = lines[lines.index("Mean over 3 origins") + 3:]
    medians = lines[lines.index("Median over 3 origins") + 3:]
    assert means[4].split() == ["Theta", "3.033", "1.000", "3.033", "1.000"]
    assert medians[4].split() == ["Theta", "3.0000", "1.000", "3.0000", "1.000"]
    assert "(median RMSE 3.0000 against 4.0000; " in medians[6]


class _Model:
    """What ``evaluate`` reads of a model of one step ahead."""

    preprocessing = SimpleNamespace(steps=1)
    metadata = {}                   # no training summary: the network
    network = None

    def use_csv_format(self, csv_format):
        pass

    def read_csv(self, path):
        return None


def _scores(rmse, mae, mape=(2.5, 2.5), r2=(0.9, 0.9)):
    from engine.testing.metrics import Scores

    return Scores(["a", "b"], 12, *map(np.array, (rmse, mae, mape, r2)))


def test_evaluate_gives_each_measure_its_digits_and_its_verdict_the_rmses(monkeypatch):
    """The MAEs of targets a and b read 1.234 both at 4 digits: they take 5; the RMSEs take
    5 as ETS's and persistence's RMSEs of b read the same at 4, and the verdict on b quotes
    ETS's and the network's to 5 as the table does; the MAPEs and R² keep 4."""
    from engine.model import model_file
    from engine.testing import evaluation
    from helpers.command_line import run

    scored = evaluation.Evaluation(
        ["a", "b"], 40, False, np.arange(12), np.zeros((12, 2)), np.zeros((12, 2)),
        _scores((2.0, 7.0), (1.23441, 1.23449)),
        {"persistence": _scores((3.0, 6.00041), (2.0, 2.0)),
         "ets": _scores((2.5, 6.00012), (2.0, 2.0))})
    monkeypatch.setattr(model_file, "load_model", lambda path: _Model())
    monkeypatch.setattr(evaluation, "evaluate_frame", lambda *args: scored)
    status, out, err = run("evaluate", "model.npz", "data.csv")
    assert status == 0, err
    lines = out.splitlines()
    assert lines[2].split() == ["a", "2.0000", "1.2344", "2.500", "0.9000"]
    assert lines[3].split() == ["b", "7.0000", "1.2345", "2.500", "0.9000"]
    assert "  baseline ETS: RMSE a 2.5000, b 6.0001" in lines
    assert "For b: Exponential smoothing forecast these rows better than the network " \
        "(RMSE 6.0001 against 7.0000)." in out


def test_the_fits_score_lines_give_each_measure_its_own_digits():
    """``fit``'s lines of scores, one per part: two MAEs that read the same at 4 digits take
    5, the RMSEs, MAPEs and R²s keep 4 (every figure took 5)."""
    from engine.cli.commands.fit import _print_scores

    def part(rmse, mae):
        figures = {"rmse": rmse, "mae": mae, "mape": 2.5, "r2": 0.9}
        return SimpleNamespace(count=8, to_dict=lambda: {"targets": {"y": figures}})

    scores = {"training": part(2.594, 1.23441), "selection": part(2.84, 1.23449)}
    prepared = SimpleNamespace(anchors={"training": np.arange(8), "selection": np.arange(8)})
    out = io.StringIO()
    _print_scores(scores, prepared, out)
    assert out.getvalue().splitlines() == [
        "  training  y: RMSE 2.594  MAE 1.2344  MAPE 2.500%  R² 0.9000  (8 rows)",
        "  selection y: RMSE 2.840  MAE 1.2345  MAPE 2.500%  R² 0.9000  (8 rows)"]
