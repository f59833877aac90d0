"""Design sweeps from Python: on this machine's cores, or on a Dask distributed cluster.

The sweep file, the scenario table, the evaluation of each scenario, the part files and their
merge are the C++ library's (src/g2g/sweep, docs/sweep.md); this module only moves work and
rows. With a Dask ``client``, each task is a batch of scenarios worth about ``target_seconds``
of work (Dask's scheduler costs up to about 1 ms per task), carrying the plan's texts and the
scenarios' values; a worker rebuilds the plan from those texts once, evaluates the batch and
returns plain rows, which this process writes as ``DIR/parts/part-NNNNNN.csv``. The same sweep
gives byte-identical ``results.csv`` on every back-end, because no row depends on what ran before
it. See docs/python.md, "Sweeps".
"""

from __future__ import annotations

import hashlib
import json
import os
import pathlib
import statistics
import collections.abc as _abc
from typing import Any, Dict, List, Optional, Set, Tuple, Union

import pandas as pd

from grid2gpu import _core

PathLike = Union[str, "os.PathLike[str]"]

__all__ = ["sweep", "plan", "SweepPlan"]

SweepPlan = _core.SweepPlan

# Value combinations in the first Dask task, which is timed to size the others.
_PROBE_COMBINATIONS = 8

# Rebuilt plans in a worker process, by the hash of their source: a worker rebuilds a plan once
# and evaluates every later batch of the same sweep with it.
_worker_plans: Dict[str, _core.SweepPlan] = {}
_KEPT_PLANS = 4


def plan(
    sweep: Union[PathLike, _abc.Mapping[str, Any]],
    *,
    base_dir: Optional[PathLike] = None,
    allow_paths: _abc.Sequence[PathLike] = (),
) -> _core.SweepPlan:
    """The checked plan of a sweep file (a path) or of a sweep given as a dict.

    A dict is the sweep file's content (``{"grid2gpu_sweep": 1, "models": [...], ...}``), read by
    the same reader as a file after being written as JSON text; its model paths resolve against
    ``base_dir`` (required for a dict), like a sweep file's against its directory.
    """
    allowed = [os.fspath(p) for p in allow_paths]
    if isinstance(sweep, _abc.Mapping):
        if base_dir is None:
            raise TypeError("plan(dict): give base_dir, the directory its models are in")
        text = json.dumps(dict(sweep))
        return _core.SweepPlan.from_text(text, os.fspath(base_dir), "<dict>", allowed)
    return _core.SweepPlan.from_file(os.fspath(sweep), allowed)


def _source_key(source: _abc.Mapping[str, Any]) -> str:
    digest = hashlib.sha256()
    digest.update(json.dumps(source, sort_keys=True).encode("utf-8"))
    return digest.hexdigest()


Scenario = Tuple[int, str, int, int, List[float]]  # as SweepPlan.scenarios gives them
Row = Tuple[int, str, List[float], str, str, str, float]  # as _core.sweep_evaluate returns them


def _evaluate_batch(
    source: _abc.Mapping[str, Any], key: str, scenarios: List[Scenario]
) -> List[Row]:
    """A Dask task: the rows of ``scenarios`` under the plan of ``source``."""
    worker_plan = _worker_plans.get(key)
    if worker_plan is None:
        if len(_worker_plans) >= _KEPT_PLANS:  # a long-lived worker serving many sweeps
            _worker_plans.clear()
        worker_plan = _core.SweepPlan.from_source(dict(source))
        _worker_plans[key] = worker_plan
    return _core.sweep_evaluate(worker_plan, scenarios)


