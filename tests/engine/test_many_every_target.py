"""A model of many series with several targets: each target keeps its own verdict, and what
did best on each target is said once (engine.many.every_target), with the offer of each
method that did best on one, on the command line (fit, evaluate, backtest) and in the
report; one target's verdict is as before."""

import io
import json
import re

import pytest

from engine.cli.main import main
from engine.project.document import load_project
from engine.many.evaluation import BY_MASE
from engine.many.every_target import (best_by_target, best_sentence, every_target_verdict,
                                      measure_words, stored_summaries, target_verdict)
from helpers.many_projects import shops_with_returns

THETA_ON_SALES = ("The Theta method did best on sales, the linear autoregression on "
                  "returns.")               # the shops' model kept its linear start


def scores(network, naive=1.2, theta=1.1):
    return {"network": {"owa": network}, "naive2": {"owa": 1.0},
            "seasonal_naive": {"owa": naive}, "theta": {"owa": theta}}


def mase_scores(network, naive=1.2, theta=1.1):
    """A target's scores when every series is tested on values all 0: MASEs, no OWA."""
    return {name: {"owa": None, "mase": mase} for name, mase in (
        ("network", network), ("naive2", 1.0), ("seasonal_naive", naive), ("theta", theta))}


def test_what_did_best_is_named_per_target_when_it_differs():
    summaries = {"sales": scores(1.2, theta=0.9), "returns": scores(0.8),
                 "load": scores(0.95, theta=0.7)}
    assert best_by_target(summaries) == {"sales": "theta", "returns": "network",
                                         "load": "theta"}
    assert best_sentence(summaries) == ("The Theta method did best on sales and load, the "
                                        "network on returns.")
    assert best_sentence({"a": scores(0.8), "b": scores(0.7)}) == \
        "The network did best on every target."
    kept = {name: {**scores(0.8), "network": {**scores(0.8)["network"],
                                              "label": "linear autoregression"}}
            for name in ("a", "b")}             # a fit that kept its linear start
    assert best_sentence(kept) == "The linear autoregression did best on every target."
    assert best_sentence({"a": scores(1.05), "b": scores(1.3, 1.25, 1.2)}) == \
        "Naive2 did best on every target."
    assert best_sentence({"a": scores(1.2, theta=0.9)}) == ""      # one target: its verdict
    offer = every_target_verdict({"sales": scores(1.2, 0.9), "returns": scores(1.3, 1.4)},
                                 lambda method, words: f"Use {words} ({method}).")
    assert offer == ("Seasonal naive did best on sales, Naive2 on returns. Use seasonal naive "
                     "(seasonal_naive). Use Naive2 (naive2).")


def test_a_target_s_verdict_says_naive2_beat_the_network_without_an_offer():
    assert target_verdict(scores(1.05)) == (
        "The network's OWA is 1.050: it beats seasonal naive (1.200) and Theta (1.100). But "
        "Naive2 (OWA 1.000) does better than the network.")
    assert target_verdict(scores(1.05), over_origins=True) == (
        "Over the origins, the network's mean OWA is 1.050: it beats seasonal naive (1.200) "
        "and Theta (1.100). But Naive2 (mean OWA 1.000) does better than the network.")


def test_a_target_tested_on_zeros_is_judged_by_its_mase():
    """Every series of a target tested on values all 0 (no method has an OWA): what did
    best on it and its offer go by MASE; that target was left out (nothing offered). A
    target whose network has no MASE either is left out."""
    summaries = {"sales": scores(1.2, theta=0.9), "returns": mase_scores(1.3, naive=1.25)}
    assert best_by_target(summaries) == {"sales": "theta", "returns": "naive2"}
    assert best_by_target({"a": mase_scores(0.8), "b": mase_scores(None)}) == \
        {"a": "network"}
    offer = every_target_verdict(summaries, lambda method, words: f"Use {words}.")
    assert offer == "The Theta method did best on sales, Naive2 on returns. Use the Theta " \
        "method. Use Naive2."


def test_the_measure_over_the_origins_is_named_mase_where_no_method_has_an_owa():
    """The measure what did best on each target goes by, in words (a target tested on
    values all 0: MASE), and a target's verdict over a backtest's origins by its mean
    MASE, "Over the origins", which a target's verdict could not say."""
    summaries = {"sales": scores(1.2, theta=0.9), "returns": mase_scores(1.3, naive=1.25)}
    assert measure_words(summaries) == "OWA (MASE on returns)"
    assert measure_words({"a": mase_scores(1.3), "b": mase_scores(0.8)}) == "MASE"
    assert measure_words({"a": scores(1.3), "b": scores(0.8)}) == "OWA"
    assert target_verdict(mase_scores(1.05), over_origins=True) == (
        f"Over the origins, the network's mean MASE is 1.050 ({BY_MASE}): it beats seasonal "
        "naive (1.200) and Theta (1.100). But Naive2 (mean MASE 1.000) does better than the "
        "network.")


