"""A loaded table is told apart from every other by its serial: ``id()`` is given again to
the next object once a table is freed, so two tables could pass for one."""

import dataclasses
import gc

import pandas as pd

from engine.data import load_table


def test_tables_freed_one_after_another_never_share_a_serial():
    """Each table freed before the next is loaded (so that its id() may be given again,
    as it often is): the serials are all different, in the order the tables were made."""
    serials = []
    for _ in range(20):
        table = load_table(pd.DataFrame({"y": [1.0, 2.0, 3.0]}))
        serials.append(table.serial)
        del table
        gc.collect()
    assert serials == sorted(set(serials)) and len(serials) == 20


def test_a_table_cut_from_another_has_its_own_serial():
    table = load_table(pd.DataFrame({"y": [1.0, 2.0, 3.0]}))
    cut = dataclasses.replace(table, frame=table.frame.iloc[:2])
    assert cut.serial != table.serial
