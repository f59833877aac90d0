"""The grid2gpu Python module against the library and the CLI (docs/python.md)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, List

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest

import grid2gpu
from grid2gpu import _core


def test_import_exposes_the_api() -> None:
    for name in ["load", "Model", "Result", "Solver", "size", "compare", "converter", "report",
                 "Grid2gpuError", "ModelError", "NonConvergenceError", "FileError",
                 "DesignError", "InvalidInput", "SizingOptionsError", "IntegrationError",
                 "InternalError"]:
        assert hasattr(grid2gpu, name), name
    assert issubclass(grid2gpu.SizingOptionsError, grid2gpu.InvalidInput)
    assert all(issubclass(e, grid2gpu.Grid2gpuError) for e in [
        grid2gpu.ModelError, grid2gpu.NonConvergenceError, grid2gpu.FileError,
        grid2gpu.DesignError, grid2gpu.InvalidInput, grid2gpu.IntegrationError,
        grid2gpu.InternalError])


# ---- errors, each provoked for real -------------------------------------------------------

def test_model_error_lists_every_diagnostic_with_its_place() -> None:
    text = "grid2gpu: 1\nname: bad\nbuses:\n  - {id: b, kind: dc, voltage: 800 V}\n" \
           "components:\n  - {id: s, type: dc_source, bus: b}\n" \
           "  - {id: l, type: load, bus: b, powr: 1 kW}\n  - {id: m, type: load, bus: nowhere}\n"
    with pytest.raises(grid2gpu.ModelError) as caught:
        grid2gpu.load(text=text, format="yaml", name="bad.yaml")
    diagnostics = caught.value.diagnostics
    assert len(diagnostics) >= 2
    unknown_key = next(d for d in diagnostics if "powr" in d.message)
    assert (unknown_key.severity, unknown_key.file, unknown_key.line) == ("error", "bad.yaml", 7)
    assert unknown_key.column > 0
    assert "power" in unknown_key.fix  # did you mean 'power'?
    assert any("nowhere" in d.message for d in diagnostics)


def test_dict_input_names_the_json_path(feeder: Dict[str, Any]) -> None:
    feeder["components"][1]["length"] = "-3 m"
    with pytest.raises(grid2gpu.ModelError) as caught:
        grid2gpu.load(feeder)
    paths = [d.path for d in caught.value.diagnostics]
    assert "components[1].length" in paths, paths


def test_non_convergence_error_has_its_fields(feeder: Dict[str, Any]) -> None:
    model = grid2gpu.load(feeder, set={"load_power": "1 GW"})
    with pytest.raises(grid2gpu.NonConvergenceError) as caught:
        model.solve()
    error = caught.value
    assert error.worst_bus_id == "rack"
    assert error.iterations > 0
    assert error.max_mismatch_pu > 0.0


def test_file_error_has_path_operation_and_reason(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    with pytest.raises(grid2gpu.FileError) as caught:
        grid2gpu.load(missing)
    assert caught.value.path == str(missing)
    assert caught.value.operation == "read"
    assert "No such file" in caught.value.reason


def test_design_error_names_design_and_field(source_dir: Path) -> None:
    spec = source_dir / "examples/converters/claims-buck-48v-12v.yaml"
    with pytest.raises(grid2gpu.DesignError) as caught:
        grid2gpu.converter.evaluate(spec, v_in="12 V", v_out="48 V")
    assert caught.value.field == "v_out"
    assert caught.value.design
    assert "input voltage above the output" in caught.value.fix


def test_sizing_options_error_has_option_and_value(source_dir: Path) -> None:
    model = grid2gpu.load(source_dir / "examples/legacy-415vac-small.yaml")
    with pytest.raises(grid2gpu.SizingOptionsError) as caught:
        grid2gpu.size(model, max_parallel_runs=0)
    assert (caught.value.option, caught.value.value) == ("max_parallel_runs", "0")
    with pytest.raises(grid2gpu.SizingOptionsError) as caught:
        grid2gpu.size(model, ambient="95 C")
    assert caught.value.option == "ambient" and caught.value.value == "95 °C"


def test_invalid_input_names_its_subject(source_dir: Path) -> None:
    spec = source_dir / "examples/converters/cpes-3kw-llc-400v-48v.yaml"
    with pytest.raises(grid2gpu.InvalidInput) as caught:
        grid2gpu.converter.efficiency_map(spec, load_steps=1)
    assert caught.value.subject == "load steps"


def test_anything_else_is_an_internal_error_to_report() -> None:
    with pytest.raises(grid2gpu.InternalError, match="please report"):
        _core._raise_internal_error_for_test()


# ---- results ------------------------------------------------------------------------------

NUMERIC = {
    "buses": ["voltage_v", "v_pu", "angle_deg", "nominal_voltage_v"],
    "elements": ["p_in_w", "p_out_w", "q_in_var", "q_out_var", "loss_w", "current_a",
                 "current_out_a", "loading_pct"],
    "totals": ["value"],
    "violations": ["value", "limit"],
}


def assert_equals_csv(result: grid2gpu.Result, directory: Path) -> None:
    for table, numeric in NUMERIC.items():
        frame = getattr(result, table)
        # read_csv types whole-number columns as int64; the module's numbers are always float64.
        expected = pd.read_csv(directory / f"{table}.csv",
                               dtype={c: "float64" for c in numeric} if len(frame) else None)
        pdt.assert_frame_equal(frame, expected)
        pdt.assert_frame_equal(frame, pd.read_csv(directory / f"{table}.csv"), check_dtype=False)


def test_dataframes_equal_the_cli_csv_files(source_dir: Path, cli: Path, tmp_path: Path) -> None:
    example = source_dir / "examples/800vdc-sst.yaml"
    subprocess.run([str(cli), "solve", str(example), "--quiet", "--csv", str(tmp_path)],
                   check=True)
    result = grid2gpu.load(example).solve()
    assert list(result.elements.columns) == [
        "id", "type", "kind", "subtype", "from_bus", "to_bus", "p_in_w", "p_out_w", "q_in_var",
        "q_out_var", "loss_w", "current_a", "current_out_a", "loading_pct"]
    assert len(result.buses) == 4251
    assert_equals_csv(result, tmp_path)
    assert result.stats.iterations > 0
    assert result.stats.max_mismatch_pu < 1e-6


def test_dataframes_equal_the_bound_csv_writer(source_dir: Path, tmp_path: Path) -> None:
    result = grid2gpu.load(source_dir / "examples/legacy-415vac-small.yaml").solve()
    result.write_csv(tmp_path)
    assert_equals_csv(result, tmp_path)
    assert result.elements["p_in_w"].dtype == np.float64


def test_set_re_expands_templates(source_dir: Path) -> None:
    model = grid2gpu.load(source_dir / "examples/800vdc-sst.yaml")
    assert model.counts["loads"] == 800  # 100 MW of 125 kW racks
    model.set("rack_power", "1 MW")
    assert model.counts["loads"] == 100
    assert model.counts["buses"] < 4251
    assert model.overrides == {"rack_power": "1 MW"}
    assert model.parameters["rack_power"] == 1e6
    model.set("rack_power", 250e3)  # a number is SI
    assert model.counts["loads"] == 400
    totals = model.solve().totals.set_index("name")["value"]
    assert totals["load_w"] == pytest.approx(100e6, rel=1e-6)


def test_failed_set_leaves_the_model_unchanged(feeder: Dict[str, Any]) -> None:
    model = grid2gpu.load(feeder)
    with pytest.raises(grid2gpu.ModelError):
        model.set("load_power", "12 V")  # a voltage where a power is needed
    assert model.overrides == {}
    assert model.parameters["load_power"] == 100e3


def test_edit_uses_the_file_keys_and_survives_set(feeder: Dict[str, Any]) -> None:
    model = grid2gpu.load(feeder)
    before = model.solve().elements.set_index("id").loc["feeder", "loss_w"]
    model.edit("feeder", cross_section="25 mm2")  # half the copper: twice the loss
    after = model.solve().elements.set_index("id").loc["feeder", "loss_w"]
    assert after == pytest.approx(2 * before, rel=0.05)  # more current at a lower voltage
    model.set("load_power", "50 kW")
    assert model.edits == [("feeder", "cross_section", "25 mm2")]
    quarter = model.solve().elements.set_index("id").loc["feeder", "loss_w"]
    assert quarter == pytest.approx(after / 4, rel=0.05)


def test_edit_is_checked_by_the_key_table(feeder: Dict[str, Any], source_dir: Path) -> None:
    model = grid2gpu.load(feeder)
    with pytest.raises(grid2gpu.ModelError) as caught:
        model.edit("feeder", cross_sectoin="25 mm2")
    assert "cross_section" in caught.value.diagnostics[0].fix
    with pytest.raises(grid2gpu.ModelError) as caught:
        model.edit("feedr", length="3 m")
    assert "feeder" in caught.value.diagnostics[0].fix
    with pytest.raises(grid2gpu.ModelError) as caught:
        model.edit("feeder", length="-3 m")
    assert "length" in caught.value.diagnostics[0].message
    assert model.edits == []
    small = grid2gpu.load(source_dir / "examples/legacy-415vac-small.yaml")
    with pytest.raises(grid2gpu.ModelError, match="template"):
        small.edit("rack[1]/psu", rating="50 kW")
    small.edit("ups1", efficiency="98.5 %")
    ups = small.solve().elements.set_index("id").loc["ups1"]
    assert ups["loss_w"] == pytest.approx(ups["p_in_w"] * 0.015, rel=1e-6)


def test_solver_re_solves_warm(feeder: Dict[str, Any]) -> None:
    model = grid2gpu.load(feeder)
    solver = model.solver()
    first = solver.solve()
    heavier = grid2gpu.load(feeder, set={"load_power": "200 kW"})
    assert solver.update_loads(heavier)
    second = solver.solve()
    assert second.totals.set_index("name")["value"]["load_w"] == pytest.approx(200e3)
    assert first.totals.set_index("name")["value"]["load_w"] == pytest.approx(100e3)


def test_size_returns_a_line_per_line(source_dir: Path) -> None:
    model = grid2gpu.load(source_dir / "examples/legacy-415vac-small.yaml")
    sized = grid2gpu.size(model, method="E", ambient="35 C")
    assert len(sized.lines) == model.counts["lines"]
    assert sized.copper_kg > 0
    assert set(sized.lines["status"]) <= {"sized", "no_fit", "not_sized"}


# ---- compare, converter, report -----------------------------------------------------------

def test_compare_two_models(source_dir: Path) -> None:
    lines: List[str] = []
    result = grid2gpu.compare(
        [source_dir / "examples/legacy-415vac.yaml", source_dir / "examples/800vdc-sst.yaml"],
        size_conductors=False, progress=lines.append)
    assert result.architectures == ["legacy-415vac", "800vdc-sst"]
    document = result.document()
    assert document["grid2gpu_compare"] == 2
    assert len(document["architectures"]) == 2
    assert document["claims"]
    assert lines
    if _core.has_report:
        page = grid2gpu.report.html(result)
        assert page.lstrip().lower().startswith("<!doctype html")


def test_compare_with_overrides_changes_the_result(source_dir: Path) -> None:
    models = [source_dir / "examples/legacy-415vac.yaml", source_dir / "examples/800vdc-sst.yaml"]
    base = grid2gpu.compare(models, size_conductors=False, check_claims=False).document()
    big = grid2gpu.compare(models, size_conductors=False, check_claims=False,
                           set={"rack_power": "1 MW"}).document()
    assert base["architectures"] != big["architectures"]


def test_converter_point_and_map(source_dir: Path) -> None:
    spec = source_dir / "examples/converters/cpes-3kw-llc-400v-48v.yaml"
    point = grid2gpu.converter.evaluate(spec)
    assert 0.9 < point["efficiency"] < 1.0
    assert point["p_in_w"] - point["p_out_w"] == pytest.approx(point["loss"]["total_w"], rel=1e-6)
    half = grid2gpu.converter.evaluate(spec, p_out=point["p_out_w"] / 2)
    assert half["p_out_w"] == pytest.approx(point["p_out_w"] / 2)
    table = grid2gpu.converter.efficiency_map(spec, load_steps=4, v_in_span="10 %")
    assert len(table) == 12
    assert list(table["load_fraction"][:4]) == [0.25, 0.5, 0.75, 1.0]
    assert table["efficiency"].iloc[7] == pytest.approx(point["efficiency"], rel=1e-9)


def test_ctrl_c_cancels_a_comparison(source_dir: Path) -> None:
    # A child process runs a sized comparison of the 100 MW study (seconds of work); SIGINT after
    # its first progress line must end it with KeyboardInterrupt well before it would finish.
    script = (
        "import sys, time, grid2gpu\n"
        "def progress(line):\n"
        "    print('progress', flush=True)\n"
        "start = time.perf_counter()\n"
        "try:\n"
        f"    grid2gpu.compare({str(source_dir / 'examples/study-100mw.yaml')!r},"
        " progress=progress)\n"
        "except KeyboardInterrupt:\n"
        "    print('interrupted', time.perf_counter() - start, flush=True)\n"
        "    sys.exit(7)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "progress"
    child.send_signal(signal.SIGINT)
    output, _ = child.communicate(timeout=120)
    assert child.returncode == 7, output
    assert "interrupted" in output


def test_compare_models_re_reads_their_text_with_overrides_and_edits(source_dir: Path) -> None:
    paths = [source_dir / "examples/legacy-415vac.yaml", source_dir / "examples/800vdc-sst.yaml"]
    options: Dict[str, Any] = {"size_conductors": False}
    from_files = grid2gpu.compare(paths, set={"rack_power": "1 MW"}, **options).document()
    models = [grid2gpu.load(p, set={"rack_power": "1 MW"}) for p in paths]
    from_models = grid2gpu.compare(models, **options)
    assert from_models.architectures == ["legacy-415vac", "800vdc-sst"]
    document = from_models.document()
    assert document["architectures"] == from_files["architectures"]
    assert document["claims"] == from_files["claims"]
    # An edit is kept through every scenario's re-read: the utility held at 1.05 pu changes
    # the legacy hall's currents and losses, not the 800 V DC one's.
    edited = grid2gpu.compare([models[0].edit("utility", voltage="1.05"), models[1]], **options)
    architectures = edited.document()["architectures"]
    assert architectures[0] != document["architectures"][0]
    assert architectures[1] == document["architectures"][1]


# ---- simulate: the same API calls as `grid2gpu simulate` ------------------------------------

HALL = "examples/800vdc-gpu-hall.yaml"
JOB_START = "examples/scenarios/job-start-dip.yaml"


def _without_wall_times(summary: Dict[str, Any]) -> Dict[str, Any]:
    out = dict(summary)
    out["integrator"] = {k: v for k, v in summary["integrator"].items() if k != "wall_time_s"}
    return out


def test_simulate_equals_the_cli_summary_and_csv(source_dir: Path, cli: Path,
                                                 tmp_path: Path) -> None:
    subprocess.run([str(cli), "simulate", str(source_dir / HALL), "--scenario",
                    str(source_dir / JOB_START), "--json", str(tmp_path / "summary.json"),
                    "--csv", str(tmp_path / "waveforms.csv"), "-q"], check=True,
                   stdout=subprocess.DEVNULL)
    with open(tmp_path / "summary.json", encoding="utf-8") as f:
        expected = json.load(f)
    result = grid2gpu.simulate(source_dir / HALL, source_dir / JOB_START)
    assert not result.cancelled
    # Every figure equal, not approximately: the module runs the CLI's calls (wall time aside).
    assert _without_wall_times(result.summary) == _without_wall_times(expected)
    assert result.summary["grid_power"]["peak_w"] > 5e6  # the whole hall starting at once
    signals = result.signals
    assert signals is not None
    csv = pd.read_csv(tmp_path / "waveforms.csv", float_precision="round_trip")
    pdt.assert_frame_equal(signals, csv)
    # From a Model, with the recording replaced as --record and --every do.
    model = grid2gpu.load(source_dir / HALL)
    short = grid2gpu.simulate(model, source_dir / JOB_START, record=["dc800.v"], every="10 ms")
    assert short.signals is not None
    assert list(short.signals.columns) == ["t_s", "dc800.v [V]"]
    assert len(short.signals) == 201  # 0 to 2 s every 10 ms, both ends
    assert short.signals["dc800.v [V]"].tolist() == pytest.approx(
        signals["dc800.v [V]"].iloc[::100].tolist(), rel=1e-3)
    assert grid2gpu.simulate(model, source_dir / JOB_START, keep_signals=False).signals is None


def test_fault_equals_the_cli_rows(source_dir: Path, cli: Path, tmp_path: Path) -> None:
    """grid2gpu.fault runs the CLI's calls: the same rows, wall times aside."""
    subprocess.run([str(cli), "fault", str(source_dir / HALL), "--buses", "row[*]/rack[1]/bus12",
                    "--resistance", "10mohm", "--after", "5ms", "--json",
                    str(tmp_path / "fault.json")], check=True, stdout=subprocess.DEVNULL)
    with open(tmp_path / "fault.json", encoding="utf-8") as f:
        expected = json.load(f)["time"]["locations"]
    rows = grid2gpu.fault(source_dir / HALL, buses="row[*]/rack[1]/bus12", resistance="10 mohm",
                          after="5 ms")
    assert len(rows) == 4  # the hall's four rows
    for row, cli_row in zip(rows, expected):
        row.pop("wall_s")
        cli_row.pop("wall_s")
        assert row == cli_row
        assert row["peak_a"] > 0
    with pytest.raises(grid2gpu.InvalidInput, match="dc800"):
        grid2gpu.fault(source_dir / HALL, "dc80", resistance=0.01)
    with pytest.raises(grid2gpu.InvalidInput):
        grid2gpu.fault(source_dir / HALL, "dc800", buses="row[*]/busway", resistance=0.01)


