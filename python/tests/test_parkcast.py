"""The Python package against the command line: same numbers for the same scenario and seed,
same error texts, and results that do not depend on the thread count."""

import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import parkcast

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("PARKCAST_BIN", ROOT / "target" / "debug" / "parkcast"))
TRIALS = 3000


def cli(*args, check=True):
    if not BIN.exists():
        pytest.skip(f"no parkcast binary at {BIN} (set PARKCAST_BIN or run cargo build)")
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, check=check, cwd=ROOT / "python")


def cli_json(*args):
    out = cli("run", "--json", "--no-write", "--criticality-trials", "0", *args)
    return json.loads(out.stdout)


def test_summary_equals_the_cli_bit_for_bit():
    py = parkcast.run(trials=TRIALS, seed=7)
    c = cli_json("--trials", str(TRIALS), "--seed", "7")
    assert py.document == c  # every number, parsed from the same JSON text layout
    assert py.document["summary"]["trials"] == TRIALS


def test_overrides_and_target_sets_equal_the_cli():
    o = {"base.revenue_growth_per_year": 0.08, "levers.industry_funds.value": 1.5}
    py = parkcast.run(trials=TRIALS, seed=3, overrides=o, targets="city_2027_draft")
    c = cli_json(
        "--trials", str(TRIALS), "--seed", "3", "--targets", "city_2027_draft",
        "--set", "base.revenue_growth_per_year=0.08", "--set", "levers.industry_funds.value=1.5",
    )
    assert py.document == c
    assert py.document["target_set"] == "city_2027_draft"


def test_per_trial_values_reproduce_the_summary():
    r = parkcast.run(trials=TRIALS, seed=11)
    assert len(r.trials) == TRIALS
    p = r.p_met
    for target in ("parks", "specialized", "tech_smes", "revenue", "jobs"):
        # a hit rate is hits / trials in both: exactly equal
        assert r.trials[f"met.{target}"].mean() == p[target], target
    assert r.trials["met.all"].mean() == p["all"]
    headline = r.document["headline_readings"]
    for target, reading in headline.items():
        assert np.array_equal(r.trials[target].to_numpy(), r.trials[f"reading.{target}.{reading}"].to_numpy()), target
    blocks = len(r.document["summary"]["blocks"])
    assert r.block_start.shape == (TRIALS, blocks)
    assert r.block_delivery.dtype == np.int16
    started = r.block_start != parkcast.NOT_BY_HORIZON
    assert (r.block_delivery[started] >= r.block_start[started]).all()


def test_thread_count_does_not_change_results():
    one = parkcast.run(trials=TRIALS, seed=5, threads=1)
    two = parkcast.run(trials=TRIALS, seed=5, threads=2)
    assert one.document == two.document
    pd.testing.assert_frame_equal(one.trials, two.trials)


def test_tables_are_dataframes():
    r = parkcast.run(trials=2000, seed=1)
    assert list(r.summary["target"]) == ["parks", "specialized", "tech_smes", "revenue", "jobs", "all"]
    assert r.summary["p_met"].between(0, 1).all()
    assert (r.summary["ci_low"] <= r.summary["p_met"]).all() and (r.summary["p_met"] <= r.summary["ci_high"]).all()
    assert len(r.blocks) == 20 and len(r.timeseries) > 0 and len(r.readings) >= 10
    assert "simulation error" in repr(r)


def test_errors_carry_the_cli_text_and_exit_code():
    with pytest.raises(parkcast.ParkcastError) as e:
        parkcast.run(trials=100, overrides={"base.revenue_growth_per_yer": 0.08})
    c = cli("run", "--trials", "100", "--no-write", "--set", "base.revenue_growth_per_yer=0.08", check=False)
    assert c.returncode == 2 == e.value.code
    assert "base.revenue_growth_per_yer" in str(e.value)
    assert str(e.value).splitlines()[-1] in c.stderr
    with pytest.raises(parkcast.ParkcastError, match="threads=0"):
        parkcast.run(trials=100, threads=0)
    with pytest.raises(parkcast.ParkcastError, match="no such file"):
        parkcast.run("no/such/scenario.toml")
    with pytest.raises(parkcast.ParkcastError, match="dict of key path"):
        parkcast.run(overrides="base.x=1")


