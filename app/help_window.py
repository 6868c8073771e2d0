"""Help > User guide: docs/user-guide.md in a window of its own, with its contents on the
left and a search field above. F1 opens it at the section of the step on screen.

The guide exists once, as Markdown in docs/; the window reads that file (the desktop bundle
holds it at the same place beside ``app/``, packaging/rnn-studio.spec)."""

import re
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut, QTextCursor, QTextDocument
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QLineEdit, QPushButton, QSplitter,
                               QTextBrowser, QTreeWidget, QTreeWidgetItem, QVBoxLayout,
                               QWidget)

from engine.files import carried_folder

from .steps import STEPS

DOCS = carried_folder("docs")
GUIDE = DOCS / "user-guide.md"
START_SECTION = "Getting started"        # the section F1 opens on the start page
NOT_FOUND_COLOR = "#b00020"


def step_heading(number):
    """The guide's heading of step ``number`` (1 to 7): the section F1 on its page opens."""
    return f"Step {number}: {STEPS[number - 1].title}"


def slug(title):
    """The anchor of a heading as GitHub makes it (``#step-6-test-results``), so that the
    guide's own links work on GitHub and in the window alike."""
    text = re.sub(r"[^\w\- ]", "", title.strip().lower())
    return text.replace(" ", "-")


