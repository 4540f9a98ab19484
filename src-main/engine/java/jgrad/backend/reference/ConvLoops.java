package jgrad.backend.reference;

import jgrad.backend.Conv2dShape;
import jgrad.backend.Pool2dShape;

/**
 * Convolution and pooling as plain loops over contiguous NCHW arrays: the definitions, written to
 * be read. Every faster kernel is compared with these.
 */
final class ConvLoops {
    private ConvLoops() {}

    /** Input row of kernel row r for output row p (may be outside 0 … H−1: then it reads 0). */
    private static int inRow(Conv2dShape g, int p, int r) {
        return p * g.strideH() - g.padH() + r * g.dilH();
    }

    private static int inCol(Conv2dShape g, int q, int s) {
        return q * g.strideW() - g.padW() + s * g.dilW();
    }

    static void conv2d(Conv2dShape g, float[] x, int xOff, float[] w, int wOff, float[] y) {
        int P = g.p(), Q = g.q(), C = g.c(), H = g.h(), W = g.w(), R = g.r(), S = g.s(), K = g.k();
        for (int n = 0; n < g.n(); n++) {
            for (int k = 0; k < K; k++) {
                for (int p = 0; p < P; p++) {
                    for (int q = 0; q < Q; q++) {
                        double sum = 0;
                        for (int c = 0; c < C; c++) {
                            for (int r = 0; r < R; r++) {
                                int ih = inRow(g, p, r);
                                if (ih < 0 || ih >= H) continue;
                                for (int s = 0; s < S; s++) {
                                    int iw = inCol(g, q, s);
                                    if (iw < 0 || iw >= W) continue;
                                    sum += (double) x[xOff + ((n * C + c) * H + ih) * W + iw] * w[wOff + ((k * C + c) * R + r) * S + s];
                                }
                            }
                        }
                        y[((n * K + k) * P + p) * Q + q] = (float) sum;
                    }
                }
            }
        }
    }