def test_a_scenario_given_as_a_dict():
    d = {
        "extends": "baseline.toml",
        "scenario": {"name": "from_python", "description": "growth at 8 %"},
        "base": {"revenue_growth_per_year": {"fixed": 0.08, "assumption": "a test"}},
    }
    r = parkcast.run(d, trials=TRIALS, seed=7)
    same = parkcast.run(trials=TRIALS, seed=7, overrides={"base.revenue_growth_per_year": 0.08})
    assert r.document["scenario"] == "from_python"
    assert r.document["summary"] == same.document["summary"]
    with pytest.raises(parkcast.ParkcastError) as e:
        parkcast.run({"extends": "baseline.toml", "scenario": {"name": "bad"}, "base": {"revenue_growth_per_year": "fast"}}, trials=100)
    assert "<dict>" in str(e.value) and "revenue_growth_per_year" in str(e.value)


def test_compare_is_paired_against_the_first():
    df = parkcast.compare(["baseline", "policy_package"], trials=2000, seed=2)
    base = df[df.scenario == "baseline"]
    assert (base["diff"] == 0).all() and (base["diff_low"] == 0).all() and (base["diff_high"] == 0).all()
    pkg = df[df.scenario == "policy_package"].set_index("target")
    assert (pkg["diff_low"] <= pkg["diff"]).all() and (pkg["diff"] <= pkg["diff_high"]).all()
    with pytest.raises(parkcast.ParkcastError, match="at least two"):
        parkcast.compare(["baseline"])


def test_sweep_over_a_parameter_leaves_unrelated_targets_alone():
    df = parkcast.sweep("base.revenue_growth_per_year", [0.03, 0.08], trials=2000, seed=4)
    assert set(df["value"]) == {0.03, 0.08}
    spec = df[df.target == "specialized"]["p_met"].to_numpy()
    assert spec[0] == spec[1]  # revenue growth does not enter the firm counts (common random numbers)
    rev = df[df.target == "revenue"]["p_met"].to_numpy()
    assert rev[1] >= rev[0]
    with pytest.raises(parkcast.ParkcastError):
        parkcast.sweep("base.no_such_thing", [1.0], trials=100)


def test_parameters_list_uncertainties_and_levers():
    p = parkcast.parameters()
    u = p["uncertainties"].set_index("path")
    g = u.loc["base.revenue_growth_per_year"]
    assert g["family"] == "pert" and g["support_low"] == 0.03 and g["support_high"] == 0.1
    assert g["p05"] < g["p50"] < g["p95"]
    assert g["kind"] == "epistemic" and u.loc["params.start.delay_months", "kind"] == "aleatory"
    levers = p["levers"].set_index("name")
    assert "industry_funds" in levers.index
    assert all(len(d) > 0 for d in levers["departments"])


def test_ema_workbench_model_runs_a_design():
    ema_workbench = pytest.importorskip("ema_workbench")
    from parkcast import ema

    m = ema.model("baseline", trials=200, seed=3, uncertainties=["base.revenue_growth_per_year", "base.other_parks_listed"],
                  levers=["levers.industry_funds.value"])
    assert [u.name for u in m.uncertainties] == ["base.revenue_growth_per_year", "base.other_parks_listed"]
    assert isinstance(m.uncertainties[1], ema_workbench.IntegerParameter)
    assert (m.levers[0].lower_bound, m.levers[0].upper_bound) == (1.0, 2.0)
    experiments, outcomes = ema_workbench.perform_experiments(m, scenarios=3, policies=2)
    assert len(experiments) == 6
    assert set(ema.outcome_names()) <= set(outcomes)
    # each experiment is one run with its values fixed: the same as calling run() directly
    row = experiments.iloc[0]
    direct = parkcast.run(trials=200, seed=3, overrides={
        "base.revenue_growth_per_year": float(row["base.revenue_growth_per_year"]),
        "base.other_parks_listed": int(row["base.other_parks_listed"]),
        "levers.industry_funds.value": float(row["levers.industry_funds.value"]),
    })
    assert outcomes["p_all"][0] == direct.p_met["all"]
    assert outcomes["p_revenue"][0] == direct.p_met["revenue"]
    with pytest.raises(ValueError, match="not parameters"):
        ema.model(uncertainties=["base.nope"])
