"""grid2gpu from Python: load a data-center power model, solve it, size it, compare
architectures, simulate it in time and evaluate converters, with results as pandas DataFrames.

Everything runs in the C++ library (through its API, src/g2g/api/), so the module and the
``grid2gpu`` command cannot disagree. See docs/python.md.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
import collections.abc as _abc
from typing import Any, Callable, Dict, List, Optional, Tuple, Union, cast

import pandas as pd

from grid2gpu import errors
from grid2gpu import _core
from grid2gpu._frames import frame
from grid2gpu.errors import (
    DesignError,
    Diagnostic,
    FileError,
    Grid2gpuError,
    IntegrationError,
    InternalError,
    InvalidInput,
    ModelError,
    NonConvergenceError,
    SizingOptionsError,
)
from grid2gpu import converter, report
from grid2gpu.sweeps import SweepPlan, plan, sweep

__all__ = [
    "load", "Model", "Result", "Solver", "SizingResult", "size", "compare", "CompareResult",
    "converter", "report", "errors", "Diagnostic", "Grid2gpuError", "ModelError",
    "NonConvergenceError", "FileError", "DesignError", "InvalidInput", "SizingOptionsError",
    "IntegrationError", "InternalError", "sweep", "plan", "SweepPlan", "simulate",
    "SimulationResult", "size_storage", "fault",
]

PathLike = Union[str, "os.PathLike[str]"]
Value = Union[str, float, int, bool]


class Result:
    """A steady-state solution. Each table is a DataFrame with exactly the columns of the
    CSV file of the same name that ``grid2gpu solve --csv`` writes."""

    def __init__(self, solved: _core.SolveResult) -> None:
        self._solved = solved
        self._tables: Dict[str, pd.DataFrame] = {}

    def _table(self, name: str) -> pd.DataFrame:
        if name not in self._tables:
            self._tables[name] = frame(self._solved.columns(name))
        return self._tables[name]

    @property
    def buses(self) -> pd.DataFrame:
        """One row per bus: id, kind, voltage_v, v_pu, angle_deg, nominal_voltage_v, energised."""
        return self._table("buses")

    @property
    def elements(self) -> pd.DataFrame:
        """One row per element: id, type, kind, subtype, from_bus, to_bus, powers, loss, currents,
        loading_pct."""
        return self._table("elements")

    @property
    def totals(self) -> pd.DataFrame:
        """Long format: category (total, loss_by_type, loss_by_stage), name, value."""
        return self._table("totals")

    @property
    def violations(self) -> pd.DataFrame:
        """kind, element_id, value, limit, unit."""
        return self._table("violations")

    @property
    def stats(self) -> _core.SolveStats:
        """Iterations and the largest mismatch (per unit)."""
        return self._solved.stats

    @property
    def converged(self) -> bool:
        return self._solved.converged

    def write_csv(self, directory: PathLike) -> None:
        """Writes buses.csv, elements.csv, totals.csv and violations.csv into `directory`."""
        self._solved.write_csv(os.fspath(directory))


class Model:
    """A validated model and what it was read from. ``set`` and ``edit`` read it again from its
    text, so templates re-expand and every check runs again; on an error the model is left as
    it was."""

    def __init__(self, core: _core.Model) -> None:
        self._core = core

    def set(self, name: str, value: Value) -> "Model":
        """Overrides parameter `name` ("1 MW", or a number in SI units) and re-reads the model."""
        self._core.set(name, value)
        return self

    def edit(self, id: str, **values: Value) -> "Model":
        """Sets keys of element `id` as the model file would write them
        (``edit("sst1", efficiency="98.5 %")``) and re-reads the model."""
        self._core.edit(id, **values)
        return self

    def solve(self) -> Result:
        """One steady-state power flow; NonConvergenceError when there is no operating point."""
        return Result(self._core.solve())

    def solver(self) -> "Solver":
        """A reusable solver for this model's structure (warm re-solves)."""
        return Solver(self)

    @property
    def name(self) -> str:
        """The file name (or given name) that diagnostics show."""
        return self._core.name

    @property
    def title(self) -> str:
        """The model's ``name:``."""
        return self._core.title

    @property
    def text(self) -> str:
        return self._core.text

    @property
    def format(self) -> str:
        return self._core.format

    @property
    def base_dir(self) -> Optional[str]:
        return self._core.base_dir

    @property
    def overrides(self) -> Dict[str, str]:
        return self._core.overrides

    @property
    def edits(self) -> List[Tuple[str, str, str]]:
        return self._core.edits

    @property
    def parameters(self) -> Dict[str, float]:
        """Every parameter's final value in SI units."""
        return self._core.parameters

    @property
    def counts(self) -> Dict[str, int]:
        """Buses and elements of each kind after templates are expanded."""
        return self._core.counts

    @property
    def warnings(self) -> List[Diagnostic]:
        return self._core.warnings

    def __repr__(self) -> str:
        return f"<grid2gpu.Model {self.title!r} from {self.name!r}: {self.counts['buses']} buses>"


