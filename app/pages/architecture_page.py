"""Step 3: the network architecture: cell type, layers and units, the simple RNN's
activation, the linear path; a drawing of the unrolled network and the number of
parameters."""

import html

from PySide6.QtWidgets import (QCheckBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel,
                               QVBoxLayout, QWidget)

from engine import EngineError, RecurrentNetwork
from engine.many.project_fit import is_many_series
from engine.project.model_status import CURRENT, model_status
from engine.training.share_words import UNUSED_NOTE, share_note
from engine.words import counted

from ..widgets.controls import buddy_label, combo, select, spin_box
from ..widgets.narrow import letters_wide
from ..widgets.network_drawing import NetworkDrawing
from .many_data_check import many_network_sizes
from .many_scores import linear_model_kept

CELLS = [("gru", "GRU (gated recurrent unit)"), ("lstm", "LSTM (long short-term memory)"),
         ("rnn", "Simple RNN")]
MAX_LAYERS = 4
ACTIVATION_TIP = "The simple RNN's activation: tanh (the usual choice) or ReLU."
MANY_ACTIVATION_TIP = ("The network of many series uses tanh in a simple RNN: the activation "
                       "chosen here applies to one series only.")
LINEAR_PATH_TIP = ("Adds a linear autoregression over the whole window to the network's "
                   "output. It starts from least squares, so the network starts as good as a "
                   "linear model and its recurrent layers learn what the linear model misses.")


def all_steps_words(horizon):
    """What a global network gives at once, in words: "the next step" (``horizon`` 1),
    else "all 48 steps ahead at once"."""
    horizon = max(int(horizon), 1)
    return "the next step" if horizon == 1 else f"all {horizon} steps ahead at once"


