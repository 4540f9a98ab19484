// conv.cl — 2-D convolution (groups = 1) forward, input gradient and weight gradient.
//
// What it computes (PyTorch's Conv2d geometry; positions outside the image read as 0):
//   forward      y[n,k,p,q]  = Σ_c Σ_r Σ_s x[n, c, p·sh − ph + r·dh, q·sw − pw + s·dw] · w[k,c,r,s]
//   input grad   dx[n,c,h,w] = Σ over (k, r, s) and the output (p, q) whose window puts w[k,c,r,s]
//                              on (h, w) of dy[n,k,p,q] · w[k,c,r,s]
//   weight grad  dw[k,c,r,s] = Σ_n Σ_p Σ_q dy[n,k,p,q] · x[n, c, p·sh − ph + r·dh, q·sw − pw + s·dw]
// Every output is overwritten.
//
// Buffer layout: contiguous NCHW. x [N,C,H,W] from xOff, w [K,C,R,S] from wOff, y and dy
// [N,K,P,Q] from 0, dx [N,C,H,W] from 0, dw [K,C,R,S] from 0. The geometry travels in conv_t.
//
// Kernels:
//   conv2d_forward      one work-item per output element, a plain loop over (c, r, s).
//   conv2d_input_grad   one work-item per dx element: a gather, so no two work-items write the same
//                       place; output row p is hit by kernel row r when h + ph − r·dh = p·sh.
//   conv2d_input_grad_stride1  the same for stride 1, without the divisions.
//   conv2d_weight_grad  one work-group per dw element; its work-items split the N·P·Q products
//                       and add them up in local memory (a sum this long needs many hands).
//   conv2d_weight_grad_rows  the same with the work split by output rows, for images narrower
//                       than 32 columns (fewer divisions; the host picks it by Q).
//
// Tuning parameters:
//   CONV_WG   work-group size of conv2d_weight_grad (a power of two; the host launches with it)

#ifndef CONV_WG
#define CONV_WG 256
#endif

typedef struct {
    int n, c, h, w;   // input
    int k, r, s;      // filters and kernel size
    int sh, sw, ph, pw, dh, dw;
    int p, q;         // output size
} conv_t;

// The sum of every work-item's `mine` in the work-group (CONV_WG of them), through local memory.
inline float group_sum(__local float *part, float mine) {
    int t = get_local_id(0);
    part[t] = mine;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int step = CONV_WG / 2; step > 0; step >>= 1) {
        if (t < step) part[t] += part[t + step];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    return part[0];
}

__kernel void conv2d_forward(conv_t g, __global const float *x, int xOff, __global const float *w, int wOff,
                             __global float *y) {
    int e = get_global_id(0);
    if (e >= g.n * g.k * g.p * g.q) return;
    int q = e % g.q, p = (e / g.q) % g.p, k = (e / (g.q * g.p)) % g.k, n = e / (g.q * g.p * g.k);
    float sum = 0.0f;
    for (int c = 0; c < g.c; c++) {
        __global const float *xp = x + xOff + (n * g.c + c) * g.h * g.w;
        __global const float *wp = w + wOff + (k * g.c + c) * g.r * g.s;
        for (int r = 0; r < g.r; r++) {
            int ih = p * g.sh - g.ph + r * g.dh;
            if (ih < 0 || ih >= g.h) continue;
            for (int s = 0; s < g.s; s++) {
                int iw = q * g.sw - g.pw + s * g.dw;
                if (iw >= 0 && iw < g.w) sum = fma(xp[ih * g.w + iw], wp[r * g.s + s], sum);
            }
        }
    }
    y[e] = sum;
}

__kernel void conv2d_input_grad(conv_t g, __global const float *dy, __global const float *w, int wOff,
                                __global float *dx) {
    int e = get_global_id(0);
    if (e >= g.n * g.c * g.h * g.w) return;
    int iw = e % g.w, ih = (e / g.w) % g.h, c = (e / (g.w * g.h)) % g.c, n = e / (g.w * g.h * g.c);
    float sum = 0.0f;
    for (int k = 0; k < g.k; k++) {
        __global const float *dyp = dy + (n * g.k + k) * g.p * g.q;
        __global const float *wp = w + wOff + (k * g.c + c) * g.r * g.s;
        for (int r = 0; r < g.r; r++) {
            int ph = ih + g.ph - r * g.dh;           // = p·sh when row p uses kernel row r here
            if (ph < 0 || ph % g.sh != 0 || ph / g.sh >= g.p) continue;
            int p = ph / g.sh;
            for (int s = 0; s < g.s; s++) {
                int qw = iw + g.pw - s * g.dw;
                if (qw < 0 || qw % g.sw != 0 || qw / g.sw >= g.q) continue;
                sum = fma(dyp[p * g.q + qw / g.sw], wp[r * g.s + s], sum);
            }
        }
    }
    dx[e] = sum;
}

