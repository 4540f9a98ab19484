"""Writes schedulers_fixture.txt: the learning rates PyTorch's schedulers give, epoch by epoch.

Run from this directory with a Python that has torch (Debian: apt-get install python3-torch):
    /usr/bin/python3 schedulers_fixture.py
CI has no Python: the tests read only the committed schedulers_fixture.txt.

Each entry is the lr of the optimizer before any step (epoch 0) and after each of 30 scheduler
steps; ReduceLROnPlateau is stepped with the fixed metric sequence "plateau.metrics".
Format: fixture_io.py (key <TAB> shape <TAB> values, 9 significant digits).
"""
import torch
from torch.optim import SGD
from torch.optim import lr_scheduler as S

EPOCHS = 30
entries = []


def put(key, values):
    entries.append(f"{key}\t{len(values)}\t" + " ".join("%.9g" % v for v in values))


def run(key, make, metrics=None):
    p = torch.nn.Parameter(torch.zeros(1))
    opt = SGD([p], lr=0.1)
    sched = make(opt)
    lrs = [opt.param_groups[0]["lr"]]
    for e in range(EPOCHS):
        opt.step()
        if metrics is None:
            sched.step()
        else:
            sched.step(metrics[e])
        lrs.append(opt.param_groups[0]["lr"])
    put(key, lrs)


run("step", lambda o: S.StepLR(o, step_size=7, gamma=0.1))
run("multistep", lambda o: S.MultiStepLR(o, milestones=[5, 12, 20], gamma=0.5))
run("exponential", lambda o: S.ExponentialLR(o, gamma=0.9))
run("cosine", lambda o: S.CosineAnnealingLR(o, T_max=10, eta_min=0.001))
run("linear", lambda o: S.LinearLR(o, start_factor=0.25, end_factor=1.0, total_iters=5))
run("sequential", lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.1, total_iters=4),
                                               S.CosineAnnealingLR(o, T_max=20)], milestones=[4]))
metrics = [1.0, 0.9, 0.85, 0.85, 0.86, 0.849, 0.85, 0.84, 0.84, 0.84, 0.84, 0.84, 0.5, 0.5, 0.5,
           0.5, 0.5, 0.5, 0.5, 0.5, 0.49999, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]
put("plateau.metrics", metrics)
run("plateau.min", lambda o: S.ReduceLROnPlateau(o, mode="min", factor=0.5, patience=2, threshold=1e-3,
                                                 cooldown=1, min_lr=0.01), metrics)
run("plateau.max.abs", lambda o: S.ReduceLROnPlateau(o, mode="max", factor=0.3, patience=1,
                                                     threshold=0.01, threshold_mode="abs"), metrics)

with open("schedulers_fixture.txt", "w") as f:
    f.write("# written by schedulers_fixture.py with torch " + torch.__version__ + "\n")
    f.write("\n".join(entries) + "\n")
