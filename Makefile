# The two commands a new user needs: `make run` and `make test`. Both install what is missing.
JOBS ?= $(shell nproc)

.PHONY: setup build install run test test-release test-asan test-solver solver-config bench fuzz format tidy tidy-tests clean

setup:
	@scripts/setup

build: setup
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

# The Python module (docs/python.md) for Debian's python3: into /usr/local/lib/python3.11/
# dist-packages by default (may need sudo), or under PREFIX=DIR (then DIR/lib/python3.11/
# site-packages goes on PYTHONPATH).
PREFIX ?= /usr/local

install: build
	@cmake --preset release -DCMAKE_INSTALL_PREFIX=$(PREFIX) >/dev/null
	@cmake --install build --component python

# The default study: five reference architectures of a 100 MW hall under every assumption set.
STUDY = examples/study-100mw.yaml

run: build
	@mkdir -p out
	./build/grid2gpu compare $(STUDY) --html out/report.html --json out/compare.json

test: solver-config test-release test-asan

test-release: build
	@ctest --preset release -j $(JOBS)

test-asan: setup
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)
	@ctest --preset asan -j $(JOBS)

# The engine without the report (docs/architecture.md § Layers): no Graphviz (pkg-config finds
# nothing), no web/node_modules, no CLI. solver-config only configures it, in `make test` and CI
# (fresh build-solver/: 1.4 s wall on a quiet machine, 13 s at load 5, `time make solver-config`);
# the release build already links the engine's tests without g2g_report. test-solver also builds
# and runs its tests (fresh, no ccache: 441 s wall at load 4-5 on 2 cores).
SOLVER_ENV = PKG_CONFIG_LIBDIR=/nonexistent PKG_CONFIG_PATH=

solver-config: setup
	@$(SOLVER_ENV) cmake --preset solver >/dev/null

test-solver: setup solver-config
	@$(SOLVER_ENV) cmake --build --preset solver -j $(JOBS)
	@ctest --preset solver -j $(JOBS)

bench: build
	@./build/bench/g2g_bench --benchmark_counters_tabular=true

# Every libFuzzer target for FUZZ_SECONDS (default 60) each, on its corpus in fuzz/ (fuzz/README.md).
# New inputs go to build-fuzz/corpus-*; a finding stops the run (exit non-zero) and leaves its
# input in build-fuzz/ (crash-*, timeout-*, oom-*). CI runs this with the default 60 s.
FUZZ_TARGETS = model_loader:corpus converter_spec:corpus-spec part_files:corpus-parts matpower:corpus-matpower scenario_loader:corpus-scenario

fuzz: setup
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz -j $(JOBS)
	@set -e; for t in $(FUZZ_TARGETS); do \
	  name=$${t%%:*}; corpus=$${t##*:}; mkdir -p build-fuzz/$$corpus; \
	  dict=; [ "$$name" = model_loader ] && dict=-dict=fuzz/model.dict; \
	  echo "fuzz_$$name: $${FUZZ_SECONDS:-60} s on fuzz/$$corpus"; \
	  ./build-fuzz/fuzz/fuzz_$$name $$dict -max_total_time=$${FUZZ_SECONDS:-60} -rss_limit_mb=2048 \
	    -timeout=20 -artifact_prefix=build-fuzz/ -print_final_stats=1 build-fuzz/$$corpus fuzz/$$corpus \
	    2>build-fuzz/fuzz_$$name.log || { tail -40 build-fuzz/fuzz_$$name.log; exit 1; }; \
	  grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' build-fuzz/fuzz_$$name.log; \
	done

format:
	@clang-format -i $$(git ls-files '*.cpp' '*.hpp')

tidy: build
	@run-clang-tidy -quiet -p build $$(git ls-files 'src/*.cpp' 'apps/*.cpp')

# The tests compile in unity batches, and clang-tidy needs each file compiled alone: a tree that
# is only configured (build-tidy/, no unity batches) gives it one command per test file.
tidy-tests: setup
	@cmake --preset release -B build-tidy -DG2G_UNITY_BUILD=OFF >/dev/null
	@run-clang-tidy -quiet -p build-tidy $$(git ls-files 'tests/*.cpp')

clean:
	rm -rf build build-debug build-asan build-fuzz build-solver build-tidy out
