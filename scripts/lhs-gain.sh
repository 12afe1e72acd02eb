#!/usr/bin/env bash
# How much Latin hypercube sampling narrows the baseline's intervals: the spread of each
# P(met) (and of all targets together) over independent seeds, with plain and with LHS
# sampling, and their ratio — the variance reduction, i.e. how many times more plain trials
# give an interval as narrow as LHS's.
#
# Usage: scripts/lhs-gain.sh [SEEDS] [TRIALS]   (default 40 seeds of 10,000 trials: one
# hypercube each; a release build of parkcast is used, built first)
set -euo pipefail
cd "$(dirname "$0")/.."
seeds="${1:-40}"
trials="${2:-10000}"
cargo build --release --quiet
bin=target/release/parkcast
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for sampling in plain lhs; do
  for s in $(seq "$seeds"); do
    "$bin" run --trials "$trials" --seed "$s" --sampling "$sampling" --no-write --json --criticality-trials 0 \
      2> /dev/null > "$out/$sampling-$s.json"
  done
done
python3 - "$out" "$seeds" "$trials" <<'PY'
import json, math, statistics, sys
out, seeds, trials = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def p_met(sampling):
    rows = {}
    for s in range(1, seeds + 1):
        d = json.load(open(f"{out}/{sampling}-{s}.json"))["summary"]
        for t in d["targets"]:
            rows.setdefault(t["id"], []).append(t["p_met"])
        rows.setdefault("all targets", []).append(d["all"]["p_met"])
    return rows
plain, lhs = p_met("plain"), p_met("lhs")
# ln of a sample variance has standard error about sqrt(2 / (n - 1)); of a ratio of two, the root of twice that
half = 1.96 * math.sqrt(4.0 / (seeds - 1))
print(f"{seeds} seeds of {trials:,} trials each; P(met) mean, its standard deviation over seeds, plain and LHS")
print(f"{'target':<14}{'P(met)':>8}{'sd plain':>10}{'sd LHS':>9}{'variance ratio (95 %)':>26}")
for k in plain:
    vp, vl = statistics.variance(plain[k]), statistics.variance(lhs[k])
    if vl == 0 or vp == 0:
        print(f"{k:<14}{statistics.mean(plain[k]):>8.4f}{math.sqrt(vp):>10.5f}{math.sqrt(vl):>9.5f}{'—':>26}")
        continue
    r = vp / vl
    print(f"{k:<14}{statistics.mean(plain[k]):>8.4f}{math.sqrt(vp):>10.5f}{math.sqrt(vl):>9.5f}"
          f"{r:>10.2f} ({r * math.exp(-half):.2f}–{r * math.exp(half):.2f})")
PY
