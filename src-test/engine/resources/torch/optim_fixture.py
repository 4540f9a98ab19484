"""Writes optim_fixture.txt: PyTorch reference values for jgrad's optimizer tests.

Run from this directory with a Python that has torch (Debian: apt-get install python3-torch):
    /usr/bin/python3 optim_fixture.py
CI has no Python: the tests read only the committed optim_fixture.txt.

Format: fixture_io.py (key <TAB> shape <TAB> values, 9 significant digits).
Read by src-test/engine/java/jgrad/TorchFixture.java.
"""
import torch

from fixture_io import put, write

torch.manual_seed(20261126)


# A [3, 5] parameter and 6 fixed gradients (of very different sizes, so that the per-weight step
# sizes matter); θ after each Adam step, for two settings.
theta0 = torch.randn(3, 5)
grads = [torch.randn(3, 5) * (10.0 ** (k % 3 - 1)) for k in range(6)]
put("adam.theta0", theta0)
for k, g in enumerate(grads):
    put(f"adam.grad{k}", g)
for name, kwargs in (("default", dict(lr=0.01)),
                     ("decay", dict(lr=0.05, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1))):
    p = torch.nn.Parameter(theta0.clone())
    opt = torch.optim.Adam([p], **kwargs)
    for k, g in enumerate(grads):
        p.grad = g.clone()
        opt.step()
        put(f"adam.{name}.step{k}", p)

# Ten steps of every optimizer on the same parameter and a fixed sequence of ten gradients
# ("opt.grad0".."opt.grad9"); θ after the tenth step, per setting.
grads10 = [torch.randn(3, 5) * (10.0 ** (k % 3 - 1)) for k in range(10)]
for k, g in enumerate(grads10):
    put(f"opt.grad{k}", g)
settings = {
    "sgd.momentum": (torch.optim.SGD, dict(lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.01)),
    "sgd.nesterov": (torch.optim.SGD, dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01)),
    "adam.amsgrad": (torch.optim.Adam, dict(lr=0.01, amsgrad=True, weight_decay=0.05)),
    "adamw": (torch.optim.AdamW, dict(lr=0.01, weight_decay=0.1)),
    "adamw.amsgrad": (torch.optim.AdamW, dict(lr=0.02, betas=(0.8, 0.95), amsgrad=True)),
    "adagrad": (torch.optim.Adagrad, dict(lr=0.1)),
    "adagrad.decay": (torch.optim.Adagrad, dict(lr=0.1, lr_decay=0.01, weight_decay=0.05, initial_accumulator_value=0.1)),
    "rmsprop": (torch.optim.RMSprop, dict(lr=0.01, alpha=0.9)),
    "rmsprop.centered": (torch.optim.RMSprop, dict(lr=0.01, centered=True, momentum=0.5, weight_decay=0.05)),
}
for name, (cls, kwargs) in settings.items():
    p = torch.nn.Parameter(theta0.clone())
    opt = cls([p], **kwargs)
    for g in grads10:
        p.grad = g.clone()
        opt.step()
    put(f"opt.{name}", p)

# Two parameter groups: group 0 at the optimizer's lr and weight decay, group 1 with its own;
# ten steps (the same gradients for both), then a StepLR over both groups.
for name, cls, kwargs in (("sgd", torch.optim.SGD, dict(momentum=0.9, weight_decay=0.01)),
                          ("adamw", torch.optim.AdamW, dict(weight_decay=0.05))):
    a = torch.nn.Parameter(theta0.clone())
    b = torch.nn.Parameter(theta0.clone())
    opt = cls([{"params": [a]}, {"params": [b], "lr": 0.001, "weight_decay": 0.2}], lr=0.05, **kwargs)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)
    for g in grads10:
        a.grad = g.clone()
        b.grad = g.clone()
        opt.step()
        sched.step()
    put(f"groups.{name}.a", a)
    put(f"groups.{name}.b", b)

write("optim_fixture.txt", "# written by optim_fixture.py with torch " + torch.__version__)
