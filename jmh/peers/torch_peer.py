#!/usr/bin/env python3
"""PyTorch peer for jgrad's benchmarks: the same work, measured the same way, on the same machine.

Run it the fair way (OpenBLAS with OpenMP, two threads), as docs/performance.md says:
  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 jmh/peers/torch_peer.py [--json FILE]

Prints one line per benchmark: name, shape, threads, ms, GFLOP/s or images/s.
"""
import argparse, json, time
import torch

def sgemm(n, reps):
    a, b = torch.randn(n, n), torch.randn(n, n)
    for _ in range(3):
        torch.mm(a, b)
    t0 = time.perf_counter()
    for _ in range(reps):
        torch.mm(a, b)
    s = (time.perf_counter() - t0) / reps
    return s * 1e3, 2.0 * n ** 3 / s / 1e9

def mlp(sizes, act):
    """An MLP as jgrad's MlpStep builds it: Linear layers with `act` between them."""
    torch.manual_seed(1)
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(torch.nn.Sigmoid() if act == "sigmoid" else torch.nn.ReLU())
    return torch.nn.Sequential(*layers)

def lenet():
    torch.manual_seed(1)
    nn = torch.nn
    return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))

class SequenceClassifier(torch.nn.Module):
    """Sequential MNIST's model: an LSTM over the 28 rows of an image, then a Linear on the last state."""
    def __init__(self, inputs=28, hidden=128, classes=10):
        super().__init__()
        torch.manual_seed(1)
        self.lstm = torch.nn.LSTM(inputs, hidden, batch_first=True)
        self.fc = torch.nn.Linear(hidden, classes)

    def forward(self, x):
        _, (h, _) = self.lstm(x.reshape(x.shape[0], -1, x.shape[-1]))
        return self.fc(h[-1])

class CharLm(torch.nn.Module):
    """The char-LM: Embedding, LSTM, Linear to the vocabulary at every position."""
    def __init__(self, vocab=96, embedding=64, hidden=256):
        super().__init__()
        torch.manual_seed(1)
        self.embed = torch.nn.Embedding(vocab, embedding)
        self.lstm = torch.nn.LSTM(embedding, hidden, batch_first=True)
        self.fc = torch.nn.Linear(hidden, vocab)

    def forward(self, ids):
        out, _ = self.lstm(self.embed(ids))
        return self.fc(out).transpose(1, 2)  # [N, vocab, T], as CrossEntropyLoss takes sequences

def sequence_stepper(model, xs, ys):
    """One call = one training step (cross-entropy, backward, SGD lr 0.01 momentum 0.9, loss.item()), 16 batches cycled."""
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = torch.nn.CrossEntropyLoss()
    state = {"i": 0}
    def step():
        i = state["i"] % 16
        state["i"] += 1
        loss = loss_fn(model(xs[i]), ys[i])
        opt.zero_grad()
        loss.backward()
        opt.step()
        loss.item()
    return step

def stepper(model, shape, classes, train):
    """One call = one step as jgrad's MlpStep/LeNetStep: 16 random batches of `shape` cycled; a
    training step (cross-entropy, backward, SGD lr 0.01 momentum 0.9, loss.item()) or inference
    under no_grad (argmax read back)."""
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = torch.nn.CrossEntropyLoss()
    xs = [torch.rand(*shape) for _ in range(16)]
    ys = [torch.randint(0, classes, (shape[0],)) for _ in range(16)]
    state = {"i": 0}
    def step():
        i = state["i"] % 16
        state["i"] += 1
        if train:
            loss = loss_fn(model(xs[i]), ys[i])
            opt.zero_grad()
            loss.backward()
            opt.step()
            loss.item()
        else:
            with torch.no_grad():
                model(xs[i]).argmax(1).tolist()
    return step

