#!/usr/bin/env bash
# End-to-end speed of parkcast on this machine: the baseline at 10^6 trials with every output
# written, wall time and peak memory (resident set). Usage: scripts/measure.sh [TRIALS]
set -euo pipefail
cd "$(dirname "$0")/.."
trials="${1:-1000000}"
cargo build --release --quiet
out="$(mktemp -d)"
echo "cores: $(nproc); trials: $trials"
if [ -x /usr/bin/time ]; then
  /usr/bin/time -f "wall %e s, peak memory %M KiB" target/release/parkcast run --trials "$trials" --out "$out/run" > /dev/null
else
  start=$(date +%s.%N)
  target/release/parkcast run --trials "$trials" --out "$out/run" > /dev/null
  end=$(date +%s.%N)
  echo "wall $(echo "$end - $start" | bc) s (install GNU time for peak memory)"
fi
grep wall_seconds "$out/run/run.json"
ls -l "$out/run"
rm -rf "$out"