def test_simulate_bad_scenario_raises_located_model_error(source_dir: Path) -> None:
    text = (Path(source_dir / JOB_START).read_text(encoding="utf-8")
            .replace("constant: 1.0", "constant: 1.0\n    steps: []"))
    with pytest.raises(grid2gpu.ModelError) as caught:
        grid2gpu.simulate(source_dir / HALL, text=text, name="job.yaml")
    found = [d for d in caught.value.diagnostics if "steps" in d.message]
    assert found, caught.value.diagnostics
    line = text.splitlines().index("    steps: []") + 1
    assert (found[0].file, found[0].line, found[0].column) == ("job.yaml", line, 5)
    assert f"job.yaml:{line}:5: error" in str(caught.value)
    # A scenario naming loads the model has not: the simulation's own check, located too.
    with pytest.raises(grid2gpu.ModelError) as caught:
        grid2gpu.simulate(source_dir / HALL, text=text.replace("    steps: []\n", "").replace(
            '"row[*]/rack[*]/gpus"', "nowhere"), name="job.yaml")
    assert any(d.file == "job.yaml" and "nowhere" in d.message
               for d in caught.value.diagnostics), caught.value.diagnostics


def test_simulate_recording_options_are_checked(source_dir: Path) -> None:
    with pytest.raises(grid2gpu.ModelError) as caught:
        grid2gpu.simulate(source_dir / HALL, source_dir / JOB_START, record=["nope"])
    assert caught.value.diagnostics[0].file == "record"
    sizing = source_dir / "examples/scenarios/storage-sizing.yaml"  # records nothing
    with pytest.raises(grid2gpu.InvalidInput) as invalid:
        grid2gpu.simulate(source_dir / HALL, sizing, every="1 ms")
    assert invalid.value.subject == "every"
    assert "give record too" in str(invalid.value)
    with pytest.raises(grid2gpu.InvalidInput) as invalid:
        grid2gpu.simulate(source_dir / HALL, source_dir / JOB_START, every="1 V")
    assert invalid.value.subject == "every"