def zoo_stepper(name):
    """The zoo cases as jgrad's ZooStep (jgrad/bench/ZooStep.java): MODEL_train|infer|frozen SIZExBATCH,
    torchvision's model with 1,000 classes, 4 random batches cycled; frozen = every parameter but the
    head's has requires_grad False and is not given to the optimizer (the backbone still in train mode).
    Returns (step, batch) or None when the name has another form."""
    import re
    m = re.fullmatch(r"(resnet18|mobilenet_v2)_(train|infer|frozen) ([0-9]{1,4})x([0-9]{1,4})", name)
    if not m:
        return None
    import torchvision
    torch.manual_seed(1)
    model = getattr(torchvision.models, m.group(1))(num_classes=1000)
    size, batch = int(m.group(3)), int(m.group(4))
    if m.group(2) == "frozen":
        head = "fc." if m.group(1) == "resnet18" else "classifier."
        for n, p in model.named_parameters():
            p.requires_grad_(n.startswith(head))
    opt = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.01, momentum=0.9)
    loss_fn = torch.nn.CrossEntropyLoss()
    xs = [torch.rand(batch, 3, size, size) for _ in range(4)]
    ys = [torch.randint(0, 1000, (batch,)) for _ in range(4)]
    state = {"i": 0}
    def step():
        i = state["i"] % 4
        state["i"] += 1
        if m.group(2) == "infer":
            model.eval()
            with torch.no_grad():
                model(xs[i]).argmax(1).tolist()
        else:
            model.train()
            loss = loss_fn(model(xs[i]), ys[i])
            opt.zero_grad()
            loss.backward()
            opt.step()
            loss.item()
    return step, batch

def peak_rss_mb():
    """Peak resident set size of this process (VmHWM), as jgrad's PeakMemory reads its own."""
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024.0
    return -1.0

def best_rate(step, batch, seconds, rounds):
    """The best images/s over `rounds` timed rounds of `seconds`, after a warm-up round."""
    best = 0.0
    for r in range(rounds + 1):
        t0, n = time.perf_counter(), 0
        while time.perf_counter() - t0 < seconds:
            step()
            n += 1
        if r > 0:  # round 0 warms up
            best = max(best, n * batch / (time.perf_counter() - t0))
    return best

def mlp_steps(sizes, act, batch, seconds=1.0, rounds=3):
    """Training steps exactly as jgrad's MlpStep (jgrad/bench/MlpStep.java)."""
    return best_rate(stepper(mlp(sizes, act), (batch, sizes[0]), sizes[-1], True), batch, seconds, rounds)

def lenet_steps(batch, train, seconds=1.0, rounds=3):
    """LeNet-5 as jgrad's LeNetStep: training steps or inference on [batch, 1, 28, 28] batches."""
    return best_rate(stepper(lenet(), (batch, 1, 28, 28), 10, train), batch, seconds, rounds)

def lockstep_case(name):
    """The work of one lockstep case (the same as jgrad bench --lockstep's): returns (step, flops, images)."""
    p = name.split()
    if p[0] == "sgemm" and len(p) == 2:
        n = int(p[1])
        a, b = torch.randn(n, n), torch.randn(n, n)
        return (lambda: torch.mm(a, b)), 2.0 * n ** 3, 0
    if p[0] == "mlp" and len(p) == 2 and p[1] in ("784-16-16-10", "784-128-64-10"):
        sizes = [int(s) for s in p[1].split("-")]
        model = mlp(sizes, "sigmoid" if sizes[1] == 16 else "relu")
        return stepper(model, (64, sizes[0]), sizes[-1], True), 0.0, 64
    if p[0] in ("lenet_train", "lenet_infer"):
        batch = 64 if p[0] == "lenet_train" else 256
        return stepper(lenet(), (batch, 1, 28, 28), 10, p[0] == "lenet_train"), 0.0, batch
    if p[0] == "lstm_train":  # sequential MNIST: sequence 28, input 28, hidden 128, batch 64 (rate: sequences/s)
        xs = [torch.rand(64, 28, 28) for _ in range(16)]
        ys = [torch.randint(0, 10, (64,)) for _ in range(16)]
        return sequence_stepper(SequenceClassifier(), xs, ys), 0.0, 64
    if p[0] == "charlm_train":  # sequence 100, embedding 64, hidden 256, batch 32, vocabulary 96
        xs = [torch.randint(0, 96, (32, 100)) for _ in range(16)]
        ys = [torch.randint(0, 96, (32, 100)) for _ in range(16)]
        return sequence_stepper(CharLm(), xs, ys), 0.0, 32
    zoo = zoo_stepper(name)
    if zoo:
        return zoo[0], 0.0, zoo[1]
    raise ValueError(f"unknown lockstep case {name!r}")

