"""How much of the recurrent part a fit kept, in the words of both front ends
(:mod:`engine.training.share_words`)."""

from engine.training.share_words import kept_network_words, share_note, share_text


def test_the_words_of_each_share():
    scores = {"1.0": 1.19, "0.5": 1.178, "0.0": 1.1696}
    none = {"share": 0.0, "scores": scores, "block": 52}
    half = {"share": 0.5, "scores": scores, "block": 12}
    assert share_text(none) == (
        "Recurrent part: none of it kept; the linear path alone forecasts the selection part "
        "better one step ahead and over 52 steps fed its own outputs (mean MASE 1.170 against "
        "1.190 with all of it), so the model is a linear autoregression.")
    assert share_text(half) == (
        "Recurrent part: 50% of it kept, the rest of the output the linear path's alone; "
        "this forecasts the selection part better one step ahead and over 12 steps fed its "
        "own outputs (mean MASE 1.178 against 1.190 with all of it).")
    assert kept_network_words("one GRU of 32 units", half) == \
        "one GRU of 32 units, 50% of the recurrent part kept"
    assert share_note(half).startswith("The trained model keeps 50% of the recurrent part")
    for kept_all in (None, {}, {"share": 1.0, "scores": scores, "block": 12}):
        assert share_text(kept_all) is None and share_note(kept_all) is None
        assert kept_network_words("one GRU of 32 units", kept_all) == "one GRU of 32 units"


def test_scores_that_read_the_same_to_three_digits_are_told_apart_or_called_equal():
    """The Nottingham temperatures' fit said "better ... (mean MASE 0.537 against 0.537 with
    all of it)": the figures get the digits that tell them apart, and equal ones are not
    called better."""
    close = {"share": 0.0, "scores": {"1.0": 0.53712, "0.0": 0.53681}, "block": 12}
    assert "better one step ahead and over 12 steps fed its own outputs (mean MASE 0.5368 " \
        "against 0.5371 with all of it)" in share_text(close)
    equal = {"share": 0.5, "scores": {"1.0": 0.537, "0.5": 0.537}, "block": 12}
    assert share_text(equal) == (
        "Recurrent part: 50% of it kept, the rest of the output the linear path's alone; "
        "this forecasts the selection part as well one step ahead and over 12 steps fed its "
        "own outputs (mean MASE 0.5370, as with all of it).")


def test_a_network_whose_recurrent_part_is_unused_is_named_a_linear_autoregression():
    """A training that kept its least-squares start leaves ``head.weight`` at zero: the
    model forecasts with its linear path alone, whatever its share (None here)."""
    from engine.network.recurrent import RecurrentNetwork
    from engine.training.share_words import kept_method_words, network_words

    network = RecurrentNetwork(cell="gru", n_inputs=1, hidden_sizes=[4], linear_path=True,
                               lookback=3, seed=0)
    assert network_words(network) == "GRU of 4 units"
    network.parameters_.views["head.weight"][:] = 0.0
    assert network_words(network) == (
        "a linear autoregression (the recurrent part of GRU of 4 units unused: its training "
        "did not improve on the linear model it started from)")
    assert kept_method_words(None, unused=True) == "The model, a linear autoregression"


def test_a_training_summary_says_whether_every_network_kept_its_least_squares_start():
    from engine.training.share_words import start_kept

    start = {"epoch": [1, 2], "start": {"training": 0.1, "selection": 0.2}}
    assert start_kept({"best_epoch": 0, "history": start, "members": None})
    assert start_kept({"best_epoch": 3, "members": [{"kept_start": True}] * 2})
    for training in ({"best_epoch": 2, "history": start}, {"best_epoch": 0, "history": {}},
                     {"best_epoch": 0, "members": [{"kept_start": True},
                                                   {"kept_start": False}]}, {}, None):
        assert not start_kept(training)


def test_a_model_of_one_series_is_named_the_linear_autoregression_as_its_training_kept_it():
    """Every network's least-squares start kept, a share of 0, or a network whose output is
    its linear path's alone (a model file of one network records no losses of the start):
    the linear autoregression; else the network."""
    from engine.network.recurrent import RecurrentNetwork
    from engine.training.share_words import training_subject

    start = {"epoch": [1, 2], "start": {"training": 0.1, "selection": 0.2}}
    dropped = {"share": 0.0, "scores": {}, "block": 12}
    for training in ({"best_epoch": 0, "history": start},
                     {"best_epoch": 3, "members": [{"kept_start": True}] * 2},
                     {"best_epoch": 5, "linear_share": dropped}):
        assert training_subject(training) == "the linear autoregression"
    network = RecurrentNetwork(cell="gru", n_inputs=1, hidden_sizes=[4], linear_path=True,
                               lookback=3, seed=0)
    assert training_subject({"best_epoch": 0}, network) == "the network"
    network.parameters_.views["head.weight"][:] = 0.0
    assert training_subject({"best_epoch": 0}, network) == "the linear autoregression"
    for training in ({"best_epoch": 2, "history": start}, {"linear_share": {"share": 0.5}},
                     {}, None):
        assert training_subject(training) == "the network"


def test_networks_averaged_of_which_some_kept_their_least_squares_start_say_so():
    """Not "the average of 3 GRU networks" alone when one of them forecasts with its
    linear path alone (its block of ``head.weight`` all zero): how many did."""
    from engine.network.ensemble import merge_networks
    from engine.network.recurrent import RecurrentNetwork
    from engine.training.share_words import network_words

    members = [RecurrentNetwork(cell="gru", n_inputs=1, hidden_sizes=[4], linear_path=True,
                                lookback=3, seed=seed) for seed in range(3)]
    for member in members:
        member.parameters_
        member._trained = True
    members[1].parameters_.views["head.weight"][:] = 0.0
    merged = merge_networks(members)
    merged.members_ = 3
    assert network_words(merged) == (
        "the average of 3 GRU networks of 4 units (1 of the 3 networks is a linear "
        "autoregression: its training kept the least-squares start)")
    members[0].parameters_.views["head.weight"][:] = 0.0
    merged = merge_networks(members)
    merged.members_ = 3
    assert network_words(merged).endswith("(2 of the 3 networks are linear autoregressions: "
                                          "their training kept the least-squares start)")
