"""Step 6 of a project of many series: the project's global network scored on the testing
rows at the end of every series, each target in turn, with every series' testing part for
a plot. Step 6 shows a :class:`ManyTesting`, and the HTML report
(:mod:`engine.many.report`) writes one."""

from dataclasses import dataclass

from engine.errors import EngineError


@dataclass
class ManyTesting:
    """The testing part of a global network, per target: the
    :class:`~engine.many.evaluation.SeriesEvaluation` and every series'
    :class:`~engine.many.project_fit.SeriesTesting` by its name as text; ``target`` is the
    one shown, ``model`` the :class:`~engine.many.global_model.GlobalModel` tested."""

    evaluations: list
    target_views: list
    test_last: int
    target: int = 0
    model: object = None

    @property
    def evaluation(self):
        return self.evaluations[self.target]

    @property
    def views(self):
        return self.target_views[self.target]

    @property
    def target_names(self):
        return [evaluation.target for evaluation in self.evaluations]


TESTING_ROWS_ADVICE = {
    "none": "Give the testing rows at step 2 and train again.",
    "too_many": "Test on fewer than {longest} rows of every series (step 2)."}
"""What the messages on the data set's testing rows advise, in the pages' words: ``none``
when it keeps none, ``too_many`` when they are as long as every series (``{longest}``: the
longest series' rows); ``rnn-studio report`` gives its own (the project file's
``test_last``)."""


def test_many_series(model_path, table, config, task=None, advice=None, rows_advice=None):
    """Score the global network in ``model_path`` (a path or a loaded model) on the last
    ``config.test_last`` rows of every series of ``table`` it was trained on, each target
    in turn (the first notes name the others,
    :func:`~engine.many.model_series.model_series`); a :class:`ManyTesting`. ``advice``:
    how a message on a model of one series says to train one
    (:data:`~engine.testing.analysis.TRAIN_ADVICE`); ``rows_advice``: what the messages
    on the testing rows advise (:data:`TESTING_ROWS_ADVICE`)."""
    from engine.testing.analysis import TRAIN_ADVICE
    from engine.many.evaluation import evaluate_global
    from engine.many.model_file import loaded_global_model
    from engine.many.model_series import model_series
    from engine.many.project_fit import series_of, series_testing
    from engine.model.model_file import holds_many_series

    if not hasattr(model_path, "network") and not holds_many_series(model_path):
        again = (advice or TRAIN_ADVICE)["again"]
        raise EngineError("The model was trained on a table of one series, and the data set "
                          f"now holds many. {again[:1].upper()}{again[1:]}")
    rows_advice = rows_advice or TESTING_ROWS_ADVICE
    test_last = int(config.test_last or 0)
    if test_last < 1:
        raise EngineError("The data set keeps no testing rows at the end of the series, so "
                          f"there is nothing to test. {rows_advice['none']}")
    model = loaded_global_model(model_path)
    data, notes = model_series(model, series_of(table, config), "evaluate")
    evaluations, target_views = [], []
    for target in range(len(model.target_names)):
        evaluations.append(evaluate_global(model, data, test_last, target=target, task=task,
                                           too_many=rows_advice["too_many"]))
        evaluations[-1].notes[:0] = notes
        views = series_testing(model, data, test_last, target=target)
        target_views.append({str(name): view for name, view in views.items()})
    return ManyTesting(evaluations, target_views, test_last, model=model)
