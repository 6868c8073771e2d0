"""The built-in example data sets in ``resources/examples/``: the only real data the tests
read, found relative to this repository wherever it is checked out."""

from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"


def example_csv(name):
    """The path of the example data file ``resources/examples/<name>``."""
    return EXAMPLES / name
