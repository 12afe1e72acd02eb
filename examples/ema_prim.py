"""Scenario discovery on parkcast with EMA Workbench: which combinations of unknowns and
policy levers leave all 2027 targets out of reach?

Runs parkcast over a design of scenarios (the base figures, growth and shares) × policies (the
levers), then PRIM on the experiments where P(all targets met) is low. Run it from the
repository after installing the package (docs/python.md) and EMA Workbench:

    python examples/ema_prim.py            # 64 scenarios × 8 policies, 2,000 trials each
    PARKCAST_EXAMPLE_SIZE=small python examples/ema_prim.py   # what CI runs: 16 × 4, 300 trials
"""

import os
import time

import numpy as np
from ema_workbench import perform_experiments
from ema_workbench.analysis import prim

from parkcast import ema

small = os.environ.get("PARKCAST_EXAMPLE_SIZE") == "small"
scenarios, policies, trials = (16, 4, 300) if small else (64, 8, 2000)

# EMA Workbench samples its designs from NumPy's global generator: seeded, the design repeats
np.random.seed(20241031)
model = ema.model("baseline", trials=trials, seed=20241031)
started = time.time()
experiments, outcomes = perform_experiments(model, scenarios=scenarios, policies=policies)
print(f"{len(experiments)} experiments of {trials} trials in {time.time() - started:.1f} s")

p_all = outcomes["p_all"]
print(f"P(all targets met): median {np.median(p_all):.3f}, 10–90 % {np.quantile(p_all, 0.1):.3f}–{np.quantile(p_all, 0.9):.3f}")
for t in ema.TARGETS:
    v = outcomes[f"p_{t}"]
    print(f"  P({t}) median {np.median(v):.3f}  range {v.min():.3f}–{v.max():.3f}")

# cases of concern: the lowest quarter of P(all)
concern = p_all <= np.quantile(p_all, 0.25)
x = experiments.drop(columns=["scenario", "policy", "model"])
# PRIM pastes float limits into integer columns, which pandas 3 refuses: hand it floats
x = x.astype({c: float for c in x.select_dtypes("integer").columns})
alg = prim.Prim(x, concern, threshold=0.6, peel_alpha=0.1)
box = alg.find_box()
print(f"PRIM box: coverage {box.coverage:.2f}, density {box.density:.2f}, mass {box.mass:.2f}")
limits = box.box_lims[box._cur_box]
for name in limits.columns:
    lo, hi = limits[name]
    full_lo, full_hi = x[name].min(), x[name].max()
    if (lo, hi) != (full_lo, full_hi) and not isinstance(lo, set):
        print(f"  {name}: {lo:.4g} – {hi:.4g}  (explored {full_lo:.4g} – {full_hi:.4g})")
assert len(experiments) == scenarios * policies
assert 0.0 <= p_all.min() <= p_all.max() <= 1.0
