#!/usr/bin/env python3
"""PyTorch on the same GPU, side by side with `jgrad bench --device opencl` (see jmh/gpu/run.sh).

Float32 throughout: TF32 is switched off for matrix products and for cuDNN convolutions, so both
sides do the same arithmetic. Each case is warmed up, then timed between torch.cuda.synchronize()
calls, as jgrad's bench waits for its OpenCL queue.

  python3 jmh/gpu/torch_gpu_peer.py [--sizes 1024,2048,4096,8192] [--mnist DIR] [--json FILE]
"""
import argparse, gzip, json, os, struct, time
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False
dev = torch.device("cuda")


def timed(fn, seconds=0.4, warm=0.3):
    """Mean ms per call of fn over rounds that end with a synchronize (like jgrad's bench)."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < warm:
        fn()
        torch.cuda.synchronize()
    calls, rnd = 0, 1
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        for _ in range(rnd):
            fn()
        torch.cuda.synchronize()
        calls += rnd
        rnd = min(2 * rnd, 4096)
    return (time.perf_counter() - t0) / calls * 1e3


def lenet():
    torch.manual_seed(1)
    return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10)).to(dev)


def idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    magic, n = struct.unpack(">II", data[:8])
    dims = magic & 0xFF
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return torch.frombuffer(bytearray(data[4 + 4 * dims:]), dtype=torch.uint8).reshape(shape)


def find(d, stem):
    for name in (stem, stem + ".gz"):
        if os.path.exists(os.path.join(d, name)):
            return os.path.join(d, name)
    raise FileNotFoundError(os.path.join(d, stem))


def mnist_epochs(d, epochs, batch=64, lr=0.05, momentum=0.9):
    """LeNet-5 on MNIST as `jgrad mnist --model lenet` trains it: the images stay bytes on the host,
    each shuffled batch is scaled to [0, 1] and moved to the GPU, SGD with momentum, loss.item()
    every step. Returns (seconds per epoch, test accuracy) for each epoch."""
    xtr, ytr = idx(find(d, "train-images-idx3-ubyte")), idx(find(d, "train-labels-idx1-ubyte")).long()
    xte, yte = idx(find(d, "t10k-images-idx3-ubyte")), idx(find(d, "t10k-labels-idx1-ubyte")).long()
    model, loss_fn = lenet(), nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
    g = torch.Generator().manual_seed(2)
    out = []
    for e in range(epochs):
        model.train()
        torch.cuda.synchronize()
        t0 = time.perf_counter()
        order = torch.randperm(len(xtr), generator=g)
        for i in range(0, len(xtr), batch):
            j = order[i:i + batch]
            x = (xtr[j].float() / 255).unsqueeze(1).to(dev)
            y = ytr[j].to(dev)
            loss = loss_fn(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            loss.item()
        seconds = time.perf_counter() - t0
        for group in opt.param_groups:
            group["lr"] *= 0.75
        model.eval()
        correct = 0
        with torch.no_grad():
            for i in range(0, len(xte), 1000):
                x = (xte[i:i + 1000].float() / 255).unsqueeze(1).to(dev)
                correct += (model(x).argmax(1).cpu() == yte[i:i + 1000]).sum().item()
        out.append((seconds, correct / len(xte)))
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--sizes", default="1024,2048,4096,8192")
    p.add_argument("--mnist")
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--json")
    a = p.parse_args()
    rows = []

    def row(name, shape, ms, flops=0, images=0):
        r = {"name": name, "shape": shape, "device": "torch-cuda", "ms": ms}
        if flops: r["gflops"] = flops / ms / 1e6
        if images: r["images_per_second"] = images / ms * 1e3
        rows.append(r)
        extra = f"{r['gflops']:10.1f} GFLOP/s" if flops else (f"{r['images_per_second']:12,.0f} images/s" if images else "")
        print(f"{name:12s} {shape:34s} {ms:11.4f} ms {extra}", flush=True)

    print(f"torch {torch.__version__}, {torch.cuda.get_device_name()}, TF32 off (matmul and cuDNN)", flush=True)
    for n in [int(s) for s in a.sizes.split(",")]:
        x, y = torch.randn(n, n, device=dev), torch.randn(n, n, device=dev)
        row("sgemm", f"{n}x{n}x{n}", timed(lambda: torch.mm(x, y)), flops=2.0 * n ** 3)

    for (n, c, h, w, k, r, pad) in ((64, 1, 28, 28, 6, 5, 2), (64, 6, 14, 14, 16, 5, 0), (32, 64, 32, 32, 64, 3, 1)):
        x = torch.randn(n, c, h, w, device=dev)
        wt = torch.randn(k, c, r, r, device=dev)
        yv = F.conv2d(x, wt, padding=pad)
        dy = torch.randn_like(yv)
        flops = 2.0 * n * k * yv.shape[2] * yv.shape[3] * c * r * r
        shape = f"{n}x{c}x{h}x{w} k{k} {r}x{r}"
        row("conv_fwd", shape, timed(lambda: F.conv2d(x, wt, padding=pad)), flops=flops)
        row("conv_dgrad", shape, timed(lambda: torch.nn.grad.conv2d_input(x.shape, wt, dy, padding=pad)), flops=flops)
        row("conv_wgrad", shape, timed(lambda: torch.nn.grad.conv2d_weight(x, wt.shape, dy, padding=pad)), flops=flops)

    # LeNet steps on 16 random batches held on the GPU, as jgrad's LeNetStep
    model, loss_fn = lenet(), nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    xs = [torch.rand(64, 1, 28, 28, device=dev) for _ in range(16)]
    ys = [torch.randint(0, 10, (64,), device=dev) for _ in range(16)]
    state = {"i": 0}

    def train_step():
        i = state["i"] = (state["i"] + 1) % 16
        loss = loss_fn(model(xs[i]), ys[i])
        opt.zero_grad()
        loss.backward()
        opt.step()
        loss.item()
    row("lenet_train", "batch 64", timed(train_step, seconds=1.0, warm=1.0), images=64)
    xi = [torch.rand(256, 1, 28, 28, device=dev) for _ in range(16)]

    def infer():
        i = state["i"] = (state["i"] + 1) % 16
        with torch.no_grad():
            model(xi[i]).argmax(1).tolist()
    row("lenet_infer", "batch 256", timed(infer, seconds=1.0, warm=0.5), images=256)

    if a.mnist:
        for e, (seconds, acc) in enumerate(mnist_epochs(a.mnist, a.epochs), 1):
            print(f"mnist lenet epoch {e}: {seconds:.2f} s ({60000 / seconds:,.0f} images/s), test accuracy {100 * acc:.2f}%", flush=True)
            rows.append({"name": "mnist_lenet_epoch", "shape": f"epoch {e} batch 64", "device": "torch-cuda",
                         "ms": seconds * 1e3, "images_per_second": 60000 / seconds, "accuracy": acc})
    if a.json:
        with open(a.json, "w") as f:
            json.dump(rows, f, indent=2)


if __name__ == "__main__":
    main()
