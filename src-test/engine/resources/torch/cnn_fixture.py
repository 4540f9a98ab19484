"""Writes cnn_fixture.txt: PyTorch reference values for jgrad's CNN layers (TorchParityCnnTest).

Run from this directory with a Python that has torch (Debian: apt-get install python3-torch):
    /usr/bin/python3 cnn_fixture.py
CI has no Python: the tests read only the committed cnn_fixture.txt.

Format, one entry per line:  key <TAB> shape <TAB> values  (as losses_fixture.py; read by
src-test/engine/java/jgrad/TorchFixture.java). Every case has a fixed random upstream gradient `dy`; the
gradients are those of sum(y * dy), i.e. y.backward(dy).

Cases (the Java test lists the same names):
  conv.<name>.*     conv2d: x, weight, [bias], config = stride_h stride_w pad_h pad_w dil_h dil_w,
                    dy, y, dx, dweight, [dbias]
  maxpool.<name>.*  max_pool2d, avgpool.<name>.*  avg_pool2d: x, config = kernel stride padding, dy, y, dx
  bn2d.train.*      BatchNorm2d(3) in train mode, one step from given running stats:
                    x, weight, bias, running_mean.0, running_var.0, dy, y, dx, dweight, dbias,
                    running_mean.1, running_var.1 (momentum 0.1, eps 1e-5)
  bn2d.eval.*       the same layer in eval mode with given running stats: x, weight, bias,
                    running_mean, running_var, dy, y, dx, dweight, dbias
  bn1d.train.*      BatchNorm1d(5) on [N, C], bn1d3.train.* on [N, C, L]: as bn2d.train
  softmax.*         logits [N, C], target; Softmax(1), LogSoftmax(1) outputs and input gradients
                    for dy; cross_entropy (mean) and its gradient
  softmax2d.*       Softmax(1) and LogSoftmax(1) over the channels of [N, C, H, W]
"""
import torch

from fixture_io import put, write
import torch.nn.functional as F

torch.manual_seed(20240611)


# ---- conv2d ----------------------------------------------------------------------------------
# name, x shape [N, C, H, W], weight shape [K, C, R, S], stride, padding, dilation, bias
CONV = [
    ("s1p0", (2, 3, 7, 9), (4, 3, 3, 2), (1, 1), (0, 0), (1, 1), True),
    ("s2p1", (2, 2, 7, 9), (3, 2, 3, 3), (2, 2), (1, 1), (1, 1), False),
    ("s1p2d2", (1, 3, 7, 9), (2, 3, 3, 2), (1, 1), (2, 2), (2, 2), True),
    ("s2p2d2", (2, 2, 9, 7), (3, 2, 2, 3), (2, 2), (2, 2), (2, 2), False),
    ("mixed", (1, 2, 8, 7), (2, 2, 3, 2), (2, 1), (1, 2), (2, 1), True),
    ("k1s2", (2, 4, 5, 5), (3, 4, 1, 1), (2, 2), (0, 0), (1, 1), True),
    # a 1-wide input: the outer taps of the dilated 1×3 kernel lie wholly in the padding
    ("padtap", (2, 2, 3, 1), (2, 2, 2, 3), (1, 1), (1, 2), (1, 2), True),
]
for name, xs, ws, stride, padding, dilation, bias in CONV:
    p = f"conv.{name}"
    x = torch.randn(*xs, requires_grad=True)
    w = (torch.randn(*ws) * 0.5).requires_grad_()
    b = torch.randn(ws[0], requires_grad=True) if bias else None
    y = F.conv2d(x, w, b, stride=stride, padding=padding, dilation=dilation)
    dy = torch.randn(*y.shape)
    y.backward(dy)
    put(p + ".x", x)
    put(p + ".weight", w)
    if bias:
        put(p + ".bias", b)
    put(p + ".config", torch.tensor(stride + padding + dilation))
    put(p + ".dy", dy)
    put(p + ".y", y)
    put(p + ".dx", x.grad)
    put(p + ".dweight", w.grad)
    if bias:
        put(p + ".dbias", b.grad)

