"""The CSV import dialog shows the detected thousands separator and reads the file again
when the user changes it."""

from app.widgets.import_dialog import ImportDialog

EUROPEAN = ("Datum;Umsatz;Menge\n2020-01-01;1.234,5;3\n2020-01-02;12.345.678,25;4\n"
            "2020-01-03;-987,75;5\n")


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
    path = tmp_path / "readings.csv"
    path.write_text("date,power,place\n2016-01-11 00:00:00,60,kitchen\n"
                    "2016-01-11 00:10:00,,\n2016-01-11 00:20:00,50,hall\n", encoding="utf-8")
    dialog = ImportDialog(str(path))
    qtbot.addWidget(dialog)
    assert dialog.time_column.currentData() == "date"
    times = [dialog.preview.item(row, 0).text() for row in range(3)]
    assert times == ["2016-01-11 00:00", "2016-01-11 00:10", "2016-01-11 00:20"]
    assert dialog.preview.item(1, 1).text() == "" and dialog.preview.item(1, 2).text() == ""
    assert dialog.preview.item(2, 2).text() == "hall"


def test_the_preview_shows_dates_without_a_clock_time(qtbot, tmp_path):
    path = tmp_path / "daily.csv"
    path.write_text("day,sales\n2020-01-01,3\n2020-01-02,4\n", encoding="utf-8")
    dialog = ImportDialog(str(path))
    qtbot.addWidget(dialog)
    assert [dialog.preview.item(row, 0).text() for row in range(2)] == \
        ["2020-01-01", "2020-01-02"]
