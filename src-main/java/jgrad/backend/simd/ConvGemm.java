package jgrad.backend.simd;

import jgrad.backend.Conv2dShape;

/**
 * Convolution as matrix products (im2col): for one image, gather every input patch into a column,
 * cols[(c, r, s)][(p, q)] = x[c, p·sh − ph + r·dh, q·sw − pw + s·dw] (0 outside), so that
 * <pre>
 *   y  = W · cols            [K, PQ] = [K, CRS] · [CRS, PQ]
 *   dW = Σₙ dY · colsᵀ       [K, CRS]
 *   dcols = Wᵀ · dY,  then dx = col2im(dcols)  (each column added back onto its patch)
 * </pre>
 * Images are split across the cores; each core has its own cols buffer (and dW partial sum).
 *
 * <p>Checked by: {@code jgrad.backend.BackendContractTest#convolutionMatchesReference}.
 */
final class ConvGemm {
    private ConvGemm() {}

    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[][] {new float[0]});

    private static float[] cols(int size) {
        float[][] holder = SCRATCH.get();
        if (holder[0].length < size) holder[0] = new float[size];
        return holder[0];
    }

    static void im2col(Conv2dShape g, float[] x, int imageAt, float[] cols) {
        int P = g.p(), Q = g.q(), H = g.h(), W = g.w(), PQ = P * Q;
        int row = 0;
        for (int c = 0; c < g.c(); c++) {
            for (int r = 0; r < g.r(); r++) {
                for (int s = 0; s < g.s(); s++, row++) {
                    int out = row * PQ;
                    for (int p = 0; p < P; p++) {
                        int ih = p * g.strideH() - g.padH() + r * g.dilH();
                        int o = out + p * Q;
                        if (ih < 0 || ih >= H) {
                            java.util.Arrays.fill(cols, o, o + Q, 0f);
                            continue;
                        }
                        int in = imageAt + (c * H + ih) * W;
                        for (int q = 0; q < Q; q++) {
                            int iw = q * g.strideW() - g.padW() + s * g.dilW();
                            cols[o + q] = iw >= 0 && iw < W ? x[in + iw] : 0f;
                        }
                    }
                }
            }
        }
    }

    /** dx[image] += each column of dcols added back onto the patch it came from. */
    static void col2im(Conv2dShape g, float[] dcols, float[] dx, int imageAt) {
        int P = g.p(), Q = g.q(), H = g.h(), W = g.w(), PQ = P * Q;
        int row = 0;
        for (int c = 0; c < g.c(); c++) {
            for (int r = 0; r < g.r(); r++) {
                for (int s = 0; s < g.s(); s++, row++) {
                    for (int p = 0; p < P; p++) {
                        int ih = p * g.strideH() - g.padH() + r * g.dilH();
                        if (ih < 0 || ih >= H) continue;
                        int in = imageAt + (c * H + ih) * W, o = row * PQ + p * Q;
                        for (int q = 0; q < Q; q++) {
                            int iw = q * g.strideW() - g.padW() + s * g.dilW();
                            if (iw >= 0 && iw < W) dx[in + iw] += dcols[o + q];
                        }
                    }
                }
            }
        }
    }

    private static int crs(Conv2dShape g) {
        return g.c() * g.r() * g.s();
    }

    static void forward(Conv2dShape g, float[] x, int xOff, float[] w, int wOff, float[] y) {
        int N = g.n(), K = g.k(), PQ = g.p() * g.q(), CRS = crs(g), CHW = g.c() * g.h() * g.w();
        int parts = Parallel.partsFor(2L * N * K * PQ * CRS, N);
        int per = (N + parts - 1) / Math.max(1, parts);
        Parallel.run(parts, part -> {
            float[] cols = cols(CRS * PQ);
            for (int n = part * per; n < Math.min(N, (part + 1) * per); n++) {
                im2col(g, x, xOff + n * CHW, cols);
                Gemm.gemm(false, false, K, PQ, CRS, 1f, w, wOff, CRS, cols, 0, PQ, 0f, y, n * K * PQ, PQ);
            }
        });
    }

    static void inputGrad(Conv2dShape g, float[] dy, float[] w, int wOff, float[] dx) {
        int N = g.n(), K = g.k(), PQ = g.p() * g.q(), CRS = crs(g), CHW = g.c() * g.h() * g.w();
        java.util.Arrays.fill(dx, 0, N * CHW, 0f);
        int parts = Parallel.partsFor(2L * N * K * PQ * CRS, N);
        int per = (N + parts - 1) / Math.max(1, parts);
        Parallel.run(parts, part -> {
            float[] dcols = cols(CRS * PQ);
            for (int n = part * per; n < Math.min(N, (part + 1) * per); n++) {
                Gemm.gemm(true, false, CRS, PQ, K, 1f, w, wOff, CRS, dy, n * K * PQ, PQ, 0f, dcols, 0, PQ);
                col2im(g, dcols, dx, n * CHW);
            }
        });
    }

    static void weightGrad(Conv2dShape g, float[] x, int xOff, float[] dy, float[] dw) {
        int N = g.n(), K = g.k(), PQ = g.p() * g.q(), CRS = crs(g), CHW = g.c() * g.h() * g.w();
        int parts = Math.max(1, Parallel.partsFor(2L * N * K * PQ * CRS, N));
        int per = (N + parts - 1) / parts;
        float[][] partial = new float[parts][];
        Parallel.run(parts, part -> {
            float[] cols = cols(CRS * PQ);
            float[] acc = part == 0 ? dw : new float[K * CRS];
            java.util.Arrays.fill(acc, 0, K * CRS, 0f);
            for (int n = part * per; n < Math.min(N, (part + 1) * per); n++) {
                im2col(g, x, xOff + n * CHW, cols);
                Gemm.gemm(false, true, K, CRS, PQ, 1f, dy, n * K * PQ, PQ, cols, 0, PQ, 1f, acc, 0, CRS);
            }
            partial[part] = acc;
        });
        // the partial sums, added in part order (deterministic)
        for (int part = 1; part < parts; part++) {
            for (int i = 0; i < K * CRS; i++) dw[i] += partial[part][i];
        }
    }
}
