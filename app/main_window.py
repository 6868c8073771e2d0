"""The main window: the seven steps on the left, the current page on the right, Back and
Next below; menus for project files; autosave; a close that never loses work silently."""

from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
                               QMainWindow, QMessageBox, QProgressDialog, QPushButton,
                               QScrollArea, QStackedWidget, QStyle, QVBoxLayout, QWidget)

from engine import EngineError
from engine.data.data_file import file_digest
from engine.project.model_status import model_belongs
from engine.tasks import Cancelled

from . import autosave, file_dialogs, waiting_models
from .background import run_and_wait
from .examples import EXAMPLES, example_project
from .pages.architecture_page import ArchitecturePage
from .pages.data_page import DataPage
from .pages.deploy.page import DeployPage
from .pages.project_page import ProjectPage
from .pages.selection_page import SelectionPage
from .pages.start_page import StartPage, recent_name
from .pages.testing_page import TestingPage
from .pages.training_page import TrainingPage
from .session import DONE, LOCKED, STALE, TODO, WRITTEN_SINCE, ProjectSession
from .steps import (DEPLOY_ROW, STEPS, TRAINING_ROW, changed_parts, out_of_date_text,
                    settings_parts)
from .widgets.narrow import folded_width

STATE_MARKS = {DONE: "\u2713", STALE: "!", LOCKED: "", TODO: "\u2022"}
OPTIONAL_MARK = "\u25cb"    # an optional step not done: neither done nor to do
MAX_RECENT = 8
STOP_WAIT_MS = 30000      # how long a stopped task may take to end before it is let go
NOTICE_DELAY_MS = 300     # a wait for stopped work that lasts longer shows a notice
STEP_LIST_MARGIN = 28     # the list's frame and its items' padding, in pixels
STEP_LIST_SHARE = 0.3     # the most of the window's width the step list takes
ROOMY_WIDTH = 1280        # a window at least so wide shows the steps' titles on one line
TRAINING_STEP = TRAINING_ROW


def page_runners(page):
    """Every TaskRunner of a page: its ``runners()`` when it has more than one (the testing
    page's analysis and backtest), else its ``runner``."""
    return page.runners() if hasattr(page, "runners") else [page.runner]


def step_tooltip(step):
    """A step's tooltip in the step list: its explanation (after what it is for, when it
    is optional)."""
    if not step.available:
        return "This step arrives with a later version of RNN Studio."
    return f"Optional: {step.optional}.\n\n{step.explanation}" if step.optional \
        else step.explanation


def step_mark(step, state):
    """The mark after a step's title: done, out of date, to do, or optional."""
    if step.optional and state == TODO:
        return OPTIONAL_MARK
    return STATE_MARKS.get(state, "")


class StepContent(QWidget):
    """What a step's scroll area holds: the explanation, the notice and the page below
    them. The explanation scrolls with the page (with large letters it would take half the
    window's height above it); the page is as tall as it asks, not as its preferred size
    (which a wrapped explanation's height for width would otherwise give it)."""

    def __init__(self, explanation, notice, page):
        super().__init__()
        self.labels, self.page = (explanation, notice), page
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        gap = self.style().pixelMetric(QStyle.PixelMetric.PM_LayoutRightMargin)
        for label in self.labels:
            label.setContentsMargins(0, 0, gap, 0)      # its words clear of the scroll bar
            layout.addWidget(label)
        layout.addWidget(page, 1)

    def heightForWidth(self, width):
        page = self.page
        height = page.heightForWidth(width) if page.hasHeightForWidth() else \
            page.minimumSizeHint().expandedTo(page.minimumSize()).height()
        for label in self.labels:
            if not label.isHidden():
                height += label.heightForWidth(width) + self.layout().spacing()
        return height


