#!/usr/bin/env python3
"""Dask against the local back-end on one sweep, in one run, alternating (docs/benchmarks.md,
"Sweeps"): the local back-end is the `grid2gpu sweep` command with --jobs 2; Dask is
grid2gpu.sweep(client=...) on a LocalCluster of two worker processes with one thread each,
started once before the rounds (its start-up is not timed). Each round also checks that both
results.csv files are the same bytes.

    PYTHONPATH=build/python /usr/bin/python3 bench/dask_compare.py bench/sweep-sized-1k.yaml \\
        --rounds 3 --allow-path examples
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sweep")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cli", default="build/grid2gpu")
    parser.add_argument("--allow-path", action="append", default=[])
    parser.add_argument("--target-seconds", type=float, default=0.5)
    args = parser.parse_args()

    import grid2gpu
    from distributed import Client, LocalCluster

    scratch = Path(tempfile.mkdtemp(prefix="g2g-dask-"))
    local_s, dask_s = [], []
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        for r in range(args.rounds):
            local_dir, dask_dir = scratch / f"local-{r}", scratch / f"dask-{r}"
            command = [args.cli, "sweep", args.sweep, "--out", str(local_dir), "--jobs", "2", "-q"]
            for path in args.allow_path:
                command += ["--allow-path", path]
            t0 = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            local_s.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            results = grid2gpu.sweep(args.sweep, dask_dir, client=client, progress=False,
                                     target_seconds=args.target_seconds,
                                     allow_paths=args.allow_path)
            dask_s.append(time.perf_counter() - t0)
            same = (local_dir / "results.csv").read_bytes() == (dask_dir / "results.csv").read_bytes()
            parts = len(list((dask_dir / "parts").iterdir()))
            print(f"round {r + 1}: local {local_s[-1]:.2f} s, dask {dask_s[-1]:.2f} s "
                  f"({parts} tasks), results.csv identical: {same}, rows {len(results)}")
    print(f"median: local {statistics.median(local_s):.2f} s, dask {statistics.median(dask_s):.2f} s;"
          f" dask throughput / local = {statistics.median(local_s) / statistics.median(dask_s):.2f}"
          f" (per round: {', '.join(f'{l / d:.2f}' for l, d in zip(local_s, dask_s))})")
    shutil.rmtree(scratch)


if __name__ == "__main__":
    main()
