"""Shared fixtures: the source tree (G2G_SOURCE_DIR, set by CTest) and a small DC model."""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any, Dict

import pytest

SOURCE_DIR = Path(os.environ.get("G2G_SOURCE_DIR", Path(__file__).resolve().parents[2]))

# 800 V DC source -> 100 m of 50 mm2 copper -> a load of $load_power: 100 kW is ~125 A, well
# within the cable; 1 GW has no operating point.
FEEDER: Dict[str, Any] = {
    "grid2gpu": 1,
    "name": "one feeder",
    "parameters": {"load_power": "100 kW"},
    "buses": [
        {"id": "dc800", "kind": "dc", "voltage": "800 V"},
        {"id": "rack", "kind": "dc", "voltage": "800 V"},
    ],
    "components": [
        {"id": "src", "type": "dc_source", "bus": "dc800"},
        {"id": "feeder", "type": "cable", "from": "dc800", "to": "rack", "material": "copper",
         "cross_section": "50 mm2", "length": "100 m"},
        {"id": "rack1", "type": "load", "bus": "rack", "power": "$load_power"},
    ],
}


@pytest.fixture
def source_dir() -> Path:
    return SOURCE_DIR


@pytest.fixture
def feeder() -> Dict[str, Any]:
    return copy.deepcopy(FEEDER)


@pytest.fixture
def cli() -> Path:
    path = Path(os.environ.get("G2G_CLI", SOURCE_DIR / "build" / "grid2gpu"))
    if not path.exists():
        pytest.skip(f"no grid2gpu CLI at {path}")
    return path
