#!/usr/bin/env python3
"""PyTorch peer for jgrad's benchmarks: the same work, measured the same way, on the same machine.

Run it the fair way (OpenBLAS with OpenMP, two threads), as docs/performance.md says:
  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 jmh/peers/torch_peer.py [--mnist DIR] [--json FILE]

Prints one line per benchmark: name, shape, threads, ms, GFLOP/s or images/s.
"""
import argparse, gzip, json, os, struct, time
import numpy as np
import torch

def load_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    rank = magic & 0xFF
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)

def find(d, name):
    for n in (name, name + ".gz"):
        if os.path.exists(os.path.join(d, n)):
            return os.path.join(d, n)
    raise FileNotFoundError(os.path.join(d, name))

def sgemm(n, reps):
    a, b = torch.randn(n, n), torch.randn(n, n)
    for _ in range(3):
        torch.mm(a, b)
    t0 = time.perf_counter()
    for _ in range(reps):
        torch.mm(a, b)
    s = (time.perf_counter() - t0) / reps
    return s * 1e3, 2.0 * n ** 3 / s / 1e9

def mlp_epoch(x, y, sizes, act, batch, epochs=2):
    """One training epoch over in-memory data, batch by batch, as jgrad's MlpTrainingBenchmark."""
    torch.manual_seed(1)
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(torch.nn.Sigmoid() if act == "sigmoid" else torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    loss_fn = torch.nn.CrossEntropyLoss()
    n = x.shape[0] // batch * batch
    best = 0.0
    for _ in range(epochs):  # the first epoch warms up; report the best
        perm = torch.randperm(x.shape[0])
        t0 = time.perf_counter()
        for i in range(0, n, batch):
            idx = perm[i:i + batch]
            xb = x[idx].float().div_(255.0)
            loss = loss_fn(model(xb), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        best = max(best, n / (time.perf_counter() - t0))
    return best

def main():
    p = argparse.ArgumentParser()
    p.add_argument("--mnist", default=os.path.expanduser("~/.cache/jgrad/mnist"))
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--sizes", default="64,256,512,1024,2048")
    p.add_argument("--json")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    rows = []
    for n in [int(s) for s in a.sizes.split(",")]:
        ms, gf = sgemm(n, max(3, int(2e9 / (2 * n ** 3))))
        rows.append({"name": "sgemm", "shape": f"{n}x{n}x{n}", "threads": a.threads, "ms": ms, "gflops": gf})  # ms per product
    x = torch.from_numpy(load_idx(find(a.mnist, "train-images-idx3-ubyte")).reshape(-1, 784).copy())
    y = torch.from_numpy(load_idx(find(a.mnist, "train-labels-idx1-ubyte")).astype(np.int64))
    for sizes, act in (([784, 16, 16, 10], "sigmoid"), ([784, 128, 64, 10], "relu")):
        ips = mlp_epoch(x, y, sizes, act, 64)
        rows.append({"name": "mlp_epoch", "shape": "-".join(map(str, sizes)) + " " + act + " batch 64",
                     "threads": a.threads, "ms": 64 / ips * 1e3, "images_per_second": ips})
    blas = [l.split()[-1] for l in open("/proc/self/maps") if "blas" in l.lower()]
    print(f"torch {torch.__version__}, BLAS loaded: {sorted(set(blas)) or 'none found'}, threads {torch.get_num_threads()}")
    for r in rows:
        extra = f"{r['gflops']:.1f} GFLOP/s" if "gflops" in r else f"{r['images_per_second']:,.0f} images/s"
        print(f"{r['name']:10s} {r['shape']:32s} threads={r['threads']}  {r['ms']:9.3f} ms  {extra}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(rows, f, indent=2)

if __name__ == "__main__":
    main()