class Solver:
    """Keeps a network's structure, ordering and factorisation between solves and starts each
    solve from the last solution."""

    def __init__(self, model: Model) -> None:
        self._core = _core.Solver(model._core)

    def solve(self) -> Result:
        return Result(self._core.solve())

    def update(self, model: Model) -> bool:
        """Takes a model of the same structure with new values; False when it differs."""
        return self._core.update(model._core)

    def update_loads(self, model: Model) -> bool:
        """Takes a model that differs only in its loads' values; False otherwise."""
        return self._core.update_loads(model._core)


def load(
    source: Union[PathLike, _abc.Mapping[str, Any], None] = None,
    *,
    text: Optional[str] = None,
    format: Optional[str] = None,
    base_dir: Optional[PathLike] = None,
    set: Optional[_abc.Mapping[str, Value]] = None,
    name: Optional[str] = None,
) -> Model:
    """Reads and validates a model.

    - ``load("examples/800vdc-sst.yaml", set={"rack_power": "1 MW"})``: a file (.yaml/.yml,
      .json or .m); ``design:`` files resolve beside it.
    - ``load(text=..., format="yaml" | "json", base_dir=...)``: text.
    - ``load({"grid2gpu": 1, ...}, base_dir=...)``: a dict, read as JSON text by the JSON
      loader, so every check is the file loader's; diagnostics carry its JSON path.

    Without ``base_dir``, a model read from text or a dict may not name ``design:`` files.
    Raises ModelError (every problem found) or FileError.
    """
    overrides = dict(set) if set is not None else None
    base = os.fspath(base_dir) if base_dir is not None else None
    if isinstance(source, _abc.Mapping):
        if text is not None:
            raise InvalidInput("load: give a dict or text=, not both", "text")
        return Model(_core.load_text(json.dumps(source), "json", name or "<dict>", base, overrides))
    if source is not None:
        if text is not None:
            raise InvalidInput("load: give a path or text=, not both", "text")
        return Model(_core.load_file(os.fspath(source), overrides))
    if text is None:
        raise InvalidInput("load: give a path, a dict or text=", "source",
                           'e.g. grid2gpu.load("examples/800vdc-sst.yaml")')
    return Model(_core.load_text(text, format or "yaml", name or "<text>", base, overrides))


@dataclass(frozen=True)
class SizingResult:
    """Conductor sizing to stable sizes: one row per line, and the totals."""

    lines: pd.DataFrame
    passes: int
    stable: bool
    copper_kg: float


def size(model: Model, passes: int = 4, **options: Value) -> SizingResult:
    """Sizes every low-voltage cable and busbar of `model` (docs/sizing.md), re-solving until
    the sizes settle. Options: method ("C", "E", "F"), insulation ("xlpe", "pvc"), ambient
    ("35 C"), grouped_circuits, max_voltage_drop ("3 %"), max_parallel_runs. Raises
    SizingOptionsError for an option outside the tables."""
    out = _core.size(model._core, passes, **options)
    return SizingResult(frame(out["lines"]), out["passes"], out["stable"], out["copper_kg"])


CompareResult = _core.CompareResult


