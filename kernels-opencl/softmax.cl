// softmax.cl — row-wise softmax / log-softmax, and softmax cross-entropy.
//
// What it computes, for each row r of contiguous x [rows, cols] from xOff, with m = max_j x[r, j]:
//   softmax:        out[r, j] = e^(x[r,j] − m) / Σⱼ e^(x[r,j] − m)
//   log-softmax:    out[r, j] = x[r, j] − m − log Σⱼ e^(x[r,j] − m)
//   cross-entropy:  probs[r, :] = softmax(x[r, :]),  loss[r] = m + log Σⱼ e^(x[r,j] − m) − x[r, t]
//                   with t = targets[tOff + r] (a class index stored as a float). A target that is
//                   not a whole number in 0…cols−1 gives a NaN loss and NaN probabilities (the host
//                   names the bad target when the loss is read; see CrossEntropyLoss).
// Subtracting the row maximum first keeps every exponential ≤ 1, so none overflows.
//
// Buffer layout: x contiguous from xOff; out and probs contiguous [rows, cols] from 0; loss [rows].
//
// Work split: one work-group of SM_WG work-items per row; each takes a strided share of the
// columns, and the maximum and the sum are combined in local memory.
//
// Tuning parameters:
//   SM_WG   work-group size (a power of two; the host launches with it)

#ifndef SM_WG
#define SM_WG 64
#endif

// The row maximum and Σ e^(x − max), left in *max and *sum for every work-item of the group.
inline void row_stats(__global const float *row, int cols, __local float *scratch, float *max, float *sum) {
    int t = get_local_id(0);
    float m = -INFINITY;
    for (int j = t; j < cols; j += SM_WG) m = fmax(m, row[j]);
    scratch[t] = m;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int step = SM_WG / 2; step > 0; step >>= 1) {
        if (t < step) scratch[t] = fmax(scratch[t], scratch[t + step]);
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    m = scratch[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    float s = 0.0f;
    for (int j = t; j < cols; j += SM_WG) s += exp(row[j] - m);
    scratch[t] = s;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int step = SM_WG / 2; step > 0; step >>= 1) {
        if (t < step) scratch[t] += scratch[t + step];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    *max = m;
    *sum = scratch[0];
}

__kernel void softmax_rows(int logOut, __global const float *x, int xOff, int cols, __global float *out) {
    __local float scratch[SM_WG];
    int r = get_group_id(0), t = get_local_id(0);
    __global const float *row = x + xOff + r * cols;
    float m, s;
    row_stats(row, cols, scratch, &m, &s);
    float logSum = log(s);
    for (int j = t; j < cols; j += SM_WG) {
        float shifted = row[j] - m;
        out[r * cols + j] = logOut ? shifted - logSum : exp(shifted) / s;
    }
}

__kernel void cross_entropy_rows(__global const float *x, int xOff, int cols, __global const float *targets,
                                 int tOff, __global float *loss, __global float *probs) {
    __local float scratch[SM_WG];
    int r = get_group_id(0), t = get_local_id(0);
    __global const float *row = x + xOff + r * cols;
    float m, s;
    row_stats(row, cols, scratch, &m, &s);
    float target = targets[tOff + r];
    bool valid = target >= 0.0f && target < (float) cols && target == floor(target);
    for (int j = t; j < cols; j += SM_WG) probs[r * cols + j] = valid ? exp(row[j] - m) / s : NAN;
    if (t == 0) loss[r] = valid ? m + log(s) - row[(int) target] : NAN;
}
