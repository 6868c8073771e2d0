"""fit_project, the call the GUI's training page shares with the command line: progress,
stages, cancelling, and the project and model file it leaves."""

import numpy as np
import pytest

from engine.training.automatic import AutomaticChoices, automatic_project
from engine.errors import EngineError
from engine.training.fitting import fit_project, record_fit, save_fit
from engine.model.model_file import load_model
from engine.project.document import load_project, new_project, save_project
from engine.tasks import Cancelled, TaskState


def project_for(path, automatic=True, epochs=3):
    project, _ = automatic_project(AutomaticChoices(
        path, ["y"], test_from="2019-01-01", max_epochs=epochs, lookback=4))
    if not automatic:
        project.selection.settings = {}
    return project


def test_progress_stages_trials_and_result(seasonal_csv):
    reports, stages = [], []
    result = fit_project(project_for(seasonal_csv),
                         TaskState(on_epoch=reports.append, on_stage=stages.append))
    # 3 transforms x 2 inputs (the lookback 4 was given, so it is not chosen); y trends,
    # so the two without a transform are left out unscored (engine.data.stationarity)
    assert len(result.trials) == 6
    assert all((t.score is None) == (t.target_transform == "none") for t in result.trials)
    assert {t.lookback for t in result.trials} == {4}
    assert stages[0] == "Choosing the transform, inputs and lookback (4 candidates, 3 origins)"
    assert stages[1:] == ["Training the network"] + [f"Training network {k} of 5"
                                                    for k in range(1, 6)]
    assert result.members == 5 and result.choices()["members"] == 5
    assert len(reports) == 5 * len(result.history)      # 3 epochs for each network
    assert result.settings["max_epochs"] == 3 and result.settings["batch_size"] == 32
    assert result.choices()["target_transform"] in ("difference", "seasonal_difference")
    assert set(result.scores) == {"training", "selection", "testing"}
    assert result.scores["testing"].count == 12
    assert result.testing_start() == "2019-01-01"


def test_record_and_save_round_trip(seasonal_csv, tmp_path):
    project = project_for(seasonal_csv)
    result = fit_project(project)
    model_path = tmp_path / "m.npz"
    save_fit(result, model_path)
    record_fit(project, result, model_path)
    project_path = save_project(project, tmp_path / "p.json")
    again = load_project(project_path)
    assert again.data.config_dict() == result.config.to_dict()
    assert again.model_file() == model_path
    assert again.results.training["best_epoch"] == result.best_epoch
    loaded = load_model(model_path)
    X = np.asarray(result.prepared.X_test)
    np.testing.assert_allclose(loaded.network.predict(X), result.network.predict(X))
    assert loaded.metadata["choices"] == result.choices()


def test_cancel_during_trials_trains_nothing(seasonal_csv):
    cancel = TaskState()
    cancel.cancel()
    with pytest.raises(Cancelled, match="Stopped by the user"):
        fit_project(project_for(seasonal_csv), cancel)


def test_cancel_during_training_keeps_the_best_epoch(seasonal_csv, tmp_path):
    cancel = TaskState()

    def stop_after_two(report):
        if report.epoch == 2:
            cancel.cancel()

    cancel.on_epoch = stop_after_two
    result = fit_project(project_for(seasonal_csv, automatic=False, epochs=50), cancel)
    assert result.cancelled and len(result.history) == 2
    assert result.best_epoch >= 1 or result.network.kept_start_
    assert "stopped after 1 of 5" in result.stop_reason
    save_fit(result, tmp_path / "m.npz")
    assert (tmp_path / "m.npz").exists()


def test_a_stop_before_a_networks_first_epoch_says_it_was_stopped(seasonal_csv,
                                                                   monkeypatch):
    """Stopped as the third of five networks starts: that network finished no epoch and is
    left out, yet the result still says it was stopped, and keeps the two trained."""
    monkeypatch.setenv("RNN_STUDIO_PARALLEL_MEMBERS", "off")
    cancel = TaskState(on_stage=lambda text: text.startswith("Training network 3")
                       and cancel.cancel())
    result = fit_project(project_for(seasonal_csv, automatic=False), cancel)
    assert result.cancelled and result.network.cancelled_ and result.members == 2
    assert result.stop_reason.startswith(
        "Stopped by the user: 2 of 5 networks kept (the network that finished no epoch was "
        "left out). 2 networks averaged. ")
    assert len(result.summary()["members"]) == 2           # what each of the two kept
    assert result.stop_reason.endswith((f" and {result.best_epoch}.", "is kept."))