def compare(
    inputs: Union[PathLike, Model, _abc.Sequence[Union[PathLike, Model]]],
    *,
    set: Optional[_abc.Mapping[str, Value]] = None,
    assumptions: _abc.Sequence[str] = (),
    tariff_per_mwh: Optional[float] = None,
    hours_per_year: Optional[float] = None,
    cooling_kw_per_kw: Optional[float] = None,
    it_load_tolerance: Optional[float] = None,
    check_claims: bool = True,
    size_conductors: bool = True,
    normalise_it_load: bool = False,
    include_point_of_load: bool = False,
    threads: int = 0,
    progress: Optional[Callable[[str], None]] = None,
    scenario: Optional[PathLike] = None,
) -> CompareResult:
    """Compares architectures as ``grid2gpu compare`` does: one study file, or two or more
    models (the first the baseline), under the assumption sets, with claims and their
    sensitivity. Models are paths or Model objects; if any is a Model, the paths are loaded as
    models too, and each is read again from its text, with its own overrides (under the sets'
    and ``set``) and its edits, for every scenario and claim. ``set`` overrides parameters over
    the study's and the sets'. ``progress`` gets one line per step. ``scenario`` (a scenario
    file with a ``grid_smoothing`` storage item, as ``grid2gpu compare --scenario``) gives the
    rack-storage claim (row f) its time-domain figures, over the study's ``scenario:``. Ctrl-C
    cancels and raises KeyboardInterrupt."""
    items = [inputs] if isinstance(inputs, (str, os.PathLike, Model)) else list(inputs)
    if any(isinstance(item, Model) for item in items):
        sources: List[Any] = [(item if isinstance(item, Model) else load(item))._core
                              for item in items]
    else:
        sources = [os.fspath(item) for item in items if not isinstance(item, Model)]
    return _core.compare(
        sources, dict(set) if set is not None else None, list(assumptions), tariff_per_mwh,
        hours_per_year, cooling_kw_per_kw, it_load_tolerance, check_claims, size_conductors,
        normalise_it_load, include_point_of_load, threads, progress,
        os.fspath(scenario) if scenario is not None else None)


class SimulationResult:
    """A time-domain run: ``summary`` is the document ``grid2gpu simulate --json`` writes, and
    ``signals`` the recorded signals as the ``--csv`` file holds them."""

    def __init__(self, run: _core.SimulationResult) -> None:
        self._run = run
        self._summary: Optional[Dict[str, Any]] = None
        self._signals: Optional[pd.DataFrame] = None

    @property
    def summary(self) -> Dict[str, Any]:
        """The summary (docs/results-format.md, "Simulation summary"): grid power, limits,
        lowest voltage, storage, hold-up, backup, modes, warnings, integrator statistics."""
        if self._summary is None:
            self._summary = self._run.summary()
        return self._summary

    @property
    def signals(self) -> Optional[pd.DataFrame]:
        """t_s, then one float64 column per recorded signal (named with its unit), one row per
        output time; None when nothing was recorded."""
        if self._signals is None:
            columns = self._run.signals()
            if columns is None:
                return None
            self._signals = frame(columns)
        return self._signals

    @property
    def warnings(self) -> List[str]:
        """What the run found worth a warning (also in ``summary["warnings"]``)."""
        return list(self.summary["warnings"])

    @property
    def cancelled(self) -> bool:
        return self._run.cancelled

    def html(self) -> str:
        """The report page, as ``grid2gpu simulate --html`` writes it."""
        return self._run.html()

    def __repr__(self) -> str:
        return (f"<grid2gpu.SimulationResult {self.summary['scenario']!r} on "
                f"{self.summary['model']!r}>")


def simulate(
    model: Union[PathLike, Model],
    scenario: Union[PathLike, _abc.Mapping[str, Any], None] = None,
    *,
    text: Optional[str] = None,
    base_dir: Optional[PathLike] = None,
    name: Optional[str] = None,
    allowed_paths: _abc.Sequence[PathLike] = (),
    record: _abc.Sequence[str] = (),
    every: Union[str, float, None] = None,
    keep_signals: bool = True,
) -> SimulationResult:
    """Simulates a model in time as ``grid2gpu simulate`` does (docs/dynamic.md).

    - ``model``: a path (loaded as ``load(path)``) or a Model.
    - ``scenario``: a scenario file (``grid2gpu_scenario: 1``), whose measured traces resolve
      beside it or in ``allowed_paths`` and nowhere else (docs/security.md); or a dict, read as
      the scenario's text; or ``text=`` (YAML). A scenario given as a dict or text reads its
      traces from ``base_dir`` under the same rules, and without one may name none.
    - ``record`` replaces the scenario's signals (``["dc800.v", "row[*]/rack[0]/gpus.p"]``),
      ``every`` its output step (``"1 ms"`` or seconds), as ``--record`` and ``--every``.
    - ``keep_signals=False`` keeps no recorded signals (``signals`` is then None).

    Raises ModelError (the scenario's or the model's problems, each at its place),
    NonConvergenceError (no power flow at t = 0), IntegrationError, FileError or InvalidInput.
    Ctrl-C cancels the run and raises KeyboardInterrupt.
    """
    core = (model if isinstance(model, Model) else load(model))._core
    path, text, name, base = _scenario_source(scenario, text, base_dir, name)
    return SimulationResult(_core.simulate(
        core, path, text, name, base, [os.fspath(p) for p in allowed_paths], list(record), every,
        keep_signals))