class ArchitecturePage(QWidget):
    def __init__(self, session):
        super().__init__()
        self.session = session
        self._loading = False
        self._shown_sizes = []          # the layers' units as refresh showed them
        self._beyond = None             # the project's units when beyond the boxes' limits
        self.cell = combo(CELLS, "GRU and LSTM cells have gates that keep information over "
                          "many time steps; a simple RNN is smaller but forgets quickly.")
        self.activation = combo([("tanh", "tanh"), ("relu", "ReLU")], ACTIVATION_TIP)
        self.layers = spin_box(1, MAX_LAYERS, "Recurrent layers stacked on each other; one is "
                               "enough for most series.")
        self.units = []
        units_row = QHBoxLayout()
        for layer in range(MAX_LAYERS):
            spin = spin_box(1, 1024, f"Units (size of the hidden state) of layer {layer + 1}. "
                            "More units learn more but need more data.")
            spin.setValue(32)
            self.units.append(spin)
            units_row.addWidget(spin)
        units_row.addStretch(1)
        self.linear_path = QCheckBox("Linear &path")
        self.linear_path.setToolTip(LINEAR_PATH_TIP)
        self.parameters = QLabel()
        self.parameters.setWordWrap(True)
        self.parameters.setToolTip("Weights the training adjusts. Far more parameters than "
                                   "training windows invites overfitting.")
        for widget in (self.cell, self.activation, self.layers):
            widget.setMaximumWidth(letters_wide(widget, 53))
        form = QFormLayout()
        form.addRow("&Cell type:", self.cell)
        form.addRow("&Activation:", self.activation)
        form.addRow("&Layers:", self.layers)
        form.addRow(buddy_label("&Units per layer:", self.units[0]), units_row)
        form.addRow("", self.linear_path)
        form.addRow("Parameters:", self.parameters)
        self.many_note = QLabel()
        self.many_note.setWordWrap(True)
        form.addRow(self.many_note)
        box = QGroupBox("Network")
        box.setLayout(form)
        self.drawing = NetworkDrawing()
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addWidget(self.drawing, 1)
        self.cell.currentIndexChanged.connect(self._edited)
        self.activation.currentIndexChanged.connect(self._edited)
        self.layers.valueChanged.connect(self._edited)
        self.linear_path.toggled.connect(self._edited)
        for spin in self.units:
            spin.valueChanged.connect(self._edited)

    def refresh(self):
        project = self.session.project
        if project is None:
            return
        architecture = project.architecture
        self._loading = True
        select(self.cell, architecture.cell)
        select(self.activation, architecture.activation)
        sizes = list(architecture.hidden_sizes or [32])
        self.layers.setValue(min(len(sizes), MAX_LAYERS))
        for index, spin in enumerate(self.units):    # a layer added later: as the last one
            spin.setValue(min(sizes[min(index, len(sizes) - 1)], spin.maximum()))
        self.linear_path.setChecked(architecture.linear_path is True)
        # a network set on the command line beyond this page's limits stays as it is until
        # the layers or units are changed here (_edited), and the page says so
        self._shown_sizes = self._sizes()
        self._beyond = sizes if sizes != self._shown_sizes else None
        self._loading = False
        self._show()

    def _sizes(self):
        return [spin.value() for spin in self.units[:self.layers.value()]]

    def _edited(self, *args):
        if self._loading or self.session.project is None:
            return
        architecture = self.session.project.architecture
        architecture.cell = self.cell.currentData()
        architecture.activation = self.activation.currentData()
        if self._beyond is None or self._sizes() != self._shown_sizes:
            if self._sizes() != list(architecture.hidden_sizes or ()):
                architecture.units_by_hand = True       # kept when step 2 changes
            architecture.hidden_sizes = self._sizes()
            self._beyond = None
        architecture.linear_path = self.linear_path.isChecked()
        self.session.touch()
        self._show()

    def _show(self):
        for index, spin in enumerate(self.units):
            spin.setVisible(index < self.layers.value())
        cell = self.cell.currentData()
        config, table = self.session.config(), self.session.table
        many = is_many_series(config)
        self.activation.setEnabled(cell == "rnn" and not many)
        self.activation.setToolTip(MANY_ACTIVATION_TIP if many else ACTIVATION_TIP)
        self._show_many_note(config if many else None)
        n_inputs = n_outputs = lookback = 1
        known = False
        if config is not None and table is not None and not self.session.data_problems():
            check = self.session.data_check()[1]        # the data prepared once, kept
            try:
                if many:
                    n_inputs, n_outputs, lookback = many_network_sizes(
                        config, check.data if check is not None else None)
                else:
                    n_inputs, n_outputs = check.n_inputs, check.n_outputs
                    lookback = config.lookback
                known = True
            except EngineError:
                pass
        linear_path = self.linear_path.isChecked()
        sizes = self._beyond or self._sizes()
        network = RecurrentNetwork(cell=cell, n_inputs=n_inputs, hidden_sizes=sizes,
                                   n_outputs=n_outputs, linear_path=linear_path,
                                   lookback=lookback)
        try:
            count = network.n_parameters
        except EngineError as error:        # over the size RNN Studio builds
            self.parameters.setText(str(error))
        else:
            path = (f", of which {network.n_outputs * lookback * n_inputs:,} in the linear path "
                    f"over {counted(lookback, 'step')}" if linear_path and known else "")
            self.parameters.setText(f"<b>{count:,}</b>{path}" + ("" if known else
                                    " (for 1 input, 1 output and a window of 1 step; "
                                    "configure the data set first)") + self._beyond_text()
                                    + self._kept_text())
        self.drawing.set_network(cell, sizes, n_inputs, n_outputs, linear_path, lookback)

    def _kept_text(self):
        """A line on the project's trained model when its fit kept less than all of the
        recurrent part (:func:`~engine.training.share_words.share_note`), or when it kept
        its linear start, a linear autoregression as the other pages name it
        (:func:`~app.pages.many_scores.linear_model_kept`), while the model is of these
        settings; else empty."""
        project = self.session.project
        if project is None:
            return ""
        note = share_note((project.results.training or {}).get("linear_share"))
        if note is None and linear_model_kept(project):
            note = UNUSED_NOTE
        if note is None or model_status(project) != CURRENT:
            return ""
        return f"<br>{html.escape(note)}"

    def _beyond_text(self):
        """A line on a network set elsewhere (the command line) beyond the boxes' limits."""
        if not self._beyond:
            return ""
        return (f"<br>The project's network has layers of {self._beyond} units, beyond what "
                f"this page sets ({MAX_LAYERS} layers of at most {self.units[0].maximum()} "
                "units); it is kept until you change the layers or units here.")

    def _show_many_note(self, config):
        """For a table of many series (``config``; None: one series), what the one network
        over all of them reads and gives."""
        self.many_note.setVisible(config is not None)
        if config is None:
            return
        check = self.session.data_check()[1]
        series = f"{check.data.n_series:,} " if check is not None else ""
        self.many_note.setText(
            f"One network learns from all {series}series. At every time step it reads each "
            "target's change and its distance from the series' recent level (two numbers a "
            "target), and each other input, every series on its own scale; it gives "
            f"{all_steps_words(config.horizon)}. It reads the window a season "
            "at a time (the rows of a season side by side in one step; without a season, "
            "a horizon at a time), or whole in one step when that does better at the "
            "latest origin before the testing part; the weights shown are those of the "
            "first way. The cell, layers, units and linear path set here are used; a "
            "simple RNN uses tanh.")
