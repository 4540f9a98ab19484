"""Writes layers18_fixture.txt: PyTorch reference values for the layers torchvision's models need
(issue #18): batch norm options, ReLU6, pooling with ceil_mode / count_include_pad / non-square
windows, grouped and depthwise conv2d, and learning-rate sequences kept in double.

Run from this directory with a Python that has torch (Debian: apt-get install python3-torch):
    /usr/bin/python3 layers18_fixture.py
CI has no Python: the tests read only the committed layers18_fixture.txt.

Format: fixture_io.py (key <TAB> shape <TAB> values). Gradients are those of sum(y * dy) for a fixed
random upstream gradient dy, i.e. y.backward(dy). Learning rates ("lr.*") are written with 17
significant digits (doubles), everything else as float32.

Cases (the Java tests list the same names):
  bnopt.<name>.*   BatchNorm stepped 3 times in train mode on x.0, x.1, x.2 (dy.2 backpropagated
                   through the third step): y.2, dx.2, [dweight.2, dbias.2], running_mean.<t>,
                   running_var.<t>, num_batches_tracked.<t> after step t = 1..3 (when tracked); then
                   in eval mode on x.e with dy.e: y.e, dx.e. Initial weight/bias/running stats as
                   PyTorch's defaults (weight 1.5 + i/10 and bias i/10 - 0.1 when affine).
                   cma: BatchNorm2d(3, momentum=None); noaffine: BatchNorm2d(3, affine=False);
                   notrack: BatchNorm1d(4, track_running_stats=False)
  relu6.*          x (no value at 0 or 6), dy, y, dx
  pool.<name>.*    x, config = kh kw sh sw ph pw ceil include_pad, dy, y, dx
  adaptive.<name>.* x, config = outH outW, dy, y, dx
  gconv.<name>.*   conv2d with groups: x, weight, [bias], config = sh sw ph pw dh dw groups, dy, y,
                   dx, dweight, [dbias]
"""
import torch
import torch.nn.functional as F

from fixture_io import put, write, entries

torch.manual_seed(20261204)


# ---- batch norm options: three training steps, then evaluation ---------------------------------
def bn_case(name, layer, shape):
    p = f"bnopt.{name}"
    if layer.affine:
        with torch.no_grad():
            layer.weight.copy_(1.5 + torch.arange(layer.num_features) / 10)
            layer.bias.copy_(torch.arange(layer.num_features) / 10 - 0.1)
    layer.train()
    for t in range(3):
        x = (torch.randn(*shape) * (t + 1) + t).requires_grad_()
        put(f"{p}.x.{t}", x)
        y = layer(x)
        if t == 2:
            dy = torch.randn(*y.shape)
            y.backward(dy)
            put(f"{p}.dy.2", dy)
            put(f"{p}.y.2", y)
            put(f"{p}.dx.2", x.grad)
            if layer.affine:
                put(f"{p}.dweight.2", layer.weight.grad)
                put(f"{p}.dbias.2", layer.bias.grad)
        if layer.track_running_stats:
            put(f"{p}.running_mean.{t + 1}", layer.running_mean)
            put(f"{p}.running_var.{t + 1}", layer.running_var)
            put(f"{p}.num_batches_tracked.{t + 1}", layer.num_batches_tracked)
    layer.eval()
    x = (torch.randn(*shape) + 0.5).requires_grad_()
    y = layer(x)
    dy = torch.randn(*y.shape)
    y.backward(dy)
    put(f"{p}.x.e", x)
    put(f"{p}.dy.e", dy)
    put(f"{p}.y.e", y)
    put(f"{p}.dx.e", x.grad)


bn_case("cma", torch.nn.BatchNorm2d(3, momentum=None), (4, 3, 3, 5))
bn_case("noaffine", torch.nn.BatchNorm2d(3, affine=False), (2, 3, 4, 4))
bn_case("notrack", torch.nn.BatchNorm1d(4, track_running_stats=False), (6, 4))

# ---- ReLU6 -------------------------------------------------------------------------------------
x = torch.tensor([-3.0, -0.5, 0.25, 1.0, 2.5, 5.75, 6.5, 9.0, -7.0, 3.0, 0.1, 5.9]).reshape(3, 4)
x.requires_grad_()
y = F.relu6(x)
dy = torch.randn(3, 4)
y.backward(dy)
put("relu6.x", x)
put("relu6.dy", dy)
put("relu6.y", y)
put("relu6.dx", x.grad)

# ---- pooling options: distinct values so max pooling has no ties --------------------------------
# name, kind, x shape, kernel, stride, padding, ceil_mode, count_include_pad
POOL = [
    ("max.ceil", "max", (2, 2, 7, 9), (3, 3), (2, 2), (0, 0), True, True),
    ("max.rect", "max", (1, 3, 8, 7), (3, 2), (2, 1), (1, 0), False, True),
    ("max.rectceil", "max", (2, 2, 9, 8), (2, 3), (3, 2), (1, 1), True, True),
    ("avg.ceil", "avg", (2, 2, 7, 9), (3, 3), (2, 2), (1, 1), True, True),
    ("avg.ceilnopad", "avg", (2, 2, 7, 9), (3, 3), (2, 2), (1, 1), True, False),
    ("avg.rectnopad", "avg", (1, 3, 8, 7), (2, 3), (1, 2), (1, 1), False, False),
    ("avg.rectceil", "avg", (2, 2, 6, 10), (3, 2), (2, 3), (1, 0), True, True),
    ("avg.ceil0", "avg", (1, 2, 6, 6), (4, 4), (3, 3), (0, 0), True, False),
]
for name, kind, xs, k, s, pad, ceil, include in POOL:
    p = f"pool.{name}"
    n = xs[0] * xs[1] * xs[2] * xs[3]
    x = ((torch.randperm(n).float() - n / 2) / 16).reshape(xs).requires_grad_()
    if kind == "max":
        y = F.max_pool2d(x, k, s, pad, ceil_mode=ceil)
    else:
        y = F.avg_pool2d(x, k, s, pad, ceil_mode=ceil, count_include_pad=include)
    dy = torch.randn(*y.shape)
    y.backward(dy)
    put(p + ".x", x)
    put(p + ".config", torch.tensor(list(k) + list(s) + list(pad) + [int(ceil), int(include)]))
    put(p + ".dy", dy)
    put(p + ".y", y)
    put(p + ".dx", x.grad)