def test_simulate_reads_traces_only_where_the_cli_would(source_dir: Path, tmp_path: Path) -> None:
    # A measured trace (utilisation over 2 s) beside the scenario, and one outside its folder
    # reached through a symbolic link: the second is refused unless its folder is allowed, as
    # with the CLI's --allow-path (docs/security.md).
    trace = "time_s,utilisation\n0,0.5\n1,0.5\n1.005,1\n2,1\n"
    scenario = (Path(source_dir / JOB_START).read_text(encoding="utf-8")
                .replace("constant: 1.0\n    job: {start: 1 s, start_ramp: 5 ms}",
                         "trace: {file: trace.csv}"))
    inside, outside = tmp_path / "scenario", tmp_path / "elsewhere"
    inside.mkdir()
    outside.mkdir()
    (inside / "trace.csv").write_text(trace, encoding="utf-8")
    (inside / "job.yaml").write_text(scenario, encoding="utf-8")
    ran = grid2gpu.simulate(source_dir / HALL, inside / "job.yaml", record=["dc800.v"])
    assert ran.summary["grid_power"]["peak_time_s"] > 1.0
    (outside / "trace.csv").write_text(trace, encoding="utf-8")
    (inside / "trace.csv").unlink()
    (inside / "trace.csv").symlink_to(outside / "trace.csv")
    with pytest.raises(grid2gpu.ModelError) as caught:
        grid2gpu.simulate(source_dir / HALL, inside / "job.yaml")
    refused = caught.value.diagnostics[0]
    assert refused.file == str(inside / "job.yaml") and "trace.csv" in refused.message
    allowed = grid2gpu.simulate(source_dir / HALL, inside / "job.yaml", allowed_paths=[outside])
    assert allowed.summary["grid_power"] == ran.summary["grid_power"]
    # Text reads its traces from base_dir under the same rules, and without one from nowhere.
    from_text = grid2gpu.simulate(source_dir / HALL, text=scenario, base_dir=outside)
    assert from_text.summary["grid_power"] == ran.summary["grid_power"]
    with pytest.raises(grid2gpu.ModelError) as caught:
        grid2gpu.simulate(source_dir / HALL, text=scenario)
    assert "no folder for its traces" in caught.value.diagnostics[0].message


