"""Writes losses_fixture.txt: PyTorch reference values for jgrad's loss, Linear and SGD tests.

Run from this directory with a Python that has torch (Debian: apt-get install python3-torch):
    /usr/bin/python3 losses_fixture.py
CI has no Python: the tests read only the committed losses_fixture.txt.

Format, one entry per line:  key <TAB> shape <TAB> values
  shape  comma-separated sizes ("" for a scalar)
  values space-separated float32 values, row-major, printed with 9 significant digits
         (enough to read back the exact float32)
Read by src-test/engine/java/jgrad/TorchFixture.java.
"""
import torch

from fixture_io import put, write

torch.manual_seed(20240501)


# ---- cross_entropy on [5, 4] logits (targets cover every class, one repeated) ----------------
logits = torch.randn(5, 4) * 2
target = torch.tensor([3, 0, 2, 1, 3])
put("ce.logits", logits)
put("ce.target", target.float())
for reduction in ("mean", "sum", "none"):
    put(f"ce.{reduction}", torch.nn.functional.cross_entropy(logits, target, reduction=reduction))
for reduction in ("mean", "sum"):
    x = logits.clone().requires_grad_()
    torch.nn.functional.cross_entropy(x, target, reduction=reduction).backward()
    put(f"ce.{reduction}.grad", x.grad)

# ---- mse_loss on [3, 4] ----------------------------------------------------------------------
inp = torch.randn(3, 4)
tgt = torch.randn(3, 4)
put("mse.input", inp)
put("mse.target", tgt)
for reduction in ("mean", "sum", "none"):
    put(f"mse.{reduction}", torch.nn.functional.mse_loss(inp, tgt, reduction=reduction))
x = inp.clone().requires_grad_()
torch.nn.functional.mse_loss(x, tgt).backward()
put("mse.mean.grad", x.grad)

# ---- Linear(3, 2): forward and gradients for an upstream gradient dY -------------------------
linear = torch.nn.Linear(3, 2)
x = torch.randn(4, 3, requires_grad=True)
dy = torch.randn(4, 2)
y = linear(x)
y.backward(dy)
put("linear.weight", linear.weight)
put("linear.bias", linear.bias)
put("linear.x", x)
put("linear.dy", dy)
put("linear.y", y)
put("linear.dx", x.grad)
put("linear.dweight", linear.weight.grad)
put("linear.dbias", linear.bias.grad)

# ---- SGD(lr=0.1, momentum=0.9, weight_decay=0.01), 5 steps of MSE on a Linear(3, 2) ----------
model = torch.nn.Linear(3, 2)
x = torch.randn(4, 3)
y = torch.randn(4, 2)
put("sgd.weight.0", model.weight)
put("sgd.bias.0", model.bias)
put("sgd.x", x)
put("sgd.y", y)
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=0.01)
for step in range(1, 6):
    opt.zero_grad()
    loss = torch.nn.functional.mse_loss(model(x), y)
    loss.backward()
    opt.step()
    put(f"sgd.loss.{step}", loss)
    put(f"sgd.weight.{step}", model.weight)
    put(f"sgd.bias.{step}", model.bias)

# ---- the training toolkit's losses: value for each reduction and the input gradient of the mean ----
F = torch.nn.functional


def loss_case(key, fn, x, *rest, reductions=("mean", "sum", "none")):
    for r in reductions:
        x1 = x.detach().clone().requires_grad_(True)
        out = fn(x1, *rest, reduction=r)
        put(f"{key}.{r}", out)
        if r != "none":
            out.backward()
            put(f"{key}.{r}.grad", x1.grad)


x = torch.randn(4, 3) * 2
y = torch.randn(4, 3)
put("l1.input", x); put("l1.target", y)
loss_case("l1", F.l1_loss, x, y)

p = torch.rand(4, 3) * 0.98 + 0.01
t = (torch.rand(4, 3) > 0.5).float()
w = torch.rand(3) + 0.5
put("bce.input", p); put("bce.target", t); put("bce.weight", w)
loss_case("bce", F.binary_cross_entropy, p, t)
loss_case("bce.w", lambda a, b, reduction: F.binary_cross_entropy(a, b, weight=w, reduction=reduction), p, t)

