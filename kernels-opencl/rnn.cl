// rnn.cl — the gate arithmetic of one recurrent step: LSTM and GRU cells, forward and backward.
//
// What it computes (H = hidden units; the GEMMs that make the gates' pre-activations are separate
// calls; the backward kernels are arithmetic passes, the calculus is the layer's):
//   lstm_cell_forward    act = σ(G_i), σ(G_f), tanh(G_g), σ(G_o);  c = f⊙cPrev + i⊙g;  h = o⊙tanh(c)
//   lstm_cell_backward   with t = tanh(c): dc = dcNext + dh⊙o⊙(1 − t²);
//                        dG = dc⊙g⊙i(1 − i), dc⊙cPrev⊙f(1 − f), dc⊙i⊙(1 − g²), dh⊙t⊙o(1 − o);
//                        dcPrev = dc⊙f
//   gru_cell_forward     r = σ(x_r + h_r), z = σ(x_z + h_z), m = tanh(x_n + r⊙h_n) (PyTorch's n),
//                        h = (1 − z)⊙m + z⊙hPrev;  act = r, z, m, h_n
//   gru_cell_backward    dm = dh⊙(1 − z)⊙(1 − m²), dz = dh⊙(hPrev − m)⊙z(1 − z), dr = dm⊙h_n⊙r(1 − r);
//                        dXg = dr, dz, dm;  dHg = dr, dz, dm⊙r;  dhPrev = dh⊙z
// Definitions: jgrad.backend.Backend (javadoc) and jgrad.backend.reference.Composed (from map and
// zip); FusedContractTest checks these kernels against both.
//
// Buffer layout: n rows, each contiguous. An LSTM's gates G and act hold [i | f | g | o] (4H per
// row), a GRU's xg = x·W_ihᵀ + b_ih and hg = h·W_hhᵀ + b_hh hold [r | z | n] (3H) and its act
// [r | z | m | h_n] (4H); states (c, cPrev, h, hPrev) and their gradients hold H. Inputs start at
// the offset passed after them (xOff), outputs too.
//
// Work split: one work-item per (row, unit) pair, global size n·H rounded up to the work-group
// size; each reads and writes only its own unit's columns.
//
// Tuning parameters: none here (the host picks the work-group size).

// σ(x), written so that neither branch overflows (as elementwise.cl's U_SIGMOID)
inline float sigmoid(float x) {
    if (x >= 0.0f) return 1.0f / (1.0f + exp(-x));
    float e = exp(x);
    return e / (1.0f + e);
}

__kernel void lstm_cell_forward(int n, int H, __global const float *G, int gOff, __global const float *cPrev, int cPrevOff,
                                __global float *act, int actOff, __global float *c, int cOff, __global float *h, int hOff) {
    int k = get_global_id(0);
    if (k >= n * H) return;
    int r = k / H, j = k % H;
    __global const float *gr = G + gOff + 4 * r * H;
    float i = sigmoid(gr[j]), f = sigmoid(gr[H + j]), g = tanh(gr[2 * H + j]), o = sigmoid(gr[3 * H + j]);
    __global float *ar = act + actOff + 4 * r * H;
    ar[j] = i;
    ar[H + j] = f;
    ar[2 * H + j] = g;
    ar[3 * H + j] = o;
    float ck = f * cPrev[cPrevOff + k] + i * g;
    c[cOff + k] = ck;
    h[hOff + k] = o * tanh(ck);
}

__kernel void lstm_cell_backward(int n, int H, __global const float *act, int actOff, __global const float *cPrev, int cPrevOff,
                                 __global const float *c, int cOff, __global const float *dh, int dhOff,
                                 __global const float *dcNext, int dcNextOff, __global float *dG, int dGOff,
                                 __global float *dcPrev, int dcPrevOff) {
    int k = get_global_id(0);
    if (k >= n * H) return;
    int r = k / H, j = k % H;
    __global const float *ar = act + actOff + 4 * r * H;
    float i = ar[j], f = ar[H + j], g = ar[2 * H + j], o = ar[3 * H + j];
    float t = tanh(c[cOff + k]), dhk = dh[dhOff + k];
    float dc = dcNext[dcNextOff + k] + dhk * o * (1.0f - t * t);
    __global float *dr = dG + dGOff + 4 * r * H;
    dr[j] = dc * g * (i * (1.0f - i));
    dr[H + j] = dc * cPrev[cPrevOff + k] * (f * (1.0f - f));
    dr[2 * H + j] = dc * i * (1.0f - g * g);
    dr[3 * H + j] = dhk * t * (o * (1.0f - o));
    dcPrev[dcPrevOff + k] = dc * f;
}

__kernel void gru_cell_forward(int n, int H, __global const float *xg, int xgOff, __global const float *hg, int hgOff,
                               __global const float *hPrev, int hPrevOff, __global float *act, int actOff,
                               __global float *h, int hOff) {
    int k = get_global_id(0);
    if (k >= n * H) return;
    int r = k / H, j = k % H;
    __global const float *xr = xg + xgOff + 3 * r * H, *hr = hg + hgOff + 3 * r * H;
    float rg = sigmoid(xr[j] + hr[j]), z = sigmoid(xr[H + j] + hr[H + j]);
    float hn = hr[2 * H + j], m = tanh(xr[2 * H + j] + rg * hn);
    __global float *ar = act + actOff + 4 * r * H;
    ar[j] = rg;
    ar[H + j] = z;
    ar[2 * H + j] = m;
    ar[3 * H + j] = hn;
    h[hOff + k] = (1.0f - z) * m + z * hPrev[hPrevOff + k];
}

__kernel void gru_cell_backward(int n, int H, __global const float *act, int actOff, __global const float *hPrev, int hPrevOff,
                                __global const float *dh, int dhOff, __global float *dXg, int dXgOff, __global float *dHg, int dHgOff,
                                __global float *dhPrev, int dhPrevOff) {
    int k = get_global_id(0);
    if (k >= n * H) return;
    int r = k / H, j = k % H;
    __global const float *ar = act + actOff + 4 * r * H;
    float rg = ar[j], z = ar[H + j], m = ar[2 * H + j], hn = ar[3 * H + j];
    float dhk = dh[dhOff + k];
    float dm = dhk * (1.0f - z) * (1.0f - m * m);
    float dz = dhk * (hPrev[hPrevOff + k] - m) * (z * (1.0f - z));
    float dr = dm * hn * (rg * (1.0f - rg));
    __global float *xo = dXg + dXgOff + 3 * r * H, *ho = dHg + dHgOff + 3 * r * H;
    xo[j] = dr;
    xo[H + j] = dz;
    xo[2 * H + j] = dm;
    ho[j] = dr;
    ho[H + j] = dz;
    ho[2 * H + j] = dm * rg;
    dhPrev[dhPrevOff + k] = dhk * z;
}
