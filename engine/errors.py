"""The one exception type the engine raises for problems a person can act on."""


class EngineError(ValueError):
    """Something is wrong with the data, the settings or a file.

    The message says what is wrong and what to do about it, in plain words, so that the
    command line and the GUI can show it as it is.
    """


class NothingTrained(EngineError):
    """A Stop ended the training before its first epoch ended: there is no model to save.
    The pages show it as the Stop it was; any other error after a Stop is a failure."""

    MESSAGE = ("The training stopped before its first epoch ended, so there is no trained "
               "model to save. Train again and let it run longer.")

    def __init__(self, message=MESSAGE):
        super().__init__(message)


def newer_version_error(path, kind, version, supported, made_by, verb="open"):
    """The error for a file whose format ``version`` is newer than this version reads.

    ``kind`` names the format ("model", "project"), ``made_by`` is the application version
    recorded in the file (or anything else when unknown).
    """
    from engine.version import __version__

    made_by = f" {made_by}" if isinstance(made_by, str) else ""
    return EngineError(f"{path} was made by a newer version of RNN Studio{made_by} ({kind} "
                       f"format version {version}; this version {__version__} reads up to "
                       f"version {supported}). Update RNN Studio to {verb} it.")
