// index.cl — picking along an axis by float indices (index_select, gather, embedding), and the
// scatter-add that moves values back the other way.
//
// What it computes, for a contiguous block viewed as [outer, n, inner] and an index of shape
// [outer, K, inner] read through the strides (is0, is1, is2) from ioff (a stride of 0 repeats one
// list of indices, as index_select does):
//   gather_axis       out[o, k, i] = x[xOff + (o·n + index[o, k, i])·inner + i]
//   scatter_add_axis  dst[o, j, i] = Σ over k with index[o, k, i] = j of src[srcOff + (o·K + k)·inner + i]
// Indices are floats holding whole numbers 0 … n − 1; the host checks them before the call.
//
// Buffer layout: x and src contiguous from their offsets; out and dst contiguous from 0.
//
// Work split: gather_axis, one work-item per output element. scatter_add_axis, one work-item per
// (o, i) column: it zeroes dst[o, :, i], then adds src[o, k, i] for k = 0, 1, … in order. Columns
// are disjoint, so no two work-items write one place (no atomics), and a repeated index is summed
// in the same order as the reference loops.
//
// Tuning parameters: none.

typedef struct {
    int outer, n, inner, k;      // block [outer, n, inner]; K indices per (o, i)
    int ioff, is0, is1, is2;     // index[o, k, i] = index[ioff + o·is0 + k·is1 + i·is2]
} axis_t;

inline int index_at(axis_t g, __global const float *index, int o, int k, int i) {
    return (int) index[g.ioff + o * g.is0 + k * g.is1 + i * g.is2];
}

__kernel void gather_axis(axis_t g, __global const float *x, int xOff, __global const float *index,
                          __global float *out) {
    int e = get_global_id(0);
    if (e >= g.outer * g.k * g.inner) return;
    int i = e % g.inner, k = (e / g.inner) % g.k, o = e / (g.inner * g.k);
    int j = index_at(g, index, o, k, i);
    out[e] = x[xOff + (o * g.n + j) * g.inner + i];
}

__kernel void scatter_add_axis(axis_t g, __global const float *src, int srcOff, __global const float *index,
                               __global float *dst) {
    int e = get_global_id(0);
    if (e >= g.outer * g.inner) return;
    int i = e % g.inner, o = e / g.inner;
    __global float *column = dst + o * g.n * g.inner + i;   // dst[o, j, i] = column[j·inner]
    for (int j = 0; j < g.n; j++) column[j * g.inner] = 0.0f;
    for (int k = 0; k < g.k; k++) {
        int j = index_at(g, index, o, k, i);
        column[j * g.inner] += src[srcOff + (o * g.k + k) * g.inner + i];
    }
}
