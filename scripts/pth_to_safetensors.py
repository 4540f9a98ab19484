"""Converts a PyTorch state dict (.pth / .pt, e.g. torchvision's ImageNet weights) into a safetensors
file that jgrad loads (jgrad.models.Models.resnet18(numClasses, Path) and the others).

    /usr/bin/python3 scripts/pth_to_safetensors.py resnet18-f37072fd.pth resnet18.safetensors

Needs only torch (Debian: apt-get install python3-torch). Floating-point tensors are written as F32
(jgrad computes in float32), integer buffers (num_batches_tracked) as I64. A checkpoint that wraps
the state dict ({"state_dict": ...} or {"model": ...}) is unwrapped.
"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_io import save_file  # noqa: E402


def main(argv):
    if len(argv) != 3:
        sys.exit("usage: pth_to_safetensors.py IN.pth OUT.safetensors")
    obj = torch.load(argv[1], map_location="cpu")
    for key in ("state_dict", "model"):
        if isinstance(obj, dict) and key in obj and isinstance(obj[key], dict):
            obj = obj[key]
    if not isinstance(obj, dict):
        sys.exit(f"{argv[1]}: not a state dict (a {type(obj).__name__}); save model.state_dict(), not the model")
    out = {}
    for name, t in obj.items():
        if not torch.is_tensor(t):
            sys.exit(f"{argv[1]}: entry {name!r} is not a tensor")
        out[name] = t.to(torch.float32) if t.is_floating_point() else t.to(torch.int64)
    tmp = argv[2] + ".tmp"
    save_file(out, tmp, {"format": "pt", "source": os.path.basename(argv[1])})
    os.replace(tmp, argv[2])  # atomic: never half a file under the final name
    print(f"{argv[2]}: {len(out)} tensors, {sum(t.numel() for t in out.values()):,} values")


if __name__ == "__main__":
    main(sys.argv)
