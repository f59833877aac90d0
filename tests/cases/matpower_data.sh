#!/usr/bin/env bash
# Prepares the data directory of tests/validation/test_published_cases.cpp: copies the MATPOWER
# case files case14.m, case118.m and case9241pegase.m out of a MATPOWER repository and, when
# Octave is installed, writes MATPOWER's own power-flow solution of each (<case>.pf.txt) with
# tests/cases/matpower_reference.m. Nothing is written into this repository.
#
# usage: tests/cases/matpower_data.sh MATPOWER_REPO [OUT_DIR]
#   MATPOWER_REPO  a clone of the MATPOWER repository: a work tree, or a bare repository (files
#                  are then read from its HEAD with git)
#   OUT_DIR        default: ../shared/reference/matpower beside this repository, where the tests
#                  look when G2G_MATPOWER_DATA is not set
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
matpower="${1:?usage: $0 MATPOWER_REPO [OUT_DIR]}"
out="${2:-$repo_root/../shared/reference/matpower}"
cases=(case14 case118 case9241pegase)

mkdir -p "$out"
out="$(cd "$out" && pwd)"

if [[ -d "$matpower/lib" ]]; then
  source_tree="$matpower"  # work tree
  for c in "${cases[@]}"; do cp "$matpower/data/$c.m" "$out/$c.m"; done
else
  git_dir="$matpower"
  [[ -d "$matpower/repo" ]] && git_dir="$matpower/repo"
  for c in "${cases[@]}"; do git --git-dir="$git_dir" show "HEAD:data/$c.m" > "$out/$c.m"; done
  source_tree="$(mktemp -d)"
  trap 'rm -rf "$source_tree"' EXIT
  git --git-dir="$git_dir" archive HEAD lib mips/lib mp-opt-model/lib mptest/lib |
    tar -x -C "$source_tree"
fi
echo "matpower_data: case files in $out"

if ! command -v octave > /dev/null; then
  echo "matpower_data: octave not found; install it (apt-get install octave) to write the" \
       "<case>.pf.txt reference solutions. Without them only PowerFlowEquationsHold runs."
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
