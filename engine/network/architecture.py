"""A network's architecture as a project stores it: the one definition of its settings.

The project's ``architecture`` section, the settings a
:class:`~engine.network.recurrent.RecurrentNetwork` is built from and the ``network`` field
of a model file's header (these settings and the sizes ``n_inputs``, ``n_outputs``) are the
fields of :class:`Architecture`: :data:`ARCHITECTURE_KEYS`.
"""

from dataclasses import dataclass, field, fields


@dataclass
class Architecture:
    """Stacked recurrent layers and a linear head, as a person chooses them.

    cell : "rnn", "gru" or "lstm"
    hidden_sizes : units per recurrent layer, e.g. ``[32]`` or ``[64, 32]``
    activation : "tanh" or "relu" (simple RNN only)
    dtype : "float64" or "float32"
    seed : seeds the weight initialization and the training shuffle (None: unseeded)
    linear_path : also add a linear autoregression over the whole window to the output,
        ``y = W_head h_T + b_head + W_ar flatten(X)``, started from least squares
    units_by_hand : the project's record of where ``hidden_sizes`` came from, not a
        setting of the network: True, set by the person (step 3, ``--hidden``) and kept
        when the data-set settings change; False, the data page's choice for a table of
        many series, which follows the data-set settings (the global network's default for
        the training windows, :func:`engine.many.project_fit.size_global_network`); None,
        not known: a project of one series whose units were never set by hand, or a file
        written before the key, whose units the data page of many series takes as its own
        when they are that default for the training windows at opening and as set by hand
        otherwise (for one series the key is recorded, True once set by hand, but changes
        nothing)
    extra : keys this version does not know, kept as they were read (a fit refuses them)

    The defaults are a new project's: one GRU layer of 32 units, no linear path. The
    linear path's window length is the data's lookback, given to the network when it is
    built (:func:`engine.training.run.make_network`).
    """

    cell: str = "gru"
    hidden_sizes: list = field(default_factory=lambda: [32])
    activation: str = "tanh"
    dtype: str = "float64"
    seed: int | None = 0
    linear_path: bool = False
    units_by_hand: bool | None = None
    extra: dict = field(default_factory=dict)

    def settings(self):
        """The known settings as a dict (keyword arguments of a RecurrentNetwork)."""
        return {key: getattr(self, key) for key in ARCHITECTURE_KEYS}

    def to_dict(self):
        """The settings, then the keys kept in :attr:`extra`: what a fit builds from and
        the settings fingerprint hashes (:attr:`units_by_hand` takes no part)."""
        return {**self.settings(), **self.extra}

    def to_document(self):
        """The project document's form: :meth:`to_dict` with :attr:`units_by_hand` after
        the settings when it is known."""
        known = {} if self.units_by_hand is None else {"units_by_hand": self.units_by_hand}
        return {**self.settings(), **known, **self.extra}

    @classmethod
    def from_dict(cls, data):
        """An architecture from a dict: known keys to fields (absent ones take the
        defaults), other keys into :attr:`extra`. Nothing is checked here (see
        :func:`engine.project.checks.checked_architecture`)."""
        known = {key: data[key] for key in ARCHITECTURE_KEYS + PROJECT_KEYS if key in data}
        return cls(**known, extra={k: v for k, v in data.items()
                                   if k not in ARCHITECTURE_KEYS + PROJECT_KEYS})


PROJECT_KEYS = ("units_by_hand",)
"""The fields of :class:`Architecture` that only a project stores (no network setting)."""

ARCHITECTURE_KEYS = tuple(f.name for f in fields(Architecture)
                          if f.name not in ("extra",) + PROJECT_KEYS)
"""The architecture's settings, in the order a project file lists them."""
