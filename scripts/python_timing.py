"""Times the Python module against the CLI (docs/python.md, "Cost"): load + solve of a model
file, and Model.set, each the median of N runs after one warm-up.

    PYTHONPATH=build/python /usr/bin/python3 scripts/python_timing.py [MODEL] [N]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

import grid2gpu

MODEL = Path(sys.argv[1] if len(sys.argv) > 1 else "examples/800vdc-sst.yaml")
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 20
CLI = Path("build/grid2gpu")


def median_ms(work) -> float:  # type: ignore[no-untyped-def]
    work()
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return 1e3 * statistics.median(times)


def load_and_solve() -> None:
    grid2gpu.load(MODEL).solve()


def load_solve_frames() -> None:
    result = grid2gpu.load(MODEL).solve()
    _ = (result.buses, result.elements, result.totals, result.violations)


model = grid2gpu.load(MODEL)
powers = iter(["125 kW", "130 kW"] * (RUNS + 1))


def set_parameter() -> None:
    model.set("rack_power", next(powers))


def set_and_solve() -> None:
    model.set("rack_power", next(powers))
    model.solve()


solver = grid2gpu.load(MODEL).solver()


def warm_solve() -> None:
    solver.solve()


def cli_solve() -> None:
    subprocess.run([str(CLI), "solve", str(MODEL), "--quiet"], check=True)


print(f"{MODEL}: {model.counts['buses']} buses, median of {RUNS} runs")
print(f"  Python load + solve:                 {median_ms(load_and_solve):7.2f} ms")
print(f"  Python load + solve + 4 DataFrames:  {median_ms(load_solve_frames):7.2f} ms")
print(f"  Python model.set (re-expand, check): {median_ms(set_parameter):7.2f} ms")
print(f"  Python model.set + solve:            {median_ms(set_and_solve):7.2f} ms")
print(f"  Python Solver.solve (warm, reused):   {median_ms(warm_solve):7.2f} ms")
if CLI.exists():
    print(f"  CLI process solve --quiet:           {median_ms(cli_solve):7.2f} ms")
