"""``python3 -m grid2gpu sweep SWEEP.yaml --out DIR [--scheduler tcp://HOST:PORT]``: a sweep
on this machine's cores, or on a Dask distributed cluster (docs/python.md, "Sweeps"). The
``grid2gpu`` command (C++) runs local sweeps without Python; this entry point adds Dask."""

from __future__ import annotations

import argparse
import sys
from typing import List, Optional

from grid2gpu.errors import Grid2gpuError


def _exit_code(error: Grid2gpuError) -> int:
    """The ``grid2gpu`` command's exit code for the same error (apps/cli/common.hpp)."""
    from grid2gpu.errors import InternalError, NonConvergenceError

    if isinstance(error, NonConvergenceError):
        return 3
    if isinstance(error, InternalError):
        return 1
    return 2


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m grid2gpu")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("sweep", help="run a design sweep (docs/sweep.md)")
    run.add_argument("sweep_file", metavar="SWEEP", help="sweep file (grid2gpu_sweep: 1)")
    run.add_argument("--out", required=True, metavar="DIR",
                     help="write parts/, results.csv and timing.csv into DIR")
    run.add_argument("--scheduler", metavar="ADDRESS",
                     help="a Dask scheduler (tcp://HOST:PORT); default: this machine's cores")
    run.add_argument("--jobs", type=int, default=0,
                     help="threads of the local back-end (default: every core)")
    run.add_argument("--resume", action="store_true",
                     help="continue a sweep stopped part-way: skip the scenarios DIR/parts holds")
    run.add_argument("--hdf5", action="store_true", help="also write DIR/results.h5")
    run.add_argument("--html", metavar="FILE", help="also write the sweep's report page")
    run.add_argument("--allow-path", action="append", default=[], metavar="DIR",
                     help="a directory outside the sweep file's whose models may be read")
    run.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)

    from grid2gpu.sweeps import sweep

    client = None
    try:
        if args.scheduler:
            from distributed import Client

            client = Client(args.scheduler)
        results = sweep(args.sweep_file, args.out, client=client, jobs=args.jobs,
                        resume=args.resume, hdf5=args.hdf5, html=args.html,
                        progress=not args.quiet, allow_paths=args.allow_path)
    except Grid2gpuError as error:
        print(f"grid2gpu: {error}", file=sys.stderr)
        return _exit_code(error)
    except KeyboardInterrupt:
        print(f"grid2gpu: sweep stopped; the finished parts are in {args.out}/parts "
              "(fix: run the same command with --resume to continue)", file=sys.stderr)
        return 130
    finally:
        if client is not None:
            client.close()
    failed = int(results["error_kind"].notna().sum())
    print(f"sweep: {len(results)} scenarios, {failed} failed\nResults: {args.out}/results.csv")
    return 0


if __name__ == "__main__":
    sys.exit(main())
