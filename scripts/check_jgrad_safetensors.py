"""Loads a safetensors state dict that jgrad wrote into the torchvision model and checks its logits
against jgrad's: the reverse direction of jgrad's PyTorch parity tests.

    /usr/bin/python3 scripts/check_jgrad_safetensors.py MODEL.safetensors CHECK.safetensors

MODEL.safetensors: the weights (its metadata names the architecture: "arch" as torchvision spells it,
and "num_classes"). CHECK.safetensors: "input" [N, 3, H, W] and jgrad's eval-mode "logits" [N, classes].
Loading is strict (every key, every shape). Exits non-zero unless every logit is within 1e-4 relative
(plus 1e-5 of the largest). Needs torch and torchvision only (Debian: python3-torch, python3-torchvision).
Make the two files with:  JGRAD_ZOO_EXPORT=DIR mvn -B -q test -pl src-main/engine -Dtest=ZooStructureTest
"""
import os
import sys

import torch
import torchvision.models as tvm

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_io import load_file  # noqa: E402


def main(argv):
    if len(argv) != 3:
        sys.exit("usage: check_jgrad_safetensors.py MODEL.safetensors CHECK.safetensors")
    weights, meta = load_file(argv[1])
    check, _ = load_file(argv[2])
    arch, classes = meta.get("arch"), int(meta.get("num_classes", "1000"))
    if not arch or not hasattr(tvm, arch):
        sys.exit(f"{argv[1]}: its metadata names no torchvision architecture (arch={arch!r})")
    model = getattr(tvm, arch)(num_classes=classes)
    own = model.state_dict()
    state = {k: (v.to(own[k].dtype) if k in own else v) for k, v in weights.items()}  # num_batches_tracked: float → int64
    model.load_state_dict(state, strict=True)
    model.eval()
    with torch.no_grad():
        logits = model(check["input"])
    expected = check["logits"]
    tol = 1e-4 * expected.abs() + 1e-5 * expected.abs().max()
    worst = ((logits - expected).abs() / expected.abs().max()).max().item()
    ok = bool(((logits - expected).abs() <= tol).all())
    print(f"{arch} ({classes} classes): {len(weights)} tensors loaded strictly; logits {tuple(logits.shape)}, "
          f"largest difference {worst:.2e} of the largest logit: {'MATCH' if ok else 'MISMATCH'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main(sys.argv)
