package jgrad.backend.simd;

import jgrad.backend.Conv2dShape;

/**
 * Depthwise convolution (groups = channels, one filter per channel: MobileNetV2's 3×3 layers), run
 * directly, plane by plane: each (image, channel) plane is convolved with its own R×S kernel, so
 * there is no reduction over channels and no GEMM to feed. The definition it must match is
 * {@code Backend.groupedConv2d}'s (per group a copy, a one-channel conv2d and a copy back: thousands
 * of tiny calls for a 960-channel layer).
 * <pre>
 *   y[n,c,p,q]  = Σ_r Σ_s x[n, c, p·sh − ph + r·dh, q·sw − pw + s·dw] · w[c, r, s]
 *   dx[n,c,h,w] = Σ over (p, q, r, s) landing on (h, w) of dy[n,c,p,q] · w[c, r, s]
 *   dw[c,r,s]   = Σ_n Σ_p Σ_q dy[n,c,p,q] · x[n, c, p·sh − ph + r·dh, q·sw − pw + s·dw]
 * </pre>
 * For each tap (r, s) and output row p the input row ih is fixed, so the inner loop is a run of
 * q along a row (contiguous for stride 1: y[q] += w·x[q + shift], which the JIT vectorises), its ends
 * clipped where the tap falls into the padding. Planes (forward, input gradient) or channels (weight
 * gradient, summed over the images in order: deterministic) are split across the cores.
 *
 * <p>Checked by: {@code jgrad.backend.GroupedConvContractTest}.
 */
final class DepthwiseConv {
    private DepthwiseConv() {}

    /** One channel and one filter per group: a depthwise layer (channel multiplier 1). */
    static boolean suits(Conv2dShape g) {
        return g.c() == 1 && g.k() == 1;
    }

    /** g: one group's geometry (c = k = 1); x [N, channels, H, W] at xOff, w [channels, 1, R, S] at wOff, y [N, channels, P, Q]. */
    static void forward(Conv2dShape g, int channels, float[] x, int xOff, float[] w, int wOff, float[] y) {
        int hw = g.h() * g.w(), pq = g.p() * g.q(), rs = g.r() * g.s(), planes = g.n() * channels;
        eachPlane(g, planes, plane -> {
            int yAt = plane * pq;
            java.util.Arrays.fill(y, yAt, yAt + pq, 0f);
            taps(g, x, xOff + plane * hw, w, wOff + (plane % channels) * rs, y, yAt, false);
        });
    }

    /** dy [N, channels, P, Q], w at wOff, dx [N, channels, H, W] overwritten. */
    static void inputGrad(Conv2dShape g, int channels, float[] dy, float[] w, int wOff, float[] dx) {
        int hw = g.h() * g.w(), pq = g.p() * g.q(), rs = g.r() * g.s(), planes = g.n() * channels;
        eachPlane(g, planes, plane -> {
            java.util.Arrays.fill(dx, plane * hw, (plane + 1) * hw, 0f);
            taps(g, dx, plane * hw, w, wOff + (plane % channels) * rs, dy, plane * pq, true);
        });
    }

    /** x at xOff, dy [N, channels, P, Q], dw [channels, 1, R, S] overwritten. */
    static void weightGrad(Conv2dShape g, int channels, float[] x, int xOff, float[] dy, float[] dw) {
        int hw = g.h() * g.w(), pq = g.p() * g.q(), P = g.p(), Q = g.q(), H = g.h(), W = g.w();
        long work = 2L * g.n() * channels * pq * g.r() * g.s();
        int parts = Parallel.partsFor(work, channels);
        int per = (channels + parts - 1) / Math.max(1, parts);
        Parallel.run(parts, part -> {
            for (int c = part * per; c < Math.min(channels, (part + 1) * per); c++) {
                for (int r = 0; r < g.r(); r++) {
                    for (int s = 0; s < g.s(); s++) {
                        int shift = s * g.dilW() - g.padW();
                        double sum = 0;
                        for (int n = 0; n < g.n(); n++) {
                            int xAt = xOff + (n * channels + c) * hw, dyAt = (n * channels + c) * pq;
                            for (int p = 0; p < P; p++) {
                                int ih = p * g.strideH() - g.padH() + r * g.dilH();
                                if (ih < 0 || ih >= H) continue;
                                float run = 0;
                                for (int q = 0; q < Q; q++) {
                                    int iw = q * g.strideW() + shift;
                                    if (iw >= 0 && iw < W) run += dy[dyAt + p * Q + q] * x[xAt + ih * W + iw];
                                }
                                sum += run;
                            }
                        }
                        dw[(c * g.r() + r) * g.s() + s] = (float) sum;
                    }
                }
            }
        });
    }

    private static void eachPlane(Conv2dShape g, int planes, java.util.function.IntConsumer body) {
        long work = 2L * planes * g.p() * g.q() * g.r() * g.s();
        int parts = Parallel.partsFor(work, planes);
        int per = (planes + parts - 1) / Math.max(1, parts);
        Parallel.run(parts, part -> {
            for (int plane = part * per; plane < Math.min(planes, (part + 1) * per); plane++) body.accept(plane);
        });
    }

    /**
     * The taps of one plane. Forward ({@code scatter} false): out[yAt + p·Q + q] += w·in[inAt + ih·W + iw]
     * (in = x, out = y). Input gradient ({@code scatter} true): in[inAt + ih·W + iw] += w·out[yAt + p·Q + q]
     * (in = dx, out = dy): the same index pairs, the sum running the other way.
     */
    private static void taps(Conv2dShape g, float[] in, int inAt, float[] w, int wAt, float[] out, int yAt, boolean scatter) {
        int P = g.p(), Q = g.q(), H = g.h(), W = g.w(), sw = g.strideW();
        for (int r = 0; r < g.r(); r++) {
            for (int p = 0; p < P; p++) {
                int ih = p * g.strideH() - g.padH() + r * g.dilH();
                if (ih < 0 || ih >= H) continue;
                int row = inAt + ih * W, o = yAt + p * Q;
                for (int s = 0; s < g.s(); s++) {
                    float k = w[wAt + r * g.s() + s];
                    int shift = s * g.dilW() - g.padW();
                    if (sw == 1) {
                        // iw = q + shift: one contiguous run, clipped where it falls off the image
                        int q0 = Math.clamp(-shift, 0, Q), q1 = Math.clamp(W - shift, q0, Q), at = row + shift;
                        if (scatter) {
                            for (int q = q0; q < q1; q++) in[at + q] += k * out[o + q];
                        } else {
                            for (int q = q0; q < q1; q++) out[o + q] += k * in[at + q];
                        }
                    } else {
                        for (int q = 0; q < Q; q++) {
                            int iw = q * sw + shift;
                            if (iw < 0 || iw >= W) continue;
                            if (scatter) in[row + iw] += k * out[o + q];
                            else out[o + q] += k * in[row + iw];
                        }
                    }
                }
            }
        }
    }
}
