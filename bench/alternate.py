#!/usr/bin/env python3
"""Times two commands alternately (A, B, A, B, ...) and prints the median and minimum wall time
of each and the ratio of the medians. Alternating spreads a shared machine's load over both.

usage: bench/alternate.py PROGRAM_A PROGRAM_B "ARGUMENTS" RUNS
e.g.   bench/alternate.py /tmp/grid2gpu-old build/grid2gpu "solve dc100000.json --quiet --json o.json" 10
"""
import shlex
import statistics
import subprocess
import sys
import time


def main() -> int:
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    program_a, program_b, arguments, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    times = {program_a: [], program_b: []}
    for _ in range(runs):
        for program in (program_a, program_b):
            start = time.perf_counter()
            subprocess.run([program, *shlex.split(arguments)], check=True, capture_output=True)
            times[program].append(time.perf_counter() - start)
    a, b = times[program_a], times[program_b]
    print(f"A median {1e3 * statistics.median(a):.1f} ms min {1e3 * min(a):.1f} | "
          f"B median {1e3 * statistics.median(b):.1f} ms min {1e3 * min(b):.1f} | "
          f"B/A median {statistics.median(b) / statistics.median(a):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
