#!/usr/bin/env bash
# Side by side, in one run on one machine: ./jgrad bench, then PyTorch (OpenBLAS, OpenMP, 2 threads)
# doing the same work, then the ratios. Needs: apt-get install python3-torch python3-numpy libopenblas0-openmp
# and MNIST in ~/.cache/jgrad/mnist (./jgrad mnist fetches it), or pass the folder as $1.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MNIST="${1:-$HOME/.cache/jgrad/mnist}"
OUT="${OUT:-$(mktemp -d)}"
mkdir -p "$OUT"
echo "== machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $(date -u +%F)"
"$ROOT/jgrad" bench --json "$OUT/jgrad.json"
echo
echo "== PyTorch peer"
LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 "$ROOT/jmh/peers/torch_peer.py" \
  --mnist "$MNIST" --threads 2 --sizes 128,256,512,1024,2048 --json "$OUT/torch.json"
echo
echo "== jgrad (cpu) / PyTorch, same run"
/usr/bin/python3 - "$OUT/jgrad.json" "$OUT/torch.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1])); t = json.load(open(sys.argv[2]))
cpu = {(r["name"], r["shape"]): r for r in j if r["device"].startswith("cpu/")}
for r in t:
    if r["name"] == "sgemm":
        ours = cpu.get(("sgemm", r["shape"]))
        if ours: print(f"sgemm {r['shape']:18s} jgrad {ours['gflops']:7.1f}  torch {r['gflops']:7.1f} GFLOP/s   ratio {ours['gflops']/r['gflops']:.2f}x")
    else:
        key = r["shape"].replace(" batch 64", "") + " batch 64"
        ours = cpu.get(("mlp_step", key))
        if ours: print(f"mlp   {key:32s} jgrad {ours['images_per_second']:9,.0f}  torch {r['images_per_second']:9,.0f} images/s   ratio {ours['images_per_second']/r['images_per_second']:.2f}x")
PY
echo "(raw results in $OUT)"
