package jgrad.backend.simd;

import static jgrad.backend.simd.Simd.F;
import static jgrad.backend.simd.Simd.LANES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jgrad.backend.Conv2dShape;

/**
 * Direct convolution for stride 1 and no dilation, the small-channel layers where im2col copies
 * more than it computes (LeNet's 1→6: 25 values written per output for 6 multiply-adds).
 *
 * <p>Each image is first copied into a zero-bordered scratch plane per channel, wide enough that
 * every output row is a whole number of vectors, so the inner loop has no bounds tests:
 * <pre>  y[k, p, q…q+L) += w[k,c,r,s] · xp[c, p + r, q + s … q + s + L)  </pre>
 * Four filters are computed together, sharing each load of the input vector (4 FMAs per load),
 * and the sum over (c, r, s) for one output vector stays in registers.
 *
 * <p>No longer the default for any shape: {@link ImplicitConv} was faster on every LeNet pass
 * (docs/performance.md#convolutions). It runs with {@code -Djgrad.conv.path=direct}, kept as the
 * measured alternative and checked by {@code jgrad.backend.simd.ConvPathsTest}.
 */
final class DirectConv {
    private DirectConv() {}

    /** Worth using: stride 1, no dilation, and few input channels × kernel positions. */
    static boolean suits(Conv2dShape g) {
        return g.strideH() == 1 && g.strideW() == 1 && g.dilH() == 1 && g.dilW() == 1 && g.c() * g.r() * g.s() <= MAX_CRS;
    }

    static final int MAX_CRS = Integer.getInteger("jgrad.conv.directMaxCrs", 150);

    /**
     * The weight gradient only pays off directly for a single input channel: with more, its per-tap
     * accumulators (C·R·S of them, one vector each) outgrow the registers, while im2col + GEMM turns
     * it into long dot products (LeNet's 6→16 layer: direct 6.7 ms, GEMM ≈ 2 ms per batch of 64).
     */
    static boolean suitsWeightGrad(Conv2dShape g) {
        return suits(g) && g.c() * g.r() * g.s() <= MAX_CRS_WEIGHT_GRAD;
    }

