#!/usr/bin/env bash
# Builds bench/pgm's harness against power-grid-model v1.10.56 (docs/benchmarks.md).
#   bench/pgm/setup.sh [MIRROR]    MIRROR: a git directory holding power-grid-model's history
#                                  (default: $PGM_MIRROR); BUILD dir: $PGM_BUILD or build-pgm/
# Extracts the tag with `git archive` (no network), configures bench/pgm with CMake, builds
# pgm_bench. Needs scripts/setup --bench-peers (Boost and msgpack headers).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
mirror="${1:-${PGM_MIRROR:-}}"
tag="${PGM_TAG:-v1.10.56}"
build="${PGM_BUILD:-$root/build-pgm}"
[[ -n "$mirror" ]] || { echo "setup.sh: give the power-grid-model git mirror (argument or PGM_MIRROR)" >&2; exit 2; }
src="$build/power-grid-model-$tag"
if [[ ! -f "$src/VERSION" ]]; then
  mkdir -p "$src"
  git --git-dir="$mirror" archive "$tag" | tar -x -C "$src"
fi
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPGM_SOURCE_DIR="$src"
cmake --build "$build" -j2
echo "setup.sh: $build/pgm_bench"
