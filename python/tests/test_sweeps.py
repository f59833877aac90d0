"""Sweeps from Python: the plan, the local back-end against the ``grid2gpu sweep`` command, a
real Dask LocalCluster against the local back-end (results.csv byte for byte), failing
scenarios, resume after a stop part-way, results.h5 and the report page."""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, Iterator

import pandas as pd
import pytest
import yaml

import grid2gpu
from grid2gpu.errors import FileError, InvalidInput, ModelError

from conftest import FEEDER, SOURCE_DIR

CLI = os.environ.get("G2G_CLI", str(SOURCE_DIR / "build" / "grid2gpu"))


def write_feeder(directory: Path) -> None:
    """The conftest feeder with its cable length and load as parameters, as a model file."""
    model = copy.deepcopy(FEEDER)
    model["parameters"] = {"load_power": "100 kW", "feeder_length": "100 m"}
    model["components"][1]["length"] = "$feeder_length"
    (directory / "feeder.yaml").write_text(yaml.safe_dump(model, sort_keys=False))


def feeder_sweep(**changes: Any) -> Dict[str, Any]:
    """A grid over the feeder: 1 GW has no operating point, -5 m is not a valid length."""
    sweep: Dict[str, Any] = {
        "grid2gpu_sweep": 1,
        "name": "feeder",
        "models": ["feeder.yaml"],
        "parameters": {
            "load_power": ["50 kW", "100 kW", "200 kW", "1 GW"],
            "feeder_length": ["-5 m", "20 m", "100 m", "300 m"],
        },
        "outputs": ["end_to_end_efficiency", "loss_w", "distribution_loss_w", "iterations"],
    }
    sweep.update(changes)
    return sweep


@pytest.fixture
def work(tmp_path: Path) -> Path:
    write_feeder(tmp_path)
    (tmp_path / "feeder-sweep.yaml").write_text(yaml.safe_dump(feeder_sweep(), sort_keys=False))
    return tmp_path


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as local:
        with Client(local) as client:
            yield client


def test_plan_from_a_file_and_from_a_dict_are_the_same(work: Path) -> None:
    from_file = grid2gpu.plan(work / "feeder-sweep.yaml")
    from_dict = grid2gpu.plan(feeder_sweep(), base_dir=work)
    assert from_file.scenario_count == 16
    assert from_dict.scenario_count == 16
    assert from_file.parameter_columns == ["load_power_w", "feeder_length_m"]
    assert from_file.columns == from_dict.columns
    assert from_file.scenarios(list(range(16))) == from_dict.scenarios(list(range(16)))


def test_a_wrong_sweep_is_a_model_error_with_its_location(work: Path) -> None:
    sweep = feeder_sweep(parameters={"load_powr": ["1 kW"]})
    (work / "bad.yaml").write_text(yaml.safe_dump(sweep, sort_keys=False))
    with pytest.raises(ModelError) as caught:
        grid2gpu.plan(work / "bad.yaml")
    diagnostic = caught.value.diagnostics[0]
    assert diagnostic.file.endswith("bad.yaml")
    assert diagnostic.line > 0
    assert "load_power" in diagnostic.fix or "load_power" in diagnostic.message


def test_failing_scenarios_are_rows_and_the_sweep_goes_on(work: Path) -> None:
    results = grid2gpu.sweep(work / "feeder-sweep.yaml", work / "out", progress=False)
    assert len(results) == 16
    kinds = results.set_index(["load_power_w", "feeder_length_m"])["error_kind"]
    assert kinds[(1e9, 100.0)] == "no solution"
    assert kinds[(100e3, -5.0)] == "invalid input"
    fine = results[results["error_kind"].isna()]
    assert len(fine) == 9  # 3 powers x 3 valid lengths
    assert (fine["end_to_end_efficiency"] > 0.9).all()
    # The loss grows with the length at a given power.
    at_100kw = fine[fine["load_power_w"] == 100e3].sort_values("feeder_length_m")
    assert at_100kw["loss_w"].is_monotonic_increasing
    failed = results[results["error_kind"].notna()]
    assert failed["end_to_end_efficiency"].isna().all()
    assert failed["error_message"].str.len().min() > 0