def test_compare_with_a_scenario_gives_the_storage_claim_as_the_cli(
        source_dir: Path, cli: Path, tmp_path: Path) -> None:
    # The storage-sizing example shortened to 60 s (a 10 s job start): claim f's figures from
    # the time domain, equal to `grid2gpu compare --scenario`'s.
    scenario = tmp_path / "storage.yaml"
    scenario.write_text((source_dir / "examples/scenarios/storage-sizing.yaml")
                        .read_text(encoding="utf-8")
                        .replace("duration: 300 s", "duration: 60 s")
                        .replace("start_ramp: 60 s", "start_ramp: 10 s"), encoding="utf-8")
    models = [source_dir / "examples/legacy-415vac-small.yaml", source_dir / HALL]
    subprocess.run([str(cli), "compare", *map(str, models), "--normalise", "--assumptions",
                    "ac-modern,dc-physics", "--scenario", str(scenario), "--json",
                    str(tmp_path / "compare.json")], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    with open(tmp_path / "compare.json", encoding="utf-8") as f:
        expected = next(c for c in json.load(f)["claims"] if c["id"] == "f")
    result = grid2gpu.compare(models, normalise_it_load=True,
                              assumptions=["ac-modern", "dc-physics"], scenario=scenario)
    claim = next(c for c in result.document()["claims"] if c["id"] == "f")
    assert [case["scenario"] for case in claim["cases"]] == ["1 s period", "10 s period"]
    assert 0.0 < claim["computed_low"] <= claim["computed_high"] < 1.0
    for key in ["cases", "computed", "verdict", "break_even", "interpretations"]:
        assert claim[key] == expected[key], key
    without = grid2gpu.compare(models, normalise_it_load=True,
                               assumptions=["ac-modern", "dc-physics"])
    assert next(c for c in without.document()["claims"] if c["id"] == "f")["computed_low"] is None


def test_ctrl_c_cancels_a_simulation(source_dir: Path) -> None:
    # The training-swings example run for 1,200 s (about 30 s of work): SIGINT a second into the
    # run must end it with KeyboardInterrupt within a few seconds.
    scenario = (source_dir / "examples/scenarios/training-swings.yaml").read_text(
        encoding="utf-8").replace("duration: 60 s", "duration: 1200 s")
    script = (
        "import sys, time, grid2gpu\n"
        f"model = grid2gpu.load({str(source_dir / HALL)!r})\n"
        "print('start', flush=True)\n"
        "start = time.perf_counter()\n"
        "try:\n"
        f"    grid2gpu.simulate(model, text={scenario!r}, keep_signals=False)\n"
        "except KeyboardInterrupt:\n"
        "    print('interrupted', time.perf_counter() - start, flush=True)\n"
        "    sys.exit(7)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "start"
    time.sleep(1.0)
    child.send_signal(signal.SIGINT)
    output, _ = child.communicate(timeout=120)
    assert child.returncode == 7, output
    assert float(output.split()[1]) < 10.0, output


def test_integration_error_has_idas_fields(source_dir: Path) -> None:
    # The hall without its rack busbars' inductance and its 54 V converters' undervoltage
    # lockout: the checkpoint scenario collapses the tray buses and IDA fails (the CLI exits 4 on
    # the same files, SimulateCli.CollapsingTrayBuses...).
    text = (source_dir / HALL).read_text(encoding="utf-8").replace(
        ", inductance_per_length: 0.11 uH/m", "").replace(
        ", undervoltage_off: 40 V, undervoltage_on: 44 V,\n         restart_delay: 100 ms}", "}")
    model = grid2gpu.load(text=text, name="hall.yaml")
    with pytest.raises(grid2gpu.IntegrationError) as caught:
        grid2gpu.simulate(model, source_dir / "examples/scenarios/checkpoint.yaml")
    error = caught.value
    assert error.function == "IDASolve"
    assert error.flag < 0 and error.flag_name.startswith("IDA_")
    assert error.sundials_message
    assert "tray54" in str(error) or "bus12" in str(error)


def test_size_storage_equals_the_cli_study(source_dir: Path, cli: Path, tmp_path: Path) -> None:
    scenario = tmp_path / "sizing.yaml"
    scenario.write_text((source_dir / "examples/scenarios/storage-sizing.yaml")
                        .read_text(encoding="utf-8").replace("duration: 300 s", "duration: 120 s"),
                        encoding="utf-8")
    subprocess.run([str(cli), "simulate", str(source_dir / HALL), "--scenario", str(scenario),
                    "--size-storage", "--periods", "2s", "--json", str(tmp_path / "s.json"),
                    "-q"], check=True, stdout=subprocess.DEVNULL)
    with open(tmp_path / "s.json", encoding="utf-8") as f:
        expected = json.load(f)
    study = grid2gpu.size_storage(source_dir / HALL, scenario, periods=[2.0])
    assert study == expected
    point = study["points"][0]
    assert point["feasible"] and point["period_s"] == 2.0
    assert point["sized_peak_w"] <= 0.7 * point["baseline_peak_w"] * (1 + 1e-9)
    with pytest.raises(grid2gpu.ModelError) as caught:  # no grid limit to size for
        grid2gpu.size_storage(source_dir / HALL, text=scenario.read_text(encoding="utf-8")
                              .replace("limits: {peak_reduction: 30 %}", ""), name="s.yaml")
    assert "no grid limit" in str(caught.value)