def read_guide(path=GUIDE):
    """The guide's Markdown, or a short text that says where it should have been."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as error:
        return (f"# User guide\n\nThe user guide could not be read from {path} "
                f"({error.strerror or error}). It is docs/user-guide.md in RNN Studio's "
                "folder; install or unpack RNN Studio again to get it back.\n")


class GuideWindow(QWidget):
    """The guide: contents (``contents``, a tree of the level 2 and 3 headings), the text
    (``browser``) and a search field (``search``, Enter finds the next match)."""

    def __init__(self, parent=None, path=GUIDE):
        super().__init__(parent, Qt.WindowType.Window)
        self.path = Path(path)
        self.setWindowTitle("RNN Studio user guide")
        self.resize(1060, 740)
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self.follow_link)
        self.browser.document().setDocumentMargin(12)
        self.browser.setMarkdown(read_guide(self.path))
        self.contents = QTreeWidget()
        self.contents.setHeaderHidden(True)
        self.contents.setToolTip("The guide's sections: click one to go there.")
        for signal in (self.contents.itemClicked, self.contents.itemActivated):  # Enter too
            signal.connect(lambda item: self._scroll_to(item.data(0, Qt.ItemDataRole.UserRole)))
        self.headings = self._headings()
        self._fill_contents()
        self.browser.verticalScrollBar().valueChanged.connect(
            lambda value: self._select_in_contents(self.top_position()))
        splitter = QSplitter()
        splitter.addWidget(self.contents)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 760])
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_search())
        layout.addWidget(splitter, 1)

    def _build_search(self):
        """The search field with Previous and Next, and a message when nothing is found."""
        self.search = QLineEdit()
        self.search.setPlaceholderText("Find in the guide (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip("Type a word and press Enter to go to its next place in the "
                               "guide; Shift+Enter goes back.")
        self.search.returnPressed.connect(self.find)
        self.search.textChanged.connect(lambda text: self.found.setText(""))
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)
        QShortcut(QKeySequence("Escape"), self, self.close)
        QShortcut(QKeySequence.StandardKey.Close, self, self.close)
        QShortcut(QKeySequence("Shift+Return"), self.search, lambda: self.find(backward=True))
        previous = QPushButton("&Previous")
        previous.setToolTip("Go to the previous place of the word.")
        previous.clicked.connect(lambda: self.find(backward=True))
        following = QPushButton("&Next")
        following.setToolTip("Go to the next place of the word.")
        following.clicked.connect(lambda: self.find())
        self.found = QLabel()
        row = QHBoxLayout()
        row.addWidget(self.search, 1)
        row.addWidget(previous)
        row.addWidget(following)
        row.addWidget(self.found)
        return row

    # -- sections --------------------------------------------------------------------------
    def _headings(self):
        """``[(level, title, block)]`` of every heading of the document, in order."""
        found = []
        block = self.browser.document().begin()
        while block.isValid():
            level = block.blockFormat().headingLevel()
            if level:
                found.append((level, block.text().strip(), block))
            block = block.next()
        return found

    def _fill_contents(self):
        """The level 2 and 3 headings as a tree; ``items`` maps a heading's position in the
        text to its item (two sections may have the same title, e.g. "Export")."""
        self.items = {}
        parent = None
        for level, title, block in self.headings:
            if level == 2:
                parent = item = QTreeWidgetItem(self.contents, [title])
            elif level == 3 and parent is not None:
                item = QTreeWidgetItem(parent, [title])
            else:
                continue
            item.setToolTip(0, title)
            item.setData(0, Qt.ItemDataRole.UserRole, block.position())
            self.items[block.position()] = item
        self.contents.expandAll()

    def sections(self):
        """The titles of the guide's headings, in order."""
        return [title for _, title, _ in self.headings]

    def show_section(self, title):
        """Scroll the first heading ``title`` (or the heading whose anchor is ``title``) to
        the top and select it in the contents; False when the guide has no such heading."""
        for _, heading, block in self.headings:
            if title in (heading, slug(heading)):
                self._scroll_to(block.position())
                return True
        return False

    def _scroll_to(self, position):
        """The heading at ``position`` at the top of the text, selected in the contents."""
        self.browser.moveCursor(QTextCursor.MoveOperation.End)   # then back up: at the top
        self.browser.ensureCursorVisible()
        cursor = self.browser.textCursor()
        cursor.setPosition(position)
        self.browser.setTextCursor(cursor)
        self.browser.ensureCursorVisible()
        self._select_in_contents(position)

    def _select_in_contents(self, position):
        """Select the contents' item of the section that holds ``position`` of the text."""
        starts = [start for start in self.items if start <= position]
        if starts:
            self.contents.setCurrentItem(self.items[max(starts)])

    def current_section(self):
        """The title of the section selected in the contents, or None."""
        item = self.contents.currentItem()
        return item.text(0) if item is not None else None

    def top_position(self):
        """The position in the text of the top of the visible text."""
        top = self.browser.cursorForPosition(self.browser.viewport().rect().topLeft())
        return top.block().position()

    def top_heading(self):
        """The title of the last heading at or above the top of the visible text."""
        titles = [title for _, title, block in self.headings
                  if block.position() <= self.top_position()]
        return titles[-1] if titles else None

    # -- search and links ------------------------------------------------------------------
    def find(self, backward=False):
        """Select the next (or previous) place of the search text, from the end again after
        the last; say so when the guide does not hold it."""
        text = self.search.text().strip()
        if not text:
            return False
        flags = QTextDocument.FindFlag.FindBackward if backward else \
            QTextDocument.FindFlag(0)
        found = self.browser.find(text, flags)
        if not found:
            self.browser.moveCursor(QTextCursor.MoveOperation.End if backward else
                                    QTextCursor.MoveOperation.Start)
            found = self.browser.find(text, flags)
        self.found.setText("" if found else
                           f"<span style='color:{NOT_FOUND_COLOR}'>Not in the guide.</span>")
        if found:
            self._select_in_contents(self.browser.textCursor().position())
        return found

    def follow_link(self, url):
        """A heading of the guide (``#anchor``) scrolls there; other documents of docs/ and
        web pages open in the program the system uses for them."""
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
            return
        target = (self.path.parent / url.path()).resolve() if url.path() else self.path
        if target == self.path.resolve():
            self.show_section(url.fragment())
        elif target.exists():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))
        else:
            self.found.setText(f"{Path(url.path()).name} comes with RNN Studio's source, "
                               "not with this installation.")

    def open_at(self, title=None):
        """Show the window in front, at the section ``title`` (the top when None)."""
        self.show()
        self.raise_()
        self.activateWindow()
        if (title is None or not self.show_section(title)) and self.headings:
            self.show_section(self.headings[0][1])