@pytest.mark.parametrize("dask", [False, True])
def test_outputs_never_overwrite_an_input(work: Path, cluster: Any, dask: bool) -> None:
    # The sweep file itself is named results.csv and lies in the output directory.
    sweep = work / "results.csv"
    shutil.copy(work / "feeder-sweep.yaml", sweep)
    before = sweep.read_bytes()
    with pytest.raises(FileError) as caught:
        grid2gpu.sweep(sweep, work, client=cluster if dask else None, progress=False)
    assert caught.value.operation == "write"
    # The page may not be written over the sweep file either, and that is known before any
    # scenario runs: no results are left behind.
    with pytest.raises(FileError):
        grid2gpu.sweep(work / "feeder-sweep.yaml", work / f"out-{dask}", progress=False,
                       client=cluster if dask else None, html=work / "feeder-sweep.yaml")
    assert not (work / f"out-{dask}" / "results.csv").exists()
    assert sweep.read_bytes() == before
    assert (work / "feeder-sweep.yaml").read_text().startswith("grid2gpu_sweep")


def test_python_local_back_end_equals_the_command(work: Path) -> None:
    grid2gpu.sweep(work / "feeder-sweep.yaml", work / "py", jobs=2, progress=False)
    subprocess.run([CLI, "sweep", str(work / "feeder-sweep.yaml"), "--out", str(work / "cli"),
                    "--jobs", "1", "-q"], check=True, capture_output=True)
    assert (work / "py" / "results.csv").read_bytes() == (work / "cli" / "results.csv").read_bytes()


def test_dask_cluster_equals_the_local_back_end(work: Path, cluster: Any) -> None:
    sweep = SOURCE_DIR / "examples" / "sweep-rack-power.yaml"
    local = grid2gpu.sweep(sweep, work / "local", progress=False)
    dask = grid2gpu.sweep(sweep, work / "dask", client=cluster, progress=False,
                          target_seconds=0.05)
    assert len(dask) == len(local) > 100
    assert len(list((work / "dask" / "parts").iterdir())) > 2  # more than one task's batch
    assert (work / "dask" / "results.csv").read_bytes() == \
        (work / "local" / "results.csv").read_bytes()
    # Timing lives in its own file, so results.csv carries no time.
    assert "seconds" not in local.columns
    assert (work / "dask" / "timing.csv").exists()


def test_dask_resume_after_a_stop_part_way(work: Path, cluster: Any) -> None:
    sweep = work / "feeder-sweep.yaml"
    grid2gpu.sweep(sweep, work / "whole", client=cluster, progress=False, target_seconds=0.0)
    grid2gpu.sweep(sweep, work / "stopped", client=cluster, progress=False, target_seconds=0.0)
    parts = sorted((work / "stopped" / "parts").iterdir())
    assert len(parts) >= 2
    for part in parts[len(parts) // 2:]:
        part.unlink()  # as if the run had stopped here
    (work / "stopped" / "results.csv").unlink()
    with pytest.raises(InvalidInput):
        grid2gpu.sweep(sweep, work / "stopped", client=cluster, progress=False)
    grid2gpu.sweep(sweep, work / "stopped", client=cluster, progress=False, resume=True)
    assert (work / "stopped" / "results.csv").read_bytes() == \
        (work / "whole" / "results.csv").read_bytes()


def test_module_command_with_a_scheduler(work: Path, cluster: Any) -> None:
    address = cluster.scheduler.address
    env = dict(os.environ)
    run = subprocess.run(
        [sys.executable, "-m", "grid2gpu", "sweep", str(work / "feeder-sweep.yaml"),
         "--out", str(work / "module"), "--scheduler", address, "--quiet", "--hdf5",
         "--html", str(work / "sweep.html")],
        capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    assert "16 scenarios, 7 failed" in run.stdout
    results = pd.read_csv(work / "module" / "results.csv", keep_default_na=False, na_values=[""])
    stored = pd.read_hdf(work / "module" / "results.h5", "results")
    pd.testing.assert_frame_equal(results, stored)
    page = (work / "sweep.html").read_text()
    assert 'id="sweep-parameters"' in page and "g2g-sweep-data" in page


def test_module_command_reports_a_bad_sweep(work: Path) -> None:
    (work / "bad.yaml").write_text("grid2gpu_sweep: 1\nmodels: [missing.yaml]\n")
    run = subprocess.run([sys.executable, "-m", "grid2gpu", "sweep", str(work / "bad.yaml"),
                          "--out", str(work / "o"), "--quiet"], capture_output=True, text=True)
    assert run.returncode == 2
    assert "missing.yaml" in run.stderr