class StepFrame(QWidget):
    """A step's page under its title and its explanation in plain words."""

    def __init__(self, number, step, page):
        super().__init__()
        self.page = page
        self.step = step
        title = QLabel(f"<h2>{number}. {step.title}</h2>")
        explanation = self.explanation = QLabel(step.explanation)
        explanation.setWordWrap(True)
        explanation.setObjectName("explanation")
        explanation.setTextFormat(Qt.TextFormat.RichText)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setObjectName("notice")
        self.notice.setStyleSheet("color: #8a4b00; font-weight: bold;")
        self.notice.setVisible(False)
        if page is None:
            page = QLabel("This step is not part of this version of RNN Studio yet.")
            page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setWidget(StepContent(explanation, self.notice, page))
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.scroll, 1)

    def explain(self, many_series):
        """Show the explanation for a project of one series or of many, in the words of
        the forecast method the page has chosen when it gives no intervals (the page's
        ``without_intervals()``, step 7's)."""
        page = self.page
        without = page.without_intervals() if hasattr(page, "without_intervals") else None
        self.explanation.setText(self.step.explanation_for(many_series, without))

    def set_notice(self, text):
        """A line under the explanation (why the step is out of date), or none."""
        self.notice.setText(text)
        self.notice.setVisible(bool(text))


