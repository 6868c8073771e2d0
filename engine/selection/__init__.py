"""Step 5, improving generalization: search for the network complexity, lookback, inputs,
cell and regularization that give (within 1%) the lowest selection error, the simplest
of them, and show why.

Modules: :mod:`.candidates` (what each method tries, and how a change applies),
:mod:`.trial` (one trial: train and score; what a worker runs), :mod:`.executors` (a
local process pool, a Dask cluster, or this process), :mod:`.search` (planning, running,
choosing), :mod:`.choice` (which row is chosen, and why) and :mod:`.result` (the result
object the page, the command line and the project share; applying a row).

Typical use::

    result = run_search(project, "neurons", repeats=3)
    print("\\n".join(result.table_lines()))
    record_search(project, result)
    apply_trial(project, result)            # the chosen row; or rows[4], trial 5:
    apply_trial(project, result, 4)
"""

from engine.selection.executors import (DaskRunner, InProcess, LocalPool, default_workers,
                                        open_runner)
from engine.selection.result import (METHOD_TITLES, SearchResult, TrialRow, apply_trial,
                                     record_search, restamp_searches, search_is_current,
                                     stored_searches)
from engine.selection.search import METHODS, SearchProgress, plan_search, run_search

__all__ = ["DaskRunner", "InProcess", "LocalPool", "METHODS", "METHOD_TITLES",
           "SearchProgress", "SearchResult", "TrialRow", "apply_trial", "default_workers",
           "open_runner", "plan_search", "record_search", "restamp_searches", "run_search",
           "search_is_current", "stored_searches"]