def test_every_target_s_stored_scores_come_from_the_model_file_of_the_training():
    comparison = {"kind": "many_series", "target": "sales", "targets": ["sales", "returns"],
                  "summary": scores(1.2)}
    metadata = {"training": {"id": "t1"}, "scores": {"sales": scores(1.2),
                                                     "returns": scores(0.8)}}
    assert stored_summaries(comparison, metadata, "t1") == metadata["scores"]
    assert stored_summaries(comparison, metadata, "t2") == {"sales": scores(1.2)}
    assert stored_summaries(comparison, {}) == {"sales": scores(1.2)}
    assert stored_summaries(None, metadata) == {}


@pytest.fixture(scope="module")
def shops(tmp_path_factory):
    return shops_with_returns(tmp_path_factory.mktemp("shops"))


def run(*args):
    out = io.StringIO()
    assert main([str(a) for a in args], out=out, err=io.StringIO()) == 0
    return out.getvalue()


def test_evaluate_says_what_did_best_on_each_target_and_offers_it_once(shops):
    _, model, data = shops
    text = run("evaluate", model, data)
    sales, rest = text.split("Target returns:")
    assert "Target sales:" in sales and "--method" not in sales
    # "The network's", or "The linear autoregression's" where its training kept its start
    # the figures as the table above prints them, trailing zeros kept
    assert "'s OWA is 0.9170: it does not beat seasonal naive (0.7890) or Theta " \
           "(0.6960); the simpler method forecasts these series better.\n" in sales
    returns, every = rest.split("Every target:\n")
    assert "it beats seasonal naive" in returns and "--method" not in returns
    assert every.splitlines()[0] == (
        f"{THETA_ON_SALES} rnn-studio forecast {model} {data} --method theta --steps N "
        "--out FORECAST.csv uses the forecast of the Theta method instead.")


def test_no_empty_line_under_every_target_when_it_has_nothing_to_say(shops, monkeypatch):
    """No target's network scored (``targets_offer`` says nothing): no heading over an
    empty line."""
    import engine.cli.many_series as many_series

    _, model, data = shops
    monkeypatch.setattr(many_series, "targets_offer", lambda *args: "")
    text = run("evaluate", model, data)
    assert "\n\n" not in text and not text.rstrip("\n").endswith("Every target:")
    lines = text.splitlines()
    if "Every target:" in lines:                     # only over the notes they share
        assert lines[lines.index("Every target:") + 1].startswith("Note: ")


def test_backtest_scores_every_target(shops):
    _, model, data = shops
    result = json.loads(run("backtest", model, data, "--origins", "1", "--json"))
    assert set(result["targets"]) == {"sales", "returns"}
    assert result["targets"]["sales"]["mean"] == result["mean"]
    assert set(result["origins"][0]["targets"]) == {"sales", "returns"}
    text = run("backtest", model, data, "--origins", "1")
    sales, returns = text.split("Target returns:")
    assert "Target sales:" in sales and "--method" not in sales
    assert re.search(r"Over the origins, the (network|linear autoregression)'s mean OWA is",
                     returns)
    every = returns.split("Every target, by the mean OWA over the origins:\n")[1]
    means = {target: both["mean"] for target, both in result["targets"].items()}
    assert every.startswith(best_sentence(means))
    assert "returns" in every.splitlines()[0]


def test_the_report_says_what_did_best_on_each_target_once(shops):
    project, _, _ = shops
    report = project.parent / "report.html"
    run("report", project, "--out", report)
    html = report.read_text()
    head, targets = html.split("<h2>sales</h2>")
    assert "<h2>Every target</h2>" in head and THETA_ON_SALES in head
    assert "You can use the forecast of the Theta method instead" in head
    assert "You can use" not in targets


def test_the_project_keeps_every_target_s_scores(shops):
    from engine.many.every_target import comparison_targets
    from engine.many.model_file import load_global_model

    project, model, _ = shops
    comparison = load_project(project).results.comparison
    held = comparison_targets(comparison)
    assert list(held) == ["sales", "returns"]
    assert comparison["summary"] == held["sales"]["summary"]
    assert held["returns"]["series_scored"] == 8
    stored = load_global_model(model).metadata["scores"]
    for target in ("sales", "returns"):
        for method, row in held[target]["summary"].items():
            assert row["owa"] == pytest.approx(stored[target][method]["owa"])
    assert stored_summaries(comparison) == {target: held[target]["summary"]
                                            for target in ("sales", "returns")}


