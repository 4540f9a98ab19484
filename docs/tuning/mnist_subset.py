#!/usr/bin/python3
"""Writes the first N training and M test images of MNIST (IDX files) to another folder.

The LeNet tuning study in docs/tuning.md trains on a subset so that a trial takes seconds:
    /usr/bin/python3 docs/tuning/mnist_subset.py ~/.cache/jgrad/mnist /tmp/mnist-6k 6000 1000
The subset is not committed (it is MNIST's data); this script makes it again.
"""
import os
import struct
import sys


def copy(src, dst, n):
    with open(src, "rb") as f:
        data = f.read()
    magic, count = struct.unpack(">II", data[:8])
    dims = magic & 0xFF
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    if n > count:
        sys.exit(f"{src} holds {count} items, {n} asked")
    item = 1
    for d in shape[1:]:
        item *= d
    header = struct.pack(">I", magic) + struct.pack(">I", n) + data[8:4 + 4 * dims]
    with open(dst, "wb") as f:
        f.write(header + data[4 + 4 * dims:4 + 4 * dims + n * item])


def main():
    if len(sys.argv) != 5:
        sys.exit("usage: mnist_subset.py SRC_DIR DST_DIR N_TRAIN N_TEST")
    src, dst, n_train, n_test = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    os.makedirs(dst, exist_ok=True)
    for kind, n in (("train", n_train), ("t10k", n_test)):
        for part in ("images-idx3-ubyte", "labels-idx1-ubyte"):
            copy(os.path.join(src, f"{kind}-{part}"), os.path.join(dst, f"{kind}-{part}"), n)


if __name__ == "__main__":
    main()
