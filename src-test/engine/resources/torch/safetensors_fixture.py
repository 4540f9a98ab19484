"""Writes safetensors_fixture.safetensors (a small file in every dtype jgrad reads, written by the
committed scripts/safetensors_io.py the way PyTorch users' tools write them) and
safetensors_fixture.txt (the values each tensor must have once read as float32).

Run from this directory:  /usr/bin/python3 safetensors_fixture.py
CI has no Python: jgrad.tensor.SafetensorsTest reads only the committed outputs.
"""
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../../scripts"))
from safetensors_io import save_file, load_file  # noqa: E402
from fixture_io import put, write  # noqa: E402

torch.manual_seed(20261205)
tensors = {
    "conv.weight": torch.randn(2, 3, 2, 2),                       # F32
    "half": (torch.randn(5) * 100).to(torch.float16),              # F16 (large values: the exponent matters)
    "brain": torch.randn(2, 3).to(torch.bfloat16),                 # BF16
    "bn.num_batches_tracked": torch.tensor(7, dtype=torch.int64),  # I64 scalar, as in every BatchNorm's state dict
    "ids": torch.tensor([-3, 0, 123456], dtype=torch.int64),
    "double": torch.tensor([1.0 / 3, -2.5e-3], dtype=torch.float64),
    "int32": torch.tensor([[1, -2]], dtype=torch.int32),
    "empty": torch.zeros(0, 4),
}
metadata = {"format": "pt", "note": "é \"quoted\" \\ line\nbreak"}
save_file(tensors, "safetensors_fixture.safetensors", metadata)
back, meta = load_file("safetensors_fixture.safetensors")
assert meta == metadata and all(torch.equal(back[k], v) for k, v in tensors.items())
for k, v in tensors.items():
    put(k, v.to(torch.float32))
write("safetensors_fixture.txt", "# safetensors_fixture.py: every tensor of safetensors_fixture.safetensors as float32")
