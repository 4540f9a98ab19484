#!/usr/bin/env bash
# The README's transfer-learning table (issue #18): a backbone that jgrad pretrains itself on
# Fashion-MNIST, transferred to MNIST with 1,000 labelled images and to scikit-learn's 8×8 digits
# with 500, four ways each (from scratch, feature extraction, fine-tuning, fine-tuning with the
# backbone frozen until epoch 4). Prints two Markdown tables and writes them, with JSON rows, to
# the folder given (default runs/transfer-demo).
#
# Needs: MNIST (fetched into ~/.cache/jgrad/mnist on first use), Debian's dataset-fashion-mnist and
# python3-sklearn (for the digits CSV). The backbone is built once into ~/.cache/jgrad/weights
# (about 60,000 training steps of a 77,754-parameter network: minutes on a quiet 2-core machine) and
# reused by later runs; delete the file there, or add --force to the pretrain line, to build it again.
set -euo pipefail
cd "$(dirname "$0")/.."
# A larger heap than the launcher's default 512 MB (serial collector): a pretraining run with 1 GB was
# seen with its old generation full and 46 full collections in ten minutes. (Whether that cost much
# time was not measured: on the shared machine the load, not the heap, moved the times most.)
export JGRAD_JAVA_OPTS="${JGRAD_JAVA_OPTS:--Xmx2g}"
OUT="${1:-runs/transfer-demo}"
mkdir -p "$OUT"
./jgrad pretrain --model resnet_mini --dataset fashion-mnist --seed 1 --epochs 1
./jgrad transfer-demo --target mnist --labels 1000 --epochs 10 --unfreeze-at 4 --seed 1 --json "$OUT/mnist.json" | tee "$OUT/mnist.log"
./jgrad transfer-demo --target digits --labels 500 --epochs 10 --unfreeze-at 4 --seed 1 --json "$OUT/digits.json" | tee "$OUT/digits.log"
for t in mnist digits; do
  sed -n '/ labelled training images (/,$p' "$OUT/$t.log" > "$OUT/$t.md"
  echo; cat "$OUT/$t.md"
done