def lockstep(seconds):
    """Serves jmh/peers/lockstep.py: a case name per input line, one JSON line back (mean time per call)."""
    import sys
    cases = {}
    torch.mm(torch.ones(8, 8), torch.ones(8, 8))
    blas = sorted({l.split()[-1] for l in open("/proc/self/maps") if "blas" in l.lower()})
    print("ready " + json.dumps({"torch": torch.__version__, "blas": blas, "threads": torch.get_num_threads()}), flush=True)
    for line in sys.stdin:
        name = line.strip()
        if not name:
            continue
        if name == "quit":
            break
        if name not in cases:
            try:
                step, flops, images = lockstep_case(name)
            except ValueError as e:
                print(json.dumps({"case": name, "error": str(e)}), flush=True)
                continue
            t0, warm = time.perf_counter(), 0
            while time.perf_counter() - t0 < 1.0 or warm < 5:  # warm-up: 1 s and 5 calls (jgrad: 3 s and 20, for its JIT)
                step()
                warm += 1
            cases[name] = (step, flops, images)
        step, flops, images = cases[name]
        t0, calls = time.perf_counter(), 0
        while calls < 2 or time.perf_counter() - t0 < seconds:
            step()
            calls += 1
        ms = (time.perf_counter() - t0) * 1e3 / calls
        rate = flops / ms / 1e6 if flops else images / ms * 1e3
        print(json.dumps({"case": name, "ms": ms, "calls": calls, "rate": rate,
                          "unit": "GFLOP/s" if flops else "images/s", "peak_rss_mb": peak_rss_mb()}), flush=True)

def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--sizes", default="64,256,512,1024,2048")
    p.add_argument("--json")
    p.add_argument("--only", default="sgemm,mlp_step,lenet_train,lenet_infer",
                   help="comma-separated: sgemm, mlp_step, lenet_train, lenet_infer")
    p.add_argument("--lockstep", action="store_true", help="serve jmh/peers/lockstep.py (see there)")
    p.add_argument("--seconds", type=float, default=0.5, help="with --lockstep: time per measurement")
    a = p.parse_args()
    only = set(a.only.split(","))
    if a.lockstep:
        torch.set_num_threads(a.threads)
        lockstep(a.seconds)
        return
    torch.set_num_threads(a.threads)
    rows = []
    for n in [int(s) for s in a.sizes.split(",")] if "sgemm" in only else []:
        ms, gf = sgemm(n, max(3, int(2e9 / (2 * n ** 3))))
        rows.append({"name": "sgemm", "shape": f"{n}x{n}x{n}", "threads": a.threads, "ms": ms, "gflops": gf})  # ms per product
    for sizes, act in (([784, 16, 16, 10], "sigmoid"), ([784, 128, 64, 10], "relu")) if "mlp_step" in only else ():
        ips = mlp_steps(sizes, act, 64)
        rows.append({"name": "mlp_step", "shape": "-".join(map(str, sizes)) + " " + act + " batch 64",
                     "threads": a.threads, "ms": 64 / ips * 1e3, "images_per_second": ips})
    blas = [l.split()[-1] for l in open("/proc/self/maps") if "blas" in l.lower()]
    for batch, train in [bt for bt in ((64, True), (256, False)) if ("lenet_train" if bt[1] else "lenet_infer") in only]:
        ips = lenet_steps(batch, train)
        rows.append({"name": "lenet_train" if train else "lenet_infer", "shape": f"batch {batch}",
                     "threads": a.threads, "ms": batch / ips * 1e3, "images_per_second": ips})
    print(f"torch {torch.__version__}, BLAS loaded: {sorted(set(blas)) or 'none found'}, threads {torch.get_num_threads()}")
    for r in rows:
        extra = f"{r['gflops']:.1f} GFLOP/s" if "gflops" in r else f"{r['images_per_second']:,.0f} images/s"
        print(f"{r['name']:10s} {r['shape']:32s} threads={r['threads']}  {r['ms']:9.3f} ms  {extra}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(rows, f, indent=2)

if __name__ == "__main__":
    main()