class MainWindow(QMainWindow):
    def __init__(self, settings=None):
        super().__init__()
        self.settings = settings or QSettings()
        file_dialogs.use_settings(self.settings)
        self.trained_parts = None      # (project, settings_parts of its latest model)
        self._data_changes_kept = set()  # digests of changed data files not loaded again
        self.session = ProjectSession(self, run_slow=run_and_wait)
        self.setMinimumSize(1000, 680)
        self.resize(1280, 820)

        steps = self._build_step_list()
        stack = self._build_pages()
        buttons = self._build_buttons()
        right = QVBoxLayout()
        right.addWidget(stack, 1)
        right.addLayout(buttons)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.addWidget(steps)
        layout.addLayout(right, 1)
        self.setCentralWidget(central)

        self._make_menus()
        self.session.project_changed.connect(self._on_project_changed)
        self.session.steps_changed.connect(self._update_steps)
        self.session.modified.connect(self._update_title)
        self.pages[0].created.connect(self._on_project_created)
        self.pages[TRAINING_STEP + 1].train_requested.connect(self.train_applied_settings)
        self.pages[TRAINING_STEP].runner.running_changed.connect(
            lambda running: self._update_steps())
        self.pages[TRAINING_STEP].runner.running_changed.connect(
            self.pages[TRAINING_STEP + 1].set_training_running)
        self.pages[TRAINING_STEP].runner.finished.connect(self._on_trained)
        self.pages[DEPLOY_ROW].method_chosen.connect(self._explain_deploy)

        self.autosave_file = autosave.autosave_path()     # this window's own
        self._restored_file = None   # an autosave restored here, until the window's own replaces it
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(autosave.INTERVAL_MS)
        self.autosave_timer.timeout.connect(self.write_autosave)
        self.autosave_timer.start()
        self._waiting_note = None    # where this window noted its waiting models
        self.session.note_waiting_model = self._note_waiting_model
        self.show_start()

    def _build_step_list(self):
        """The seven steps on the left, each with its state mark."""
        self.steps = QListWidget()
        metrics = self.steps.fontMetrics()
        titles = [f"{number}. {step.title}   {OPTIONAL_MARK}"
                  for number, step in enumerate(STEPS, 1)]
        widths = sorted((metrics.horizontalAdvance(title), title) for title in titles)
        self.steps_width = widths[-1][0] + STEP_LIST_MARGIN    # the titles whole, no more
        self.steps_folded_width = STEP_LIST_MARGIN + max(      # the longest on two lines
            widths[-2][0], folded_width(metrics, widths[-1][1], 2))
        self.steps.setWordWrap(True)        # titles wrap where the list is narrower
        self._fit_step_list()
        self.steps.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.steps.setToolTip("The steps of the workflow. A step opens once the steps before "
                              "it are done; \u2713 done, ! out of date, \u2022 to do, "
                              "\u25cb optional.")
        for number, step in enumerate(STEPS, 1):
            item = QListWidgetItem(f"{number}. {step.title}")
            item.setToolTip(step_tooltip(step))
            self.steps.addItem(item)
        self.steps.currentRowChanged.connect(self._show_step)
        return self.steps

    def _fit_step_list(self):
        """The step list as wide as its titles in a window of :data:`ROOMY_WIDTH` or more,
        in a narrower one as wide as all but the longest, which breaks onto two lines (the
        list has room below the titles, the page beside it needs the width), never more than
        :data:`STEP_LIST_SHARE` of the window (large letters on a small screen)."""
        wanted = self.steps_width if self.width() >= ROOMY_WIDTH else self.steps_folded_width
        self.steps.setFixedWidth(min(wanted, int(self.width() * STEP_LIST_SHARE)))

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._fit_step_list()

    def _build_pages(self):
        """The start page and one framed page per step, in a stack."""
        self.start_page = StartPage(self)
        self.pages = [ProjectPage(self.session), DataPage(self.session),
                      ArchitecturePage(self.session), TrainingPage(self.session),
                      SelectionPage(self.session), TestingPage(self.session),
                      DeployPage(self.session)]
        self.stack = QStackedWidget()
        self.stack.addWidget(self.start_page)
        self.frames = []
        for number, step in enumerate(STEPS, 1):
            frame = StepFrame(number, step, self.pages[number - 1])
            self.frames.append(frame)
            self.stack.addWidget(frame)
        return self.stack

    def _build_buttons(self):
        """Back and Next, below the page."""
        self.back_button = QPushButton("< &Back")
        self.back_button.setToolTip("Go to the previous step.")
        self.back_button.clicked.connect(lambda: self._go(-1))
        self.next_button = QPushButton("&Next >")
        self.next_button.setToolTip("Go to the next step; it opens once this step is done.")
        self.next_button.clicked.connect(lambda: self._go(+1))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        return buttons

    # -- menus -----------------------------------------------------------------------------
    def _make_menus(self):
        file_menu = self.menuBar().addMenu("&File")
        self.new_action = self._action(file_menu, "&New Project...", QKeySequence.StandardKey.New,
                                       self.new_project)
        self._action(file_menu, "&Open Project...", QKeySequence.StandardKey.Open,
                     self.open_project_dialog)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.examples_menu = file_menu.addMenu("Open &Example")
        for key, example in EXAMPLES.items():
            action = self.examples_menu.addAction(example.title)
            action.setToolTip(example.description)
            action.triggered.connect(lambda checked=False, k=key: self.open_example(k))
        file_menu.addSeparator()
        self.save_action = self._action(file_menu, "&Save", QKeySequence.StandardKey.Save,
                                        self.save)
        self.save_as_action = self._action(file_menu, "Save &As...",
                                           QKeySequence.StandardKey.SaveAs, self.save_as)
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", QKeySequence.StandardKey.Quit, self.close)
        help_menu = self.menuBar().addMenu("&Help")
        self.guide_window = None
        self.guide_action = self._action(help_menu, "&User guide", QKeySequence("F1"),
                                         self.show_guide)
        self.guide_action.setToolTip("The user guide, at the section of the page on screen.")
        help_menu.addSeparator()
        self._action(help_menu, "&About RNN Studio", None, self.about)
        self._update_recent_menu()

    def _action(self, menu, text, shortcut, slot):
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    # -- navigation ------------------------------------------------------------------------
    def show_start(self):
        self.start_page.refresh()
        self.stack.setCurrentWidget(self.start_page)
        self.steps.setEnabled(False)
        self.back_button.setVisible(False)
        self.next_button.setVisible(False)
        self._update_title()

    def current_step(self):
        return self.steps.currentRow() if self.stack.currentWidget() is not self.start_page \
            else -1

    def go_to_step(self, row):
        states = self.session.step_states()
        if states[row] == LOCKED:
            return False
        self.steps.setCurrentRow(row)
        self._show_step(row)
        return True

    @Slot(int)
    def _show_step(self, row):
        if row < 0 or self.session.project is None:
            return
        if self.session.step_states()[row] == LOCKED:
            self._update_steps()
            return
        self.stack.setCurrentWidget(self.frames[row])
        self._offer_to_reload_data()
        if row < len(self.pages):
            self.pages[row].refresh()
        self._update_buttons()

    def _go(self, delta):
        row = self.current_step() + delta
        if 0 <= row < len(STEPS):
            self.go_to_step(row)

    def _update_buttons(self):
        row = self.current_step()
        visible = row >= 0
        self.back_button.setVisible(visible)
        self.next_button.setVisible(visible)
        if not visible:
            return
        states = self.session.step_states()
        self.back_button.setEnabled(row > 0)
        following = row + 1
        self.next_button.setEnabled(following < len(STEPS) and states[following] != LOCKED
                                    and STEPS[following].available)

    @Slot()
    def _update_steps(self):
        states = self.session.step_states()
        for row, state in enumerate(states):
            item = self.steps.item(row)
            mark = step_mark(STEPS[row], state)
            item.setText(f"{row + 1}. {STEPS[row].title}   {mark}".rstrip())
            enabled = state != LOCKED and STEPS[row].available
            flags = item.flags()
            item.setFlags(flags | Qt.ItemFlag.ItemIsEnabled if enabled
                          else flags & ~Qt.ItemFlag.ItemIsEnabled)
            if STEPS[row].available:
                optional = " (optional)" if mark == OPTIONAL_MARK else ""
                item.setStatusTip(f"{STEPS[row].title}: {state}{optional}")
                item.setData(Qt.ItemDataRole.AccessibleTextRole,
                             f"{row + 1}. {STEPS[row].title}: {state}{optional}")
        self._explain_out_of_date(states)
        many = self.session.is_many_series()
        for frame in self.frames:
            frame.explain(many)
        self._update_buttons()

    @Slot()
    def _explain_deploy(self):
        """Step 7's explanation in the words of the forecast method chosen there."""
        self.frames[DEPLOY_ROW].explain(self.session.is_many_series())

    @Slot(object)
    def _on_trained(self, outcome):
        """After the training page recorded a training: what the model was trained with
        (an edit made meanwhile leaves the step out of date, and says which)."""
        trained = self.pages[TRAINING_STEP].trained_copy
        self.trained_parts = (self.session.project, settings_parts(trained))
        self._update_steps()
        if self.current_step() > TRAINING_STEP:
            self._refresh_current_page()    # a page of results on screen shows the new model

    def _explain_out_of_date(self, states):
        """Each step marked "!" says, in its tooltip and on its page, what changed since
        the network was trained (when known) and what to redo."""
        project = self.session.project
        if states[TRAINING_STEP] == DONE:
            self.trained_parts = (project, settings_parts(project))
        known = self.trained_parts is not None and self.trained_parts[0] is project
        changes = changed_parts(self.trained_parts[1] if known else None, project) \
            if project is not None else []
        training = self.pages[TRAINING_STEP].runner.running
        for row, state in enumerate(states):
            text = out_of_date_text(row, changes, training) if state == STALE else ""
            self.steps.item(row).setToolTip(text or step_tooltip(STEPS[row]))
            self.frames[row].set_notice(text)

    @Slot()
    def _on_project_changed(self):
        for page in self.pages:
            page.refresh()
        self._update_steps()
        self._update_title()

    @Slot()
    def _update_title(self):
        project = self.session.project
        name = project.name if project else "No project"
        self.setWindowTitle(f"{name}[*] - RNN Studio")
        self.setWindowModified(bool(project) and self.session.dirty)

    # -- files -----------------------------------------------------------------------------
    def _confirm_overwrite_changed(self):
        """Whether the person wants this window's project written over a project file that
        something else wrote since it was opened or saved here."""
        path = self.session.path
        since = "after the unsaved work restored here was kept" \
            if self.session.file_seen() == WRITTEN_SINCE else \
            "since this window opened or saved it"
        answer = QMessageBox.question(
            self, "Project file changed",
            f"{path.name} was written by something else (another window, or rnn-studio on "
            f"the command line) {since}. Replace it with this "
            "window's project? (No keeps the file on disk; Save As can keep this window's "
            "project beside it.)",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _offer_to_reload_data(self):
        """When the data file changed on disk since it was loaded, offer to load it again
        (asked once for each change; not while work runs in the background, which reads
        the file as it was loaded)."""
        path = self.session.data_changed_on_disk()
        if path is None or file_digest(path) in self._data_changes_kept:
            return
        if any(runner.running for page in self.pages[TRAINING_STEP:]
               for runner in page_runners(page)):
            return
        answer = QMessageBox.question(
            self, "Data file changed",
            f"{path.name} has changed on disk since it was loaded. Load it again? (No keeps "
            "the values loaded before until the project is opened again.)",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes)
        if answer != QMessageBox.StandardButton.Yes:
            self._data_changes_kept.add(file_digest(path))
            return
        try:
            self.session.reload_table()
        except EngineError as error:
            QMessageBox.warning(self, "Cannot read the data file", str(error))
        except Cancelled:             # the application quits while the file is read
            return

    def _confirm_replace(self, path):
        """Whether the person wants the project file ``path`` replaced."""
        answer = QMessageBox.question(
            self, "Replace project file",
            f"There is already a file {path.name} in {path.parent}. Replace it?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _confirm_discard(self):
        """True when there are no unsaved changes or the user saved or discarded them."""
        if self.session.project is None or not self.session.dirty:
            return True
        answer = QMessageBox.question(
            self, "Unsaved changes",
            f"The project '{self.session.project.name}' has unsaved changes. Save them?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def _busy_pages_to_stop(self, then):
        """The pages whose background work runs, once the user agreed to stop the work
        they started ("Stop the training and {then}?"); None when the user wants it to go
        on. Work a page started by itself (:attr:`~app.workers.TaskRunner.user_work` False)
        is stopped without a question."""
        busy = [page for page in self.pages[TRAINING_STEP:]
                if any(runner.running for runner in page_runners(page))]
        asked = [page for page in busy
                 if any(runner.user_work for runner in page_runners(page))]
        if not asked:
            return busy
        training = asked[0] is self.pages[TRAINING_STEP]
        steps = " and ".join(f"step {self.pages.index(page) + 1}, "
                             f"{STEPS[self.pages.index(page)].title}," for page in asked)
        title, text = (("Training is running", "A network is being trained. Stop the "
                        f"training and {then}?") if training else
                       ("Work is running", f"The work of {steps} is running in the "
                        f"background. Stop it and {then}?"))
        answer = QMessageBox.question(
            self, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        return busy if answer == QMessageBox.StandardButton.Yes else None

    def _ready_to_replace(self, then):
        """Whether the project may give way (to ``then``: "close", "open another project",
        ...): its background work ended (:meth:`_finish_background_work`) and its unsaved
        changes saved or discarded (:meth:`_confirm_discard`). When the user keeps it, the
        pages whose work was let go are refreshed: that work never reports its end, and
        such a page may owe the refresh its end would have brought (step 7 shows a model
        trained while its work ran only then)."""
        let_go = self._finish_background_work(then)
        if let_go is None:
            return False
        if self._confirm_discard():
            return True
        for page in self.pages[TRAINING_STEP:]:       # the pages with work (runners)
            if any(runner in let_go for runner in page_runners(page)):
                page.refresh()
        return False

    def _finish_background_work(self, then):
        """Before another project replaces this one, or the window closes: stop the running
        work and let it end (a stopped training keeps its best epoch in this project), so
        that nothing of this project arrives on the pages of the next; work that has not
        ended after :data:`STOP_WAIT_MS` is let go (its late results are dropped; work the
        user started is lost, which the page's :class:`~app.pages.let_go.LetGoNote` of
        that work then says). The runners let go; None when the user wants the work to go
        on."""
        busy = self._busy_pages_to_stop(then)
        if busy is None:
            return None
        runners = [runner for page in busy for runner in page_runners(page)]
        for runner in runners:
            runner.stop()
        self._wait_for(runners, then)
        lost = [runner for runner in runners if runner.user_work]
        let_go = [runner for runner in runners if runner.running]
        for runner in let_go:           # it did not stop in time
            runner.stop_and_wait(0)
        name = self.session.project.name if self.session.project else ""
        for page in busy:               # its result is lost: the page says so
            for note in getattr(page, "let_go_notes", ()):
                if note.runner in lost:
                    note.say(name, then, STOP_WAIT_MS / 1000)
        return let_go

    def _wait_for(self, runners, then):
        """Handle the events until ``runners`` have all ended, at most :data:`STOP_WAIT_MS`.
        The window repaints and its timers run, but it takes no clicks, keys or request to
        close meanwhile (they wait until it ended: nothing starts, nothing asks twice), and
        a wait longer than :data:`NOTICE_DELAY_MS` shows a notice of what it waits for."""
        loop, limit = QEventLoop(), QTimer(singleShot=True)
        limit.timeout.connect(loop.quit)
        limit.start(STOP_WAIT_MS)
        notice = QProgressDialog(
            f"Stopping the work running in the background, to {then} afterwards. This "
            f"takes at most {STOP_WAIT_MS // 1000} seconds.", None, 0, 0, self)
        notice.setWindowTitle("Stopping the work")
        notice.setWindowModality(Qt.WindowModality.WindowModal)
        shown = QTimer(singleShot=True)
        shown.timeout.connect(notice.show)
        shown.start(NOTICE_DELAY_MS)
        for runner in runners:
            runner.running_changed.connect(loop.quit)
        try:
            while any(runner.running for runner in runners) and limit.isActive():
                loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        finally:
            for runner in runners:
                runner.running_changed.disconnect(loop.quit)
            shown.stop()
            notice.close()
            notice.deleteLater()

    def new_project(self):
        if not self._ready_to_replace("start a new project"):
            return
        self._discard_current_autosave()
        self.session.project = None
        self.session.path = None
        self.pages[0].start_new()
        self.steps.setEnabled(True)
        self.steps.setCurrentRow(0)
        self.stack.setCurrentWidget(self.frames[0])
        self._update_steps()
        self._update_title()
        self.pages[0].name.setFocus()             # type the name at once

    @Slot()
    def _on_project_created(self):
        self._remember(self.session.path)
        self.steps.setEnabled(True)
        self.go_to_step(1)

    @Slot()
    def train_applied_settings(self):
        """Model selection applied a trial's settings: train the network with them on the
        training page (its own Start), which shows the training and its result."""
        training = self.pages[TRAINING_STEP]
        if training.runner.running:
            self.show_error("Training is running", "A network is being trained already. "
                            "Wait for it or stop it, then press Start training (step 4).")
            return
        if self.go_to_step(TRAINING_STEP):
            training.start()
        else:
            problem = " ".join(self.session.data_problems()[:1])
            self.show_error("Cannot train these settings", "The data set does not allow "
                            f"these settings. {problem} Correct it at step 2, then train at "
                            "step 4.")

    def open_project_dialog(self):
        path, _ = file_dialogs.open_file_name(self, "Open project", self._last_folder(),
                                              "RNN Studio projects (*.json);;All files (*)")
        if path:
            self.open_project(path)

    def open_project(self, path):
        if not self._ready_to_replace("open another project"):
            return False
        try:
            self.session.open(path)
        except EngineError as error:
            self.show_error("Cannot open the project", str(error))
            return False
        except Cancelled:           # the application quits while the data file is read
            return False
        self._remember(path)
        self._after_open()
        self._report_table_error()
        self._offer_to_locate_data()
        return True

    def open_example(self, key):
        if not self._ready_to_replace("open the example"):
            return False
        try:
            project, path = example_project(key)
            self.session.open(path)
        except EngineError as error:
            self.show_error("Cannot open the example", str(error))
            return False
        except Cancelled:           # the application quits while the data file is read
            return False
        self._after_open()
        self._report_table_error()
        return True

    def _after_open(self):
        self.steps.setEnabled(True)
        states = self.session.step_states()
        # the furthest of the steps that build the model (1-4); later steps are one Next away
        target = max((row for row, state in enumerate(states[:TRAINING_STEP + 1])
                      if state != LOCKED), default=0)
        self.go_to_step(target)

    def _offer_to_locate_data(self):
        """After a project opened or was restored: when its data file is not where it
        says (moved or renamed), ask the user to locate it."""
        missing = self.session.missing_data_file()
        if missing is not None:
            self.pages[1].offer_to_locate(missing)

    def _report_table_error(self):
        if self.session.table_error:
            self.show_error("Cannot read the data file",
                            f"{self.session.table_error}\n\nThe project is open; load the "
                            "data file again on the data set page.")

    def save(self):
        if self.session.project is None:
            return False
        if self.session.path is None:
            return self.save_as()
        if self.session.changed_on_disk() and not self._confirm_overwrite_changed():
            return False
        try:
            self.session.save()
        except EngineError as error:
            self.show_error("Cannot save the project", str(error))
            return False
        self._discard_current_autosave()
        self._refresh_current_page()
        return True

    def save_as(self):
        if self.session.project is None:
            return False
        start = str(self.session.path or Path(self._last_folder()) / "project.json")
        path, _ = file_dialogs.save_file_name(self, "Save project as", start,
                                              "RNN Studio projects (*.json)")
        if not path:
            return False
        if not path.endswith(".json"):
            path += ".json"              # after the dialog's own question on a file there
            if Path(path).exists() and not self._confirm_replace(Path(path)):
                return False
        try:
            self.session.save(path)
        except EngineError as error:
            self.show_error("Cannot save the project", str(error))
            return False
        self._discard_current_autosave()
        self._remember(path)
        self._refresh_current_page()
        return True

    def _refresh_current_page(self):
        """After a save: a model trained since the last one now has its place, and the
        page on screen says so."""
        row = self.current_step()
        if 0 <= row < len(self.pages):
            self.pages[row].refresh()

    def _last_folder(self):
        recent = self.recent_projects()
        return str(Path(recent[0]).parent) if recent else str(Path.home())

    # -- recent projects -------------------------------------------------------------------
    def recent_projects(self):
        value = self.settings.value("recent_projects", [])
        if isinstance(value, str):
            value = [value]
        return [p for p in (value or []) if p]

    def _remember(self, path):
        path = str(Path(path).resolve())
        recent = [path] + [p for p in self.recent_projects() if p != path]
        self.settings.setValue("recent_projects", recent[:MAX_RECENT])
        self._update_recent_menu()

    def _update_recent_menu(self):
        self.recent_menu.clear()
        recent = self.recent_projects()
        for path in recent:                 # the project's name, its folder; the path as data
            action = self.recent_menu.addAction(f"{recent_name(path)}   {Path(path).parent}")
            action.setData(path)
            action.setToolTip(path)
            action.triggered.connect(lambda checked=False, p=path: self.open_project(p))
        self.recent_menu.setEnabled(bool(recent))

    # -- autosave --------------------------------------------------------------------------
    @Slot()
    def write_autosave(self):
        """Keep the unsaved work in this window's autosave file; its path, or None (nothing
        unsaved, or it could not be written: autosave never interrupts the user). Once it
        is written, an autosave this window restored is removed: its work is in the new one.
        """
        if self.session.project is None or not self.session.dirty:
            return None
        try:
            path = autosave.write_autosave(self.autosave_file, self.session.project,
                                           self.session.path, self.session.pending_model,
                                           self.session.file_seen())
        except (EngineError, OSError):
            return None
        autosave.discard_autosave(self._restored_file)
        self._restored_file = None
        return path

    def _discard_current_autosave(self):
        """Remove this window's autosave (and one it restored and still keeps): its work was
        saved or discarded. Another window's, of the same project or not, stays."""
        autosave.discard_autosave(self.autosave_file)
        autosave.discard_autosave(self._restored_file)
        self._restored_file = None

    def _note_waiting_model(self, path):
        """Note that this window's training writes its waiting model into ``path``, so that
        a later start removes the file if this window ends before an autosave names it
        (:mod:`app.waiting_models`)."""
        self._waiting_note = waiting_models.note_waiting_model(path) or self._waiting_note

    def start(self, project=None, example=None):
        """What the window does once it shows at the application's start: first remove the
        waiting models that windows which ended left unnamed
        (:func:`app.waiting_models.remove_leftovers`)
        and offer to restore the work that a session which did not end normally left
        (:meth:`offer_restore`), then open the project file ``project`` or the example
        ``example`` asked for, unless restored work took its place: the project file is
        then added to File > Open Recent, to open it afterwards."""
        title = EXAMPLES[example].title if example in EXAMPLES else example
        instead = Path(project).name if project else f"the example {title}" if example \
            else None
        waiting_models.remove_leftovers()
        if self.offer_restore(instead=instead):
            if project and Path(project).is_file():
                self._remember(project)
            return
        if project:
            self.open_project(project)
        elif example:
            self.open_example(example)

    def offer_restore(self, instead=None):
        """Offer to restore the work that an earlier session left in an autosave file, the
        newest first (one per start; the others are offered at the next starts). Yes opens
        it (in place of ``instead``, the project asked for at the start), No discards it,
        Cancel keeps it for the next start. True when work was restored. An autosave file
        that cannot be restored (cut off, damaged, of a newer version) is said once, with
        why, and set aside where it is kept (:func:`app.autosave.set_aside`); one set aside
        earlier is offered once it can be restored (after an update)."""
        for path, problem in autosave.unreadable_autosaves():
            self._set_aside(path, f"The autosave file {path.name} cannot be read: {problem}.",
                            "it is not offered again")
        records = autosave.pending_autosaves(exclude=(self.autosave_file, self._restored_file))
        for number, record in enumerate(records):
            try:
                project = autosave.restored_project(record)
            except EngineError as error:
                if not record["set_aside"]:
                    self._set_aside(Path(record["autosave_file"]), str(error))
                continue
            return self._ask_to_restore(record, project, len(records) - number - 1, instead)
        return False

    def _set_aside(self, path, problem, again=None):
        """Say why the autosave file ``path`` cannot be restored, and where it is kept
        (``again``: what becomes of it; by default, offered by an RNN Studio that can)."""
        kept = autosave.set_aside(path)
        where = f"It was moved to {kept}" if kept is not None else f"It stays at {path}"
        again = again or ("it is offered again when an RNN Studio that can restore it "
                          "starts (a later version, for work of a newer one)")
        self.show_error("Cannot restore the unsaved work", f"{problem}\n\n{where}; {again}.")

    def _ask_to_restore(self, record, project, others, instead):
        """:meth:`offer_restore`'s question about ``record`` and its ``project`` (``others``:
        how many more wait)."""
        later = "" if others == 0 else \
            f" (The unsaved work of {others} more is offered at the next start.)"
        opens = "Yes opens them" + (f" in place of {instead}" if instead else "")
        written = autosave.project_file_written(record)
        newer = "" if written is None else \
            "\n\n" + autosave.written_since_sentence(record, written)
        answer = QMessageBox.question(
            self, "Restore unsaved work?",
            f"{autosave.kept_sentence(record, project.name)} Restore them?{newer}\n\n"
            f"{opens}; No discards them; Cancel keeps them for the next start.{later}",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Yes if written is None
            else QMessageBox.StandardButton.Cancel)
        model = record.get("pending_model")
        model = Path(model) if model is not None and Path(model).is_file() else None
        if answer == QMessageBox.StandardButton.No:
            autosave.discard_autosave(record["autosave_file"])
            if model is not None:
                model.unlink(missing_ok=True)       # the training declined with the rest
            return False
        if answer != QMessageBox.StandardButton.Yes:
            autosave.keep_for_next_start(record["autosave_file"])
            return False
        return self._restore(record, project, model, written is not None)

    def _restore(self, record, project, model, written_since=False):
        """Open the restored ``project`` with its waiting ``model`` (or None) as a project
        file opens (a data file not found is offered to locate); the record's file becomes
        this window's until the window's own autosave replaces it (at once).
        ``written_since``: the project file was written after the work was kept, so Save
        asks before replacing it."""
        if model is not None and not model_belongs(project, model):
            model.unlink(missing_ok=True)      # a later training's, without its results
            model = None
        path = record.get("project_path")
        try:
            self.session.adopt(project, Path(path) if path else None, dirty=True,
                               pending_model=model, written_since=written_since)
        except Cancelled:   # the application quits while the data file is read: kept
            return False
        self._restored_file = Path(record["autosave_file"])
        self.write_autosave()
        self._after_open()
        self._report_table_error()
        self._offer_to_locate_data()
        return True

    # -- dialogs and closing ---------------------------------------------------------------
    def show_error(self, title, message):
        QMessageBox.warning(self, title, message)

    def show_guide(self):
        """Help > User guide (F1): the guide, at the section of the step on screen (on the
        start page, at its beginning for a first-time user)."""
        from .help_window import START_SECTION, GuideWindow, step_heading

        if self.guide_window is None:
            self.guide_window = GuideWindow(self)
        row = self.current_step()
        self.guide_window.open_at(step_heading(row + 1) if row >= 0 else START_SECTION)

    def about(self):
        from .about_dialog import AboutDialog

        AboutDialog(self).exec()

    def closeEvent(self, event):
        # work stopped as Stop does (a training keeps its best epoch), so that the pages
        # are whole again when the person then cancels at "Unsaved changes"
        if not self._ready_to_replace("close"):
            event.ignore()
            return
        self._discard_current_autosave()
        self.session.discard_pending_model()
        # a training that did not stop in time may still write its waiting model: the note
        # stays, so that a later start removes that file once this process has ended
        if not any(runner.running or runner.ending
                   for runner in page_runners(self.pages[TRAINING_STEP])):
            waiting_models.forget_note(self._waiting_note)
        self.autosave_timer.stop()
        event.accept()
