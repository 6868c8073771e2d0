"""The CSV import dialog shows what the reader did: names that head several columns
numbered in the preview, rows sorted by time, and a refused file's one-line reason."""

from app.widgets.import_dialog import ImportDialog


def open_dialog(qtbot, tmp_path, text):
    path = tmp_path / "data.csv"
    path.write_text(text, encoding="utf-8")
    dialog = ImportDialog(str(path))
    qtbot.addWidget(dialog)
    return dialog


def headers(dialog):
    return [dialog.preview.horizontalHeaderItem(k).text()
            for k in range(dialog.preview.columnCount())]


def test_repeated_names_are_numbered_in_the_preview_and_said(qtbot, tmp_path):
    dialog = open_dialog(qtbot, tmp_path, "year,sun,sun\n1700,5,1\n1701,11,2\n1702,16,3\n")
    assert headers(dialog) == ["year", "sun (1)", "sun (2)"]
    assert [dialog.preview.item(r, 2).text() for r in range(3)] == ["1", "2", "3"]
    assert "The name 'sun' heads 2 columns; they are read as 'sun (1)', 'sun (2)'." \
        in dialog.message.text().replace("&#x27;", "'")


def test_rows_sorted_by_time_are_shown_sorted_and_said(qtbot, tmp_path):
    dialog = open_dialog(qtbot, tmp_path, "date,x\n2020-01-02,2\n2020-01-01,1\n"
                                          "2020-01-03,3\n")
    assert [dialog.preview.item(r, 0).text() for r in range(3)] == \
        ["2020-01-01", "2020-01-02", "2020-01-03"]
    assert [dialog.preview.item(r, 1).text() for r in range(3)] == ["1", "2", "3"]
    assert "The rows were sorted by the time column" in dialog.message.text()


def test_a_ragged_file_is_refused_with_its_line(qtbot, tmp_path):
    dialog = open_dialog(qtbot, tmp_path, "a,b\n1,2\n3\n4,5\n")
    assert dialog.table is None and dialog.preview.rowCount() == 0
    assert "line 3 has 1 field" in dialog.message.text()
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()


def test_a_detected_time_column_with_a_repeated_time_is_shown_without_it(qtbot, tmp_path):
    """The reason is shown, and the file can still be imported with another choice."""
    dialog = open_dialog(qtbot, tmp_path, "date,x\n2020-01-01,1\n2020-01-02,2\n"
                                          "2020-01-01,3\n")
    assert dialog.table is not None and dialog.table.time_column is None
    assert dialog.time_column.currentData() == ""
    assert "holds 2020-01-01 more than once (rows 0, 2)" in dialog.message.text()
    assert dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    dialog.time_column.setCurrentIndex(dialog.time_column.findData("date"))
    assert dialog.table is None and "more than once" in dialog.message.text()


def test_a_delimiter_that_makes_the_lines_ragged_empties_the_preview(qtbot, tmp_path):
    dialog = open_dialog(qtbot, tmp_path, "date;x;y\n2020-01-01;1,5;2\n2020-01-02;2,5;3\n")
    assert dialog.preview.columnCount() == 3
    dialog.delimiter.setCurrentIndex(dialog.delimiter.findData(","))
    assert dialog.table is None
    assert dialog.preview.columnCount() == 0 and dialog.preview.rowCount() == 0
    assert "line 2 has 2 fields separated by ','" in dialog.message.text()
