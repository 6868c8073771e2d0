"""Step 4, training: its settings (:mod:`.settings`), the training loop (:mod:`.loop`) with
its stop rules and best-weights keeper (:mod:`.stopping`), what it minimizes
(:mod:`.objective`), one epoch of the first-order optimizers (:mod:`.epochs`,
:mod:`.optimizers`) or of L-BFGS (:mod:`.lbfgs_loop`, :mod:`.lbfgs`), the two-process
speed-up (:mod:`.process_pair`, its second process :mod:`.pair_worker`), one training run of
a project's network (:mod:`.run`) with live previews (:mod:`.preview`), the one trial fit and
the trials that choose the transform and the inputs (:mod:`.trials`), the automatic
pipeline's choices (:mod:`.automatic`) and fitting a whole project (:mod:`.fitting`)."""
