"""Writes indexing_fixture.txt: PyTorch reference values for jgrad's indexing ops (cat, stack,
index_select, gather, embedding, where, masked_fill) and clip_grad_norm_.

Run from this directory with a Python that has torch (Debian: apt-get install python3-torch):
    /usr/bin/python3 indexing_fixture.py
CI has no Python: the tests read only the committed indexing_fixture.txt.

Indices are written as floats (jgrad's one dtype); PyTorch gets them as int64. Every case has a
repeated index, so the backward's scatter-add must sum. Format: see fixture_io.py; read by
src-test/engine/java/jgrad/TorchFixture.java.
"""
import torch

from fixture_io import put, write

torch.manual_seed(20240616)


def backward_case(key, fn, *inputs):
    """Puts the inputs, y = fn(*inputs), an upstream gradient dy and each input's gradient."""
    xs = [x.detach().clone().requires_grad_(True) for x in inputs]
    y = fn(*xs)
    dy = torch.randn(y.shape)
    y.backward(dy)
    for i, x in enumerate(xs):
        put(f"{key}.in{i}", x)
    put(f"{key}.y", y)
    put(f"{key}.dy", dy)
    for i, x in enumerate(xs):
        put(f"{key}.d{i}", x.grad)


# ---- cat and stack ----------------------------------------------------------------------------
backward_case("cat1", lambda a, b, c: torch.cat([a, b, c], 1), torch.randn(2, 3), torch.randn(2, 1), torch.randn(2, 2))
backward_case("cat0", lambda a, b: torch.cat([a, b], 0), torch.randn(1, 2, 3), torch.randn(3, 2, 3))
backward_case("stack1", lambda a, b, c: torch.stack([a, b, c], 1), torch.randn(2, 3), torch.randn(2, 3), torch.randn(2, 3))

# ---- index_select ----------------------------------------------------------------------------
idx = torch.tensor([3, 0, 3, 4])
put("isel1.index", idx.float())
backward_case("isel1", lambda x: torch.index_select(x, 1, idx), torch.randn(4, 5))
idx0 = torch.tensor([4, 4, 1, 0, 4])
put("isel0.index", idx0.float())
backward_case("isel0", lambda x: torch.index_select(x, 0, idx0), torch.randn(5, 2, 3))

# ---- gather ----------------------------------------------------------------------------------
g1 = torch.tensor([[0, 0, 3], [1, 2, 1], [3, 3, 3]])
put("gather1.index", g1.float())
backward_case("gather1", lambda x: torch.gather(x, 1, g1), torch.randn(3, 4))
g0 = torch.tensor([[3, 0], [3, 3], [1, 0]])          # smaller than x [4, 5] in dimension 1
put("gather0.index", g0.float())
backward_case("gather0", lambda x: torch.gather(x, 0, g0), torch.randn(4, 5))

# ---- embedding -------------------------------------------------------------------------------
tokens = torch.tensor([[1, 5, 1], [0, 1, 2]])
put("emb.indices", tokens.float())
backward_case("emb", lambda w: torch.nn.functional.embedding(tokens, w), torch.randn(6, 3))
backward_case("emb.pad", lambda w: torch.nn.functional.embedding(tokens, w, padding_idx=1), torch.randn(6, 3))

# ---- where and masked_fill -------------------------------------------------------------------
cond = torch.tensor([[1.0], [0.0], [float("nan")]])  # NaN is nonzero: true
put("where.cond", cond)
backward_case("where", lambda a, b: torch.where(cond != 0, a, b), torch.randn(3, 4), torch.randn(4))
mask = torch.tensor([0.0, 1.0, 0.0, 2.0])
put("mfill.mask", mask)
backward_case("mfill", lambda x: x.masked_fill(mask != 0, 2.5), torch.randn(3, 4))
backward_case("mfill.softmax", lambda x: torch.softmax(x.masked_fill(mask != 0, float("-inf")), 1), torch.randn(3, 4))


# ---- clip_grad_norm_ -------------------------------------------------------------------------
def clip_case(key, max_norm, norm_type, scale):
    params = [torch.nn.Parameter(torch.randn(3, 4)), torch.nn.Parameter(torch.randn(3)),
              torch.nn.Parameter(torch.randn(2, 3)), torch.nn.Parameter(torch.randn(5))]
    for i, p in enumerate(params[:3]):   # the last one has no gradient
        p.grad = torch.randn(p.shape) * scale
        put(f"{key}.grad{i}", p.grad)
    total = torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type)
    put(f"{key}.total", total)
    for i, p in enumerate(params[:3]):
        put(f"{key}.clipped{i}", p.grad)


clip_case("clip.2", 1.0, 2.0, 1.0)          # clipped
clip_case("clip.2.small", 100.0, 2.0, 1.0)  # below the limit: unchanged
clip_case("clip.inf", 0.5, float("inf"), 1.0)
clip_case("clip.1", 3.0, 1.0, 0.5)

write("indexing_fixture.txt", "# PyTorch %s reference values for jgrad's indexing ops; made by indexing_fixture.py"
      % torch.__version__)