def test_networks_that_diverged_before_a_stop_are_a_failure_not_a_stop(seasonal_csv, tmp_path,
                                                                      monkeypatch):
    """Networks 1 and 2 diverge in their first epoch and the person stops network 3 before
    its first: no network finished an epoch because the training failed, so the model that
    cannot be saved is a failure that says why and what to do, not NothingTrained (which
    the pages show as the Stop it would have been)."""
    import engine.training.loop
    from engine.errors import NothingTrained

    monkeypatch.setenv("RNN_STUDIO_PARALLEL_MEMBERS", "off")
    monkeypatch.setattr(engine.training.loop, "all_finite", lambda *args: False)
    cancel = TaskState(on_stage=lambda text: text.startswith("Training network 3")
                       and cancel.cancel())
    result = fit_project(project_for(seasonal_csv, automatic=False), cancel)
    assert result.best_epoch == 0 and not result.cancelled
    with pytest.raises(EngineError, match=r"no trained model to save: The training error "
                                          r"became infinite or not a number in epoch 1 \(the "
                                          r"training diverged\). Try a smaller learning "
                                          r"rate") as caught:
        save_fit(result, tmp_path / "m.npz")
    assert not isinstance(caught.value, NothingTrained)
    assert not (tmp_path / "m.npz").exists()


def test_nothing_to_save_before_the_first_epoch(seasonal_csv, tmp_path):
    cancel = TaskState()
    cancel.cancel()
    result = fit_project(project_for(seasonal_csv, automatic=False), cancel)
    assert result.best_epoch == 0
    with pytest.raises(EngineError, match="no trained model"):
        save_fit(result, tmp_path / "m.npz")
    assert not (tmp_path / "m.npz").exists()


def test_a_project_without_data_settings(tmp_path):
    with pytest.raises(EngineError, match="data-set settings"):
        fit_project(new_project("empty", tmp_path))


def test_a_random_split_chooses_by_network_trials_not_the_backtest(seasonal_csv):
    from engine.data.config import SplitSettings
    from engine.training.trials import Trial

    project = project_for(seasonal_csv)
    project.data.config.split = SplitSettings("random", (0.6, 0.2, 0.2))
    result = fit_project(project)
    assert result.trials and all(isinstance(t, Trial) for t in result.trials)


def test_a_stop_before_the_first_epoch_ended_leaves_nothing_trained_to_save(tmp_path):
    """The model file of a training a Stop ended before its first epoch cannot be written:
    NothingTrained, which the pages show as the Stop it was (one series and many); a
    training of many series that ended there without a Stop is a plain EngineError that
    says why (it spoke of a Stop)."""
    from types import SimpleNamespace

    from engine.errors import EngineError, NothingTrained
    from engine.many.project_fit import save_many_fit

    stopped = SimpleNamespace(best_epoch=0, cancelled=True, network=SimpleNamespace(),
                              stop_reason="")
    with pytest.raises(NothingTrained, match="stopped before its first epoch ended"):
        save_fit(stopped, tmp_path / "m.npz")
    network = SimpleNamespace(best_epoch_=0)
    with pytest.raises(NothingTrained):
        save_many_fit(SimpleNamespace(model=SimpleNamespace(network=network), cancelled=True),
                      tmp_path / "g.npz")
    with pytest.raises(EngineError, match="No epoch of the training ended with finite "
                                          "errors") as caught:
        save_many_fit(SimpleNamespace(model=SimpleNamespace(network=network), cancelled=False),
                      tmp_path / "g.npz")
    assert not isinstance(caught.value, NothingTrained)
    assert not (tmp_path / "m.npz").exists() and not (tmp_path / "g.npz").exists()
