"""Sentences of the training pages: a global network's verdict against seasonal naive and
Theta (engine.many.evaluation.beats_sentence) in the figures its table shows, and the time
left (app.pages.training_parts.epoch_sentence)."""

from engine.many.evaluation import beats_sentence


def test_the_sentence_uses_the_tables_figures():
    summary = {"network": {"owa": 0.9871}, "seasonal_naive": {"owa": 1.2},
               "theta": {"owa": 1.003}}
    assert beats_sentence(summary) == ("The network's OWA is 0.9871: it beats seasonal naive "
                                       "(1.200) and Theta (1.003).")
    summary["network"]["owa"] = 1.05
    assert beats_sentence(summary) == ("The network's OWA is 1.050: it beats seasonal naive "
                                       "(1.200) but not Theta (1.003).")
    summary["network"]["owa"] = 1.5
    assert beats_sentence(summary).endswith("does not beat seasonal naive (1.200) or Theta "
                                            "(1.003); the simpler method forecasts these "
                                            "series better.")
    assert beats_sentence({"network": {"owa": None}}) == ""


def test_the_time_left_counts_the_networks_still_to_train():
    """10 s for 5 epochs of at most 20: 30 s left for this network alone; as network 1 of
    3, 80 s more for the two after it at that pace (at most)."""
    from app.pages.training_parts import epoch_sentence
    from engine.training.settings import EpochReport

    report = EpochReport(epoch=5, training_loss=1.0, selection_loss=1.0, elapsed=10.0,
                         learning_rate=0.001, gradient_norm=1.0, best_epoch=4,
                         best_loss=1.0, max_epochs=20)
    assert epoch_sentence("Training", report).endswith("Time left: at most 0:30.")
    assert epoch_sentence("Training network 1 of 3", report).endswith(
        "Time left: at most 1:50.")
    assert epoch_sentence("Training network 3 of 3", report).endswith(
        "Time left: at most 0:30.")


def test_the_choice_s_time_left_counts_the_candidates_still_to_train():
    """As candidate 1 of 3 of the window's choice, the two after it at this pace too; the
    epochs said without the stage, which the page shows under them; the time left said
    of the choice, which the fit follows (it read as the training's at the last
    candidate), with the whole fit's said to follow once the window is chosen."""
    from app.pages.training_parts import epoch_progress
    from engine.training.settings import EpochReport

    report = EpochReport(epoch=5, training_loss=1.0, selection_loss=1.0, elapsed=10.0,
                         learning_rate=0.001, gradient_norm=1.0, best_epoch=4,
                         best_loss=1.0, max_epochs=20)
    stage = "Choosing the window: candidate 1 of 3 (lookback 96, 4 steps)"
    assert epoch_progress(stage, report) == (
        "Epoch 5 of at most 20; best so far: epoch 4. Time left of the choice: at most 1:50; "
        "the whole fit's follows once the window is chosen.")


def test_the_testing_heading_names_the_last_row_in_words():
    from app.pages.many_training import testing_title

    assert testing_title({"steps": 1, "series_scored": 5}) == (
        "<b>Testing</b>: the last row of 5 series, which the network never learned from")
    assert "the last 4 rows of 5 series" in testing_title({"steps": 4, "series_scored": 5})
    # a model whose training kept its linear start, named as its scores name it
    kept = {"steps": 1, "series_scored": 5,
            "summary": {"network": {"label": "linear autoregression"}}}
    assert testing_title(kept).endswith("which the linear autoregression never learned from")


def test_a_training_of_one_epoch_is_counted_in_the_singular():
    from app.pages.many_training import ManyTrainingView
    from app.pages.training_page import _trained_text

    assert _trained_text({"epochs": 1}) == "Trained: 1 epoch."           # not "1 epochs"
    assert _trained_text({"epochs": 12}) == "Trained: 12 epochs."
    assert ManyTrainingView._trained_text({"kind": "many_series", "epochs": 1}) == \
        "Trained: 1 epoch."


def test_step_4_says_the_trials_time_left_as_theirs():
    """During the settings tried on one series, the time left counts the trials after
    this one and says the final training follows (it read as the whole fit's)."""
    from app.pages.training_parts import epoch_progress
    from engine.training.settings import EpochReport

    report = EpochReport(epoch=5, training_loss=1.0, selection_loss=1.0, elapsed=10.0,
                         learning_rate=0.001, gradient_norm=1.0, best_epoch=4,
                         best_loss=1.0, max_epochs=20)
    assert epoch_progress("Trial 1/3: log, with inputs", report) == (
        "Epoch 5 of at most 20; best so far: epoch 4. Time left of the trials: at most "
        "1:50; the final training follows.")
    assert epoch_progress("Training network 1 of 3 (the others on 2 more cores)",
                          report).endswith("Time left: at most 1:10.")
