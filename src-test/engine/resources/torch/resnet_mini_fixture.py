"""Writes resnet_mini_fixture.txt: jgrad's ResNetMini (jgrad.models.ResNetMini) built from torchvision's own
BasicBlock, so that its keys, shapes and arithmetic are PyTorch's (torch and torchvision only;
Debian: apt-get install python3-torchvision).

  x [N, 1, 28, 28] -> conv1 3x3 s1 p1 (16) -> bn1 -> ReLU -> layer1 BasicBlock(16, 16) -> layer2 BasicBlock(16, 32, s2)
                   -> layer3 BasicBlock(32, 64, s2) -> adaptive avg pool 1x1 -> flatten -> fc (10)

Weights are zoo_fixture.py's fill (jgrad.models.ZooFill computes it bit for bit), copied here because
zoo_fixture.py writes its own fixtures when imported. Entries (fixture_io.py format):
  resnet_mini.shape.KEY       every state-dict key, its shape as a vector
  resnet_mini.logits.eval     model.eval()(input), input = fill("input", [2, 1, 28, 28])
  resnet_mini.logits.train    model.train()(input)
  resnet_mini.loss            cross entropy of the train logits against targets [3, 7]
  resnet_mini.grad.KEY        d loss / d KEY for a few parameters (.head: the first 512 flattened values)
  resnet_mini.running_mean.BN / running_var.BN   after that one train-mode forward

Run from this directory:  /usr/bin/python3 resnet_mini_fixture.py
"""
import math

import torch
from torchvision.models.resnet import BasicBlock

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
    v = unit(key, math.prod(shape)).reshape(shape)
    name = key.rsplit(".", 1)[-1]
    if name == "running_var":
        return v * f32(0.25) + f32(1.0)
    if name == "bias" and batch_norm:
        return v * f32(0.1) + f32(2.0)
    if name == "running_mean" or name == "bias":
        return v * f32(0.1)
    if name == "weight" and len(shape) == 1:
        return v * f32(0.25) + f32(1.0)
    if name == "weight":
        return v * f32(math.sqrt(6.0 / (math.prod(shape) // shape[0])))
    if name.startswith("input"):
        return v
    raise ValueError(key)


def downsample(i, o):
    return torch.nn.Sequential(torch.nn.Conv2d(i, o, 1, 2, bias=False), torch.nn.BatchNorm2d(o))


class ResNetMini(torch.nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(1, 16, 3, 1, 1, bias=False)
        self.bn1 = torch.nn.BatchNorm2d(16)
        self.relu = torch.nn.ReLU(inplace=True)
        self.layer1 = torch.nn.Sequential(BasicBlock(16, 16))
        self.layer2 = torch.nn.Sequential(BasicBlock(16, 32, 2, downsample(16, 32)))
        self.layer3 = torch.nn.Sequential(BasicBlock(32, 64, 2, downsample(32, 64)))
        self.avgpool = torch.nn.AdaptiveAvgPool2d(1)
        self.fc = torch.nn.Linear(64, classes)

    def forward(self, x):
        x = self.relu(self.bn1(self.conv1(x)))
        x = self.layer3(self.layer2(self.layer1(x)))
        return self.fc(torch.flatten(self.avgpool(x), 1))


model = ResNetMini()
state = model.state_dict()
with torch.no_grad():
    for key, t in state.items():
        put("resnet_mini.shape." + key, torch.tensor(list(t.shape), dtype=torch.float32))
        if not key.endswith("num_batches_tracked"):
            t.copy_(fill(key, list(t.shape), key.endswith(".bias") and key[:-5] + ".running_mean" in state))
x = fill("input", [2, 1, 28, 28])
model.eval()
with torch.no_grad():
    put("resnet_mini.logits.eval", model(x))
model.train()
logits = model(x)
put("resnet_mini.logits.train", logits)
loss = torch.nn.functional.cross_entropy(logits, torch.tensor([3, 7]))
put("resnet_mini.loss", loss)
loss.backward()
params = dict(model.named_parameters())
for key in ["conv1.weight", "layer1.0.bn2.weight", "layer2.0.downsample.0.weight", "fc.weight", "fc.bias"]:
    put("resnet_mini.grad." + key, params[key].grad)
put("resnet_mini.grad.layer3.0.conv2.weight.head", params["layer3.0.conv2.weight"].grad.reshape(-1)[:512])
for bn in ["bn1", "layer2.0.downsample.1", "layer3.0.bn2"]:
    m = dict(model.named_modules())[bn]
    put("resnet_mini.running_mean." + bn, m.running_mean)
    put("resnet_mini.running_var." + bn, m.running_var)
write("resnet_mini_fixture.txt", "# resnet_mini_fixture.py (torch " + torch.__version__ + ")")
