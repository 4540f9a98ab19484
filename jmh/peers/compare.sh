#!/usr/bin/env bash
# Side by side on one machine: ./jgrad bench and PyTorch (OpenBLAS with OpenMP, 2 threads) doing the same
# work, alternating for ROUNDS rounds (default 3). Each side's best round is compared, because on a
# shared VM a slow patch can hit either program; alternating gives both the same chances.
# Each benchmark's per-round ratios are printed too: the two programs of one round ran a minute apart,
# so their ratio is less exposed to the VM's slow patches than a ratio of bests.
# ONLY=sgemm,mlp_step limits both sides to some benchmarks; SIZES sets the sgemm sizes.
# Needs: apt-get install python3-torch python3-numpy libopenblas0-openmp.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ROUNDS="${ROUNDS:-3}"
ONLY="${ONLY:-sgemm,mlp_step,lenet_train,lenet_infer}"
SIZES="${SIZES:-128,256,512,1024,2048}"
OUT="${OUT:-$(mktemp -d)}"
mkdir -p "$OUT"
echo "== machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $(date -u '+%F %H:%M UTC'); $ROUNDS alternating rounds"
"$ROOT/jgrad" build >/dev/null 2>&1 || true
for r in $(seq 1 "$ROUNDS"); do
  "$ROOT/jgrad" bench --only "$ONLY" --sizes "$SIZES" --json "$OUT/jgrad-$r.json" > "$OUT/jgrad-$r.txt" 2>&1
  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 "$ROOT/jmh/peers/torch_peer.py" \
    --threads 2 --only "$ONLY" --sizes "$SIZES" --json "$OUT/torch-$r.json" > "$OUT/torch-$r.txt" 2>&1
  echo "round $r done"
done
head -1 "$OUT/torch-1.txt"
echo "== jgrad (cpu backend) vs PyTorch: best of $ROUNDS rounds each"
/usr/bin/python3 - "$OUT" "$ROUNDS" <<'PY'
import json, sys
out, rounds = sys.argv[1], int(sys.argv[2])
best_j, best_t, per_round = {}, {}, {}
def key_of(row):
    name = row["name"]
    shape = row["shape"] if name != "mlp_step" else row["shape"].replace(" batch 64", "") + " batch 64"
    return (name, shape)
for r in range(1, rounds + 1):
    jr, tr = {}, {}
    for row in json.load(open(f"{out}/jgrad-{r}.json")):
        if not row["device"].startswith("cpu/"): continue
        jr[key_of(row)] = row.get("gflops") or row.get("images_per_second")
    for row in json.load(open(f"{out}/torch-{r}.json")):
        tr[key_of(row)] = row.get("gflops") or row.get("images_per_second")
    for k, v in jr.items(): best_j[k] = max(v, best_j.get(k, 0))
    for k, v in tr.items(): best_t[k] = max(v, best_t.get(k, 0))
    for k in tr:
        if k in jr: per_round.setdefault(k, []).append(jr[k] / tr[k])
for key, t in best_t.items():
    j = best_j.get(key)
    if j is None: continue
    unit = "GFLOP/s" if key[0] == "sgemm" else "images/s"
    rs = sorted(per_round[key])
    med = rs[len(rs) // 2] if len(rs) % 2 else (rs[len(rs) // 2 - 1] + rs[len(rs) // 2]) / 2
    print(f"{key[0]:8s} {key[1]:36s} jgrad {j:11,.1f}  torch {t:11,.1f} {unit:8s}  ratio of bests {j/t:.2f}x"
          f"  per round: median {med:.2f}x, {rs[0]:.2f}-{rs[-1]:.2f}x")
PY
echo "(every round's raw output is in $OUT)"
