"""The notes of a fit of many series in each front end's words: the command line's name
its options, the pages' the steps and boxes, and a note of the command line reads in the
pages' words."""

from engine.many.fit_notes import time_note, window_words
from engine.testing.verdict import WINDOW


def test_the_time_note_of_each_front_end():
    assert time_note("week") == "Time column: week (detected; --time COL to choose another)"
    assert time_note("week", WINDOW) == ("Time column: week (detected; the role Time in "
                                         "step 2 chooses another)")
    assert time_note(None).endswith("in file order; --time COL names one)")
    assert time_note(None, WINDOW).endswith("; the role Time in step 2 names one)")


def test_a_command_line_note_in_the_pages_words():
    from engine.cli.many_series import testing_choice

    assert window_words(time_note("week")) == time_note("week", WINDOW)
    assert window_words(testing_choice(4)) == (
        "Testing part: the last 4 rows of every series, the steps ahead (the Testing box "
        "of step 2 chooses another, 0 for none)")
    assert window_words("Units: 32 per layer (144 training windows, fewer than 5,000; "
                        "--hidden N to choose others)").endswith(
        "; Units per layer in step 3 chooses others)")
    assert window_words("Season: 4 rows") == "Season: 4 rows"