class _Progress:
    """A tqdm bar when tqdm is wanted, else nothing."""

    def __init__(self, total: int, done: int, enabled: bool) -> None:
        self._bar: Any = None
        if enabled:
            from tqdm import tqdm

            self._bar = tqdm(total=total, initial=done, unit="scenario", desc="sweep")

    def update(self, done: int) -> None:
        if self._bar is not None:
            self._bar.update(done - self._bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def _run_dask(
    the_plan: _core.SweepPlan,
    out: pathlib.Path,
    client: Any,
    resume: bool,
    target_seconds: float,
    progress: bool,
) -> None:
    from distributed import as_completed

    done = set(_core.sweep_prepare_output(str(out), the_plan, resume))
    total = the_plan.scenario_count
    # The first tasks, a few value combinations spread over the sweep and dealt out one task per
    # worker thread (so that no worker waits for them), size the others: the mean of their
    # scenarios' own seconds, without each task's first combination (cold: the worker builds the
    # plan and reads the designs), against the batches' target.
    batches = the_plan.batches(done, 1.0, 0.0)
    last = _core.sweep_last_part_number(str(out))
    next_part = 0 if last is None else last + 1
    source = the_plan.source()
    key = _source_key(source)
    [source_future] = client.scatter([source], broadcast=True, hash=False)
    bar = _Progress(total, len(done), progress)
    finished = len(done)
    futures: List[Any] = []
    try:
        if batches:
            step = max(1, len(batches) // _PROBE_COMBINATIONS)
            probe = batches[::step][:_PROBE_COMBINATIONS]
            slots = max(1, sum(client.nthreads().values()))
            tasks = [probe[k::slots] for k in range(min(slots, len(probe)))]
            futures = [
                client.submit(
                    _evaluate_batch, source_future, key,
                    the_plan.scenarios([i for combination in task for i in combination]),
                    pure=False,
                )
                for task in tasks
            ]
            warm: List[float] = []
            every: List[float] = []
            rest = set(done)
            for task, future in zip(tasks, futures):
                rows = future.result()
                _core.sweep_write_part(str(out), next_part, the_plan, rows)
                next_part += 1
                finished += len(rows)
                bar.update(finished)
                warm += [r[6] for r in rows[len(task[0]):]]
                every += [r[6] for r in rows]
                rest |= {r[1] for r in rows}
            per_scenario = max(statistics.fmean(warm or every), 1e-6)
            futures = []
            batches = the_plan.batches(rest, per_scenario, target_seconds)
        numbers = {}
        for batch in batches:
            future = client.submit(
                _evaluate_batch, source_future, key, the_plan.scenarios(batch), pure=False
            )
            numbers[future.key] = next_part
            next_part += 1
            futures.append(future)
        for future in as_completed(futures):
            rows = future.result()
            _core.sweep_write_part(str(out), numbers[future.key], the_plan, rows)
            finished += len(rows)
            bar.update(finished)
    except KeyboardInterrupt:
        client.cancel(futures)
        raise
    finally:
        bar.close()
    _core.sweep_merge(str(out), the_plan)


def sweep(
    sweep: Union[PathLike, _abc.Mapping[str, Any]],
    out: PathLike,
    *,
    client: Any = None,
    base_dir: Optional[PathLike] = None,
    jobs: int = 0,
    resume: bool = False,
    hdf5: bool = False,
    html: Optional[PathLike] = None,
    progress: bool = True,
    target_seconds: float = 0.5,
    allow_paths: _abc.Sequence[PathLike] = (),
) -> pd.DataFrame:
    """Runs a sweep into the directory ``out`` and returns ``out/results.csv`` as a DataFrame.

    Without ``client``, the scenarios run on this machine's threads (``jobs``, 0: every core).
    With a ``distributed.Client``, they run on its workers in batches of about
    ``target_seconds`` each (Dask's guidance: 100 ms or more per task). ``resume`` skips the scenarios ``out/parts`` already holds.
    ``hdf5`` also writes ``out/results.h5`` (pandas and PyTables, key ``results``); ``html``
    writes the sweep's report page. Progress is a tqdm bar unless ``progress`` is False.
    """
    the_plan = plan(sweep, base_dir=base_dir, allow_paths=allow_paths)
    if html is not None:
        _core.sweep_check_output(the_plan, os.fspath(html))  # before any scenario runs
    directory = pathlib.Path(out)
    directory.mkdir(parents=True, exist_ok=True)
    if client is None:
        bar = _Progress(the_plan.scenario_count, 0, progress)
        try:
            _core.sweep_run_local(
                the_plan, str(directory), jobs, resume,
                (lambda done, total: bar.update(done)) if progress else None,
            )
        finally:
            bar.close()
    else:
        _run_dask(the_plan, directory, client, resume, target_seconds, progress)
    results = pd.read_csv(directory / "results.csv", keep_default_na=False, na_values=[""])
    if hdf5:
        _write_hdf5(results, directory / "results.h5")
    if html is not None:
        _core.sweep_write_html(str(directory), the_plan, os.fspath(html))
    return results


def _write_hdf5(results: pd.DataFrame, path: pathlib.Path) -> None:
    """Writes ``results`` to ``path`` (key ``results``) completely or not at all."""
    partial = path.with_name(path.name + ".partial")
    try:
        results.to_hdf(partial, key="results", mode="w", format="table")
        os.replace(partial, path)
    finally:
        if partial.exists():
            partial.unlink()
