#!/usr/bin/env bash
# Whole runs, alternated: `./jgrad mnist --model lenet` (with the launcher's ahead-of-time cache, and
# without it: JGRAD_AOT=0) against jmh/peers/torch_lenet_mnist.py (PyTorch 1.13, OpenBLAS with OpenMP,
# 2 threads), same settings (batch 32, SGD lr 0.05 momentum 0.9, ×0.75 per epoch), N rounds. Each run is
# timed by /usr/bin/time -v; per run it prints the wall time, the first epoch's images/s, the training
# images/s over all epochs, the peak RSS and, for jgrad, when the first training step ended after the
# process started, and the process's CPU time by then (all threads). CPU seconds (user + system) are
# printed too: on a loaded machine they move far less than wall time. The medians per side follow. On a shared machine run it
# when it is quiet, and give the load (it is printed before and after).
#   jmh/peers/wholerun.sh                 # 3 rounds of 1 epoch
#   N=5 EPOCHS=10 jmh/peers/wholerun.sh
#   SIDES="aot torch" jmh/peers/wholerun.sh   # leave out a side (aot, noaot, torch)
# Needs: apt-get install python3-torch python3-numpy libopenblas0-openmp; MNIST in ~/.cache/jgrad/mnist
# (./jgrad mnist fetches it once).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
N="${N:-3}"
EPOCHS="${EPOCHS:-1}"
SIDES="${SIDES:-aot noaot torch}"
DATA="${DATA:-$HOME/.cache/jgrad/mnist}"
OUT="${OUT:-$(mktemp -d)}"
mkdir -p "$OUT"
echo "== $(sed -n 's/^model name\t*: //p' /proc/cpuinfo | head -1), $(nproc) cores; $(date -u '+%F %H:%M UTC'); $N rounds of $EPOCHS epoch(s); load $(cut -d' ' -f1-3 /proc/loadavg)"
"$ROOT/jgrad" build >/dev/null  # builds, and makes the ahead-of-time cache, outside the timed runs
printf '%-6s %5s %8s %8s %12s %12s %9s %13s %13s\n' side round wall_s cpu_s epoch1_img/s train_img/s rss_MB first_step_s first_step_cpu
for r in $(seq 1 "$N"); do
  for side in $SIDES; do
    log="$OUT/$side-$r.txt"
    case "$side" in
      aot|noaot)
        aot=1; [ "$side" = noaot ] && aot=0
        JGRAD_AOT=$aot /usr/bin/time -v -o "$log.time" "$ROOT/jgrad" mnist --model lenet --epochs "$EPOCHS" --data "$DATA" --show 0 > "$log" 2>&1
        e1=$(sed -n 's/^epoch  *1\/.* \([0-9,]*\) images\/s .*/\1/p' "$log" | tr -d ,)
        all=$(sed -n 's/.*training took .* (\([0-9,]*\) images\/s).*/\1/p' "$log" | tr -d ,)
        first=$(sed -n 's/^First training step done \([0-9.]*\) s .*(\([0-9.]*\) s of CPU.*/\1 \2/p' "$log")
        ;;
      torch)
        LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/time -v -o "$log.time" \
          /usr/bin/python3 "$ROOT/jmh/peers/torch_lenet_mnist.py" --data "$DATA" --epochs "$EPOCHS" > "$log" 2>&1
        e1=$(sed -n 's/^epoch 1: .* (\([0-9,]*\) images\/s).*/\1/p' "$log" | tr -d ,)
        # images over all epochs / seconds over all epochs, from its "epoch k: S s (R images/s)" lines
        all=$(sed -n 's/^epoch [0-9]*: \([0-9.]*\) s (\([0-9,]*\) images\/s).*/\1 \2/p' "$log" | tr -d , |
          awk '{ s += $1; n += $1 * $2 } END { if (s > 0) printf "%.0f", n / s }')
        first="- -"
        ;;
      *) echo "unknown side '$side' in SIDES (expected aot, noaot, torch)" >&2; exit 2 ;;
    esac
    wall=$(sed -n 's/.*Elapsed (wall clock) time.*: //p' "$log.time" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log.time")
    cpu=$(sed -n 's/.*\(User\|System\) time (seconds): //p' "$log.time" | awk '{ s += $1 } END { print s }')
    # shellcheck disable=SC2086
    printf '%-6s %5d %8.1f %8.1f %12s %12s %9.0f %13s %13s\n' "$side" "$r" "$wall" "$cpu" "${e1:-?}" "${all:-?}" "$((rss / 1024))" $first |
      tee -a "$OUT/rows.txt"
  done
done
echo "== medians (load now $(cut -d' ' -f1-3 /proc/loadavg); logs in $OUT)"
for side in $SIDES; do
  awk -v s="$side" '$1 == s { w[++n] = $3; c[n] = $4; e[n] = $5; t[n] = $6; m[n] = $7; f[n] = $8; g[n] = $9 }
    function med(a, n,   i, j, x) { for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j > 0 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
                                     return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
    END { if (!n) exit
          printf "%-6s wall %.1f s (%.1f-%.1f), CPU %.1f s, epoch 1 %.0f images/s, training %.0f images/s, peak RSS %.0f MB (%.0f-%.0f)", \
                 s, med(w, n), w[1], w[n], med(c, n), med(e, n), med(t, n), med(m, n), m[1], m[n]
          if (f[1] == "-") print ""; else printf ", first step %.2f s (%.2f-%.2f), %.2f s CPU\n", med(f, n), f[1], f[n], med(g, n) }' "$OUT/rows.txt"
done
