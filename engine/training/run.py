"""One training run: build the network the project's architecture describes for prepared
data, and fit it on the training windows with early stopping on the selection windows.

Shapes: ``prepared.X_train`` (n, L, n_inputs) windows, ``prepared.Y_train`` (n, n_outputs);
the network maps (batch, L, n_inputs) -> (batch, n_outputs).
"""

import time

from engine.errors import EngineError
from engine.network.architecture import ARCHITECTURE_KEYS
from engine.network.ensemble import merge_networks
from engine.network.recurrent import RecurrentNetwork
from engine.tasks import as_task
from engine.training.loop import NO_EPOCH, START_KEPT
from engine.training.members import train_members, worth_keeping
from engine.training.preview import previewing
from engine.words import listed, numbered, verb


def make_network(architecture, n_inputs, n_outputs, lookback=None):
    """A :class:`RecurrentNetwork` from an architecture dict (project section) for windows
    of ``lookback`` steps (needed with a linear path)."""
    unknown = sorted(set(architecture) - set(ARCHITECTURE_KEYS) - {"n_threads"})
    if unknown:
        raise EngineError(f"Unknown architecture setting(s) {', '.join(unknown)}; the "
                          f"settings are: {', '.join(ARCHITECTURE_KEYS)}.")
    settings = {key: architecture[key] for key in ARCHITECTURE_KEYS if key in architecture}
    network = RecurrentNetwork(n_inputs=n_inputs, n_outputs=n_outputs, lookback=lookback,
                               **settings)
    network.parameters_          # validates the settings now, with a clear message
    return network


def latest(windows, count):
    """The last ``count`` windows of a WindowArray (or array) and their index slice."""
    if count is None or len(windows) <= count:
        return windows, slice(None)
    part = slice(len(windows) - count, None)
    if hasattr(windows, "positions"):
        from engine.data import WindowArray
        return WindowArray(windows.windows, windows.positions[part]), part
    return windows[part], part


def fit_network(prepared, architecture, settings, task=None, max_windows=None,
                max_selection=None, preview_every=None, size_advice=None):
    """Build and train a network on ``prepared`` (:class:`~engine.data.PreparedData`).

    settings : TrainingSettings fields (dict); without selection windows the training
        holds out its last ``selection_fraction`` (TrainingSettings) for early stopping.
        With ``members`` N > 1, N networks are trained from the seeds ``seed, seed + 1,
        ...`` (on several cores at once where that gains: :mod:`engine.training.members`)
        and merged into one that predicts their mean
        (:func:`engine.network.ensemble.merge_networks`)
    task : :class:`~engine.tasks.TaskState` of the training (epochs, cancel); a cancelled
        training returns its best weights with ``network.cancelled_`` True (an ensemble:
        of the networks trained so far)
    max_windows, max_selection : use only the latest training / selection windows
    preview_every : also send a :class:`~engine.training.preview.SelectionPreview` through
        ``task.preview`` after epoch 1 and every this many epochs (None: never)
    size_advice : what the message on networks averaged too large to merge advises
        (:func:`check_merged_size`; None: the pages' words, :data:`MERGED_SIZE_ADVICE`)
    Returns ``(network, seconds)``; the network keeps the weights of its best epoch. With a
    linear path (``architecture["linear_path"]``) over the windows' ``L`` steps, the
    training starts from the least-squares linear autoregression on the training windows.
    """
    if len(prepared.Y_train) == 0:
        raise EngineError("There are no training windows; use a shorter lookback or give "
                          "training a larger share.")
    X, part = latest(prepared.X_train, max_windows)
    Y = prepared.Y_train[part]
    X_sel = Y_sel = None
    if len(prepared.Y_sel):
        X_sel, part = latest(prepared.X_sel, max_selection)
        Y_sel = prepared.Y_sel[part]
    task = as_task(task)
    count = int(settings.get("members") or 1)
    started = time.perf_counter()
    seed = architecture.get("seed", 0)
    networks = [make_network({**architecture, "seed": None if seed is None else int(seed) + k},
                             prepared.n_inputs, prepared.n_outputs,
                             lookback=prepared.X_train.shape[1]) for k in range(count)]
    check_merged_size(networks[0], count, size_advice or MERGED_SIZE_ADVICE)
    watch = (lambda network: previewing(task, network, prepared, preview_every)) \
        if preview_every else None
    trained = train_members(networks, (X, Y, X_sel, Y_sel), settings, task, watch)
    return ensemble(trained, count), time.perf_counter() - started


