"""Six real series beyond the development suite: the time series that statsmodels ships.

Nobody tuned the automatic pipeline on these, so they check that a change made on the suite
carries over to data it has not seen. Each is written as a classical series CSV (a date
column, then the value) whose name ends in its frequency, so that the accuracy suite's
holdout rule applies (the last season: 12 months or 4 quarters):

* mauna_loa_co2_monthly.csv, 526 rows: ``co2``, weekly CO2 at Mauna Loa (ppm), 1958-2001
  (Keeling & Whorf, CDIAC), as monthly means, months without a value interpolated;
* euro_electrical_equipment_monthly.csv, 257 rows: ``elec_equip``, euro-area new orders of
  electrical equipment (index), 1995-2016 (Eurostat);
* elnino_sea_temperature_monthly.csv, 732 rows: ``elnino``, monthly sea surface
  temperature of the Niño 1+2 region (°C), 1950-2010 (NOAA ERSST.V3B);
* german_inflation_quarterly.csv, 107 rows: ``interest_inflation``, quarterly German
  inflation ``Dp``, 1972-1998 (the JMulTi data sets);
* us_unemployment_quarterly.csv, 203 rows: ``macrodata``, US unemployment rate (%),
  1959-2009 (BLS);
* us_money_m1_quarterly.csv, 203 rows: ``macrodata``, US M1 money stock, 1959-2009 (FRED).

statsmodels gives each data set's source and licence in its ``SOURCE`` and ``COPYRIGHT``
(public domain, but for ``interest_inflation``, which states none). They are read from the
installed statsmodels at each run, not copied into the repository.
"""

import csv
import importlib
from pathlib import Path

import numpy as np
import pandas as pd


def _data(name):
    return importlib.import_module(f"statsmodels.datasets.{name}").load_pandas().data


def _co2():
    weekly = _data("co2")["co2"]
    weekly.index = pd.to_datetime(weekly.index)
    monthly = weekly.resample("MS").mean().interpolate()
    return monthly.index, monthly.to_numpy()


def _elec_equip():
    orders = _data("elec_equip").iloc[:, 0]
    return pd.to_datetime(orders.index), orders.to_numpy()


def _elnino():
    months = _data("elnino").iloc[:, 1:].to_numpy().ravel()     # a row per year: JAN .. DEC
    return pd.date_range("1950-01-01", periods=len(months), freq="MS"), months


def _quarters(frame):
    first = pd.Timestamp(year=int(frame["year"].iloc[0]),
                         month=3 * int(frame["quarter"].iloc[0]) - 2, day=1)
    return pd.date_range(first, periods=len(frame), freq="QS")


def _inflation():
    frame = _data("interest_inflation")
    return _quarters(frame), frame["Dp"].to_numpy()


def _macro(column):
    frame = _data("macrodata")
    return _quarters(frame), frame[column].to_numpy()


SERIES = {  # file name: (value column, reader of (times, values))
    "mauna_loa_co2_monthly.csv": ("co2", _co2),
    "euro_electrical_equipment_monthly.csv": ("orders", _elec_equip),
    "elnino_sea_temperature_monthly.csv": ("temperature", _elnino),
    "german_inflation_quarterly.csv": ("inflation", _inflation),
    "us_unemployment_quarterly.csv": ("unemployment", lambda: _macro("unemp")),
    "us_money_m1_quarterly.csv": ("m1", lambda: _macro("m1")),
}


def write_series(folder):
    """Write every series of :data:`SERIES` to ``folder`` (``date,<value>``, ISO dates);
    returns their paths, sorted."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for file, (column, read) in SERIES.items():
        times, values = read()
        path = folder / file
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["date", column])
            writer.writerows([t.strftime("%Y-%m-%d"), repr(float(v))]
                             for t, v in zip(times, np.asarray(values, dtype=float)))
        paths.append(path)
    return sorted(paths)
