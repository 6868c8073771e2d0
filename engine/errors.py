"""The one exception type the engine raises for problems a person can act on."""


class EngineError(ValueError):
    """Something is wrong with the data, the settings or a file.

    The message says what is wrong and what to do about it, in plain words, so that the
    command line and the GUI can show it as it is.
    """
