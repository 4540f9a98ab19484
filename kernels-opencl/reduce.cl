// reduce.cl — sum, max and argmax along the middle axis of a contiguous [outer, n, inner] block.
//
// What it computes: out[o, i] = op over j < n of x[xOff + (o·n + j)·inner + i], with the
// semantics of jgrad.backend.ReduceOp: SUM is 0 over no elements; MAX is −∞ over none and NaN if
// any element is NaN; ARGMAX is the index of the first maximum (a NaN counts as the maximum), as a
// float. The op codes R_SUM, R_MAX, R_ARGMAX are defined by the host from ReduceOp's constants
// (jgrad.backend.opencl.OpCodes), never numbered here.
//
// Buffer layout: x contiguous from xOff; out contiguous [outer, inner] from 0.
//
// Kernels: reduce_naive has one work-item per output and walks j itself (reads are coalesced
// across i when inner > 1). reduce_rows is for inner == 1 and long rows: one work-group per
// output, each work-item takes a strided share of the row, then a tree in local memory.
//
// Tuning parameters:
//   RED_WG   work-group size of reduce_rows (a power of two; the host launches with it)

#ifndef RED_WG
#define RED_WG 256
#endif

#ifndef R_SUM
#error "the op codes R_* are defined by the host (jgrad.backend.opencl.OpCodes) as build options"
#endif

// The better of (value a at index ia) and (value b at index ib) for max/argmax: the larger one, a
// NaN over a number, and on a tie the smaller index (the first maximum).
inline int better(float a, int ia, float b, int ib) {
    if (isnan(a) != isnan(b)) return isnan(a) ? ia : ib;
    if (isnan(a)) return min(ia, ib);
    if (a != b) return a > b ? ia : ib;
    return min(ia, ib);
}

__kernel void reduce_naive(int op, __global const float *x, int xOff, int outer, int n, int inner,
                           __global float *out) {
    int g = get_global_id(0);
    if (g >= outer * inner) return;
    int o = g / inner, i = g % inner;
    __global const float *p = x + xOff + o * n * inner + i;
    if (op == R_SUM) {
        float sum = 0.0f;
        for (int j = 0; j < n; j++) sum += p[j * inner];
        out[g] = sum;
    } else {
        // as the reference: the first NaN if there is one, else the first maximum
        float best = n > 0 ? p[0] : -INFINITY;
        int at = 0;
        for (int j = 1; j < n; j++) {
            float v = p[j * inner];
            if (v > best || (isnan(v) && !isnan(best))) { best = v; at = j; }
        }
        out[g] = op == R_MAX ? best : (float) at;
    }
}

// Precondition: inner == 1; launched with `outer` work-groups of RED_WG work-items.
__kernel void reduce_rows(int op, __global const float *x, int xOff, int n, __global float *out) {
    __local float val[RED_WG];
    __local int idx[RED_WG];
    int row = get_group_id(0), t = get_local_id(0);
    __global const float *p = x + xOff + row * n;
    float acc = op == R_SUM ? 0.0f : -INFINITY;
    int at = n;  // "no element yet": loses every tie against a real index
    for (int j = t; j < n; j += RED_WG) {
        float v = p[j];
        if (op == R_SUM) acc += v;
        else if (at == n || better(v, j, acc, at) == j) { acc = v; at = j; }
    }
    val[t] = acc;
    idx[t] = at;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int step = RED_WG / 2; step > 0; step >>= 1) {
        if (t < step) {
            if (op == R_SUM) {
                val[t] += val[t + step];
            } else if (idx[t + step] != n && (idx[t] == n || better(val[t + step], idx[t + step], val[t], idx[t]) == idx[t + step])) {
                val[t] = val[t + step];
                idx[t] = idx[t + step];
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (t == 0) out[row] = op == R_ARGMAX ? (float) (idx[0] == n ? 0 : idx[0]) : val[0];
}
