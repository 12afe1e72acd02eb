#!/usr/bin/env bash
# A sharded parkcast run on Slurm: a job array of SHARDS tasks, each running its share of the
# chunks (`parkcast run --shard slurm`), and a merge job that starts only when every task
# succeeded (`--dependency=afterok`). See docs/scale-out.md.
#
#   deploy/slurm.sh [SCENARIO] [TRIALS] [SHARDS]
#   SCENARIO=scenarios/policy_package.toml TRIALS=2000000 SHARDS=20 deploy/slurm.sh
#
# Run it from a directory on storage every node sees (the parts and the outputs go there).
# PARKCAST (default: parkcast on PATH), SEED, CPUS (per task), PARTITION, TIME and EXTRA (more
# `parkcast run` arguments, e.g. "--set levers.parallel_approvals.value=6") may be set.
set -euo pipefail

SCENARIO=${1:-${SCENARIO:-baseline}}
TRIALS=${2:-${TRIALS:-1000000}}
SHARDS=${3:-${SHARDS:-10}}
SEED=${SEED:-20241031}
CPUS=${CPUS:-4}
TIME=${TIME:-01:00:00}
PARKCAST=${PARKCAST:-parkcast}
EXTRA=${EXTRA:-}
NAME=${NAME:-$(basename "${SCENARIO%.toml}")}
PARTS=${PARTS:-outputs/$NAME-parts}
OUT=${OUT:-outputs/$NAME}
PARTITION_ARG=()
[ -n "${PARTITION:-}" ] && PARTITION_ARG=(--partition "$PARTITION")

CHUNKS=$(( (TRIALS + 9999) / 10000 ))
if [ "$SHARDS" -gt "$CHUNKS" ]; then
  echo "deploy/slurm.sh: $TRIALS trials make $CHUNKS chunks of 10,000; use at most $CHUNKS shards" >&2
  exit 2
fi
mkdir -p "$PARTS" logs

# The same command on every task; --shard slurm reads SLURM_ARRAY_TASK_ID, _MIN and _COUNT,
# so --array=1-N and --array=0-(N-1) both work. --yes: no terminal to confirm a long shard.
RUN="$PARKCAST run $SCENARIO --trials $TRIALS --seed $SEED --threads $CPUS $EXTRA --shard slurm --out $PARTS --yes"

array_id=$(sbatch --parsable "${PARTITION_ARG[@]}" \
  --job-name "parkcast-$NAME" \
  --array "1-$SHARDS" \
  --cpus-per-task "$CPUS" \
  --time "$TIME" \
  --output "logs/parkcast-$NAME-%A_%a.log" \
  --wrap "$RUN")

# The merge replays every chunk in chunk order and runs the short criticality sample; one task.
merge_id=$(sbatch --parsable "${PARTITION_ARG[@]}" \
  --job-name "parkcast-$NAME-merge" \
  --dependency "afterok:$array_id" \
  --cpus-per-task "$CPUS" \
  --time "$TIME" \
  --output "logs/parkcast-$NAME-merge-%j.log" \
  --wrap "$PARKCAST merge $PARTS --threads $CPUS --out $OUT")

echo "submitted shards as job array $array_id (1-$SHARDS) and the merge as job $merge_id"
echo "outputs: $OUT (parts in $PARTS, logs in logs/)"
