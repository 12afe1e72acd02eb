"""parkcast as an EMA Workbench model (``pip install ema_workbench``).

    >>> from parkcast import ema
    >>> m = ema.model("baseline", trials=2000)
    >>> from ema_workbench import perform_experiments
    >>> experiments, outcomes = perform_experiments(m, scenarios=64, policies=8)

Each experiment is one parkcast run: its uncertainties and levers are fixed at the
experiment's values in every trial (as ``--set path=value`` does), and the trials vary
everything else. Every experiment uses the same seed, so experiments are paired (common random
numbers): a difference between two of them comes from their values alone.

Outcomes: ``p_<target>`` (P(met) of each target under its headline reading), ``p_all``, and
``median_<target>``.
"""

from __future__ import annotations

import math
from typing import Iterable, Optional, Sequence

from . import Scenario, parameters, run

TARGETS = ("parks", "specialized", "tech_smes", "revenue", "jobs")


def _range(row) -> tuple:
    """A parameter's range for exploration: its distribution's support where finite, else its
    5–95 % quantiles."""
    lo, hi = row["support_low"], row["support_high"]
    if lo is None or hi is None or not (math.isfinite(lo) and math.isfinite(hi)):
        lo, hi = row["p05"], row["p95"]
    return float(lo), float(hi)


def model(
    scenario: Scenario = None,
    *,
    trials: int = 2000,
    seed: Optional[int] = None,
    uncertainties: Optional[Iterable[str]] = None,
    levers: Optional[Iterable[str]] = None,
    targets: Optional[str] = None,
    threads: Optional[int] = None,
    name: str = "parkcast",
):
    """An ``ema_workbench.Model`` of ``scenario``.

    ``uncertainties``: key paths to explore (default: every city-wide parameter of the scenario
    that is not fixed — the base figures, its growth and shares — but the Nanhu share), each over its distribution's
    support (or its 5–95 % quantiles where the support is unbounded); a discrete parameter
    becomes an integer parameter. ``levers``: lever paths (default: every number lever of the
    scenario, over its range). ``trials`` per experiment; ``seed`` the common seed (default: the
    scenario's)."""
    try:
        from ema_workbench import IntegerParameter, Model, RealParameter, ScalarOutcome
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("parkcast.ema needs EMA Workbench: pip install ema_workbench") from e

    p = parameters(scenario)
    u = p["uncertainties"].set_index("path")
    lv = p["levers"].set_index("path")
    if uncertainties is None:
        # (the Nanhu share weighs the base only for a Nanhu target set: pass it explicitly then)
        chosen = [
            path
            for path, r in u.iterrows()
            if r["scope"] == "city" and r["family"] != "fixed" and path != "base.nanhu_share"
        ]
    else:
        chosen = list(uncertainties)
    unknown = [x for x in chosen if x not in u.index]
    if unknown:
        raise ValueError(f"not parameters of the scenario: {', '.join(unknown)} (see parkcast.parameters()['uncertainties'].path)")
    lever_paths = list(lv.index) if levers is None else list(levers)
    unknown = [x for x in lever_paths if x not in lv.index]
    if unknown:
        raise ValueError(f"not levers of the scenario: {', '.join(unknown)} (see parkcast.parameters()['levers'].path)")

    def evaluate(**values):
        r = run(scenario, trials=trials, seed=seed, targets=targets, threads=threads, overrides=values)
        out = {f"p_{k}": v for k, v in r.p_met.items()}
        s = r.summary.set_index("target")
        for t in TARGETS:
            if t in s.index:
                out[f"median_{t}"] = float(s.loc[t, "p50"])
        return out

    m = Model(name, function=evaluate)
    params = []
    for path in chosen:
        lo, hi = _range(u.loc[path])
        if u.loc[path, "family"] == "discrete" and float(lo).is_integer() and float(hi).is_integer():
            params.append(IntegerParameter(path, int(lo), int(hi)))
        else:
            params.append(RealParameter(path, lo, hi))
    m.uncertainties = params
    m.levers = [RealParameter(path, float(lv.loc[path, "low"]), float(lv.loc[path, "high"])) for path in lever_paths]
    m.outcomes = [ScalarOutcome(n) for n in outcome_names()]
    return m


def outcome_names(targets: Sequence[str] = TARGETS) -> list:
    """The outcome names a model has."""
    return [f"p_{t}" for t in targets] + ["p_all"] + [f"median_{t}" for t in targets]
