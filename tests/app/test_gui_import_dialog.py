"""The CSV import dialog shows the detected thousands separator and reads the file again
when the user changes it."""

import pandas as pd

from app.widgets.import_dialog import ImportDialog

EUROPEAN = ("Datum;Umsatz;Menge\n2020-01-01;1.234,5;3\n2020-01-02;12.345.678,25;4\n"
            "2020-01-03;-987,75;5\n")


def opened(qtbot, path, text):
    """The import dialog of a file at ``path`` that holds ``text``."""
    path.write_text(text, encoding="utf-8")
    dialog = ImportDialog(str(path))
    qtbot.addWidget(dialog)
    return dialog


def test_the_thousands_separator_is_detected_and_can_be_changed(qtbot, tmp_path):
    path = tmp_path / "umsatz.csv"
    path.write_text(EUROPEAN, encoding="utf-8")
    dialog = ImportDialog(str(path))
    qtbot.addWidget(dialog)
    assert dialog.decimal.currentData() == "," and dialog.thousands.currentData() == "."
    assert dialog.preview.item(0, 1).text() == "1234.5"
    assert dialog.table.frame["Umsatz"].tolist() == [1234.5, 12345678.25, -987.75]

    dialog.thousands.setCurrentIndex(dialog.thousands.findData(""))
    assert dialog.current_options().thousands == ""
    assert dialog.preview.item(0, 1).text() == "1.234,5"      # no longer a number
    assert dialog.table.frame["Umsatz"].dtype.kind not in "fi"

    dialog.thousands.setCurrentIndex(dialog.thousands.findData("."))
    assert dialog.table.frame["Umsatz"].tolist() == [1234.5, 12345678.25, -987.75]


def test_the_preview_shows_empty_cells_empty_and_every_time_alike(qtbot, tmp_path):
    dialog = opened(qtbot, tmp_path / "readings.csv",
                    "date,power,place\n2016-01-11 00:00:00,60,kitchen\n"
                    "2016-01-11 00:10:00,,\n2016-01-11 00:20:00,50,hall\n")
    assert dialog.time_column.currentData() == "date"
    times = [dialog.preview.item(row, 0).text() for row in range(3)]
    assert times == ["2016-01-11 00:00", "2016-01-11 00:10", "2016-01-11 00:20"]
    assert dialog.preview.item(1, 1).text() == "" and dialog.preview.item(1, 2).text() == ""
    assert dialog.preview.item(2, 2).text() == "hall"


def test_the_preview_shows_dates_without_a_clock_time(qtbot, tmp_path):
    dialog = opened(qtbot, tmp_path / "daily.csv", "day,sales\n2020-01-01,3\n2020-01-02,4\n")
    assert [dialog.preview.item(row, 0).text() for row in range(2)] == \
        ["2020-01-01", "2020-01-02"]


def test_the_preview_shows_fractions_of_a_second(qtbot, tmp_path):
    """Readings 250 ms apart showed as "10:00:00" four times over."""
    dialog = opened(qtbot, tmp_path / "fast.csv",
                    "t,v\n2020-01-01 10:00:00.000,1\n2020-01-01 10:00:00.250,2\n"
                    "2020-01-01 10:00:00.500,3\n")
    assert [dialog.preview.item(row, 0).text() for row in range(3)] == [
        "2020-01-01 10:00:00.000", "2020-01-01 10:00:00.250", "2020-01-01 10:00:00.500"]
    dialog = opened(qtbot, tmp_path / "micro.csv",
                    "t,v\n2020-01-01 10:00:00.000001,1\n2020-01-01 10:00:00.000002,2\n")
    assert dialog.preview.item(1, 0).text() == "2020-01-01 10:00:00.000002"


ZONED = ("hour,load\n2021-03-28T01:00:00+01:00,5\n2021-03-28T03:00:00+02:00,6\n"
         "2021-03-28T04:00:00+02:00,7\n2021-10-31T02:00:00+02:00,8\n"
         "2021-10-31T02:00:00+01:00,9\n")


