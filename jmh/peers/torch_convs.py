"""ResNet-18's distinct convolutions, one thread: forward, input gradient and weight gradient, best
of several calls, GFLOP/s each. The peer of ThreadCpuTime's `resnet` mode.

    LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 jmh/peers/torch_convs.py 224 8
"""
import sys, time
import torch

torch.set_num_threads(1)
size = int(sys.argv[1]) if len(sys.argv) > 1 else 224
n = int(sys.argv[2]) if len(sys.argv) > 2 else 8
s1 = (size + 1) // 2
s2 = (s1 + 1) // 2
convs = [(3, size, 64, 7, 2, 3, 1), (64, s2, 64, 3, 1, 1, 4),
         (64, s2, 128, 3, 2, 1, 1), (64, s2, 128, 1, 2, 0, 1), (128, (s2 + 1) // 2, 128, 3, 1, 1, 3),
         (128, (s2 + 1) // 2, 256, 3, 2, 1, 1), (128, (s2 + 1) // 2, 256, 1, 2, 0, 1), (256, (s2 + 3) // 4, 256, 3, 1, 1, 3),
         (256, (s2 + 3) // 4, 512, 3, 2, 1, 1), (256, (s2 + 3) // 4, 512, 1, 2, 0, 1), (512, (s2 + 7) // 8, 512, 3, 1, 1, 3)]


def best(f, calls):
    b = float("inf")
    for _ in range(calls):
        t = time.thread_time()
        f()
        b = min(b, time.thread_time() - t)
    return b * 1e6


tot = [0.0, 0.0, 0.0]
for c, h, k, r, st, pad, cnt in convs:
    conv = torch.nn.Conv2d(c, k, r, st, pad, bias=False)
    x = torch.randn(n, c, h, h, requires_grad=True)
    with torch.no_grad():
        y = conv(x)
    dy = torch.randn_like(y)
    flop = 2.0 * y.numel() * c * r * r
    calls = int(max(3, min(50, 2e9 / flop)))
    with torch.no_grad():
        f = best(lambda: conv(x), calls)
    def bwd_x():
        torch.autograd.grad(conv(x), x, dy)
    def bwd_w():
        torch.autograd.grad(conv(x), conv.weight, dy)
    # backward timings include a forward; subtract it
    i = max(best(bwd_x, calls) - f, 1)
    d = max(best(bwd_w, calls) - f, 1)
    tot[0] += f * cnt; tot[1] += i * cnt; tot[2] += d * cnt
    print(f"{c:4d}→{k:<4d} {r}×{r} s{st} at {h:3d} (×{cnt}): fwd {f:7.0f} µs {flop/f/1e3:5.1f} GF/s | dx {i:7.0f} µs {flop/i/1e3:5.1f} | dw {d:7.0f} µs {flop/d/1e3:5.1f}")
print(f"total ms (one thread): fwd {tot[0]/1e3:.1f}, dx {tot[1]/1e3:.1f}, dw {tot[2]/1e3:.1f}")
