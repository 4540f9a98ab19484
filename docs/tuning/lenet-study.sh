#!/usr/bin/env bash
# The LeNet study of docs/tuning.md ("30 trials against grid search"): train's defaults at three
# seeds, TPE with ASHA pruning for 30 trials, and grid search over the same space (its "grid" points:
# 5 learning rates x 2 optimizers (3 momenta under sgd) x 3 batch sizes = 60 configurations), each in
# its own JVM under /usr/bin/time so that its process CPU time (user + sys) is measured; then the
# best configuration of each search trained again at the defaults' three seeds (a study's best is
# the best of many seeds too: this takes that luck out).
#   ./jgrad build && docs/tuning/lenet-study.sh [APP_DIR] [OUT_DIR]
# STAGES="retrain" runs only the listed stages (default: "default tpe grid retrain"); SEED=2 runs the
# two searches again with study seed 2 (studies tpe30-s2, grid-s2; other trial seeds, another grid order).
# APP_DIR: the built command line (default target/cli; copy it elsewhere to keep editing the sources
# while this runs). Needs MNIST in ~/.cache/jgrad/mnist (./jgrad mnist fetches it).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
APP="${1:-$ROOT/target/cli}"
OUT="${2:-/tmp/lenet-study}"
DATA="$OUT/mnist-12k"
SPACE="$ROOT/docs/tuning/mnist-lenet.json"
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
mkdir -p "$OUT"
/usr/bin/python3 "$ROOT/docs/tuning/mnist_subset.py" "$HOME/.cache/jgrad/mnist" "$DATA" 12000 1000
COMMON=(--data "$DATA" --val-size 2000 --model lenet --epochs 3)

# what ./jgrad ran, with the launcher's JVM options when this study was measured (today's add heap sizing: see ./jgrad)
JGRAD=("$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx512m -XX:+UseSerialGC
  -cp "$APP/jgrad.jar:$APP/lib/*" jgrad.cli.Main)
timed() {  # timed NAME COMMAND...: the command's log to OUT/NAME.log, "NAME user sys wall" to OUT/cpu.txt
  local name=$1; shift
  /usr/bin/time -o "$OUT/$name.time" -f "%U %S %e" "$@" > "$OUT/$name.log" 2>&1
  echo "$name $(cat "$OUT/$name.time")" >> "$OUT/cpu.txt"
}
STAGES="${STAGES:-default tpe grid retrain}"
SEED="${SEED:-1}"
SUFFIX=""; [ "$SEED" = 1 ] || SUFFIX="-s$SEED"
has() { [[ " $STAGES " == *" $1 "* ]]; }
if has default; then
  rm -f "$OUT/cpu.txt" "$OUT/studies.db"
  for s in 1 2 3; do
    timed "default-seed$s" "${JGRAD[@]}" train "${COMMON[@]}" --seed "$s" --out "$OUT/default-seed$s"
  done
fi
has tpe && timed "tpe$SUFFIX" "${JGRAD[@]}" tune --space "$SPACE" --study "tpe30$SUFFIX" --storage "$OUT/studies.db" --out "$OUT" \
  --seed "$SEED" --trials 30 --sampler tpe --pruner asha --concurrency 1 --export "$OUT/tpe30$SUFFIX.csv" "${COMMON[@]}"
has grid && timed "grid$SUFFIX" "${JGRAD[@]}" tune --space "$SPACE" --study "grid$SUFFIX" --storage "$OUT/studies.db" --out "$OUT" \
  --seed "$SEED" --trials 60 --sampler grid --pruner none --concurrency 1 --export "$OUT/grid$SUFFIX.csv" "${COMMON[@]}"
best() {  # best CSV: the train options of the export's best complete trial
  /usr/bin/python3 - "$1" <<'PY'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["state"] == "COMPLETE"]
best = max(rows, key=lambda r: float(r["value"]))
skip = {"number", "state", "value", "seconds", "attempts"}
print(" ".join(f"--{k} {v}" for k, v in best.items() if k not in skip and v != ""))
PY
}
if has retrain; then
  for study in "tpe30$SUFFIX" "grid$SUFFIX"; do
    read -r -a opts <<< "$(best "$OUT/$study.csv")"
    for s in 1 2 3; do
      timed "$study-best-seed$s" "${JGRAD[@]}" train "${COMMON[@]}" "${opts[@]}" --seed "$s" --out "$OUT/$study-best-seed$s"
    done
  done
fi
# each run's best epoch's validation accuracy (what a trial's value is)
for h in "$OUT"/*-seed*/history.csv; do
  echo "$(basename "$(dirname "$h")") $(tail -n +2 "$h" | cut -d, -f5 | sort -n | tail -1)"
done
cat "$OUT/cpu.txt"
