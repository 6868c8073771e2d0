"""Step 4, training: the training loop (:mod:`.loop`), its optimizers (:mod:`.optimizers`,
:mod:`.lbfgs`), the two-process speed-up (:mod:`.process_pair`), one training run of a
project's network (:mod:`.run`), the short trial fits that choose the transform and the
inputs (:mod:`.trials`), the automatic pipeline's choices (:mod:`.automatic`) and fitting a
whole project (:mod:`.fitting`)."""
