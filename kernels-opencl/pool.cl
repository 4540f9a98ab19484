// pool.cl — max, average and adaptive-average 2-D pooling, forward and backward.
//
// What it computes (PyTorch's MaxPool2d / AvgPool2d without dilation; the host passes the output
// size p × q, ceil mode included; padding counts as −∞ for max and as 0 in the average, which divides
// by avg_divisor: the window cut at the far padding edge with include_pad, else its positions inside
// the input, as jgrad.backend.Pool2dShape.avgDivisor):
//   max forward    y[n,c,p,q] = max of the window, argmax[n,c,p,q] = h·W + w of the first maximum
//                  in the (n, c) plane (a NaN wins over numbers, the first NaN over later ones)
//   max backward   dx[n,c,h,w] = Σ over outputs whose argmax is (h, w) of dy[n,c,p,q]
//   avg forward    y = Σ window / divisor;  avg backward: dx[h,w] = Σ over windows covering
//                  (h, w) of dy / divisor
//   adaptive avg   output row i averages input rows ⌊i·H/P⌋ … ⌈(i+1)·H/P⌉ − 1 (columns likewise)
//
// Buffer layout: contiguous NCHW; x from xOff, y / argmax / dy / dx from 0.
//
// Work split: forward, one work-item per output element; backward, one work-item per dx element
// gathering from the windows that cover it (no two work-items write one place, no atomics), in
// the same output order as the reference loops.
//
// Tuning parameters: none.

typedef struct {
    int n, c, h, w;
    int kh, kw, sh, sw, ph, pw;
    int p, q;
    int include_pad;   // average: 1 = count_include_pad, 0 = count only input positions
} pool_t;

// What average window (p, q) divides by (Pool2dShape.avgDivisor).
inline float avg_divisor(pool_t g, int p, int q) {
    int h0 = p * g.sh - g.ph, h1 = min(h0 + g.kh, g.h + g.ph);
    int w0 = q * g.sw - g.pw, w1 = min(w0 + g.kw, g.w + g.pw);
    if (g.include_pad) return (float) ((h1 - h0) * (w1 - w0));
    return (float) ((min(h1, g.h) - max(h0, 0)) * (min(w1, g.w) - max(w0, 0)));
}

__kernel void max_pool_forward(pool_t g, __global const float *x, int xOff, __global float *y,
                               __global float *argmax) {
    int e = get_global_id(0);
    if (e >= g.n * g.c * g.p * g.q) return;
    int q = e % g.q, p = (e / g.q) % g.p, plane = e / (g.q * g.p);
    __global const float *in = x + xOff + plane * g.h * g.w;
    float best = -INFINITY;
    int at = -1;
    for (int i = 0; i < g.kh; i++) {
        int ih = p * g.sh - g.ph + i;
        if (ih < 0 || ih >= g.h) continue;
        for (int j = 0; j < g.kw; j++) {
            int iw = q * g.sw - g.pw + j;
            if (iw < 0 || iw >= g.w) continue;
            float v = in[ih * g.w + iw];
            if (v > best || at < 0 || isnan(v)) {
                if (isnan(best) && at >= 0) continue;
                best = v;
                at = ih * g.w + iw;
            }
        }
    }
    y[e] = best;
    argmax[e] = (float) at;
}

// The output rows whose windows (kernel k, stride s, padding pad) cover input row h: lo … hi.
inline int first_window(int h, int k, int s, int pad) {
    int top = h + pad - k + 1;                       // window p covers h when p·s ≤ h + pad < p·s + k
    return top <= 0 ? 0 : (top + s - 1) / s;
}