z = torch.randn(4, 3) * 3
z[0, 0] = 0.0  # a zero logit: the derivative there is σ(0)·(…) − …, not 0
soft = torch.rand(4, 3)
pw = torch.tensor([1.0, 2.0, 0.5])
put("bcel.input", z); put("bcel.target", soft); put("bcel.posweight", pw)
loss_case("bcel", F.binary_cross_entropy_with_logits, z, soft)
loss_case("bcel.pw", lambda a, b, reduction: F.binary_cross_entropy_with_logits(a, b, pos_weight=pw, reduction=reduction), z, soft)

h = torch.randn(6) * 2
hy = torch.tensor([1.0, -1.0, -1.0, 1.0, -1.0, -1.0])
put("hinge.input", h); put("hinge.target", hy)
loss_case("hinge", lambda a, b, reduction: F.hinge_embedding_loss(a, b, margin=1.5, reduction=reduction), h, hy)

m = torch.randn(5, 4)
my = torch.tensor([0, 3, 1, 1, 2])
put("mm.input", m); put("mm.target", my.float())
loss_case("mm", F.multi_margin_loss, m, my)
loss_case("mm.p2", lambda a, b, reduction: F.multi_margin_loss(a, b, p=2, margin=0.5, reduction=reduction), m, my)
mmw = torch.tensor([0.5, 2.0, 1.0, 1.5])
put("mm.weight", mmw)
loss_case("mm.w", lambda a, b, reduction: F.multi_margin_loss(a, b, weight=mmw, reduction=reduction), m, my)

lp = torch.log_softmax(torch.randn(5, 4), dim=1)
ny = torch.tensor([0, 3, 1, 1, 2])
cw = torch.tensor([1.0, 2.0, 0.5, 1.5])
put("nll.input", lp); put("nll.target", ny.float()); put("nll.weight", cw)
loss_case("nll", F.nll_loss, lp, ny)
loss_case("nll.w", lambda a, b, reduction: F.nll_loss(a, b, weight=cw, reduction=reduction), lp, ny)
loss_case("nll.ignore", lambda a, b, reduction: F.nll_loss(a, b, weight=cw, ignore_index=1, reduction=reduction), lp, ny)

kx = torch.log_softmax(torch.randn(3, 4), dim=1)
ky = torch.softmax(torch.randn(3, 4), dim=1)
ky[0, 1] = 0.0  # a zero probability: its term is 0, not 0·log 0 = NaN
put("kl.input", kx); put("kl.target", ky)
loss_case("kl", F.kl_div, kx, ky, reductions=("mean", "sum", "none", "batchmean"))
klt = torch.log_softmax(torch.randn(3, 4), dim=1)
put("kl.logtarget", klt)
loss_case("kl.log", lambda a, b, reduction: F.kl_div(a, b, reduction=reduction, log_target=True), kx, klt)

cx = torch.randn(5, 4) * 2
cy = torch.tensor([0, 3, 1, 1, 2])
cprob = torch.softmax(torch.randn(5, 4), dim=1)
put("cex.input", cx); put("cex.target", cy.float()); put("cex.weight", cw); put("cex.prob", cprob)
loss_case("cex.w", lambda a, b, reduction: F.cross_entropy(a, b, weight=cw, reduction=reduction), cx, cy)
loss_case("cex.smooth", lambda a, b, reduction: F.cross_entropy(a, b, label_smoothing=0.1, reduction=reduction), cx, cy)
loss_case("cex.ignore", lambda a, b, reduction: F.cross_entropy(a, b, weight=cw, ignore_index=1, label_smoothing=0.2, reduction=reduction), cx, cy)
loss_case("cex.prob", F.cross_entropy, cx, cprob)
loss_case("cex.prob.ws", lambda a, b, reduction: F.cross_entropy(a, b, weight=cw, label_smoothing=0.1, reduction=reduction), cx, cprob)

write("losses_fixture.txt", f"# generated by losses_fixture.py with torch {torch.__version__}; do not edit")
