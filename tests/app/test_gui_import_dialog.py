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
