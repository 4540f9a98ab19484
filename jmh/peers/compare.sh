#!/usr/bin/env bash
# Side by side on one machine: ./jgrad bench and PyTorch (OpenBLAS with OpenMP, 2 threads) doing the same
# work, alternating for ROUNDS rounds (default 3). Each side's best round is compared, because on a
# shared VM a slow patch can hit either program; alternating gives both the same chances.
# Needs: apt-get install python3-torch python3-numpy libopenblas0-openmp.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ROUNDS="${ROUNDS:-3}"
OUT="${OUT:-$(mktemp -d)}"
mkdir -p "$OUT"
echo "== machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $(date -u '+%F %H:%M UTC'); $ROUNDS alternating rounds"
"$ROOT/jgrad" build >/dev/null 2>&1 || true
for r in $(seq 1 "$ROUNDS"); do
  "$ROOT/jgrad" bench --only sgemm,mlp_step,lenet_train,lenet_infer --json "$OUT/jgrad-$r.json" > "$OUT/jgrad-$r.txt" 2>&1
  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 "$ROOT/jmh/peers/torch_peer.py" \
    --threads 2 --sizes 128,256,512,1024,2048 --json "$OUT/torch-$r.json" > "$OUT/torch-$r.txt" 2>&1
  echo "round $r done"
done
head -1 "$OUT/torch-1.txt"
echo "== jgrad (cpu backend) vs PyTorch: best of $ROUNDS rounds each"
/usr/bin/python3 - "$OUT" "$ROUNDS" <<'PY'
import json, sys
out, rounds = sys.argv[1], int(sys.argv[2])
best_j, best_t = {}, {}
for r in range(1, rounds + 1):
    for row in json.load(open(f"{out}/jgrad-{r}.json")):
        if not row["device"].startswith("cpu/"): continue
        rate = row.get("gflops") or row.get("images_per_second")
        best_j[(row["name"], row["shape"])] = max(rate, best_j.get((row["name"], row["shape"]), 0))
    for row in json.load(open(f"{out}/torch-{r}.json")):
        name = row["name"]
        shape = row["shape"] if name != "mlp_step" else row["shape"].replace(" batch 64", "") + " batch 64"
        rate = row.get("gflops") or row.get("images_per_second")
        best_t[(name, shape)] = max(rate, best_t.get((name, shape), 0))
for key, t in best_t.items():
    j = best_j.get(key)
    if j is None: continue
    unit = "GFLOP/s" if key[0] == "sgemm" else "images/s"
    key = (key[0], key[1])
    print(f"{key[0]:8s} {key[1]:36s} jgrad {j:11,.1f}  torch {t:11,.1f} {unit:8s}  ratio {j/t:.2f}x")
PY
echo "(every round's raw output is in $OUT)"