def fault(
    model: Union[PathLike, Model],
    bus: Optional[str] = None,
    *,
    buses: Optional[str] = None,
    all_buses: bool = False,
    resistance: Union[str, float],
    time: Union[str, float, None] = None,
    after: Union[str, float, None] = None,
    clear: Union[str, float, None] = None,
    scenario: Union[PathLike, _abc.Mapping[str, Any], None] = None,
    text: Optional[str] = None,
    base_dir: Optional[PathLike] = None,
    name: Optional[str] = None,
    allowed_paths: _abc.Sequence[PathLike] = (),
) -> List[Dict[str, Any]]:
    """Pole-to-pole DC faults in time, as ``grid2gpu fault --method time`` (docs/shortcircuit.md).

    - One location: ``bus``; the buses of one template: ``buses="row[*]/busway"``; every DC
      bus: ``all_buses=True`` (exactly one of the three).
    - ``resistance`` (``"10 mohm"`` or ohms), ``time`` of inception (1 ms), ``after`` it (100 ms),
      ``clear``: the fault extinguishes this long after inception (default: it stays).
    - ``scenario`` (a path, a dict or ``text=``, as for :func:`simulate`): the loads, storage,
      solver settings and aggregation the faults run on; none: every load at its steady power.

    Returns one dict per location, as ``grid2gpu fault --json`` writes ``time.locations``: the
    fault's peak current, di/dt, I2t, clearing time, energy, deepest dip and converters off, or
    ``error`` when the run could not go on there. Raises InvalidInput for an unknown or AC bus or
    a bad option, ModelError for a bad scenario.
    """
    core = (model if isinstance(model, Model) else load(model))._core
    path: Optional[str] = None
    scenario_name = name
    base: Optional[str] = None
    if scenario is not None or text is not None:
        path, text, scenario_name, base = _scenario_source(scenario, text, base_dir, name)
    return cast(List[Dict[str, Any]], _core.fault(
        core, resistance, bus or "", buses or "", all_buses, time=time, after=after,
        clear=clear, scenario_path=path, text=text, name=scenario_name, base_dir=base,
        allowed_paths=[os.fspath(p) for p in allowed_paths]))


def size_storage(
    model: Union[PathLike, Model],
    scenario: Union[PathLike, _abc.Mapping[str, Any], None] = None,
    *,
    periods: _abc.Sequence[Union[str, float]] = (),
    text: Optional[str] = None,
    base_dir: Optional[PathLike] = None,
    name: Optional[str] = None,
    allowed_paths: _abc.Sequence[PathLike] = (),
) -> Dict[str, Any]:
    """The smallest grid-smoothing storage that meets the scenario's grid limits, by bisection,
    as ``grid2gpu simulate --size-storage [--periods ...]`` finds it (docs/dynamic.md, "Storage
    sizing"): one point per training period (``periods=["1 s", 10.0]``; none: the scenario as
    written). Returns the study as the dict its ``--json`` writes. The model and the scenario
    are given as to ``simulate``. Ctrl-C cancels and raises KeyboardInterrupt."""
    core = (model if isinstance(model, Model) else load(model))._core
    path, text, name, base = _scenario_source(scenario, text, base_dir, name)
    return _core.size_storage(core, path, text, name, base,
                              [os.fspath(p) for p in allowed_paths], list(periods))


def _scenario_source(
    scenario: Union[PathLike, _abc.Mapping[str, Any], None],
    text: Optional[str],
    base_dir: Optional[PathLike],
    name: Optional[str],
) -> Tuple[Optional[str], Optional[str], Optional[str], Optional[str]]:
    """(path, text, name, base_dir) for the core from a path, a dict or text=."""
    base = os.fspath(base_dir) if base_dir is not None else None
    if isinstance(scenario, _abc.Mapping):
        if text is not None:
            raise InvalidInput("give a scenario dict or text=, not both", "text")
        return None, json.dumps(scenario), name or "<dict>", base
    if scenario is not None and text is not None:
        raise InvalidInput("give a scenario path or text=, not both", "text")
    if scenario is None and text is None:
        raise InvalidInput("give a scenario path, a dict or text=", "scenario",
                           'e.g. grid2gpu.simulate(model, "examples/scenarios/job-start-dip.yaml")')
    if scenario is not None:
        return os.fspath(scenario), None, name, base
    return None, text, name or "<text>", base
