"""What the notes of a fit of many series advise, in the words of each front end: the
command line names its options (``--time COL``), the pages their steps and boxes.
``fit --series`` words its notes for the command line (:data:`ADVICE`), and the project
it writes keeps them in the pages' words (:func:`window_words`), as the training page shows
them."""

from engine.testing.verdict import COMMAND_LINE, WINDOW

ADVICE = {
    "time": {COMMAND_LINE: "--time COL to choose another",
             WINDOW: "the role Time in step 2 chooses another"},
    "no_time": {COMMAND_LINE: "--time COL names one",
                WINDOW: "the role Time in step 2 names one"},
    "testing": {COMMAND_LINE: "--test-last N to choose another, --test-last 0 for none",
                WINDOW: "the Testing box of step 2 chooses another, 0 for none"},
    "units": {COMMAND_LINE: "--hidden N to choose others",
              WINDOW: "Units per layer in step 3 chooses others"}}
"""kind -> front end -> how a note says to choose otherwise
(:data:`~engine.testing.verdict.COMMAND_LINE`, :data:`~engine.testing.verdict.WINDOW`)."""


def time_note(time_column, front=COMMAND_LINE):
    """The note on the time column a fit found by itself (None: none found)."""
    if time_column:
        return f"Time column: {time_column} (detected; {ADVICE['time'][front]})"
    return ("Time column: none found (the rows of each series are taken in file order; "
            f"{ADVICE['no_time'][front]})")


def window_words(note):
    """``note`` with what it advises on the command line said in the pages' words (a note
    of a project written by ``fit --series``, those written before it kept the pages'
    words included)."""
    for words in ADVICE.values():
        note = note.replace(words[COMMAND_LINE], words[WINDOW])
    return note
