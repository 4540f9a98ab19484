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
 * with the columns of a chunk of images side by side (cols is [CRS, m·PQ], m chosen so the block
 * stays near 1 MB), so each pass is a few large GEMMs instead of N small ones; the image and channel
 * axes of y and dY are swapped around them.
 *
 * <p>Checked by: {@code jgrad.backend.ConvPoolContractTest#convolutionMatchesReference}.
 */
final class ConvGemm {
    private ConvGemm() {}

    /** Rows shorter than this are copied by a plain loop instead of {@code arraycopy} and {@code fill} calls. */
    static final int SHORT_ROW = Integer.getInteger("jgrad.conv.shortRow", 16);

    static void im2col(Conv2dShape g, float[] x, int imageAt, float[] cols, int colAt, int ld) {
        im2col(g, x, imageAt, cols, colAt, ld, 0, g.c());
    }

    /** The rows of channels c0 … c1−1 only (each channel's R·S rows are written by no other). */
    static void im2col(Conv2dShape g, float[] x, int imageAt, float[] cols, int colAt, int ld, int c0, int c1) {
        int P = g.p(), Q = g.q(), H = g.h(), W = g.w();
        int row = c0 * g.r() * g.s();
        for (int c = c0; c < c1; c++) {
            for (int r = 0; r < g.r(); r++) {
                for (int s = 0; s < g.s(); s++, row++) {
                    int out = row * ld + colAt;
                    for (int p = 0; p < P; p++) {
                        int ih = p * g.strideH() - g.padH() + r * g.dilH();
                        int o = out + p * Q;
                        if (ih < 0 || ih >= H) {
                            java.util.Arrays.fill(cols, o, o + Q, 0f);
                            continue;
                        }
                        int in = imageAt + (c * H + ih) * W, shift = s * g.dilW() - g.padW();
                        if (g.strideW() == 1 && Q < SHORT_ROW) {
                            // a deep layer's short rows (ResNet-18's 2×2 to 8×8 maps at 64×64): one loop, no calls
                            int q0 = Math.clamp(-shift, 0, Q), q1 = Math.clamp(W - shift, q0, Q);
                            for (int q = 0; q < q0; q++) cols[o + q] = 0f;
                            for (int q = q0; q < q1; q++) cols[o + q] = x[in + q + shift];
                            for (int q = q1; q < Q; q++) cols[o + q] = 0f;
                        } else if (g.strideW() == 1) {
                            // iw = q + shift: one contiguous run, zeros where it falls off the image
                            int q0 = Math.clamp(-shift, 0, Q), q1 = Math.clamp(W - shift, q0, Q);
                            java.util.Arrays.fill(cols, o, o + q0, 0f);
                            // the run may lie wholly off the image (a tap in the padding): then copy nothing,
                            // as arraycopy checks its start index even for length 0
                            if (q1 > q0) System.arraycopy(x, in + q0 + shift, cols, o + q0, q1 - q0);
                            java.util.Arrays.fill(cols, o + q1, o + Q, 0f);
                        } else {
                            for (int q = 0; q < Q; q++) {
                                int iw = q * g.strideW() + shift;
                                cols[o + q] = iw >= 0 && iw < W ? x[in + iw] : 0f;
                            }
                        }
                    }
                }
            }
        }
    }

    /** dx[image] += each column of dcols added back onto the patch it came from. */
    static void col2im(Conv2dShape g, float[] dcols, int colAt, int ld, float[] dx, int imageAt) {
        col2im(g, dcols, colAt, ld, dx, imageAt, 0, g.c());
    }

    /** The planes of channels c0 … c1−1 of dx only (no other channel's rows add into them). */
    static void col2im(Conv2dShape g, float[] dcols, int colAt, int ld, float[] dx, int imageAt, int c0, int c1) {
        int P = g.p(), Q = g.q(), H = g.h(), W = g.w();
        int row = c0 * g.r() * g.s();
        for (int c = c0; c < c1; c++) {
            for (int r = 0; r < g.r(); r++) {
                for (int s = 0; s < g.s(); s++, row++) {
                    for (int p = 0; p < P; p++) {
                        int ih = p * g.strideH() - g.padH() + r * g.dilH();
                        if (ih < 0 || ih >= H) continue;
                        int in = imageAt + (c * H + ih) * W, o = row * ld + colAt + p * Q, shift = s * g.dilW() - g.padW();
                        if (g.strideW() == 1) {
                            int q0 = Math.clamp(-shift, 0, Q), q1 = Math.clamp(W - shift, q0, Q);
                            // runs are short (a LeNet row is 10): a plain loop beats a vector call here
                            for (int q = q0; q < q1; q++) dx[in + q + shift] += dcols[o + q];
                        } else {
                            for (int q = 0; q < Q; q++) {
                                int iw = q * g.strideW() + shift;
                                if (iw >= 0 && iw < W) dx[in + iw] += dcols[o + q];
                            }
                        }
                    }
                }
            }
        }
    }

    private static int crs(Conv2dShape g) {
        return g.c() * g.r() * g.s();
    }

    /** Scratch arrays of this thread, grown as needed and reused (no allocation per call). */
    private static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(() -> new float[3][0]);

    private static float[] scratch(int which, int size) {
        float[][] b = BUFFERS.get();
        if (b[which].length < size) b[which] = new float[size];
        return b[which];
    }

    /**
     * Images per GEMM: enough that the product is large, few enough that the im2col block stays
     * near L2-sized (about 1 MB). One batched block for VGG's 32-channel 28×28 layer would be 58 MB
     * and run from memory. But never a block smaller than the weights: each GEMM packs all of them
     * again (up to {@link #CHUNK_MAX_BYTES}), and a deep layer on small images (ResNet-18's 512 → 512 at 2×2, 9.4 MB of weights, 74 KB
     * of im2col per image) packed its weights three times a batch of 32 for products only 56 columns
     * wide. With the block as large as the weights, one thread, best thread-CPU time of 20: that
     * layer 38.5 → 54.7 GFLOP/s, 256 → 512 at 4×4 (stride 2) 48 → 64; the layers whose weights are
     * under 1 MB keep their chunks (128 → 128 at 8×8 ran at 67 GFLOP/s in 1 MB blocks, 54.5 in one).
     */
    static int chunk(Conv2dShape g) {
        long perImage = (long) crs(g) * g.p() * g.q() * 4, weights = (long) g.k() * crs(g) * 4;
        long block = Math.max(CHUNK_BYTES, Math.min(weights, CHUNK_MAX_BYTES));
        return (int) Math.max(1, Math.min(g.n(), block / Math.max(1, perImage)));
    }

    static final long CHUNK_BYTES = Long.getLong("jgrad.conv.chunkBytes", 1L << 20);
    /**
     * The block never grows past this for the weights' sake: its im2col matrix and the input
     * gradient's are scratch kept per thread (at 4 MB each, ResNet-18's training step at 224×224,
     * batch 8, still fits the launcher's 512 MB heap; at 9.4 MB it did not).
     */
    static final long CHUNK_MAX_BYTES = Long.getLong("jgrad.conv.chunkMaxBytes", 4L << 20);

    /**
     * cols[(c,r,s)][i·PQ + (p,q)] for images n0 … n0+m−1, split across the cores by (image, channel)
     * pairs: a chunk is often one image (ResNet-18's 128-channel 28×28 layer: 3.6 MB of columns an
     * image), and split by images alone its im2col ran on one core while the other waited.
     */
    private static float[] columns(Conv2dShape g, float[] x, int xOff, int n0, int m) {
        int PQ = g.p() * g.q(), CHW = g.c() * g.h() * g.w(), ld = m * PQ;
        float[] cols = scratch(0, crs(g) * ld);
        byImageAndChannel(g, m, (long) crs(g) * ld * 4, (i, c0, c1) -> im2col(g, x, xOff + (n0 + i) * CHW, cols, i * PQ, ld, c0, c1));
        return cols;
    }

    interface Planes {
        void run(int image, int c0, int c1);
    }

    /** body over the m·C (image, channel) pairs of a chunk, in contiguous ranges, one per core. */
    private static void byImageAndChannel(Conv2dShape g, int m, long work, Planes body) {
        int C = g.c(), units = m * C;
        int parts = Parallel.partsFor(work, units);
        int per = (units + parts - 1) / Math.max(1, parts);
        Parallel.run(parts, part -> {
            int u = part * per, end = Math.min(units, u + per);
            while (u < end) {
                int i = u / C, c0 = u % C, c1 = Math.min(C, c0 + end - u);
                body.run(i, c0, c1);
                u += c1 - c0;
            }
        });
    }

    /** [A, B, PQ] → [B, A, PQ] for a block of rows: dst[(j·a + i)·pq] = src[(i·b + j)·pq]. */
    private static void swapOuter(float[] src, int srcAt, int a, int b, int pq, float[] dst, int dstAt, int dstRows) {
        for (int i = 0; i < a; i++) {
            for (int j = 0; j < b; j++) System.arraycopy(src, srcAt + (i * b + j) * pq, dst, dstAt + (j * dstRows + i) * pq, pq);
        }
    }

    static void forward(Conv2dShape g, float[] x, int xOff, float[] w, int wOff, float[] y) {
        int N = g.n(), K = g.k(), PQ = g.p() * g.q(), CRS = crs(g), step = chunk(g);
        for (int n0 = 0; n0 < N; n0 += step) {
            int m = Math.min(step, N - n0), MPQ = m * PQ;
            float[] cols = columns(g, x, xOff, n0, m);
            if (m == 1) {  // [K, PQ] is y's own layout for one image: no copy
                Gemm.gemm(false, false, K, PQ, CRS, 1f, w, wOff, CRS, cols, 0, PQ, 0f, y, n0 * K * PQ, PQ);
                continue;
            }
            float[] yk = scratch(1, K * MPQ);
            Gemm.gemm(false, false, K, MPQ, CRS, 1f, w, wOff, CRS, cols, 0, MPQ, 0f, yk, 0, MPQ);  // [K, m·PQ]
            // [K, m, PQ] → y[n0 + i, k, PQ]
            for (int k = 0; k < K; k++) {
                for (int i = 0; i < m; i++) System.arraycopy(yk, (k * m + i) * PQ, y, ((n0 + i) * K + k) * PQ, PQ);
            }
        }
    }

    static void inputGrad(Conv2dShape g, float[] dy, float[] w, int wOff, float[] dx) {
        int N = g.n(), K = g.k(), PQ = g.p() * g.q(), CRS = crs(g), CHW = g.c() * g.h() * g.w(), step = chunk(g);
        java.util.Arrays.fill(dx, 0, N * CHW, 0f);
        for (int n0 = 0; n0 < N; n0 += step) {
            int m = Math.min(step, N - n0), MPQ = m * PQ;
            float[] dyk = dy;  // one image's [K, PQ] is already the GEMM's layout
            int dyAt = n0 * K * PQ;
            if (m > 1) {
                dyk = scratch(1, K * MPQ);
                dyAt = 0;
                swapOuter(dy, n0 * K * PQ, m, K, PQ, dyk, 0, m);                                    // [K, m·PQ]
            }
            float[] dcols = scratch(2, CRS * MPQ);
            Gemm.gemm(true, false, CRS, MPQ, K, 1f, w, wOff, CRS, dyk, dyAt, MPQ, 0f, dcols, 0, MPQ);  // Wᵀ·dY
            final int first = n0;
            byImageAndChannel(g, m, (long) CRS * MPQ * 4, (i, c0, c1) -> col2im(g, dcols, i * PQ, MPQ, dx, (first + i) * CHW, c0, c1));
        }
    }

    static void weightGrad(Conv2dShape g, float[] x, int xOff, float[] dy, float[] dw) {
        int N = g.n(), K = g.k(), PQ = g.p() * g.q(), CRS = crs(g), step = chunk(g);
        for (int n0 = 0; n0 < N; n0 += step) {
            int m = Math.min(step, N - n0), MPQ = m * PQ;
            float[] cols = columns(g, x, xOff, n0, m);
            float[] dyk = dy;
            int dyAt = n0 * K * PQ;
            if (m > 1) {
                dyk = scratch(1, K * MPQ);
                dyAt = 0;
                swapOuter(dy, n0 * K * PQ, m, K, PQ, dyk, 0, m);
            }
            // dW (+)= dY·colsᵀ, chunk after chunk in order (deterministic)
            Gemm.gemm(false, true, K, CRS, MPQ, 1f, dyk, dyAt, MPQ, cols, 0, MPQ, n0 == 0 ? 0f : 1f, dw, 0, CRS);
        }
    }
}
