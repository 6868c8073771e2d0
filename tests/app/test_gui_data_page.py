"""The data page says what its settings do: the split boxes give way to "Testing from",
the season length is the one the data show (or says there is none), and the target values
that missing-value handling makes up are counted, with the choice to leave those rows out."""

from helpers.projects import untrained_project


def _open(window, qtbot, tmp_path):
    assert window.open_project(untrained_project(tmp_path, "alpha"))   # 96 monthly rows
    assert window.go_to_step(1)
    page = window.pages[1]
    qtbot.waitUntil(lambda: page.statistics is not None, timeout=10000)
    return page


def test_testing_from_greys_out_the_split_boxes_and_shows_the_real_shares(
        window, dialogs, gui, qtbot, tmp_path):
    page = _open(window, qtbot, tmp_path)
    set_shares = list(window.session.config().split.fractions)
    assert all(spin.isEnabled() for spin in page.fractions)
    page.test_from.setText("row 86")
    page.test_from.editingFinished.emit()
    counts = window.session.data_check()[1].counts
    total = sum(counts.values())
    assert not any(spin.isEnabled() for spin in page.fractions)
    shown = [spin.value() for spin in page.fractions]
    assert shown == [round(100 * counts[part] / total)
                     for part in ("training", "selection", "testing")]
    assert shown[2] < 20                                   # not the 20 % set before
    tip = page.fractions[2].toolTip()
    assert "testing start decides" in tip and f"testing {counts['testing']}" in tip
    page.lookback.setValue(5)                              # another edit keeps the shares
    assert list(window.session.config().split.fractions) == set_shares
    page.test_from.setText("")
    page.test_from.editingFinished.emit()
    assert all(spin.isEnabled() for spin in page.fractions)
    assert [spin.value() for spin in page.fractions] == [round(100 * s) for s in set_shares]
