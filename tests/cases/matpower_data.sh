#!/usr/bin/env bash
# Regenerates the data directory of tests/validation/test_published_cases.cpp: copies the
# MATPOWER case files case14.m, case118.m and case9241pegase.m and MATPOWER's LICENSE (as
# LICENSE-MATPOWER) out of a MATPOWER repository and, when Octave is installed, writes MATPOWER's
# own power-flow solution of each (<case>.pf.txt) with tests/cases/matpower_reference.m.
# tests/data/matpower/README.md (source, licences) is not touched: update its commit if the
# MATPOWER version changes.
#
# usage: tests/cases/matpower_data.sh MATPOWER_REPO [OUT_DIR]
#   MATPOWER_REPO  a clone of the MATPOWER repository: a work tree, or a bare repository (files
#                  are then read from its HEAD with git)
#   OUT_DIR        default: tests/data/matpower of this repository, where the tests look when
#                  G2G_MATPOWER_DATA is not set; give another directory to compare first
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
matpower="${1:?usage: $0 MATPOWER_REPO [OUT_DIR]}"
out="${2:-$repo_root/tests/data/matpower}"
cases=(case14 case118 case9241pegase)

mkdir -p "$out"
out="$(cd "$out" && pwd)"

if [[ -d "$matpower/lib" ]]; then
  source_tree="$matpower"  # work tree
  for c in "${cases[@]}"; do cp "$matpower/data/$c.m" "$out/$c.m"; done
  cp "$matpower/LICENSE" "$out/LICENSE-MATPOWER"
else
  git_dir="$matpower"
  [[ -d "$matpower/repo" ]] && git_dir="$matpower/repo"
  for c in "${cases[@]}"; do git --git-dir="$git_dir" show "HEAD:data/$c.m" > "$out/$c.m"; done
  git --git-dir="$git_dir" show HEAD:LICENSE > "$out/LICENSE-MATPOWER"
  source_tree="$(mktemp -d)"
  trap 'rm -rf "$source_tree"' EXIT
  git --git-dir="$git_dir" archive HEAD lib mips/lib mp-opt-model/lib mptest/lib |
    tar -x -C "$source_tree"
fi
echo "matpower_data: case files in $out"

if ! command -v octave > /dev/null; then
  echo "matpower_data: octave not found; install it (apt-get install octave) to write the" \
       "<case>.pf.txt reference solutions; MatchesMatpowerSolution needs them in OUT_DIR."
  exit 0
fi
# Octave 7 may print "ignoring const execution_exception& while preparing to exit" after a
# successful run; the exit status is what counts.
octave --no-gui --quiet --no-window-system --eval "
  addpath(genpath('$source_tree/lib'));
  addpath(genpath('$source_tree/mips/lib'));
  addpath(genpath('$source_tree/mp-opt-model/lib'));
  addpath(genpath('$source_tree/mptest/lib'));
  addpath('$here');
  matpower_reference('$out', '$out');"