def test_the_preview_shows_times_written_with_offsets_on_the_clocks_they_were_written_on(
        qtbot, tmp_path):
    """They are read in UTC, and the preview showed them so: a midnight at +01:00 as
    23:00 of the day before, with nothing saying why."""
    (tmp_path / "zoned.csv").write_text(ZONED, encoding="utf-8")
    dialog = ImportDialog(str(tmp_path / "zoned.csv"))
    qtbot.addWidget(dialog)
    assert [dialog.preview.item(row, 0).text() for row in range(5)] == \
        ["2021-03-28 01:00", "2021-03-28 03:00", "2021-03-28 04:00", "2021-10-31 02:00",
         "2021-10-31 02:00"]
    assert dialog.table.frame["hour"].iloc[0] == pd.Timestamp("2021-03-28 00:00")   # UTC
    assert "shown on the clocks of Europe/Berlin, where they were written" in \
        dialog.message.text()
    (tmp_path / "fixed.csv").write_text("day,load\n2021-01-01T00:00:00+09:00,5\n"
                                        "2021-01-02T00:00:00+09:00,6\n", encoding="utf-8")
    dialog = ImportDialog(str(tmp_path / "fixed.csv"))
    qtbot.addWidget(dialog)
    assert dialog.preview.item(0, 0).text() == "2021-01-01"
    assert "shown at +09:00, the offset of the latest time" in dialog.message.text()
    (tmp_path / "utc.csv").write_text("day,load\n2021-01-01T00:00:00Z,5\n"
                                      "2021-01-02T00:00:00Z,6\n", encoding="utf-8")
    dialog = ImportDialog(str(tmp_path / "utc.csv"))               # in UTC: nothing to say
    qtbot.addWidget(dialog)
    assert dialog.preview.item(0, 0).text() == "2021-01-01"
    assert "offsets" not in dialog.message.text()


QUARTERS = "year,quarter,gdp\n1990,1,3.5\n1990,2,3.7\n1990,3,3.6\n1990,4,3.9\n1991,1,4.0\n"


def test_a_year_and_a_quarter_are_offered_as_the_time_column(qtbot, tmp_path):
    (tmp_path / "quarters.csv").write_text(QUARTERS, encoding="utf-8")
    dialog = ImportDialog(str(tmp_path / "quarters.csv"))
    qtbot.addWidget(dialog)
    assert dialog.time_column.currentData() == "year-quarter"
    assert [dialog.preview.item(row, 0).text() for row in (0, 4)] == ["1990-Q1", "1991-Q1"]
    assert "read together as the time column &#x27;year-quarter" in dialog.message.text()

    dialog.time_column.setCurrentIndex(dialog.time_column.findData(""))
    assert "year-quarter" not in dialog.table.frame.columns
    dialog.time_column.setCurrentIndex(dialog.time_column.findData("year-quarter"))
    assert dialog.current_options().time_column == "year-quarter"
    assert dialog.table.time_column == "year-quarter"


def test_a_thousands_separator_that_is_the_decimal_mark_is_refused_in_the_dialogs_words(
        qtbot, tmp_path):
    path = tmp_path / "umsatz.csv"
    path.write_text(EUROPEAN, encoding="utf-8")
    dialog = ImportDialog(str(path))
    qtbot.addWidget(dialog)
    dialog.thousands.setCurrentIndex(dialog.thousands.findData(","))
    message = dialog.message.text()
    assert dialog.table is None
    assert ("choose another in the Thousands separator box, or None." in message), message
    assert "--" not in message


def test_a_file_of_series_one_after_the_other_is_noted_in_the_dialogs_words(qtbot, tmp_path):
    path = tmp_path / "panel.csv"
    path.write_text("firm,year,invest\n" + "\n".join(
        f"{firm},{year},{value}" for firm in ("GM", "GE")
        for value, year in enumerate(range(1935, 1955))) + "\n")
    dialog = ImportDialog(str(path))
    qtbot.addWidget(dialog)
    message = dialog.message.text()
    assert ("Give &#x27;firm&#x27; the role Series and &#x27;year&#x27; the role Time in "
            "step 2; read as it is") in message, message
    assert "--" not in message and "rnn-studio" not in message
