"""The bundle's entry point: the ``rnn-studio`` program of app/launcher.py (the desktop
application when no command is given, otherwise the command line). PyInstaller runs this
file as ``__main__``; a module of a package cannot serve, because relative imports need the
package context."""

import multiprocessing
import os
import sys

from app.launcher import main

if __name__ == "__main__":
    # model selection's worker processes start this same program: let them run their task
    multiprocessing.freeze_support()
    # Qt wants a UTF-8 locale and warns on stderr without one (an environment without LANG,
    # such as a service or `env -i`); C.UTF-8 is what it would switch to anyway.
    if not any(os.environ.get(name) for name in ("LC_ALL", "LC_CTYPE", "LANG")):
        os.environ["LC_CTYPE"] = "C.UTF-8"
    sys.exit(main())
