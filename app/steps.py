"""The seven steps of the workflow: titles and the short explanations the pages show."""

from dataclasses import dataclass

from engine.project.model_status import fit_switches
from engine.tolerance import TOLERANCE_TEXT

WITH_INTERVALS = " with their intervals"
"""How the explanation of step 7 says that a forecast has intervals."""


@dataclass(frozen=True)
class Step:
    title: str
    explanation: str
    available: bool = True     # steps 5-7 arrive with later versions
    optional: str = ""         # what an optional step is for (it is never "to do")
    many: str = ""             # the explanation for a table of many series, where it differs

    def explanation_for(self, many_series, without_intervals=None):
        """The explanation to show for a project of one series or of many;
        ``without_intervals``: the words of the forecast method chosen on the page when it
        gives no intervals (None: the forecast has them), said instead of them."""
        text = self.many if many_series and self.many else self.explanation
        if without_intervals:
            text = text.replace(WITH_INTERVALS, f" by {without_intervals} (it gives no "
                                                "intervals)")
        return text


STEPS = [
    Step("Create project",
         "A project keeps everything you decide in the following steps in one file: the data "
         "file, how its columns are used, the network and its training. Give it a name and a "
         "folder; the project file is created there."),
    Step("Configure data set",
         "Load a CSV file and say what each column is for. <b>Targets</b> are what the network "
         "predicts; <b>inputs</b> are what it looks at. The <b>lookback</b> is how many past "
         "time steps the network reads for each prediction; <b>steps ahead</b> is how far "
         "into the future it predicts (0 approximates the target at the same time step). "
         "The rows are divided in time order into <b>training</b> (to fit the weights), "
         "<b>selection</b> (to stop training before the network memorises noise) and "
         "<b>testing</b> (kept aside to judge the result honestly).",
         many="Load a CSV file with one row per series and time step, and give the column "
              "that names the series the role <b>Series</b>: one network then learns from "
              "every series at once. <b>Targets</b> are what it forecasts in each series; "
              "the <b>lookback</b> is how many past rows it reads, <b>steps ahead</b> how "
              "many it forecasts at once. The last rows of <b>every series</b> are its "
              "<b>testing</b> part (kept aside to judge the result); the steps ahead before "
              "them are its <b>selection</b> part (to stop training in time)."),
    Step("Set network architecture",
         "A recurrent network reads a window one time step after another and keeps a "
         "<b>hidden state</b>, its memory of what it has seen. A <b>simple RNN</b> forgets "
         "quickly: its training signal fades as it travels back in time (vanishing "
         "gradients). <b>GRU</b> and <b>LSTM</b> cells have gates that decide what to keep, "
         "so they learn longer dependencies. More units and layers can learn more, but also "
         "overfit small data sets: start small."),
    Step("Train neural network",
         "Training adjusts the weights to lower the error on the training windows. The "
         "error of a window is traced back through every time step it read "
         "(<b>backpropagation through time</b>). The <b>selection error</b> tells how well "
         "the network does on windows it does not learn from: when it stops improving, "
         "the network starts to <b>overfit</b>, and training stops early, keeping the "
         "weights of the best epoch.",
         many="One network is trained on the windows of every series, each series on its "
              "own scale. The <b>selection error</b> (on the last steps ahead before each "
              "series' testing part) tells how well it does on windows it does not learn "
              "from: when it stops improving, training stops and keeps the best epoch. The "
              "window is first chosen at the latest origin before the testing part. At the "
              "end, the network is scored on the testing part of every series."),
    Step("Improve generalization performance",
         "A network can fit its training windows well and still predict new data badly. "
         "This step trains a series of networks that differ in one setting (the number of "
         "<b>units</b>, the <b>lookback</b>, the <b>inputs</b>, the <b>cell</b> or the "
         "<b>L2 regularization</b>) and compares their <b>selection errors</b>. A more "
         "complex network can fit its training windows more closely; a selection error that "
         "rises while the training error falls is the sign of <b>overfitting</b>, and curves "
         "that stay flat mean the setting hardly matters. A gain of "
         f"{TOLERANCE_TEXT} or less is within what one network varies from seed to seed: "
         f"the simplest setting whose selection error is within {TOLERANCE_TEXT} of the "
         "lowest is chosen, and pruning leaves an input out while the error without it "
         f"stays within {TOLERANCE_TEXT} of the lowest. The testing part is never looked "
         "at. Trials run in parallel.",
         optional="a search for better settings; the trained network can be tested and "
                  "used without it",
         many="A network judged at one place in time may have been lucky. The "
              "<b>backtest</b> repeats the whole fit at earlier <b>origins</b> before the "
              "testing part, each time learning only from the rows before the origin and "
              "forecasting the steps ahead after it in every series, beside Naive2, seasonal "
              "naive and Theta. A network that beats them at every origin can be trusted."),
    Step("Test results",
         "Judges the trained model on the <b>testing</b> part, which it has never seen, in "
         "the targets' own units, beside <b>baselines</b> that need no network: "
         "persistence (the last value), seasonal naive (the value one season ago), and three "
         "classical forecasts fitted on the rows before the testing part: exponential "
         "smoothing (ETS), the "
         "Theta method and a linear autoregression on the network's own inputs. "
         "A network that does not beat them does not earn its keep. Forecasting <b>one step "
         "ahead</b> from true history is easier than forecasting <b>many steps</b> from its "
         "own predictions, so both are shown, with the error by horizon. The analysis of the "
         "errors (histogram, autocorrelation) shows what the model has not learned, and "
         "<b>prediction intervals</b> say how far off a forecast may be.",
         many="Judges the trained model on the <b>testing</b> part of every series (its last "
              "rows, never seen in training) with the measures of the M4 forecasting "
              "competition: <b>sMAPE</b> (the error in percent), <b>MASE</b> (the error "
              "against the series' own seasonal changes) and <b>OWA</b> (both against "
              "Naive2: below 1 is better than Naive2), beside Naive2, seasonal naive and "
              "Theta fitted on each series alone. Pick any series to see its forecast, and "
              "see how the errors spread over the series."),
    Step("Deploy model",
         "Puts the model to use: <b>forecast</b> the next steps after the end of the data "
         "with their intervals, <b>predict</b> a new CSV file with the same columns, try "
         "values in the <b>outputs calculator</b>, see how an output responds to one input, "
         "and <b>export</b> the model to run outside RNN Studio: a Python module that needs "
         "only NumPy, an ONNX model, or PyTorch weights.",
         many="Puts the model of many series to use: <b>forecast</b> the next steps of "
              "every series with their intervals into one file, <b>predict</b> a new file "
              "of the same columns, try values of one series in the <b>outputs "
              "calculator</b>, and <b>export</b> the model with its table of series: a "
              "Python module that needs only NumPy, an ONNX model, or PyTorch weights."),
]