// Faster variant for stride 1 (any dilation): output row p = h + ph − r·dh directly, no division.
__kernel void conv2d_input_grad_stride1(conv_t g, __global const float *dy, __global const float *w, int wOff,
                                        __global float *dx) {
    int e = get_global_id(0);
    if (e >= g.n * g.c * g.h * g.w) return;
    int iw = e % g.w, ih = (e / g.w) % g.h, c = (e / (g.w * g.h)) % g.c, n = e / (g.w * g.h * g.c);
    float sum = 0.0f;
    for (int k = 0; k < g.k; k++) {
        __global const float *dyp = dy + (n * g.k + k) * g.p * g.q;
        __global const float *wp = w + wOff + (k * g.c + c) * g.r * g.s;
        for (int r = 0; r < g.r; r++) {
            int p = ih + g.ph - r * g.dh;
            if (p < 0 || p >= g.p) continue;
            for (int s = 0; s < g.s; s++) {
                int q = iw + g.pw - s * g.dw;
                if (q >= 0 && q < g.q) sum = fma(dyp[p * g.q + q], wp[r * g.s + s], sum);
            }
        }
    }
    dx[e] = sum;
}

__kernel void conv2d_weight_grad(conv_t g, __global const float *x, int xOff, __global const float *dy,
                                 __global float *dw) {
    __local float part[CONV_WG];
    int e = get_group_id(0), t = get_local_id(0);
    int s = e % g.s, r = (e / g.s) % g.r, c = (e / (g.s * g.r)) % g.c, k = e / (g.s * g.r * g.c);
    // The work-items split the N·P·Q products in order, so neighbours read neighbouring dy.
    int pq = g.p * g.q, total = g.n * pq;
    float sum = 0.0f;
    for (int i = t; i < total; i += CONV_WG) {
        int n = i / pq, p = (i % pq) / g.q, q = i % g.q;
        int ih = p * g.sh - g.ph + r * g.dh, iw = q * g.sw - g.pw + s * g.dw;
        if (ih >= 0 && ih < g.h && iw >= 0 && iw < g.w) {
            sum = fma(dy[(n * g.k + k) * pq + p * g.q + q], x[xOff + ((n * g.c + c) * g.h + ih) * g.w + iw], sum);
        }
    }
    float all = group_sum(part, sum);
    if (t == 0) dw[e] = all;
}

// Variant for small images (Q below a warp): the work-items split the N·P output rows and each
// walks a row's Q columns, so the divisions happen once per row, not once per product.
__kernel void conv2d_weight_grad_rows(conv_t g, __global const float *x, int xOff, __global const float *dy,
                                 __global float *dw) {
    __local float part[CONV_WG];
    int e = get_group_id(0), t = get_local_id(0);
    int s = e % g.s, r = (e / g.s) % g.r, c = (e / (g.s * g.r)) % g.c, k = e / (g.s * g.r * g.c);
    int pq = g.p * g.q;
    float sum = 0.0f;
    for (int row = t; row < g.n * g.p; row += CONV_WG) {
        int n = row / g.p, p = row % g.p;
        int ih = p * g.sh - g.ph + r * g.dh;
        if (ih < 0 || ih >= g.h) continue;
        __global const float *dyr = dy + (n * g.k + k) * pq + p * g.q;
        __global const float *xr = x + xOff + ((n * g.c + c) * g.h + ih) * g.w;
        for (int q = 0; q < g.q; q++) {
            int iw = q * g.sw - g.pw + s * g.dw;
            if (iw >= 0 && iw < g.w) sum = fma(dyr[q], xr[iw], sum);
        }
    }
    float all = group_sum(part, sum);
    if (t == 0) dw[e] = all;
}
