#!/usr/bin/env bash
# Checks that two parkcast binaries write the same outputs, byte for byte, for the same seed:
# the default run (the baseline's trials, every output, criticality, the levers' effects and
# the epistemic band) and a run of 10^6 trials with every output. The only differences
# allowed are the run's metadata that differ between any two runs: `threads`, `wall_seconds`
# and `date` in run.json and report_data.json, and the run date in report.html.
#
# Usage: scripts/same-outputs.sh OLD_BIN NEW_BIN [TRIALS]
#   OLD_BIN  the reference binary (e.g. a release build of main, copied aside)
#   NEW_BIN  the binary under test
#   TRIALS   trials of the large run (default 1000000; 0 skips it)
# Exits 0 when every file agrees, 1 (listing the differences) when one does not.
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,12p' "$0" >&2; exit 2; }
old="$1"
new="$2"
trials="${3:-1000000}"
for b in "$old" "$new"; do
  [ -x "$b" ] || { echo "$b: not an executable" >&2; exit 2; }
done
command -v jq > /dev/null || { echo "needs jq" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# the catalogue of runs records dates: keep it out of the comparison (and out of outputs/)
export PARKCAST_RUNS_DB=""

jobs=("default|run")
[ "$trials" != 0 ] && jobs+=("trials_$trials|run --trials $trials")

# the run's metadata that legitimately differ, taken out of a copy of the outputs
normalise() {
  local dir="$1"
  local f
  for f in run.json report_data.json; do
    [ -f "$dir/$f" ] || continue
    jq -S 'del(.threads, .wall_seconds, .date, .meta.threads?, .meta.wall_seconds?, .meta.date?)' "$dir/$f" > "$dir/$f.tmp"
    mv "$dir/$f.tmp" "$dir/$f"
  done
  if [ -f "$dir/report.html" ]; then
    sed -E -i \
      -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+(Z|[+-][0-9:]+)/DATE/g' \
      -e 's/运行日期[0-9]{4}年[0-9]{1,2}月[0-9]{1,2}日/运行日期DATE/g' \
      -e 's/"(wall_seconds|threads)": ?[0-9.eE+-]+/"\1":X/g' \
      -e 's/"date": ?"[^"]*"/"date":"DATE"/g' \
      "$dir/report.html"
  fi
}

status=0
for job in "${jobs[@]}"; do
  name="${job%%|*}"
  read -r -a args <<< "${job#*|}"
  for side in old new; do
    bin="$old"
    [ "$side" = new ] && bin="$new"
    start=$(date +%s.%N)
    if ! "$bin" "${args[@]}" --out "$work/$side/$name" > "$work/$side-$name.stdout" 2> "$work/$side-$name.stderr"; then
      echo "$side binary failed on '${args[*]}':" >&2
      cat "$work/$side-$name.stderr" >&2
      exit 2
    fi
    end=$(date +%s.%N)
    awk -v s="$start" -v e="$end" -v n="$name" -v side="$side" 'BEGIN { printf "%-22s %s: %6.2f s\n", n, side, e - s }'
    normalise "$work/$side/$name"
  done
  # what the run prints, less its wall-time and thread lines
  for side in old new; do
    grep -v -E 'wall|threads|[0-9.]+ s\b|elapsed|written in' "$work/$side-$name.stdout" > "$work/$side-$name.stdout.cmp" || true
  done
  if diff -r "$work/old/$name" "$work/new/$name" > "$work/$name.diff"; then
    n=$(find "$work/new/$name" -type f | wc -l)
    echo "$name: the same ($n files)"
  else
    echo "$name: DIFFERENT"
    head -40 "$work/$name.diff"
    status=1
  fi
  if ! diff "$work/old-$name.stdout.cmp" "$work/new-$name.stdout.cmp" > "$work/$name.stdout.diff"; then
    echo "$name: the printed tables differ"
    head -20 "$work/$name.stdout.diff"
    status=1
  fi
done
exit "$status"