def test_a_project_written_with_the_first_target_s_scores_alone_reads_as_before(shops):
    from engine.many.every_target import comparison_targets

    comparison = load_project(shops[0]).results.comparison
    comparison.pop("by_target")                 # as projects were written before
    assert list(comparison_targets(comparison)) == ["sales"]
    assert comparison_targets(comparison)["sales"]["summary"] == comparison["summary"]
    assert stored_summaries(comparison) == {"sales": comparison["summary"]}
    assert comparison_targets(None) == comparison_targets({"kind": "one"}) == {}


def test_a_backtest_reads_as_the_figures_of_one_target():
    from engine.many.backtest import of_target, target_names

    fold = {"origin": 1, "series_scored": 8, "summary": scores(1.2), "notes": [],
            "targets": {"sales": scores(1.2), "returns": scores(0.8)}}
    result = {"origins": [fold], "mean": scores(1.2), "median": scores(1.2),
              "targets": {"sales": {"mean": scores(1.2), "median": scores(1.2)},
                          "returns": {"mean": scores(0.8), "median": scores(0.7)}}}
    assert target_names(result) == ["sales", "returns"]
    returns = of_target(result, "returns")
    assert returns["origins"][0]["summary"] == scores(0.8)
    # kept before each target's count was stored: the first target's count is not
    # said of another (unknown), the first's is
    assert returns["origins"][0]["series_scored"] is None
    assert of_target(result, "sales")["origins"][0]["series_scored"] == 8
    assert (returns["mean"], returns["median"]) == (scores(0.8), scores(0.7))
    assert of_target(result, None) is result and result["mean"] == scores(1.2)
    one = {"origins": [{"summary": scores(1.1)}], "mean": scores(1.1)}
    assert target_names(one) == [] and of_target(one, "sales") is one


def zeros_file(data, columns, last):
    """A copy of the shops' ``data`` whose last ``last`` weeks of every shop are 0 in
    ``columns``, beside it."""
    import pandas as pd

    frame = pd.read_csv(data)
    frame.loc[frame.groupby("shop").cumcount(ascending=False) < last, columns] = 0.0
    path = data.parent / f"zeros_{'_'.join(columns)}_{last}.csv"
    frame.to_csv(path, index=False)
    return path


def lowest_mase(section, row="  "):
    """The command name of the method of lowest MASE in the table of ``section`` (the
    rows beginning ``row``), and whether it is below the network's."""
    names = {"Naive2": "naive2", "seasonal naive": "seasonal_naive", "Theta": "theta"}
    mase = {}
    for line in section.splitlines():
        label = line[len(row):].rsplit(None, 3)[0].strip() if line.startswith(row) else ""
        if label in names or label.endswith(("network", "autoregression")):
            mase[names.get(label, "network")] = float(line.split()[-2])
    best = min((name for name in mase if name != "network"), key=mase.get)
    return best, mase[best] < mase["network"]


def test_evaluate_judges_targets_tested_on_zeros_by_mase(shops):
    """The last weeks of every shop 0 for returns, or for both targets: each such target's
    verdict compares MASEs, and the method of lowest MASE that beat the network on it is
    said to have done best on it and offered (nothing was: its target was left out)."""
    _, model, data = shops
    for columns in (["returns"], ["sales", "returns"]):
        text = run("evaluate", model, zeros_file(data, columns, 4))
        sections = dict(zip(["sales", "returns"], text.split("Target ")[1:]))
        every = sections["returns"].split("Every target:\n")[1].splitlines()[0]
        for target in columns:
            assert "'s MASE is " in sections[target] and BY_MASE in sections[target]
            best, beat = lowest_mase(sections[target].split("Every target:")[0])
            assert not beat or f"--method {best} " in every
        assert lowest_mase(sections["returns"])[1]    # these data: a method beat it
        assert every.split(". ")[0].endswith(" on returns")


def test_backtest_judges_targets_tested_on_zeros_by_mean_mase(shops):
    """The weeks each origin scores 0 in every shop, for returns or for both targets: such
    a target's verdict over the origins compares mean MASEs, "Every target" says it goes by
    the mean MASE (on returns alone: OWA, MASE on returns) and offers the method of lowest
    mean MASE that beat the network on it; it said "by the mean OWA"."""
    _, model, data = shops
    for columns, measure in ((["returns"], "OWA (MASE on returns)"),
                             (["sales", "returns"], "MASE")):
        text = run("backtest", model, zeros_file(data, columns, 8), "--origins", "1")
        head = f"Every target, by the mean {measure} over the origins:\n"
        targets, every = text.split(head)
        sections = dict(zip(["sales", "returns"], targets.split("Target ")[1:]))
        for target in columns:
            assert "Over the origins, the linear autoregression's mean MASE is " \
                   in sections[target] and BY_MASE in sections[target]
            best, beat = lowest_mase(sections[target], "  mean ")
            assert not beat or f"--method {best} " in every.splitlines()[0]
        assert lowest_mase(sections["returns"], "  mean ")[1]   # these data: one beat it
        assert every.split(". ")[0].endswith(" on returns")
