"""parkcast from Python: run scenarios, compare and sweep them, read the results as pandas
DataFrames and NumPy arrays.

    >>> import parkcast
    >>> r = parkcast.run(trials=20_000, seed=1)
    >>> r.summary[["target", "p_met", "ci_low", "ci_high"]]

The numbers are those of ``parkcast run`` for the same scenario, overrides and seed: both call
the same Rust library, and the summary is the document ``parkcast run --json`` prints.
Scenarios are named as on the command line (``"baseline"``, ``"policy_package"``, a path to a
TOML file) or given as a dict in the scenario file's layout. Problems are raised as
:class:`ParkcastError` with the command line's text.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Union

import numpy as np
import pandas as pd

from . import _parkcast
from ._toml import dumps as _toml_dumps, value as _toml_value

__all__ = ["run", "compare", "sweep", "parameters", "Result", "ParkcastError", "NOT_BY_HORIZON", "__version__"]

__version__ = _parkcast.version()

#: Month index meaning "not by the horizon" in ``Result.block_start`` / ``block_delivery``.
NOT_BY_HORIZON = 32767

Scenario = Union[str, os.PathLike, Mapping[str, Any], None]


class ParkcastError(Exception):
    """A problem parkcast reports. ``str(e)`` is the command line's message; ``e.code`` its
    exit code (2: input to fix, 1: failure at run time, 130: interrupted)."""

    def __init__(self, message: str, code: int = 2):
        super().__init__(message)
        self.code = code


def _call(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except _parkcast.ParkcastError as e:
        message, code = e.args if len(e.args) == 2 else (str(e), 2)
        raise ParkcastError(message, code) from None


def _overrides(overrides: Optional[Mapping[str, Any]]) -> List[str]:
    """``{"base.revenue_growth_per_year": 0.08}`` → ``["base.revenue_growth_per_year=0.08"]``
    (values in TOML: numbers, strings, booleans, dates as "2026-06", dicts for distributions
    such as ``{"triangular": {"min": 0.03, "mode": 0.05, "max": 0.08}}``)."""
    if overrides is None:
        return []
    if isinstance(overrides, (str, bytes)) or not isinstance(overrides, Mapping):
        raise ParkcastError(
            f"overrides must be a dict of key path → value, e.g. {{'base.revenue_growth_per_year': 0.08}}; got {type(overrides).__name__}"
        )
    out = []
    for key, v in overrides.items():
        if not isinstance(key, str) or not key:
            raise ParkcastError(f"override key {key!r} must be a non-empty key path such as 'levers.industry_funds.value'")
        out.append(f"{key}={_toml_value(v, key)}")
    return out


class _ScenarioFile:
    """A scenario argument as the Rust side takes it: a name or path; a dict is written to a
    temporary TOML file for the call (errors then name ``<dict>``)."""

    def __init__(self, scenario: Scenario):
        self._dir = None
        if scenario is None:
            self.arg = None
        elif isinstance(scenario, Mapping):
            self._dir = tempfile.TemporaryDirectory(prefix="parkcast-")
            path = os.path.join(self._dir.name, "dict.toml")
            with open(path, "w", encoding="utf-8") as f:
                f.write(_toml_dumps(scenario))
            self.arg = path
        elif isinstance(scenario, (str, os.PathLike)):
            self.arg = os.fspath(scenario)
        else:
            raise ParkcastError(
                f"scenario must be a name ('baseline'), a path to a TOML file or a dict; got {type(scenario).__name__}"
            )

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self._dir is not None:
            self._dir.cleanup()


def _label_dict_errors(e: ParkcastError, sf: _ScenarioFile, scenario: Scenario) -> ParkcastError:
    if isinstance(scenario, Mapping) and sf.arg:
        return ParkcastError(str(e).replace(sf.arg, "<dict>"), e.code)
    return e


def _seeds(seeds: Union[str, os.PathLike, None]) -> Optional[str]:
    return None if seeds is None else os.fspath(seeds)


@dataclass
class Result:
    """One run: the summary document and its tables, and the per-trial values.

    - ``summary``: one row per target (P(met), its 95 % simulation-error interval, quantiles,
      mean, base share, reading), plus a row ``all`` for all targets together;
    - ``readings``: every target under every reading (口径);
    - ``blocks``: per block (start and delivery months, contributions);
    - ``timeseries``: monthly bands per metric;
    - ``trials``: one row per trial — each target's value at the deadline under its headline
      reading, whether it is met (``met.<target>``, ``met.all``), and every reading
      (``reading.<target>.<reading>``, e.g. ``reading.jobs.net``);
    - ``block_start`` / ``block_delivery``: trials × blocks arrays of month indices (0 = the
      model's first month, 2024-11; ``NOT_BY_HORIZON`` = not by the horizon);
    - ``document``: the JSON document as a dict (what ``parkcast run --json`` prints).
    """

    document: Dict[str, Any]
    trials: pd.DataFrame
    block_start: np.ndarray
    block_delivery: np.ndarray
    summary: pd.DataFrame = field(init=False)
    readings: pd.DataFrame = field(init=False)
    blocks: pd.DataFrame = field(init=False)
    timeseries: pd.DataFrame = field(init=False)

    def __post_init__(self):
        s = self.document["summary"]
        rows = [_target_row(t) for t in s["targets"]]
        all_row = dict(s["all"])
        all_row = {"target": "all", "p_met": all_row.get("p_met"), **_ci(all_row.get("ci"))}
        self.summary = pd.DataFrame(rows + [all_row])
        self.readings = pd.DataFrame([_flatten(r) for r in s.get("readings", [])])
        self.blocks = pd.DataFrame([_flatten(b) for b in s["blocks"]])
        self.timeseries = pd.DataFrame([_flatten(r) for r in s["series"]])

    @property
    def p_met(self) -> Dict[str, float]:
        """P(met) by target key, and ``all``."""
        return dict(zip(self.summary["target"], self.summary["p_met"]))

    def __repr__(self) -> str:
        d = self.document
        lines = [f"parkcast {d['parkcast']}: scenario {d['scenario']}, targets {d['target_set']}, {d['trials']} trials, seed {d['seed']}"]
        for _, r in self.summary.iterrows():
            lines.append(f"  {r['target']:<12} P(met) {100 * r['p_met']:5.1f} %  ({100 * r['ci_low']:.1f}–{100 * r['ci_high']:.1f} %, simulation error)")
        return "\n".join(lines)


def _ci(ci) -> Dict[str, float]:
    if isinstance(ci, Mapping):
        return {"ci_low": ci.get("low"), "ci_high": ci.get("high")}
    return {"ci_low": None, "ci_high": None}


def _target_row(t: Mapping[str, Any]) -> Dict[str, Any]:
    row = {"target": t["id"]}
    for k, v in t.items():
        if k == "id":
            continue
        if k == "ci":
            row.update(_ci(v))
        elif isinstance(v, Mapping):
            row.update({f"{k}.{kk}": vv for kk, vv in v.items()})
        else:
            row[k] = v
    return row


def _flatten(d: Mapping[str, Any], prefix: str = "") -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, Mapping):
            out.update(_flatten(v, key + "."))
        else:
            out[key] = v
    return out


def run(
    scenario: Scenario = None,
    *,
    trials: Optional[int] = None,
    seed: Optional[int] = None,
    overrides: Optional[Mapping[str, Any]] = None,
    targets: Optional[str] = None,
    sampling: Optional[str] = None,
    threads: Optional[int] = None,
    seeds: Union[str, os.PathLike, None] = None,
) -> Result:
    """Runs a scenario (default: the baseline) and returns a :class:`Result`.

    ``trials`` and ``seed`` default to the scenario's settings; ``targets`` names a target set
    (``"city_2027_final"``, ``"city_2027_draft"``, …); ``sampling`` is ``"plain"`` or ``"lhs"``;
    ``threads`` defaults to all cores (results are the same for any number); ``seeds`` is a
    seeds directory as ``--seeds`` takes. The GIL is released while simulating.
    """
    with _ScenarioFile(scenario) as sf:
        try:
            text, cols = _call(
                _parkcast.run, sf.arg, _overrides(overrides), trials, seed, threads, targets, sampling, _seeds(seeds)
            )
        except ParkcastError as e:
            raise _label_dict_errors(e, sf, scenario) from None
    document = json.loads(text)
    n = int(document["trials"])
    frame: Dict[str, Any] = {}
    thresholds = {t["id"]: t["threshold"] for t in document["summary"]["targets"]}
    for key in ("parks", "specialized", "tech_smes", "revenue", "jobs"):
        if key in cols:
            v = np.frombuffer(cols[key], dtype="<f8")
            frame[key] = v
            if key in thresholds:
                frame[f"met.{key}"] = v >= thresholds[key]
    met = [c for c in frame if c.startswith("met.")]
    if met:
        frame["met.all"] = np.logical_and.reduce([frame[c] for c in met])
    for key, b in cols.items():
        if key.startswith("reading."):
            frame[key] = np.frombuffer(b, dtype="<f8")
    starts = np.frombuffer(cols["block_start"], dtype="<i2")
    deliveries = np.frombuffer(cols["block_delivery"], dtype="<i2")
    blocks = len(starts) // n if n else 0
    return Result(
        document=document,
        trials=pd.DataFrame(frame),
        block_start=starts.reshape(blocks, n).T,
        block_delivery=deliveries.reshape(blocks, n).T,
    )


def compare(
    scenarios: Sequence[Scenario],
    *,
    trials: Optional[int] = None,
    seed: Optional[int] = None,
    overrides: Optional[Mapping[str, Any]] = None,
    threads: Optional[int] = None,
    seeds: Union[str, os.PathLike, None] = None,
) -> pd.DataFrame:
    """Runs each scenario on common random numbers and compares it with the first: one row per
    scenario × target (and ``all``) with P(met), its interval and the paired difference
    (``diff``, ``diff_low``, ``diff_high``: a share, not points)."""
    if isinstance(scenarios, (str, bytes, Mapping)) or not isinstance(scenarios, Iterable):
        raise ParkcastError("compare takes a list of scenarios, e.g. ['baseline', 'policy_package']")
    files = [_ScenarioFile(s) for s in scenarios]
    try:
        text = _call(
            _parkcast.compare,
            [f.arg if f.arg is not None else "baseline" for f in files],
            _overrides(overrides),
            trials,
            seed,
            threads,
            _seeds(seeds),
        )
    finally:
        for f in files:
            f.__exit__(None, None, None)
    return pd.DataFrame(json.loads(text)["rows"])


def sweep(
    path: str,
    values: Iterable[float],
    scenario: Scenario = None,
    *,
    trials: Optional[int] = None,
    seed: Optional[int] = None,
    overrides: Optional[Mapping[str, Any]] = None,
    threads: Optional[int] = None,
    seeds: Union[str, os.PathLike, None] = None,
) -> pd.DataFrame:
    """P(met) along the values of one key path (e.g. ``"base.revenue_growth_per_year"``), on
    common random numbers: one row per value × target (and ``all``)."""
    vals = [float(v) for v in values]
    with _ScenarioFile(scenario) as sf:
        text = _call(_parkcast.sweep, path, vals, sf.arg, _overrides(overrides), trials, seed, threads, _seeds(seeds))
    return pd.DataFrame(json.loads(text)["rows"])


def parameters(
    scenario: Scenario = None,
    *,
    overrides: Optional[Mapping[str, Any]] = None,
    seeds: Union[str, os.PathLike, None] = None,
) -> Dict[str, pd.DataFrame]:
    """The scenario's uncertainties (every parameter: distribution family, mean, 5/50/95 %
    quantiles, support, allowed range, unit, and kind: ``epistemic`` or ``aleatory``, as
    ``run --two-level`` splits them) and levers (value, range, unit, 责任单位), as two
    DataFrames under ``"uncertainties"`` and ``"levers"``."""
    with _ScenarioFile(scenario) as sf:
        text = _call(_parkcast.parameters, sf.arg, _overrides(overrides), _seeds(seeds))
    d = json.loads(text)
    return {"uncertainties": pd.DataFrame(d["uncertainties"]), "levers": pd.DataFrame(d["levers"])}
