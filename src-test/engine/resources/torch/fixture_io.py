"""Shared by the *_fixture.py scripts: the fixture text format read by src-test/engine/java/jgrad/TorchFixture.java.

One line per tensor:  key <TAB> shape <TAB> values
  shape  comma-separated sizes ("" for a scalar)
  values space-separated float32 values, row-major, with 9 significant digits (enough to read back
         the exact float32)
"""
import torch

entries = []


def put(key, t):
    t = torch.as_tensor(t).detach().to(torch.float32).contiguous()
    shape = ",".join(str(s) for s in t.shape)
    values = " ".join("%.9g" % v for v in t.reshape(-1).tolist())
    entries.append(f"{key}\t{shape}\t{values}")


def write(path, header):
    with open(path, "w") as f:
        f.write(header + "\n")
        f.write("\n".join(entries) + "\n")
