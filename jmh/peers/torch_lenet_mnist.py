"""PyTorch doing what `./jgrad mnist --model lenet` does, for a side-by-side run on one machine:
LeNet-5 (conv 1->6 k5 pad 2, ReLU, max pool 2; conv 6->16 k5, ReLU, max pool 2; fc 400-120-84-10),
SGD lr 0.05 momentum 0.9, the rate x0.75 after each epoch, batch 32, reshuffled every epoch, the
images kept as bytes and converted per batch (pixel / 255), test accuracy after each epoch.

Run it with OpenBLAS and two threads (see docs/performance.md), and /usr/bin/time -v for peak RSS:
  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/time -v /usr/bin/python3 \\
      jmh/peers/torch_lenet_mnist.py --data ~/.cache/jgrad/mnist --epochs 1
With --torchvision the data comes the way PyTorch's tutorials load it instead: torchvision's MNIST
dataset, ToTensor per image, a DataLoader (the same files, linked into torchvision's folder layout).
"""
import argparse, os, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def idx(path):
    raw = open(path, "rb").read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return torch.from_numpy(np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape).copy())


class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 6, 5, padding=2)
        self.c2 = nn.Conv2d(6, 16, 5)
        self.f1, self.f2, self.f3 = nn.Linear(400, 120), nn.Linear(120, 84), nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c1(x)), 2)
        x = F.max_pool2d(F.relu(self.c2(x)), 2)
        x = torch.flatten(x, 1)
        return self.f3(F.relu(self.f2(F.relu(self.f1(x)))))


def batch(images, labels, index):
    x = images[index].unsqueeze(1).float().div_(255.0)  # pixel / 255, as jgrad's MnistDataset (ToTensor)
    return x, labels[index].long()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", default=os.path.expanduser("~/.cache/jgrad/mnist"))
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--torchvision", action="store_true")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    tx, ty = idx(f"{a.data}/train-images-idx3-ubyte"), idx(f"{a.data}/train-labels-idx1-ubyte")
    vx, vy = idx(f"{a.data}/t10k-images-idx3-ubyte"), idx(f"{a.data}/t10k-labels-idx1-ubyte")
    model = LeNet5()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.75)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    if a.torchvision:
        import tempfile, torchvision
        root = tempfile.mkdtemp()
        os.makedirs(f"{root}/MNIST/raw")
        for f in os.listdir(a.data):
            os.symlink(os.path.abspath(f"{a.data}/{f}"), f"{root}/MNIST/raw/{f}")
        train_set = torchvision.datasets.MNIST(root, train=True, transform=torchvision.transforms.ToTensor())
        loader = torch.utils.data.DataLoader(train_set, batch_size=a.batch_size, shuffle=True)
        batches = lambda: iter(loader)
    else:
        def batches():
            order = torch.randperm(len(tx))
            return (batch(tx, ty, order[i:i + a.batch_size]) for i in range(0, len(tx), a.batch_size))
    total = 0.0
    for epoch in range(1, a.epochs + 1):
        model.train()
        t0 = time.perf_counter()
        for x, y in batches():
            loss = F.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        seconds = time.perf_counter() - t0
        total += seconds
        sched.step()
        model.eval()
        correct = 0
        with torch.no_grad():
            for i in range(0, len(vx), 256):
                x, y = batch(vx, vy, torch.arange(i, min(i + 256, len(vx))))
                correct += (model(x).argmax(1) == y).sum().item()
        print(f"epoch {epoch}: {seconds:.1f} s ({len(tx) / seconds:,.0f} images/s), test accuracy {100 * correct / len(vx):.2f}%")
    print(f"training time {total:.1f} s")


if __name__ == "__main__":
    main()