    static final int MAX_CRS_WEIGHT_GRAD = Integer.getInteger("jgrad.conv.directMaxCrsWeightGrad", 32);

    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][0]);

    private static float[] scratch(int which, int size) {
        float[][] b = SCRATCH.get();
        if (b[which].length < size) b[which] = new float[size];
        return b[which];
    }

    /** One image copied into this thread's scratch as C planes of hp × wp with a zero border. */
    private static float[] padded(Conv2dShape g, float[] x, int xAt, int hp, int wp) {
        int C = g.c(), H = g.h(), W = g.w();
        float[] xp = scratch(0, C * hp * wp);
        java.util.Arrays.fill(xp, 0, C * hp * wp, 0f);
        for (int c = 0; c < C; c++) {
            for (int h = 0; h < H; h++) {
                System.arraycopy(x, xAt + (c * H + h) * W, xp, (c * hp + h + g.padH()) * wp + g.padW(), Math.min(W, wp - g.padW()));
            }
        }
        return xp;
    }

    /** y = conv(x, w) for every image; images split across the cores. */
    static void forward(Conv2dShape g, float[] x, int xOff, float[] w, int wOff, float[] y) {
        int N = g.n();
        int parts = Parallel.partsFor(2L * N * g.k() * g.p() * g.q() * g.c() * g.r() * g.s(), N);
        int per = (N + parts - 1) / Math.max(1, parts);
        Parallel.run(parts, part -> {
            for (int n = part * per; n < Math.min(N, (part + 1) * per); n++) image(g, x, xOff + n * g.c() * g.h() * g.w(), w, wOff, y, n);
        });
    }

    private static void image(Conv2dShape g, float[] x, int xAt, float[] w, int wOff, float[] y, int n) {
        int C = g.c(), H = g.h(), W = g.w(), K = g.k(), R = g.r(), S = g.s(), P = g.p(), Q = g.q();
        int qv = (Q + LANES - 1) / LANES * LANES;             // output row rounded up to whole vectors
        int hp = H + 2 * g.padH(), wp = qv + S - 1;            // padded plane: every read is inside it
        float[] xp = padded(g, x, xAt, hp, wp);
        float[] row = scratch(1, 4 * qv);
        int RS = R * S, CRS = C * RS;
        int k = 0;
        for (; k + 4 <= K; k += 4) {
            int w0 = wOff + k * CRS;
            for (int p = 0; p < P; p++) {
                for (int q = 0; q < qv; q += LANES) {
                    FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F), a2 = FloatVector.zero(F), a3 = FloatVector.zero(F);
                    for (int c = 0; c < C; c++) {
                        for (int r = 0; r < R; r++) {
                            int src = (c * hp + p + r) * wp + q, wi = w0 + c * RS + r * S;
                            for (int s = 0; s < S; s++) {
                                FloatVector v = FloatVector.fromArray(F, xp, src + s);
                                a0 = v.fma(FloatVector.broadcast(F, w[wi + s]), a0);
                                a1 = v.fma(FloatVector.broadcast(F, w[wi + CRS + s]), a1);
                                a2 = v.fma(FloatVector.broadcast(F, w[wi + 2 * CRS + s]), a2);
                                a3 = v.fma(FloatVector.broadcast(F, w[wi + 3 * CRS + s]), a3);
                            }
                        }
                    }
                    a0.intoArray(row, q);
                    a1.intoArray(row, qv + q);
                    a2.intoArray(row, 2 * qv + q);
                    a3.intoArray(row, 3 * qv + q);
                }
                for (int j = 0; j < 4; j++) System.arraycopy(row, j * qv, y, ((n * K + k + j) * P + p) * Q, Q);
            }
        }
        for (; k < K; k++) {
            int w0 = wOff + k * CRS;
            for (int p = 0; p < P; p++) {
                for (int q = 0; q < qv; q += LANES) {
                    FloatVector a0 = FloatVector.zero(F);
                    for (int c = 0; c < C; c++) {
                        for (int r = 0; r < R; r++) {
                            int src = (c * hp + p + r) * wp + q, wi = w0 + c * RS + r * S;
                            for (int s = 0; s < S; s++) a0 = FloatVector.fromArray(F, xp, src + s).fma(FloatVector.broadcast(F, w[wi + s]), a0);
                        }
                    }
                    a0.intoArray(row, q);
                }
                System.arraycopy(row, 0, y, ((n * K + k) * P + p) * Q, Q);
            }
        }
    }

    /**
     * dw[k,c,r,s] = Σ_n Σ_p Σ_q dy[n,k,p,q] · xp[n, c, p + r, q + s]: a correlation of the padded input
     * with the output gradient, vectorised along q (dy rows are zero-padded to whole vectors, so the
     * padding adds nothing). Images are split across the cores, each with its own partial dw,
     * added in part order so the result does not depend on timing.
     */
    static void weightGrad(Conv2dShape g, float[] x, int xOff, float[] dy, float[] dw) {
        int N = g.n(), KCRS = g.k() * g.c() * g.r() * g.s();
        int parts = Math.max(1, Parallel.partsFor(2L * N * KCRS * g.p() * g.q(), N));
        int per = (N + parts - 1) / parts;
        float[][] partial = new float[parts][];
        Parallel.run(parts, part -> {
            // one vector of partial sums per tap, kept across images; lanes are added once at the end
            float[] acc = new float[KCRS * LANES];
            for (int n = part * per; n < Math.min(N, (part + 1) * per); n++) weightGradImage(g, x, xOff, dy, n, acc);
            partial[part] = acc;
        });
        for (int t = 0; t < KCRS; t++) {
            float sum = 0f;
            for (int part = 0; part < parts; part++) {
                for (int l = 0; l < LANES; l++) sum += partial[part][t * LANES + l];
            }
            dw[t] = sum;
        }
    }

    private static void weightGradImage(Conv2dShape g, float[] x, int xOff, float[] dy, int n, float[] acc) {
        int C = g.c(), H = g.h(), W = g.w(), K = g.k(), R = g.r(), S = g.s(), P = g.p(), Q = g.q();
        int qv = (Q + LANES - 1) / LANES * LANES, hp = H + 2 * g.padH(), wp = qv + S - 1;
        float[] xp = padded(g, x, xOff + n * C * H * W, hp, wp);
        float[] dyp = scratch(1, K * P * qv);  // dy rows padded with zeros to qv
        java.util.Arrays.fill(dyp, 0, K * P * qv, 0f);
        for (int k = 0; k < K; k++) {
            for (int p = 0; p < P; p++) System.arraycopy(dy, ((n * K + k) * P + p) * Q, dyp, (k * P + p) * qv, Q);
        }
        int RS = R * S;
        for (int k = 0; k < K; k++) {
            for (int c = 0; c < C; c++) {
                for (int r = 0; r < R; r++) {
                    for (int s = 0; s < S; s++) {
                        int t = ((k * C + c) * RS + r * S + s) * LANES;
                        FloatVector sum = FloatVector.fromArray(F, acc, t);
                        for (int p = 0; p < P; p++) {
                            int d = (k * P + p) * qv, src = (c * hp + p + r) * wp + s;
                            int q = 0;
                            for (; q + LANES <= Q; q += LANES) {
                                sum = FloatVector.fromArray(F, dyp, d + q).fma(FloatVector.fromArray(F, xp, src + q), sum);
                            }
                            if (q < Q) {
                                // the last, partial vector: only lanes below Q count (a 0 from dy's padding
                                // times an infinite pixel beyond the row would otherwise make NaN)
                                VectorMask<Float> live = F.indexInRange(q, Q);
                                FloatVector prod = FloatVector.fromArray(F, dyp, d + q).mul(FloatVector.fromArray(F, xp, src + q));
                                sum = sum.add(prod, live);
                            }
                        }
                        sum.intoArray(acc, t);
                    }
                }
            }
        }
    }
}
