#!/usr/bin/env bash
# Speed and memory of parkcast on this machine (release build, the built-in baseline):
#  1. simulation and tables only (--no-write, no criticality): trials/s on 1 and 2 threads
#     and the 1→2-thread speed-up;
#  2. every output written (CSV, Parquet, JSON, charts, report; criticality included): wall
#     time and peak memory at 10^5, 10^6 and 4·10^6 trials, and bytes a trial;
#  3. the default run (`parkcast run`, = `cargo run --release`);
#  4. the default run's stages, each left out in turn (criticality, the levers' effects, the
#     files with the slider grid and epistemic band they hold), and the start-up.
# Each timing is the median of REPEATS whole-process runs. Usage: scripts/measure.sh [REPEATS]
set -euo pipefail
cd "$(dirname "$0")/.."
repeats="${1:-3}"
cargo build --release --quiet
bin=target/release/parkcast
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
[ -x /usr/bin/time ] || { echo "needs GNU time (/usr/bin/time) for peak memory" >&2; exit 1; }

# median wall seconds and peak KiB of `$bin "$@"` over the repeats: prints "WALL PEAK_KIB"
measure() {
  local walls=() peaks=()
  for _ in $(seq "$repeats"); do
    /usr/bin/time -f "%e %M" -o "$out/time" "$bin" "$@" > /dev/null 2> "$out/stderr" || { cat "$out/stderr" >&2; exit 1; }
    read -r w p < "$out/time"
    walls+=("$w"); peaks+=("$p")
  done
  local w p
  w=$(printf '%s\n' "${walls[@]}" | sort -g | sed -n "$(( (repeats + 1) / 2 ))p")
  p=$(printf '%s\n' "${peaks[@]}" | sort -g | sed -n "$(( (repeats + 1) / 2 ))p")
  echo "$w $p"
}

echo "cores: $(nproc); repeats: $repeats; $($bin --version)"
echo
echo "1. simulation and tables (--no-write --criticality-trials 0), 10^6 trials"
read -r w1 _ < <(measure run --trials 1000000 --threads 1 --no-write --criticality-trials 0)
read -r w2 p2 < <(measure run --trials 1000000 --threads 2 --no-write --criticality-trials 0)
awk -v w1="$w1" -v w2="$w2" -v p2="$p2" 'BEGIN {
  printf "   1 thread:  %5.2f s  %9.0f trials/s\n", w1, 1e6 / w1
  printf "   2 threads: %5.2f s  %9.0f trials/s  (speed-up %.2f), peak %.0f MB\n", w2, 1e6 / w2, w1 / w2, p2 / 1024
}'
echo
echo "2. all outputs written (criticality, charts and report included), 2 threads"
prev=""
for n in 100000 1000000 4000000; do
  read -r w p < <(measure run --trials "$n" --threads 2 --out "$out/run")
  awk -v n="$n" -v w="$w" -v p="$p" 'BEGIN { printf "   %8d trials: %6.2f s wall, peak %5.0f MB (%.0f bytes a trial)\n", n, w, p / 1024, p * 1024 / n }'
  if [ -n "$prev" ]; then
    awk -v a="$prev" -v b="$p" -v n="$n" 'BEGIN { split(a, x, ":"); printf "      growth from %d trials: %.0f bytes a trial\n", x[1], (b - x[2]) * 1024 / (n - x[1]) }'
  fi
  prev="$n:$p"
done
echo
echo "3. default run (parkcast run: the baseline's 10^5 trials, all outputs, criticality)"
read -r w p < <(measure run --out "$out/default")
awk -v w="$w" -v p="$p" 'BEGIN { printf "   %.2f s wall, peak %.0f MB\n", w, p / 1024 }'
echo
echo "4. where the default run's time goes: each stage left out in turn (differences of medians)"
read -r wc _ < <(measure run --criticality-trials 0 --out "$out/default")
read -r we _ < <(measure run --criticality-trials 0 --effect-trials 0 --out "$out/default")
read -r wn _ < <(measure run --criticality-trials 0 --effect-trials 0 --no-write)
read -r w0 _ < <(measure run --trials 1 --criticality-trials 0 --no-write)
awk -v w="$w" -v wc="$wc" -v we="$we" -v wn="$wn" -v w0="$w0" 'BEGIN {
  printf "   start-up (scenario, seeds, plan; a 1-trial run):           %5.2f s\n", w0
  printf "   the 10^5 trials and the tables:                             %5.2f s\n", wn - w0
  printf "   slider grid, epistemic band and every file written:        %5.2f s\n", we - wn
  printf "   the levers'"'"' measured effects (--effect-trials 0 saves):     %5.2f s\n", wc - we
  printf "   block criticality (--criticality-trials 0 saves):           %5.2f s\n", w - wc
}'
