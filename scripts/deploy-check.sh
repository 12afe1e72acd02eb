#!/usr/bin/env bash
# Checks the deploy/ examples: bash syntax of deploy/slurm.sh, the Kubernetes YAML parses (with
# PyYAML when present), and deploy/slurm.sh run end to end against a stand-in sbatch
# (scripts/deploy-check/sbatch: runs each --wrap at once, array tasks with Slurm's variables),
# its merged data files compared with a one-machine run's.
#   scripts/deploy-check.sh [PARKCAST]   (default: target/debug/parkcast)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bin=$(realpath "${1:-target/debug/parkcast}")

bash -n deploy/slurm.sh
if python3 -c "import yaml" 2> /dev/null; then
  python3 - <<'PY'
import yaml
docs = list(yaml.safe_load_all(open("deploy/k8s-indexed-job.yaml")))
kinds = [(d["kind"], d["metadata"]["name"]) for d in docs]
assert kinds == [("PersistentVolumeClaim", "parkcast-data"), ("Job", "parkcast-shards"), ("Job", "parkcast-merge")], kinds
shards = docs[1]["spec"]
assert shards["completionMode"] == "Indexed" and shards["completions"] == shards["parallelism"] == 4
assert "k8s/4" in shards["template"]["spec"]["containers"][0]["command"]
print("deploy/k8s-indexed-job.yaml: parsed,", kinds)
PY
else
  echo "PyYAML missing: deploy/k8s-indexed-job.yaml not parsed"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
extra="--criticality-trials 1000 --lang en"
PATH="$root/scripts/deploy-check:$PATH" PARKCAST="$bin" CPUS=1 EXTRA="$extra" \
  bash "$root/deploy/slurm.sh" baseline 30000 2 > slurm.log 2>&1 || { cat slurm.log; exit 1; }
"$bin" run baseline --trials 30000 --seed 20241031 --threads 1 $extra --out one > /dev/null 2>&1
for f in summary.csv readings.csv beliefs.csv block_summary.csv timeseries.csv criticality.csv trials.parquet; do
  cmp "one/$f" "outputs/baseline/$f"
done
echo "deploy/slurm.sh: 2 shards and the merge give the one-machine run's data files"