__kernel void max_pool_backward(pool_t g, __global const float *dy, __global const float *argmax,
                                __global float *dx) {
    int e = get_global_id(0);
    if (e >= g.n * g.c * g.h * g.w) return;
    int iw = e % g.w, ih = (e / g.w) % g.h, plane = e / (g.w * g.h);
    float here = (float) (ih * g.w + iw), sum = 0.0f;
    int p1 = min(g.p - 1, (ih + g.ph) / g.sh), q1 = min(g.q - 1, (iw + g.pw) / g.sw);
    for (int p = first_window(ih, g.kh, g.sh, g.ph); p <= p1; p++) {
        for (int q = first_window(iw, g.kw, g.sw, g.pw); q <= q1; q++) {
            int o = (plane * g.p + p) * g.q + q;
            if (argmax[o] == here) sum += dy[o];
        }
    }
    dx[e] = sum;
}

__kernel void avg_pool_forward(pool_t g, __global const float *x, int xOff, __global float *y) {
    int e = get_global_id(0);
    if (e >= g.n * g.c * g.p * g.q) return;
    int q = e % g.q, p = (e / g.q) % g.p, plane = e / (g.q * g.p);
    __global const float *in = x + xOff + plane * g.h * g.w;
    float sum = 0.0f;
    for (int i = 0; i < g.kh; i++) {
        int ih = p * g.sh - g.ph + i;
        if (ih < 0 || ih >= g.h) continue;
        for (int j = 0; j < g.kw; j++) {
            int iw = q * g.sw - g.pw + j;
            if (iw >= 0 && iw < g.w) sum += in[ih * g.w + iw];
        }
    }
    y[e] = sum / avg_divisor(g, p, q);
}

__kernel void avg_pool_backward(pool_t g, __global const float *dy, __global float *dx) {
    int e = get_global_id(0);
    if (e >= g.n * g.c * g.h * g.w) return;
    int iw = e % g.w, ih = (e / g.w) % g.h, plane = e / (g.w * g.h);
    float sum = 0.0f;
    int p1 = min(g.p - 1, (ih + g.ph) / g.sh), q1 = min(g.q - 1, (iw + g.pw) / g.sw);
    for (int p = first_window(ih, g.kh, g.sh, g.ph); p <= p1; p++) {
        for (int q = first_window(iw, g.kw, g.sw, g.pw); q <= q1; q++) {
            sum += dy[(plane * g.p + p) * g.q + q] / avg_divisor(g, p, q);
        }
    }
    dx[e] = sum;
}

inline int window_start(int i, int in, int out) { return (int) (((long) i * in) / out); }
inline int window_end(int i, int in, int out) { return (int) (((long) (i + 1) * in + out - 1) / out); }

// g.p and g.q are the output size; kh, kw, sh, sw, ph, pw, include_pad are unused.
__kernel void adaptive_avg_pool_forward(pool_t g, __global const float *x, int xOff, __global float *y) {
    int e = get_global_id(0);
    if (e >= g.n * g.c * g.p * g.q) return;
    int j = e % g.q, i = (e / g.q) % g.p, plane = e / (g.q * g.p);
    int h0 = window_start(i, g.h, g.p), h1 = window_end(i, g.h, g.p);
    int w0 = window_start(j, g.w, g.q), w1 = window_end(j, g.w, g.q);
    float sum = 0.0f;
    for (int a = h0; a < h1; a++)
        for (int b = w0; b < w1; b++) sum += x[xOff + (plane * g.h + a) * g.w + b];
    y[e] = sum / (float) ((h1 - h0) * (w1 - w0));
}

__kernel void adaptive_avg_pool_backward(pool_t g, __global const float *dy, __global float *dx) {
    int e = get_global_id(0);
    if (e >= g.n * g.c * g.h * g.w) return;
    int b = e % g.w, a = (e / g.w) % g.h, plane = e / (g.w * g.h);
    float sum = 0.0f;
    for (int i = 0; i < g.p; i++) {
        int h0 = window_start(i, g.h, g.p), h1 = window_end(i, g.h, g.p);
        if (a < h0 || a >= h1) continue;
        for (int j = 0; j < g.q; j++) {
            int w0 = window_start(j, g.w, g.q), w1 = window_end(j, g.w, g.q);
            if (b < w0 || b >= w1) continue;
            sum += dy[(plane * g.p + i) * g.q + j] / (float) ((h1 - h0) * (w1 - w0));
        }
    }
    dx[e] = sum;
}
