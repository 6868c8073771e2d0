"""The data page's suggestions: the steps ahead beside their control, the lookback's reason
and the inputs' lags, and the season length the data show."""

from helpers.projects import untrained_project


def test_the_data_page_shows_the_steps_ahead_and_the_lags(window, dialogs, gui, qtbot,
                                                          tmp_path):
    assert window.open_project(untrained_project(tmp_path, "alpha"))   # 96 monthly rows
    assert window.go_to_step(1)
    page = window.pages[1]
    qtbot.waitUntil(lambda: page.horizon_hint.text() != "", timeout=10000)
    assert page.horizon_hint.text() == "Suggested: 9"
    assert page.horizon_hint.toolTip().endswith(
        "\n\nSuggested: 9, a year of monthly rows, shortened to 9, a tenth of the 96 rows. "
        "The steps ahead stay as you set them.")
    shown = page.statistics
    first, *_, last = shown.reason.split("; ")             # three clauses: the middle one
    assert f"<b>{shown.suggested}</b> ({first}; ...; " in page.suggestion.text()
    assert last.startswith("shortened to 8 so that the 58 training rows") and (
        "; ...; shortened to 8 so that the 58 training rows give enough windows)."
        in page.suggestion.text())                         # without its parentheses
    assert f"This one: {shown.reason}." in page.suggestion.toolTip()    # is in the tooltip
    assert "'x' 6" in page.suggestion.text()               # the input's lag is shown
    assert "x: lag 6 (r = " in page.suggestion.toolTip()   # with its correlation
    assert shown.period == 12 and page.period.value() == 12 and page.period.isEnabled()
    assert window.session.config().period == 12           # fit's project stored it
    page.transform.setCurrentIndex(0)
    page.horizon.setValue(3)                               # the suggestions follow
    qtbot.waitUntil(lambda: page.statistics.settings[1] == 3, timeout=10000)
    assert page.horizon_hint.text().startswith("Suggested: 9")
