"""Columns from the C++ core -> pandas DataFrames that equal ``pd.read_csv`` of the CSV files."""

from __future__ import annotations

import math
from typing import Any, Dict, List, Union

import numpy as np
import pandas as pd

Column = Union["np.ndarray[Any, Any]", List[object]]


def _is_missing(value: object) -> bool:
    return isinstance(value, float) and math.isnan(value)


def frame(columns: Dict[str, Column]) -> pd.DataFrame:
    """A DataFrame of the columns, typed as pandas types the same CSV.

    Numbers are float64 arrays and flags bool arrays as the core made them; text arrives as a
    list with missing values as NaN, and becomes an object column, or float64 when every value
    is missing (as read_csv types an empty column). A table without rows has object columns,
    as read_csv gives for a header alone.
    """
    data: Dict[str, object] = {}
    rows = None
    for name, values in columns.items():
        if isinstance(values, list):
            if values and all(_is_missing(v) for v in values):
                data[name] = np.full(len(values), np.nan)
            else:
                data[name] = np.array(values, dtype=object)
        else:
            data[name] = values
        rows = len(values)
    if rows == 0:
        return pd.DataFrame({name: pd.Series([], dtype=object) for name in columns},
                            index=pd.Index([], dtype=object))
    return pd.DataFrame(data)