# The parts of a project that a trained model depends on, as the "!" marks name them: the
# key in settings_parts(), the words, the step where it is set.
PARTS = [("data", "the data set's settings", 2), ("choices", "the automatic choices or the forecast length", 2),
         ("architecture", "the architecture", 3), ("training", "the training settings", 4)]
TRAINING_ROW = 3               # the row of "Train neural network"
DEPLOY_ROW = 6                 # the row of "Deploy model"


def settings_parts(project):
    """What a trained model depends on, part by part (the seed counts as a training
    setting: the training page sets it), to tell later which part changed."""
    architecture = project.architecture.to_dict()
    training = dict(project.training.to_dict(), seed=architecture.pop("seed", None))
    return {"data": project.data.model_dict(), "choices": fit_switches(project),
            "architecture": architecture, "training": training}


def changed_parts(before, project):
    """The words for the parts of ``project`` that differ from ``before`` (an earlier
    :func:`settings_parts`; None when unknown, e.g. a project saved out of date)."""
    if before is None:
        return []
    now = settings_parts(project)
    return [f"{words} (step {number})" for key, words, number in PARTS
            if before.get(key) != now[key]]


def out_of_date_text(row, changes, training=False):
    """Why step ``row`` (0-based) is marked "!" and what to redo, in one or two sentences;
    ``training``: a training with the changed settings runs."""
    what = (", ".join(changes[:-1]) + " and " + changes[-1] if len(changes) > 1
            else changes[0] if changes else "the settings")
    if training:
        return (f"Out of date until the training that runs at step 4 ends: {what} changed "
                "since the network was trained.")
    if row == TRAINING_ROW:
        return (f"Out of date: {what} changed since the network was trained. Press Start "
                "training to train it again with them.")
    return (f"Out of date: this step shows the network trained before {what} changed. Train "
            "again at step 4, then the results here are of the new network.")
