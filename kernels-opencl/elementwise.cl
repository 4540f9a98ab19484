// elementwise.cl — map, zip, zip-with-scalar, copy and fill over strided views.
//
// What it computes: for every position i of a common shape, out[i] = op(x[i]) (unary),
// out[i] = op(a[i], b[i]) (binary) or out[i] = op(a[i], s) (binary with a scalar). The cases
// below match the apply() methods of jgrad.backend.UnaryOp and BinaryOp, NaN cases included
// (Java's Math.max returns NaN if either side is NaN, Math.signum(NaN) is NaN).
//
// Op codes: U_<NAME> for UnaryOp.<NAME>, B_<NAME> for BinaryOp.<NAME>, and U_COPY for a copy. None
// is numbered here: the host defines them all when it builds this file (-DU_RELU=5 …), from the
// enums themselves (jgrad.backend.opencl.OpCodes), and OpCodesTest checks that every enum constant
// has a case below.
//
// Buffer layout: every operand is a view (offset + Σ index·stride) into a float buffer; a stride
// of 0 repeats an element (broadcasting). The host (OpenClBackend.Views) first merges dimensions
// that are contiguous in every operand and drops size-1 ones, so most calls arrive with rank 1.
// The views travel by value in one struct, view_t: up to MAX_RANK dimensions, up to 3 operands
// (operand 0 is always the output).
//
// Work split: one work-item per output element, global size rounded up to the work-group size.
//
// Tuning parameters: none here (the host picks the work-group size).

#define MAX_RANK 8

typedef struct {
    int rank;
    int size;
    int shape[MAX_RANK];
    int offset[3];
    int stride[3][MAX_RANK];
} view_t;

// The buffer index of position `flat` in operand k: the row-major digits of `flat` in `shape`
// weighted by the operand's strides.
inline int index_of(const view_t *v, int k, int flat) {
    int idx = v->offset[k];
    for (int d = v->rank - 1; d >= 0; d--) {
        int e = v->shape[d];
        idx += (flat % e) * v->stride[k][d];
        flat /= e;
    }
    return idx;
}

#ifndef U_COPY
#error "the op codes U_*, B_* are defined by the host (jgrad.backend.opencl.OpCodes) as build options"
#endif

inline float unary(int op, float x) {
    switch (op) {
        case U_COPY: return x;
        case U_NEG: return -x;
        case U_EXP: return exp(x);
        case U_LOG: return log(x);
        case U_SIGMOID:  // written so that neither branch overflows
            if (x >= 0.0f) return 1.0f / (1.0f + exp(-x));
            else { float e = exp(x); return e / (1.0f + e); }
        case U_TANH: return tanh(x);
        case U_RELU: return x > 0.0f ? x : 0.0f;
        case U_SQRT: return sqrt(x);
        case U_ABS: return fabs(x);
        case U_SIGN: return isnan(x) ? x : (x > 0.0f ? 1.0f : (x < 0.0f ? -1.0f : x));
        case U_RECIPROCAL: return 1.0f / x;
        case U_SQUARE: return x * x;
        case U_FLOOR: return floor(x);
        case U_RELU6: return x > 0.0f ? fmin(x, 6.0f) : 0.0f;
        default: return NAN;
    }
}

inline float binary(int op, float a, float b) {
    switch (op) {
        case B_ADD: return a + b;
        case B_SUB: return a - b;
        case B_MUL: return a * b;
        case B_DIV: return a / b;
        case B_POW: return pow(a, b);
        case B_MAX: return (isnan(a) || isnan(b)) ? NAN : fmax(a, b);
        case B_MIN: return (isnan(a) || isnan(b)) ? NAN : fmin(a, b);
        case B_GT: return a > b ? 1.0f : 0.0f;
        case B_GE: return a >= b ? 1.0f : 0.0f;
        case B_LT: return a < b ? 1.0f : 0.0f;
        case B_EQ: return a == b ? 1.0f : 0.0f;
        case B_GATE: return b > 0.0f ? a : 0.0f;   // a where b > 0 (ReLU's backward)
        default: return NAN;
    }
}

// out = op(x): operand 0 is out, operand 1 is x.
__kernel void map_view(int op, view_t v, __global float *out, __global const float *x) {
    int i = get_global_id(0);
    if (i >= v.size) return;
    out[index_of(&v, 0, i)] = unary(op, x[index_of(&v, 1, i)]);
}

// out = op(a, b): operands 0, 1, 2 are out, a, b.
__kernel void zip_view(int op, view_t v, __global float *out, __global const float *a,
                       __global const float *b) {
    int i = get_global_id(0);
    if (i >= v.size) return;
    out[index_of(&v, 0, i)] = binary(op, a[index_of(&v, 1, i)], b[index_of(&v, 2, i)]);
}

// out = op(a, s): operands 0 and 1 are out and a.
__kernel void zip_scalar_view(int op, view_t v, float s, __global float *out, __global const float *a) {
    int i = get_global_id(0);
    if (i >= v.size) return;
    out[index_of(&v, 0, i)] = binary(op, a[index_of(&v, 1, i)], s);
}

// out = value: operand 0 is out.
__kernel void fill_view(view_t v, float value, __global float *out) {
    int i = get_global_id(0);
    if (i >= v.size) return;
    out[index_of(&v, 0, i)] = value;
}

// ---- faster variant: every operand contiguous (all rank-1 strides 1 after merging) ----------
// Preconditions: rank 1 (or 0), stride 1 in each operand. No index arithmetic beyond the offsets.

__kernel void map_contiguous(int op, int n, __global float *out, int outOff, __global const float *x, int xOff) {
    int i = get_global_id(0);
    if (i < n) out[outOff + i] = unary(op, x[xOff + i]);
}

__kernel void zip_contiguous(int op, int n, __global float *out, int outOff, __global const float *a, int aOff,
                             __global const float *b, int bOff) {
    int i = get_global_id(0);
    if (i < n) out[outOff + i] = binary(op, a[aOff + i], b[bOff + i]);
}

__kernel void zip_scalar_contiguous(int op, int n, float s, __global float *out, int outOff,
                                    __global const float *a, int aOff) {
    int i = get_global_id(0);
    if (i < n) out[outOff + i] = binary(op, a[aOff + i], s);
}
