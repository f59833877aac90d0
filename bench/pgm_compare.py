#!/usr/bin/env python3
"""Side-by-side benchmark of grid2gpu and power-grid-model (docs/benchmarks.md, "Against
power-grid-model"). For each size it generates one random radial 11 kV AC network
(`g2g_synth ac-radial N --seed S`, as model JSON for grid2gpu and as interchange text for
bench/pgm/pgm_bench), then runs, ROUNDS times, alternating which tool goes first:
  pgm_bench FILE --warm W                       power-grid-model in memory: build, first, warm
  g2g_resolve FILE --warm W                     grid2gpu: first solve of the loaded model, warm
  grid2gpu solve FILE --quiet --json OUT        grid2gpu's whole process (wall time)
It checks that both tools' bus voltages agree (max |V_g2g - V_pgm| in pu, complex) and prints,
per size, the median over rounds of each ratio (grid2gpu / power-grid-model) with its range:
  warm     median warm re-solve (api::Solver: update with new injections + solve) over
           the median warm Newton calculate
  first    first solve of a loaded model over power-grid-model's first calculate
  first/cold   the same over power-grid-model's construction + first calculate
  process  whole `grid2gpu solve` process over power-grid-model's in-memory cold path
           (construction + first calculate)

usage: bench/pgm_compare.py [--sizes 10000 100000 1000000] [--rounds 5] [--warm 10]
       [--seed 1] [--build build] [--pgm build-pgm/pgm_bench] [--work /tmp/g2g-pgm]
"""
import argparse
import cmath
import json
import os
import statistics
import subprocess
import sys
import time


def run_json(command):
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def voltages(path):
    table = {}
    with open(path) as f:
        for line in f:
            index, v, angle = line.split()
            table[int(index)] = cmath.rect(float(v), float(angle))
    return table


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000, 1000000])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--warm", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--build", default="build")
    parser.add_argument("--pgm", default="build-pgm/pgm_bench")
    parser.add_argument("--work", default="/tmp/g2g-pgm")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    synth = os.path.join(args.build, "bench", "g2g_synth")
    resolve = os.path.join(args.build, "bench", "g2g_resolve")
    cli = os.path.join(args.build, "grid2gpu")

    for size in args.sizes:
        stem = os.path.join(args.work, f"ac{size}_seed{args.seed}")
        subprocess.run([synth, "ac-radial", str(size), "--seed", str(args.seed), "--json",
                        stem + ".json", "--pgm", stem + ".txt"], check=True, capture_output=True)
        # Agreement, once, outside the timed rounds.
        pgm = run_json([args.pgm, stem + ".txt", "--warm", "0", "--voltages", stem + ".pgm.v"])
        g2g = run_json([resolve, stem + ".json", "--warm", "0", "--voltages", stem + ".g2g.v"])
        a, b = voltages(stem + ".pgm.v"), voltages(stem + ".g2g.v")
        max_dv = max(abs(a[i] - b[i]) for i in a)
        print(f"{size} buses: max |dV| {max_dv:.2g} pu; Newton iterations grid2gpu "
              f"{g2g['iterations']}, power-grid-model {pgm['iterations']:g}")

        ratios = {"warm": [], "first": [], "first/cold": [], "process": []}
        times = {key: [] for key in ("pgm warm", "pgm first", "pgm cold", "g2g warm",
                                     "g2g first", "g2g process")}
        for r in range(args.rounds):
            results = {}

            def run_pgm():
                results["pgm"] = run_json([args.pgm, stem + ".txt", "--warm", str(args.warm)])

            def run_g2g():
                results["g2g"] = run_json([resolve, stem + ".json", "--warm", str(args.warm)])
                start = time.perf_counter()
                subprocess.run([cli, "solve", stem + ".json", "--quiet", "--json",
                                stem + ".out.json"], check=True, capture_output=True)
                results["process"] = time.perf_counter() - start

            for step in ((run_pgm, run_g2g) if r % 2 == 0 else (run_g2g, run_pgm)):
                step()
            p, g = results["pgm"], results["g2g"]
            pgm_warm, g2g_warm = statistics.median(p["warm"]), statistics.median(g["warm"])
            ratios["warm"].append(g2g_warm / pgm_warm)
            ratios["first"].append(g["first"] / p["first"])
            ratios["first/cold"].append(g["first"] / p["cold"])
            ratios["process"].append(results["process"] / p["cold"])
            for key, value in (("pgm warm", pgm_warm), ("pgm first", p["first"]),
                               ("pgm cold", p["cold"]), ("g2g warm", g2g_warm),
                               ("g2g first", g["first"]), ("g2g process", results["process"])):
                times[key].append(value)
        print("  medians (ms): " + ", ".join(f"{k} {1e3 * statistics.median(v):.3g}"
                                              for k, v in times.items()))
        for key, values in ratios.items():
            print(f"  {key:10s} {statistics.median(values):.2f}  "
                  f"(min {min(values):.2f}, max {max(values):.2f})")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