MERGED_SIZE_ADVICE = "use fewer units (step 3) or fewer networks averaged (step 4)."
"""What the message on networks averaged too large to merge advises, in the pages' words;
the command line gives its own (its options in place of steps)."""


def check_merged_size(network, count, advice=MERGED_SIZE_ADVICE):
    """Refuse, before any training, ``count`` networks like ``network`` whose average
    (one network of ``count`` times the units, :mod:`engine.network.ensemble`) would be
    larger than RNN Studio builds; the message speaks of the networks as set and ends with
    ``advice``."""
    if count <= 1:
        return
    from engine.network.recurrent import RecurrentNetwork

    sizes = [int(h) for h in network.hidden_sizes]
    try:
        RecurrentNetwork(network.cell, network.n_inputs, [h * count for h in sizes],
                         network.n_outputs, linear_path=network.linear_path,
                         lookback=network.lookback).n_parameters
    except EngineError:
        raise EngineError(f"{count} networks of {sizes} units averaged make one network "
                          f"of {count} times the units, larger than RNN Studio builds; "
                          f"{advice}") from None


def _averaged_reason(members, count):
    """The stop reason of the trained ``members`` averaged (of ``count`` planned): why
    they stopped (each network, or the networks numbered 1, 2, ... in seed order grouped
    by reason) and the epoch each kept, its least-squares start named where no epoch beat
    it: ``3 networks averaged. Each network: the selection error did not improve for 60
    epochs (early stopping). Each kept the weights of its best epoch: epochs 22, 35 and
    18.``"""
    last = members[-1]
    if len(members) == 1:
        return f"{last.stop_reason_} (stopped after 1 of {count} networks)"
    head = f"{len(members)} networks averaged" + \
        (f" (stopped after {len(members)} of {count})" if len(members) < count else "")
    why = {}
    for number, network in enumerate(members, 1):
        why.setdefault(_why_stopped(network), []).append(number)
    if len(why) == 1:
        stopped = f" Each network: {_lowered(next(iter(why)))}"
    else:
        stopped = "".join(f" {numbered('network', numbers).capitalize()}: {_lowered(reason)}"
                          for reason, numbers in why.items())
    return f"{head}.{stopped}{_kept_epochs(members)}"


def _why_stopped(network):
    """A network's stop reason without what it kept (the sentence on its best epoch or on
    its least-squares start): why the training ended."""
    reason = network.stop_reason_
    for kept in (START_KEPT, f" The weights of epoch {network.best_epoch_} were kept.",
                 NO_EPOCH):
        if reason.endswith(kept):
            return reason[:-len(kept)]
    return reason


def _lowered(sentence):
    return sentence[:1].lower() + sentence[1:]


def _kept_epochs(members):
    """What each of the ``members`` kept: the weights of its best epoch (the epochs by
    number), or, where no epoch had a lower selection error, its least-squares start."""
    started = [n for n, network in enumerate(members, 1) if _kept_start(network)]
    epochs = [str(network.best_epoch_) for network in members if not _kept_start(network)]
    if not started:
        return f" Each kept the weights of its best epoch: epochs {listed(epochs)}."
    if len(started) == len(members):
        return (" None of them improved on their starting point, a linear model fitted by "
                "least squares: no epoch had a lower selection error, so that linear model "
                "is kept.")
    others = [n for n in range(1, len(members) + 1) if n not in started]
    return (f" {numbered('network', others).capitalize()} kept the weights of "
            f"{verb(len(others), 'its', 'their')} best epoch "
            f"({verb(len(epochs), 'epoch', 'epochs')} {listed(epochs)}); "
            f"{numbered('network', started)}: no epoch had a lower selection error than "
            f"{verb(len(started), 'its', 'their')} starting point, a linear model fitted by "
            "least squares, so that linear model is kept.")


