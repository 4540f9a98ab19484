"""Writes rnn_fixture.txt: PyTorch reference values for jgrad's recurrent layers (TorchParityRnnTest).

Run from this directory with a Python that has torch (Debian: apt-get install python3-torch):
    /usr/bin/python3 rnn_fixture.py
CI has no Python: the tests read only the committed rnn_fixture.txt.

Format, one entry per line:  key <TAB> shape <TAB> values  (fixture_io.py; read by
src-test/engine/java/jgrad/TorchFixture.java). Sizes are kept small (T = 5, N = 3, I = 4, H = 3).

Layers, one case per name <mode>.<case> (mode rnn, rnn_relu, lstm, gru; the Java test lists the
same names):
  config          layers, bidirectional, batch_first, initial state given, bias, unbatched
  lengths         (only with variable lengths) per sequence; the input is packed with
                  pack_padded_sequence(enforce_sorted=False) and the output unpacked with
                  pad_packed_sequence(total_length=T), so padded steps are 0
  p.<name>        every parameter, under its state_dict key, in state_dict order
  x, h0, c0       input and initial states (h0, c0 only when given)
  dy, dh, dc      fixed random weights of the loss  sum(output*dy) + sum(h_n*dh) [+ sum(c_n*dc)]
  y, h_n, c_n     outputs
  dx, dh0, dc0    gradients of the input and the initial states
  g.<name>        gradient of every parameter
Cells, cell.<mode> (rnn, rnn_relu, lstm, gru): p.<name>, x [N, I], h [N, H], c, dh, dc, and the
  results h1, c1, dx, dhp (of h), dcp (of c), g.<name>; the loss is sum(h1*dh) [+ sum(c1*dc)].
"""
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from fixture_io import put, write

torch.manual_seed(20240619)
T, N, I, H = 5, 3, 4, 3

# case, layers, bidirectional, batch_first, with state, lengths
CASES = [
    ("a", 1, False, False, False, None),
    ("b", 1, False, True, True, None),
    ("c", 1, True, False, True, None),
    ("d", 2, False, True, False, None),
    ("e", 2, True, False, True, [5, 2, 4]),
    ("f", 1, False, False, False, [3, 1, 2]),   # the longest is shorter than T: steps 3, 4 are all padding
    ("g", 2, True, True, True, [2, 5, 3]),
    ("h", 1, True, True, False, [4, 4, 1]),
]
LAYERS = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


def make(mode, layers, bidirectional, batch_first, bias=True):
    if mode == "rnn_relu":
        return nn.RNN(I, H, layers, nonlinearity="relu", bias=bias, batch_first=batch_first, bidirectional=bidirectional)
    return LAYERS[mode](I, H, layers, bias=bias, batch_first=batch_first, bidirectional=bidirectional)


def layer_case(mode, name, layers, bidirectional, batch_first, with_state, lengths, bias=True, unbatched=False):
    p = f"{mode}.{name}"
    m = make(mode, layers, bidirectional, batch_first, bias)
    lstm = mode == "lstm"
    dirs = 2 if bidirectional else 1
    put(p + ".config", torch.tensor([layers, int(bidirectional), int(batch_first), int(with_state), int(bias), int(unbatched)]))
    for k, v in m.state_dict().items():
        put(p + ".p." + k, v)
    if unbatched:
        xs, ss = (T, I), (layers * dirs, H)
    else:
        xs, ss = ((N, T, I) if batch_first else (T, N, I)), (layers * dirs, N, H)
    x = torch.randn(*xs, requires_grad=True)
    put(p + ".x", x)
    state = None
    if with_state:
        h0 = torch.randn(*ss, requires_grad=True)
        put(p + ".h0", h0)
        state = h0
        if lstm:
            c0 = torch.randn(*ss, requires_grad=True)
            put(p + ".c0", c0)
            state = (h0, c0)
    if lengths is not None:
        put(p + ".lengths", torch.tensor(lengths))
        packed = pack_padded_sequence(x, torch.tensor(lengths), batch_first=batch_first, enforce_sorted=False)
        out, hn = m(packed, state)
        y, _ = pad_packed_sequence(out, batch_first=batch_first, total_length=T)
    else:
        y, hn = m(x, state)
    h_n, c_n = hn if lstm else (hn, None)
    dy, dh = torch.randn(*y.shape), torch.randn(*h_n.shape)
    put(p + ".dy", dy)
    put(p + ".dh", dh)
    loss = (y * dy).sum() + (h_n * dh).sum()
    if lstm:
        dc = torch.randn(*c_n.shape)
        put(p + ".dc", dc)
        loss = loss + (c_n * dc).sum()
    loss.backward()
    put(p + ".y", y)
    put(p + ".h_n", h_n)
    if lstm:
        put(p + ".c_n", c_n)
    put(p + ".dx", x.grad)
    if with_state:
        put(p + ".dh0", h0.grad)
        if lstm:
            put(p + ".dc0", c0.grad)
    for k, v in m.named_parameters():
        put(p + ".g." + k, v.grad)


for mode in ("rnn", "lstm", "gru"):
    for case in CASES:
        layer_case(mode, *case)
layer_case("rnn_relu", "e", 2, True, False, True, [5, 2, 4])
layer_case("lstm", "nobias", 1, True, False, True, None, bias=False)
layer_case("gru", "nobias", 2, False, True, False, [3, 5, 1], bias=False)
layer_case("lstm", "unbatched", 2, True, False, True, None, unbatched=True)
layer_case("gru", "unbatched", 1, False, True, False, None, unbatched=True)

# ---- cells: one step from a given state ---------------------------------------------------------
CELLS = {"rnn": lambda: nn.RNNCell(I, H), "rnn_relu": lambda: nn.RNNCell(I, H, nonlinearity="relu"),
         "lstm": lambda: nn.LSTMCell(I, H), "gru": lambda: nn.GRUCell(I, H)}
for mode, ctor in CELLS.items():
    p = "cell." + mode
    m = ctor()
    for k, v in m.state_dict().items():
        put(p + ".p." + k, v)
    x, h = torch.randn(N, I, requires_grad=True), torch.randn(N, H, requires_grad=True)
    put(p + ".x", x)
    put(p + ".h", h)
    dh = torch.randn(N, H)
    put(p + ".dh", dh)
    if mode == "lstm":
        c = torch.randn(N, H, requires_grad=True)
        put(p + ".c", c)
        dc = torch.randn(N, H)
        put(p + ".dc", dc)
        h1, c1 = m(x, (h, c))
        ((h1 * dh).sum() + (c1 * dc).sum()).backward()
        put(p + ".c1", c1)
        put(p + ".dcp", c.grad)
    else:
        h1 = m(x, h)
        (h1 * dh).sum().backward()
    put(p + ".h1", h1)
    put(p + ".dx", x.grad)
    put(p + ".dhp", h.grad)
    for k, v in m.named_parameters():
        put(p + ".g." + k, v.grad)

write("rnn_fixture.txt", f"# generated by rnn_fixture.py with torch {torch.__version__}; do not edit")
