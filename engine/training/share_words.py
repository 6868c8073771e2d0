"""How much of its recurrent part a fitted network kept (the linear share of
:mod:`engine.training.linear_share`), in the words both front ends use: ``fit`` and the
training page say why (:func:`share_text`), the architecture page notes it beside the
network's size (:func:`share_note`) and the deploy page names the model as it forecasts
(:func:`kept_network_words`, :func:`network_words`: also the exported Python module's
docstring) and in its Method box (:func:`kept_method_words`).

Each takes the ``{"share", "scores", "block"}`` dict a fit records (the project's
``results.training["linear_share"]``, the model file's ``metadata["training"]
["linear_share"]``), or None for a fit that did not choose one; a share of 1 (all of the
recurrent part kept) or None says nothing. A network whose training kept its least-squares
start in every member (:func:`recurrent_unused`: ``head.weight`` still all zero) forecasts
with its linear path alone too, whatever its share: the deploy page's words say so.
"""

import numpy as np

from engine.figures import told_apart
from engine.words import counted_of, verb


def share_kept(share):
    """The share of the recurrent part kept (0 to 1) when it is below 1; else None."""
    if not share or share.get("share") is None or float(share["share"]) >= 1:
        return None
    return float(share["share"])


def _kept_words(kept):
    return "none" if kept == 0 else f"{kept:.0%}"


def share_text(share):
    """The sentence on a share below 1: how much was kept and the scores that chose it
    (``Recurrent part: none of it kept; the linear path alone ...``); None otherwise."""
    kept = share_kept(share)
    if kept is None:
        return None
    how = _compared(share["scores"][str(kept)], share["scores"]["1.0"],
                    f"one step ahead and over {share['block']} steps fed its own outputs")
    if kept == 0:
        return (f"Recurrent part: none of it kept; the linear path alone forecasts the "
                f"selection part {how}, so the model is a linear autoregression.")
    return (f"Recurrent part: {_kept_words(kept)} of it kept, the rest of the output the "
            f"linear path's alone; this forecasts the selection part {how}.")


def _compared(kept, whole, block):
    """``better <block> (mean MASE 0.5368 against 0.5371 with all of it)``: the scores of
    the share kept and of all of it with the digits that tell them apart
    (:func:`engine.figures.told_apart`, as :func:`~engine.testing.verdict.number_pair`);
    ``as well <block> (mean MASE 0.5370, as with all of it)`` when they are equal to every
    digit shown."""
    own, other = told_apart(float(kept), float(whole))
    if own == other:
        return f"as well {block} (mean MASE {own}, as with all of it)"
    return f"better {block} (mean MASE {own} against {other} with all of it)"


def share_note(share):
    """A short note beside the size of a network whose fit kept a share below 1 (``The
    trained model keeps none of the recurrent part ...``); None otherwise."""
    kept = share_kept(share)
    if kept is None:
        return None
    if kept == 0:
        return ("The trained model keeps none of the recurrent part: it forecasts with the "
                "linear path alone, a linear autoregression (step 4 says why).")
    return (f"The trained model keeps {_kept_words(kept)} of the recurrent part's output, "
            "the rest the linear path's (step 4 says why).")


def recurrent_unused(network):
    """True when ``network``'s output is its linear path's alone: ``head.weight``, which
    weighs the recurrent part's output, is all zero (its training kept the least-squares
    start, where ``head.weight`` starts at zero, or a share of 0 dropped it)."""
    return bool(getattr(network, "linear_path", False)) and not np.any(
        network.parameters_.views["head.weight"])


def start_kept(training):
    """Whether a training summary of one series (a project's ``results.training``, a model
    file's ``metadata["training"]``) says every network averaged kept its least-squares
    start (each member's ``kept_start``; of one network, epoch 0 kept with the start a
    candidate): its recurrent part unused (:func:`recurrent_unused`), a linear
    autoregression."""
    training = training or {}
    members = training.get("members")
    if members:
        return all(member.get("kept_start") for member in members)
    return training.get("best_epoch") == 0 and "start" in (training.get("history") or {})


def linear_kept(training, network=None):
    """Whether a model of one series is a linear autoregression, as step 7 names it: its
    training summary ``training`` says every network kept its least-squares start
    (:func:`start_kept`) or its fit dropped the recurrent part (a share of 0), or its
    ``network`` (when given) forecasts with its linear path alone (:func:`recurrent_unused`:
    also of a model file of one network, whose summary records no losses of the start)."""
    training = training or {}
    return (start_kept(training) or share_kept(training.get("linear_share")) == 0
            or (network is not None and recurrent_unused(network)))


