#!/usr/bin/env python3
"""Times the warm re-solve of two g2g_resolve binaries alternately (A, B, B, A, ...) and prints,
per round, each one's median warm re-solve and their ratio, then the median ratio with its range
and the minimum of each (docs/benchmarks.md, "Against power-grid-model"). Alternating spreads a
shared machine's load over both.

usage: bench/alternate_warm.py G2G_RESOLVE_A G2G_RESOLVE_B MODEL.json WARM ROUNDS
"""
import json
import statistics
import subprocess
import sys


def main() -> int:
    if len(sys.argv) != 6:
        print(__doc__, file=sys.stderr)
        return 2
    a, b, model, warm, rounds = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
    medians = {a: [], b: []}
    minima = {a: [], b: []}
    ratios = []
    for r in range(rounds):
        got = {}
        for program in (a, b) if r % 2 == 0 else (b, a):
            out = subprocess.run([program, model, "--warm", warm], check=True,
                                 capture_output=True, text=True).stdout
            warm_s = json.loads(out.strip().splitlines()[-1])["warm"]
            got[program] = statistics.median(warm_s)
            medians[program].append(got[program])
            minima[program].append(min(warm_s))
        ratios.append(got[b] / got[a])
        print(f"round {r}: A {1e3 * got[a]:.1f} ms B {1e3 * got[b]:.1f} ms B/A {ratios[-1]:.3f}",
              flush=True)
    print(f"A median {1e3 * statistics.median(medians[a]):.1f} ms | B median "
          f"{1e3 * statistics.median(medians[b]):.1f} ms | B/A median "
          f"{statistics.median(ratios):.3f} ({min(ratios):.3f}-{max(ratios):.3f})")
    print(f"A min {1e3 * min(minima[a]):.1f} ms | B min {1e3 * min(minima[b]):.1f} ms | "
          f"B/A min {min(minima[b]) / min(minima[a]):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