for name, xs, out in [("7x10to3x4", (2, 3, 7, 10), (3, 4)), ("5x5to3x2", (1, 2, 5, 5), (3, 2))]:
    p = f"adaptive.{name}"
    x = torch.randn(*xs, requires_grad=True)
    y = F.adaptive_avg_pool2d(x, out)
    dy = torch.randn(*y.shape)
    y.backward(dy)
    put(p + ".x", x)
    put(p + ".config", torch.tensor(out))
    put(p + ".dy", dy)
    put(p + ".y", y)
    put(p + ".dx", x.grad)

# ---- grouped and depthwise conv2d --------------------------------------------------------------
# name, x shape, weight shape [K, C/groups, R, S], stride, padding, dilation, groups, bias
GCONV = [
    ("g2", (2, 4, 6, 7), (6, 2, 3, 3), (1, 1), (1, 1), (1, 1), 2, True),
    ("depthwise", (2, 3, 7, 8), (3, 1, 3, 3), (2, 2), (1, 1), (1, 1), 3, False),
    ("depthmult", (1, 2, 5, 6), (4, 1, 3, 2), (1, 2), (1, 0), (2, 1), 2, True),
    ("g3k1", (2, 6, 4, 5), (9, 2, 1, 1), (1, 1), (0, 0), (1, 1), 3, True),
]
for name, xs, ws, stride, padding, dilation, groups, bias in GCONV:
    p = f"gconv.{name}"
    x = torch.randn(*xs, requires_grad=True)
    w = (torch.randn(*ws) * 0.5).requires_grad_()
    b = torch.randn(ws[0], requires_grad=True) if bias else None
    y = F.conv2d(x, w, b, stride=stride, padding=padding, dilation=dilation, groups=groups)
    dy = torch.randn(*y.shape)
    y.backward(dy)
    put(p + ".x", x)
    put(p + ".weight", w)
    if bias:
        put(p + ".bias", b)
    put(p + ".config", torch.tensor(stride + padding + dilation + (groups,)))
    put(p + ".dy", dy)
    put(p + ".y", y)
    put(p + ".dx", x.grad)
    put(p + ".dweight", w.grad)
    if bias:
        put(p + ".dbias", b.grad)


# ---- learning rates in double ------------------------------------------------------------------
def put_lrs(key, values):
    entries.append(f"{key}\t{len(values)}\t" + " ".join("%.17g" % v for v in values))


def run(key, make, metrics=None, lr=0.1, groups=1):
    params = [torch.nn.Parameter(torch.zeros(1)) for _ in range(groups)]
    opt = torch.optim.SGD([{"params": [q], "lr": lr * (i + 1)} for i, q in enumerate(params)], lr=lr)
    sched = make(opt)
    lrs = [[g["lr"]] for g in opt.param_groups]
    for e in range(len(metrics) if metrics is not None else 25):
        opt.step()
        if metrics is None:
            sched.step()
        else:
            sched.step(metrics[e])
        for i, g in enumerate(opt.param_groups):
            lrs[i].append(g["lr"])
    for i, seq in enumerate(lrs):
        put_lrs(f"lr.{key}.{i}", seq)


S = torch.optim.lr_scheduler
run("exponential", lambda o: S.ExponentialLR(o, gamma=0.9), lr=0.3)
run("step", lambda o: S.StepLR(o, step_size=3, gamma=0.7), lr=0.03)
run("cosine", lambda o: S.CosineAnnealingLR(o, T_max=9, eta_min=1e-4), lr=0.1, groups=2)
metrics = [1.0, 0.9, 0.85, 0.85, 0.86, 0.849, 0.85, 0.84, 0.84, 0.84, 0.84, 0.84, 0.5, 0.5, 0.5,
           0.5, 0.5, 0.5, 0.5, 0.5, 0.49999, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5,
           0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]
put_lrs("lr.plateau.metrics", metrics)
run("plateau.min", lambda o: S.ReduceLROnPlateau(o, mode="min", factor=0.3, patience=1, threshold=1e-3,
                                                 cooldown=1, min_lr=[1e-4, 3e-4]), metrics, lr=0.3, groups=2)
run("plateau.max.abs", lambda o: S.ReduceLROnPlateau(o, mode="max", factor=0.7, patience=0,
                                                     threshold=0.01, threshold_mode="abs", eps=1e-3), metrics, lr=0.1)

write("layers18_fixture.txt", f"# generated by layers18_fixture.py with torch {torch.__version__}; do not edit")
