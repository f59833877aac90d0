"""One converter SPEC (a design or a chain, docs/converters.md) at an operating point and over
an efficiency map, as ``grid2gpu converter`` evaluates it."""

from __future__ import annotations

import os
from typing import Any, Dict, Optional, Union

import pandas as pd

from grid2gpu import _core
from grid2gpu._frames import frame

PathLike = Union[str, "os.PathLike[str]"]
Quantity = Union[str, float, int, None]


def evaluate(
    spec_path: PathLike,
    v_in: Quantity = None,
    v_out: Quantity = None,
    p_out: Quantity = None,
    *,
    devices: Optional[PathLike] = None,
) -> Dict[str, Any]:
    """The SPEC at one operating point: v_in, v_out and p_out in SI units or as text with a unit
    ("400 V"), None for the SPEC's nominal value. Returns v_in_v, v_out_v, p_out_w, p_in_w,
    efficiency, loss (by mechanism, W), zvs_all, thermal_ok, t_sink_c, warnings and, for a
    chain, its stages. Raises DesignError when a design cannot run there."""
    return _core.converter_evaluate(
        os.fspath(spec_path), v_in, v_out, p_out,
        os.fspath(devices) if devices is not None else None)


def efficiency_map(
    spec_path: PathLike,
    load_steps: int = 10,
    v_in_span: Union[str, float] = 0.0,
    *,
    devices: Optional[PathLike] = None,
) -> pd.DataFrame:
    """Efficiency over load (1/load_steps .. 100 % of rating) and input voltage (nominal, and
    nominal x (1 -/+ v_in_span) when given, e.g. "10 %"): one row per point with v_in_v,
    load_fraction, p_out_w, p_in_w, efficiency, loss_w, thermal_ok."""
    return frame(_core.converter_map(
        os.fspath(spec_path), load_steps, v_in_span,
        os.fspath(devices) if devices is not None else None))