def training_subject(training, network=None):
    """How a sentence names a model of one series: "the linear autoregression" when it is
    one (:func:`linear_kept` of ``training`` and ``network``), else "the network"."""
    return "the linear autoregression" if linear_kept(training, network) else "the network"


def members_unused(network, members):
    """How many of the ``members`` networks averaged in ``network`` forecast with their
    linear path alone: the merged ``head.weight`` (out, members x H) holds each member's
    (out, H) block side by side (:mod:`engine.network.ensemble`), all zero for a member
    whose training kept its least-squares start. 0 without a linear path."""
    if not getattr(network, "linear_path", False):
        return 0
    weight = np.asarray(network.parameters_.views["head.weight"])
    blocks = weight.reshape(weight.shape[0], int(members), -1)
    return int(np.sum(~np.any(blocks, axis=(0, 2))))


def averaged_words(described, network, members):
    """``described`` (``the average of 3 GRU networks of 32 units``), the ``members``
    averaged in ``network``, with how many of them kept their least-squares start when
    some but not all did (``..., 1 of the 3 networks a linear autoregression: its
    training kept its least-squares start``); ``described`` itself otherwise."""
    unused = members_unused(network, members) if members > 1 else 0
    if not 0 < unused < members:
        return described
    what = verb(unused, "is a linear autoregression: its",
                "are linear autoregressions: their")
    return (f"{described} ({counted_of(unused, members, 'network')} {what} training kept "
            "the least-squares start)")


UNUSED_NOTE = ("The trained model does not use its recurrent part: its training did not "
               "improve on its starting point, a linear autoregression fitted by least "
               "squares, and it forecasts with that (step 4 says why).")


def kept_method_words(share, unused=False):
    """The trained model as a forecasting method, in a few words (the deploy page's Method
    box): ``The network``; ``The model, a linear autoregression`` for a share of 0 (its
    fit dropped the recurrent part) or a network whose recurrent part is ``unused``
    (:func:`recurrent_unused`); ``The network, 50% of its recurrent part kept`` for a
    share between."""
    kept = share_kept(share)
    if unused or kept == 0:
        return "The model, a linear autoregression"
    if kept is None:
        return "The network"
    return f"The network, {_kept_words(kept)} of its recurrent part kept"


def kept_network_words(words, share):
    """``words``, the network in words (``the average of 3 GRU networks of 32 units``), as
    its fit kept it: ``a linear autoregression (the recurrent part of <words> dropped: the
    linear path alone forecast better)`` for a share of 0, ``<words>, 50% of the recurrent
    part kept`` for a share between, ``words`` itself otherwise."""
    kept = share_kept(share)
    if kept is None:
        return words
    if kept == 0:
        return (f"a linear autoregression (the recurrent part of {words} dropped: the "
                "linear path alone forecast better)")
    return f"{words}, {_kept_words(kept)} of the recurrent part kept"


def network_words(network, share=None):
    """A network of one series as its fit kept it, in words: ``the average of 3 GRU networks
    of 32 units`` (the units of one member, layer by layer), said by
    :func:`kept_network_words` for ``share`` (``a linear autoregression (the recurrent
    part of ... dropped ...)`` for a share of 0), ``a linear autoregression (the recurrent
    part of ... unused ...)`` when the recurrent part is unused (:func:`recurrent_unused`),
    with the members that kept their least-squares start named (:func:`averaged_words`)
    when only some did."""
    from engine.selection.candidates import CELL_NAMES

    members = int(getattr(network, "members_", 1) or 1)
    units = " + ".join(str(int(s) // members) for s in np.atleast_1d(network.hidden_sizes))
    cell = CELL_NAMES.get(network.cell, network.cell)
    kind = f"the average of {members} {cell} networks" if members > 1 else cell
    if share_kept(share) is None and recurrent_unused(network):
        return unused_words(f"{kind} of {units} units")
    return kept_network_words(averaged_words(f"{kind} of {units} units", network, members),
                              share)


def unused_words(described):
    """A model whose recurrent part (``described``: ``the average of 3 GRU networks of 32
    units``) is unused (:func:`recurrent_unused`), in words."""
    return (f"a linear autoregression (the recurrent part of {described} unused: its "
            "training did not improve on the linear model it started from)")
