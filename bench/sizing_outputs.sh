#!/bin/bash
# Writes every sizing and comparison output of a grid2gpu binary into a directory, with what
# legitimately differs between runs masked (dates, the commit, timings, the binary's and the
# directory's paths), so that two builds can be compared byte for byte:
#
#   bench/sizing_outputs.sh /tmp/old/grid2gpu /tmp/out-old
#   bench/sizing_outputs.sh build/grid2gpu /tmp/out-new
#   diff -r /tmp/out-old /tmp/out-new
#
# Covers `size` (table, --full table, JSON, CSV, sized model) of the shipped examples under the
# default options and under options that make lines not fit (a drop limit nothing meets, an
# ambient above the busbar table's bar temperature, one run of at most 95 mm2), and `compare`
# (JSON, HTML, text) of the two 100 MW examples and of `make run`'s study. The progress lines of
# a multi-threaded compare (study.txt) come in any order: compare that file sorted.
# Run from the repository root; about a minute.
set -u
binary=$(realpath "$1")
out=$2
mkdir -p "$out"
out=$(realpath "$out")

size() {  # NAME MODEL OPTIONS...: table, JSON, CSV and exit code of one `size` run
  local name=$1 model=$2
  shift 2
  "$binary" size "$model" "$@" --json "$out/$name.json" --csv "$out/$name.csv" \
    >"$out/$name.txt" 2>&1
  echo "exit $?" >>"$out/$name.txt"
}

for example in legacy-415vac 800vdc-sst legacy-415vac-small 800vdc-gpu-hall 800vdc-tray \
  54vdc-busway pm400vdc physics-48v-rack-shelf; do
  model=examples/$example.yaml
  size "$example" "$model" -o "$out/$example.sized.yaml"
  "$binary" size "$model" --full >"$out/$example.full.txt" 2>&1
  size "$example.thin" "$model" --max-runs 1 --max-size 95mm2 --prefer copper
  size "$example.variant" "$model" --dc-busbar-rating ac --ambient 40C --method F --busbar-pe
  size "$example.drop" "$model" --max-runs 1 --max-drop 0.02%
  size "$example.hot" "$model" --ambient 70C
done
"$binary" compare examples/legacy-415vac.yaml examples/800vdc-sst.yaml --threads 1 \
  --json "$out/compare.json" --html "$out/compare.html" >"$out/compare.txt" 2>&1
"$binary" compare examples/legacy-415vac.yaml examples/800vdc-sst.yaml --threads 1 --no-claims \
  --max-drop 0.5% --ambient 45C --json "$out/compare-hot.json" >"$out/compare-hot.txt" 2>&1
"$binary" compare examples/study-100mw.yaml --html "$out/study.html" --json "$out/study.json" \
  >"$out/study.txt" 2>&1

/usr/bin/python3 - "$out" "$binary" <<'EOF'
import pathlib, re, sys
out, binary = sys.argv[1], sys.argv[2]
for path in pathlib.Path(out).iterdir():
    text = path.read_text(errors="replace")
    text = re.sub(r"\d{4}-\d{2}-\d{2}[T ][0-9:.]+Z?", "DATE", text)
    text = re.sub(r"(commit(\":\"|\": \"| <code>|</dt><dd><code>))[0-9a-f]{12}", r"\1COMMIT",
                  text, flags=re.I)
    text = re.sub(r" in [0-9.]+ s$", " in X s", text, flags=re.M)
    path.write_text(text.replace(binary, "BINARY").replace(out, "OUT"))
EOF
