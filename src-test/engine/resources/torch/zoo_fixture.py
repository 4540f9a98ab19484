"""Writes the zoo fixtures from torchvision's own models (Debian: apt-get install python3-torchvision;
torch and torchvision only):

  zoo_keys.txt     every state-dict key and shape of resnet18 (1000 classes) and of resnet34, resnet50,
                   vgg11, vgg11_bn, vgg16, vgg16_bn, mobilenet_v2 (10 classes): "model <TAB> key <TAB> shape"
  zoo_fixture.txt  parity of resnet18 and mobilenet_v2 on a 2×3×64×64 input, vgg11_bn on 2×3×32×32
                   (10 classes; fixture_io.py format). Not smaller: at 32×32 ResNet-18's last stage sees
                   1×1 maps, and batch norm over 2 values makes train mode ill-conditioned (PyTorch's own
                   float32 and float64 logits differ by 1e-3 there; by 2e-6 at 64×64)

Full weights are too big to commit, so every parameter and buffer is set to fill(key, shape), a
function of its key and position that jgrad.models.ZooFill computes bit for bit:
  h = FNV-1a 32-bit hash of the key's UTF-8 bytes
  x = (h + i·2654435761) mod 2³², then x ^= x>>16; x = x·0x45d9f3b mod 2³²; x ^= x>>16; x = x·0x45d9f3b mod 2³²; x ^= x>>16
  v = (x>>8)/2²³ − 1, exactly a float32 in [−1, 1)
  weight of rank ≥ 2: v·sqrt(6/fan_in) (fan_in = numel/shape[0]);  a rank-1 weight (batch norm): 1 + v/4;
  bias: v/10;  running_mean: v/10;  running_var: 1 + v/4;  num_batches_tracked: left at 0;  the input ("input"): v
(scales rounded to float32, then multiplied in float32). Entries, per model m:
  input.32                   the 32×32 input batch, fill("input", [2, 3, 32, 32]) (the 64×64 one is not stored)
  m.logits.eval              model.eval()(input)
  m.logits.train             model.train()(input) with dropout switched off (its masks are random)
  m.loss                     cross entropy of the train logits against targets [3, 7]
  m.grad.KEY                 d loss / d KEY (all of it when ≤ 4096 values, else m.grad.KEY.head: the first 1024
                             flattened values, and m.grad.KEY.abssum: the sum of |values|)
  m.running_mean.BN, m.running_var.BN, m.num_batches_tracked.BN   after that one train-mode forward

Run from this directory:  /usr/bin/python3 zoo_fixture.py   (CI has no Python: the tests read the .txt files)
"""
import math

import torch
import torchvision.models as tvm

from fixture_io import put, write

M32 = 0xFFFFFFFF


def fnv1a(key):
    h = 2166136261
    for b in key.encode("utf-8"):
        h = ((h ^ b) * 16777619) & M32
    return h


def unit(key, numel):
    x = (fnv1a(key) + torch.arange(numel, dtype=torch.int64) * 2654435761) & M32
    x = x ^ (x >> 16)
    x = (x * 0x45D9F3B) & M32
    x = x ^ (x >> 16)
    x = (x * 0x45D9F3B) & M32
    x = x ^ (x >> 16)
    return (x >> 8).to(torch.float32) / 8388608.0 - 1.0


def f32(s):
    return torch.tensor(s, dtype=torch.float32)