    /**
     * Each output y[n,k,p,q] was a sum of x·w over its window, so its gradient flows back to every
     * input position of the window, weighted by the kernel: scatter dy·w into dx. (Gathered
     * instead of scattered, this is the "full convolution with the flipped kernel".)
     */
    static void conv2dInputGrad(Conv2dShape g, float[] dy, float[] w, int wOff, float[] dx) {
        int P = g.p(), Q = g.q(), C = g.c(), H = g.h(), W = g.w(), R = g.r(), S = g.s(), K = g.k();
        java.util.Arrays.fill(dx, 0, g.n() * C * H * W, 0f);
        for (int n = 0; n < g.n(); n++) {
            for (int k = 0; k < K; k++) {
                for (int p = 0; p < P; p++) {
                    for (int q = 0; q < Q; q++) {
                        float d = dy[((n * K + k) * P + p) * Q + q];
                        for (int c = 0; c < C; c++) {
                            for (int r = 0; r < R; r++) {
                                int ih = inRow(g, p, r);
                                if (ih < 0 || ih >= H) continue;
                                for (int s = 0; s < S; s++) {
                                    int iw = inCol(g, q, s);
                                    if (iw < 0 || iw >= W) continue;
                                    dx[((n * C + c) * H + ih) * W + iw] += d * w[wOff + ((k * C + c) * R + r) * S + s];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** dw[k,c,r,s] = Σ over images and output positions of dy · (the input that weight saw): a correlation of x with dy. */
    static void conv2dWeightGrad(Conv2dShape g, float[] x, int xOff, float[] dy, float[] dw) {
        int P = g.p(), Q = g.q(), C = g.c(), H = g.h(), W = g.w(), R = g.r(), S = g.s(), K = g.k();
        for (int k = 0; k < K; k++) {
            for (int c = 0; c < C; c++) {
                for (int r = 0; r < R; r++) {
                    for (int s = 0; s < S; s++) {
                        double sum = 0;
                        for (int n = 0; n < g.n(); n++) {
                            for (int p = 0; p < P; p++) {
                                int ih = inRow(g, p, r);
                                if (ih < 0 || ih >= H) continue;
                                for (int q = 0; q < Q; q++) {
                                    int iw = inCol(g, q, s);
                                    if (iw < 0 || iw >= W) continue;
                                    sum += (double) dy[((n * K + k) * P + p) * Q + q] * x[xOff + ((n * C + c) * H + ih) * W + iw];
                                }
                            }
                        }
                        dw[((k * C + c) * R + r) * S + s] = (float) sum;
                    }
                }
            }
        }
    }

    static void maxPool2d(Pool2dShape g, float[] x, int xOff, float[] y, float[] argmax) {
        int P = g.p(), Q = g.q(), H = g.h(), W = g.w();
        for (int plane = 0; plane < g.n() * g.c(); plane++) {
            int in = xOff + plane * H * W, out = plane * P * Q;
            for (int p = 0; p < P; p++) {
                for (int q = 0; q < Q; q++) {
                    float best = Float.NEGATIVE_INFINITY;
                    int at = -1;
                    for (int i = 0; i < g.kh(); i++) {
                        int ih = p * g.strideH() - g.padH() + i;
                        if (ih < 0 || ih >= H) continue;
                        for (int j = 0; j < g.kw(); j++) {
                            int iw = q * g.strideW() - g.padW() + j;
                            if (iw < 0 || iw >= W) continue;
                            float v = x[in + ih * W + iw];
                            if (v > best || at < 0 || Float.isNaN(v)) {
                                if (Float.isNaN(best) && at >= 0) continue;  // the first NaN wins
                                best = v;
                                at = ih * W + iw;
                            }
                        }
                    }
                    y[out + p * Q + q] = best;
                    argmax[out + p * Q + q] = at;
                }
            }
        }
    }

    static void maxPool2dBackward(Pool2dShape g, float[] dy, float[] argmax, float[] dx) {
        int P = g.p(), Q = g.q(), plane = g.h() * g.w();
        java.util.Arrays.fill(dx, 0, g.n() * g.c() * plane, 0f);
        for (int pl = 0; pl < g.n() * g.c(); pl++) {
            for (int i = 0; i < P * Q; i++) {
                int o = pl * P * Q + i;
                dx[pl * plane + (int) argmax[o]] += dy[o];
            }
        }
    }

    static void avgPool2d(Pool2dShape g, float[] x, int xOff, float[] y) {
        int P = g.p(), Q = g.q(), H = g.h(), W = g.w();
        for (int plane = 0; plane < g.n() * g.c(); plane++) {
            int in = xOff + plane * H * W, out = plane * P * Q;
            for (int p = 0; p < P; p++) {
                for (int q = 0; q < Q; q++) {
                    double sum = 0;
                    for (int i = 0; i < g.kh(); i++) {
                        int ih = p * g.strideH() - g.padH() + i;
                        if (ih < 0 || ih >= H) continue;
                        for (int j = 0; j < g.kw(); j++) {
                            int iw = q * g.strideW() - g.padW() + j;
                            if (iw >= 0 && iw < W) sum += x[in + ih * W + iw];
                        }
                    }
                    y[out + p * Q + q] = (float) (sum / g.avgDivisor(p, q));
                }
            }
        }
    }

    static void avgPool2dBackward(Pool2dShape g, float[] dy, float[] dx) {
        int P = g.p(), Q = g.q(), H = g.h(), W = g.w();
        java.util.Arrays.fill(dx, 0, g.n() * g.c() * H * W, 0f);
        for (int plane = 0; plane < g.n() * g.c(); plane++) {
            for (int p = 0; p < P; p++) {
                for (int q = 0; q < Q; q++) {
                    float d = dy[plane * P * Q + p * Q + q] / g.avgDivisor(p, q);
                    for (int i = 0; i < g.kh(); i++) {
                        int ih = p * g.strideH() - g.padH() + i;
                        if (ih < 0 || ih >= H) continue;
                        for (int j = 0; j < g.kw(); j++) {
                            int iw = q * g.strideW() - g.padW() + j;
                            if (iw >= 0 && iw < W) dx[plane * H * W + ih * W + iw] += d;
                        }
                    }
                }
            }
        }
    }

    /** First input index of adaptive window i when `in` positions are pooled to `out`: ⌊i·in/out⌋. */
    static int windowStart(int i, int in, int out) {
        return (int) ((long) i * in / out);
    }

    /** One past the last input index: ⌈(i+1)·in/out⌉. */
    static int windowEnd(int i, int in, int out) {
        return (int) (((long) (i + 1) * in + out - 1) / out);
    }

    static void adaptiveAvgPool2d(int n, int c, int h, int w, int outH, int outW, float[] x, int xOff, float[] y) {
        for (int plane = 0; plane < n * c; plane++) {
            for (int i = 0; i < outH; i++) {
                int h0 = windowStart(i, h, outH), h1 = windowEnd(i, h, outH);
                for (int j = 0; j < outW; j++) {
                    int w0 = windowStart(j, w, outW), w1 = windowEnd(j, w, outW);
                    double sum = 0;
                    for (int a = h0; a < h1; a++) {
                        for (int b = w0; b < w1; b++) sum += x[xOff + (plane * h + a) * w + b];
                    }
                    y[(plane * outH + i) * outW + j] = (float) (sum / ((h1 - h0) * (w1 - w0)));
                }
            }
        }
    }

    static void adaptiveAvgPool2dBackward(int n, int c, int h, int w, int outH, int outW, float[] dy, float[] dx) {
        java.util.Arrays.fill(dx, 0, n * c * h * w, 0f);
        for (int plane = 0; plane < n * c; plane++) {
            for (int i = 0; i < outH; i++) {
                int h0 = windowStart(i, h, outH), h1 = windowEnd(i, h, outH);
                for (int j = 0; j < outW; j++) {
                    int w0 = windowStart(j, w, outW), w1 = windowEnd(j, w, outW);
                    float share = dy[(plane * outH + i) * outW + j] / ((h1 - h0) * (w1 - w0));
                    for (int a = h0; a < h1; a++) {
                        for (int b = w0; b < w1; b++) dx[(plane * h + a) * w + b] += share;
                    }
                }
            }
        }
    }
}