def _kept_start(network):
    return network.best_epoch_ == 0 and bool(getattr(network, "kept_start_", False))


def _left_out_reason(members, left_out, count, cancelled):
    """The stop reason of the trained ``members`` averaged (of ``count`` planned) when
    ``left_out`` trained ones finished no epoch and were left out (a stop before their
    first epoch, or a divergence in it): that the person stopped the training
    (``cancelled``), how many networks were kept, and why they stopped."""
    kept = len(members)
    networks = "network" if left_out == 1 else f"{left_out} networks"
    head = (f"{'Stopped by the user: ' if cancelled else ''}{kept} of {count} networks kept "
            f"(the {networks} that finished no epoch {verb(left_out, 'was', 'were')} "
            "left out). ")
    if kept > 1:
        return head + _averaged_reason(members, kept)
    return f"{head}The network kept: {_lowered(members[0].stop_reason_)}"


def member_training(network):
    """How one trained member of an ensemble ended, as its training summary keeps it:
    ``{"best_epoch", "kept_start", "epochs", "history"}``, the history as
    :func:`~engine.project.model_status.loss_history` stores it (None for a member trained
    where its epochs were not sent back)."""
    from engine.project.model_status import loss_history

    history = getattr(network, "history_", None) or None
    return {"best_epoch": int(network.best_epoch_), "kept_start": _kept_start(network),
            "epochs": None if history is None else len(history),
            "history": None if history is None else loss_history(history)}


def epochs_range(members):
    """The fewest and the most epochs of networks averaged, ``members`` their summaries as
    :func:`member_training` gives them: ``(fewest, most)``; None when a network's count did
    not come back from where it trained (``epochs`` None or 0). The one reading behind
    ``fit``'s "63 to 82 epochs each" and step 4's "done: 5 networks of 61 to 112 epochs"."""
    each = sorted(member.get("epochs") or 0 for member in members)
    return (each[0], each[-1]) if each and each[0] else None


def ensemble(trained, count):
    """The ``trained`` networks worth keeping (:func:`~engine.training.members.worth_keeping`)
    merged into one (their mean). With several trained or ``count`` planned, its stop
    reason says how many were averaged, why each stopped and what each kept, that the
    training stopped before all ``count`` were trained when it did, and which were left
    out; ``cancelled_`` is True when the person stopped any of ``trained``, the ones left
    out included, unless no network finished an epoch and one of them failed (diverged)
    before the stop: then the training failed, and its stop reason is that network's;
    ``member_trainings_`` lists how each member averaged ended (:func:`member_training`;
    None for one)."""
    kept = worth_keeping(trained)
    merged = merge_networks(kept)
    if len(trained) > 1 or count > 1:
        cancelled = any(n.cancelled_ for n in trained)
        left_out = len(trained) - len(kept)
        if left_out and not any(n.best_epoch_ > 0 or getattr(n, "kept_start_", False)
                                for n in kept):     # no network finished an epoch
            failed = [n for n in trained if not n.cancelled_]
            merged.stop_reason_ = (failed or kept)[0].stop_reason_
            cancelled = cancelled and not failed
        else:
            merged.stop_reason_ = (_left_out_reason(kept, left_out, count, cancelled)
                                   if left_out else _averaged_reason(kept, count))
        merged.cancelled_ = cancelled
        merged.members_ = len(kept)
        merged.member_trainings_ = [member_training(n) for n in kept] if len(kept) > 1 \
            else None
    return merged