def fill(key, shape, batch_norm=False):
    numel = math.prod(shape)
    v = unit(key, numel).reshape(shape)
    name = key.rsplit(".", 1)[-1]
    if name == "running_var":
        return v * f32(0.25) + f32(1.0)
    if name == "bias" and batch_norm:  # shifted: most ReLU inputs sit well away from the kink
        return v * f32(0.1) + f32(2.0)
    if name == "running_mean" or name == "bias":
        return v * f32(0.1)
    if name == "weight" and len(shape) == 1:
        return v * f32(0.25) + f32(1.0)
    if name == "weight":
        return v * f32(math.sqrt(6.0 / (numel // shape[0])))
    if name.startswith("input"):
        return v
    raise ValueError(key)


def set_all(model):
    with torch.no_grad():
        for key, t in model.state_dict().items():
            if not key.endswith("num_batches_tracked"):
                bn = key.endswith(".bias") and key[:-5] + ".running_mean" in model.state_dict()
                t.copy_(fill(key, list(t.shape), bn))


MODELS = {"resnet18": (tvm.resnet18, 1000), "resnet34": (tvm.resnet34, 10), "resnet50": (tvm.resnet50, 10),
          "vgg11": (tvm.vgg11, 10), "vgg11_bn": (tvm.vgg11_bn, 10), "vgg16": (tvm.vgg16, 10), "vgg16_bn": (tvm.vgg16_bn, 10),
          "mobilenet_v2": (tvm.mobilenet_v2, 10)}

with open("zoo_keys.txt", "w") as f:
    f.write("# zoo_fixture.py: torchvision's state-dict keys and shapes (model, key, shape)\n")
    for name, (make, classes) in MODELS.items():
        for key, t in make(num_classes=classes).state_dict().items():
            f.write(f"{name}\t{key}\t{','.join(str(s) for s in t.shape)}\n")

PARITY = {
    "resnet18": (["conv1.weight", "layer2.0.bn1.weight", "layer2.0.downsample.0.weight", "layer4.1.conv2.weight", "fc.weight", "fc.bias"],
                 ["bn1", "layer2.0.downsample.1", "layer4.1.bn2"]),
    "vgg11_bn": (["features.0.weight", "features.4.weight", "features.5.weight", "classifier.0.bias", "classifier.6.weight"],
                 ["features.1", "features.16", "features.26"]),
    "mobilenet_v2": (["features.0.0.weight", "features.2.conv.1.0.weight", "features.9.conv.1.1.weight", "classifier.1.weight"],
                     ["features.0.1", "features.9.conv.1.1", "features.18.1"]),
}
def margin(model, x):
    """The smallest distance, in the float64 train-mode forward, of a ReLU/ReLU6 input from a kink (0, 6) or
    between the two largest values of a max-pool window: how far float32 rounding must move a value to flip a
    derivative (the gradient of a ReLU network is discontinuous there)."""
    found = []

    def kinks(m, inp):
        x = inp[0].detach()
        d = x.abs().min()
        if isinstance(m, torch.nn.ReLU6):
            d = torch.minimum(d, (x - 6).abs().min())
        found.append(d.item())

    def ties(m, inp):
        p = m.padding
        x = torch.nn.functional.pad(inp[0].detach(), (p, p, p, p), value=float("-inf"))
        cols = torch.nn.functional.unfold(x, m.kernel_size, stride=m.stride)
        n, kk, l = cols.shape
        top = cols.reshape(n, -1, m.kernel_size * m.kernel_size, l).topk(2, dim=2).values
        found.append((top[:, :, 0] - top[:, :, 1]).min().item())

    hooks = [m.register_forward_pre_hook(kinks) for m in model.modules() if isinstance(m, (torch.nn.ReLU, torch.nn.ReLU6))]
    hooks += [m.register_forward_pre_hook(ties) for m in model.modules() if isinstance(m, torch.nn.MaxPool2d)]
    model.double().train()
    for m in model.modules():
        if isinstance(m, torch.nn.Dropout):
            m.eval()
    with torch.no_grad():
        model(x.double())
    for h in hooks:
        h.remove()
    model.float()
    return min(found)


MARGIN = 2e-5
SIZES = {"resnet18": 64, "vgg11_bn": 32, "mobilenet_v2": 64}
put("input.32", fill("input", [2, 3, 32, 32]))  # proves the Java fill; the 64×64 batch is the same function
target = torch.tensor([3, 7])
for name, (grads, bns) in PARITY.items():
    make, _ = MODELS[name]
    seed = 0
    while True:  # the first input whose forward has every ReLU input and max-pool choice MARGIN away from a flip
        x = fill("input" if seed == 0 else f"input{seed}", [2, 3, SIZES[name], SIZES[name]])
        probe = make(num_classes=10)
        set_all(probe)
        got = margin(probe, x)
        print(name, "input seed", seed, "margin", got)
        if got > MARGIN:
            break
        seed += 1
    put(f"{name}.input_seed", torch.tensor(float(seed)))
    model = make(num_classes=10)
    set_all(model)
    model.eval()
    with torch.no_grad():
        put(f"{name}.logits.eval", model(x))
    model.train()
    for m in model.modules():
        if isinstance(m, torch.nn.Dropout):
            m.eval()
    logits = model(x)
    loss = torch.nn.functional.cross_entropy(logits, target)
    loss.backward()
    put(f"{name}.logits.train", logits)
    put(f"{name}.loss", loss)
    params = dict(model.named_parameters())
    for key in grads:
        g = params[key].grad
        if g.numel() <= 4096:
            put(f"{name}.grad.{key}", g)
        else:
            put(f"{name}.grad.{key}.head", g.reshape(-1)[:1024])
            put(f"{name}.grad.{key}.abssum", g.double().abs().sum())
    sd = model.state_dict()
    for bn in bns:
        for b in ("running_mean", "running_var", "num_batches_tracked"):
            put(f"{name}.{b}.{bn}", sd[f"{bn}.{b}"])
write("zoo_fixture.txt", "# zoo_fixture.py: torchvision parity (see the script's docstring)")