# ---- pooling: distinct values (a random permutation), so max pooling has no ties --------------
POOL = [
    ("maxpool", "k2s2", (2, 3, 6, 7), 2, 2, 0),
    ("maxpool", "k3s2p1", (2, 2, 7, 9), 3, 2, 1),
    ("avgpool", "k2s2", (2, 3, 6, 7), 2, 2, 0),
    ("avgpool", "k3s2p1", (2, 2, 7, 9), 3, 2, 1),
]
for kind, name, xs, k, s, pad in POOL:
    p = f"{kind}.{name}"
    n = xs[0] * xs[1] * xs[2] * xs[3]
    x = ((torch.randperm(n).float() - n / 2) / 16).reshape(xs).requires_grad_()
    pool = F.max_pool2d if kind == "maxpool" else F.avg_pool2d
    y = pool(x, k, s, pad)
    dy = torch.randn(*y.shape)
    y.backward(dy)
    put(p + ".x", x)
    put(p + ".config", torch.tensor([k, s, pad]))
    put(p + ".dy", dy)
    put(p + ".y", y)
    put(p + ".dx", x.grad)


# ---- batch norm --------------------------------------------------------------------------------
def batch_norm_case(prefix, layer, xs, train):
    with torch.no_grad():
        layer.weight.copy_(torch.rand(layer.num_features) + 0.5)
        layer.bias.copy_(torch.randn(layer.num_features))
        layer.running_mean.copy_(torch.randn(layer.num_features))
        layer.running_var.copy_(torch.rand(layer.num_features) + 0.5)
    layer.train(train)
    x = (torch.randn(*xs) * 2 + 1).requires_grad_()
    put(prefix + ".x", x)
    put(prefix + ".weight", layer.weight)
    put(prefix + ".bias", layer.bias)
    put(prefix + (".running_mean.0" if train else ".running_mean"), layer.running_mean)
    put(prefix + (".running_var.0" if train else ".running_var"), layer.running_var)
    y = layer(x)
    dy = torch.randn(*y.shape)
    y.backward(dy)
    put(prefix + ".dy", dy)
    put(prefix + ".y", y)
    put(prefix + ".dx", x.grad)
    put(prefix + ".dweight", layer.weight.grad)
    put(prefix + ".dbias", layer.bias.grad)
    if train:
        put(prefix + ".running_mean.1", layer.running_mean)
        put(prefix + ".running_var.1", layer.running_var)


batch_norm_case("bn2d.train", torch.nn.BatchNorm2d(3, eps=1e-5, momentum=0.1), (4, 3, 5, 6), True)
batch_norm_case("bn2d.eval", torch.nn.BatchNorm2d(3, eps=1e-5, momentum=0.1), (4, 3, 5, 6), False)
batch_norm_case("bn1d.train", torch.nn.BatchNorm1d(5, eps=1e-5, momentum=0.1), (8, 5), True)
batch_norm_case("bn1d3.train", torch.nn.BatchNorm1d(3, eps=1e-5, momentum=0.1), (4, 3, 5), True)

# ---- softmax, log-softmax and cross-entropy on [N, C] ------------------------------------------
logits = torch.randn(6, 5) * 2
target = torch.tensor([4, 0, 2, 1, 3, 2])
dy = torch.randn(6, 5)
put("softmax.logits", logits)
put("softmax.target", target)
put("softmax.dy", dy)
for key, fn in (("softmax", lambda z: F.softmax(z, 1)), ("log_softmax", lambda z: F.log_softmax(z, 1))):
    z = logits.clone().requires_grad_()
    y = fn(z)
    y.backward(dy)
    put(f"softmax.{key}.y", y)
    put(f"softmax.{key}.dx", z.grad)
z = logits.clone().requires_grad_()
loss = F.cross_entropy(z, target)
loss.backward()
put("softmax.cross_entropy", loss)
put("softmax.cross_entropy.dx", z.grad)

# ---- softmax over the channels of [N, C, H, W] -------------------------------------------------
x4 = torch.randn(2, 3, 2, 3)
dy4 = torch.randn(2, 3, 2, 3)
put("softmax2d.x", x4)
put("softmax2d.dy", dy4)
for key, fn in (("softmax", lambda z: F.softmax(z, 1)), ("log_softmax", lambda z: F.log_softmax(z, 1))):
    z = x4.clone().requires_grad_()
    y = fn(z)
    y.backward(dy4)
    put(f"softmax2d.{key}.y", y)
    put(f"softmax2d.{key}.dx", z.grad)

write("cnn_fixture.txt", f"# generated by cnn_fixture.py with torch {torch.__version__}; do not edit")
