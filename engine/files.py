"""Where the files RNN Studio carries beside its code are: the examples, the icons and the
user guide.

In a source tree and in the desktop bundle they lie beside the packages (``resources/``,
``docs/``); installed with pip, under ``share/rnn-studio/`` of the installation's data
folder (the data files of pyproject.toml): the environment's (``sys.prefix``), the
scheme's (``/usr/local`` on Debian), or the user's (``pip install --user``).
"""

import site
import sys
import sysconfig
from pathlib import Path

BESIDE_THE_CODE = Path(__file__).resolve().parents[1]
INSTALLED = [Path(root) / "share" / "rnn-studio" for root in dict.fromkeys(
    (sys.prefix, sysconfig.get_paths()["data"], site.USER_BASE or sys.prefix))]


def carried_folder(*parts):
    """The folder ``parts`` (e.g. ``"resources", "examples"``) beside the code, else where
    pip installs it; the one beside the code when none exists (a message naming it then
    says the installation is incomplete)."""
    for root in [BESIDE_THE_CODE, *INSTALLED]:
        folder = root.joinpath(*parts)
        if folder.is_dir():
            return folder
    return BESIDE_THE_CODE.joinpath(*parts)
