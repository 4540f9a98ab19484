package jgrad.backend.simd;

import static jgrad.backend.simd.Simd.LANES;

import jgrad.backend.Conv2dShape;

/**
 * Convolution as an implicit GEMM with the output channels along the vector lanes: im2col's matrix
 * is never built, its entries are read straight from a zero-bordered copy of the image.
 *
 * <p>One image is x [C, H, W], copied into xp [C, Hp, Wp] with the padding as zeros. Every output
 * position j = (p, q) has a base index and every tap t = (c, r, s) an offset into xp:
 * <pre>
 *   base[j] = p·strideH·Wp + q·strideW        off[t] = c·Hp·Wp + r·dilH·Wp + s·dilW
 *   y[k, j] = Σ_t wt[t, k] · xp[base[j] + off[t]]          wt = Wᵀ, [C·R·S, K] (K padded to lanes)
 * </pre>
 * which is the product cols·Wᵀ with cols[j, t] = xp[base[j] + off[t]]. The register block is a
 * GEMM micro-tile: 6 positions × 2 vectors of channels, 12 accumulators, per tap 2 loads of wt and
 * 6 broadcasts of xp for 12 FMAs. Channels left over (fewer than two vectors: LeNet's 6) take a block
 * with the lanes along the output row instead ({@link ImplicitConvBlocks#spatial}), or, when rows are shorter than a
 * vector or strided, 8 positions × 1 vector. Why it beats both other paths on LeNet's layers: im2col + GEMM writes and re-reads 25
 * values per output for 5×5 kernels, and the spatial direct loop ({@link DirectConv}) has only four
 * accumulators (half of what two FMA units with a 4-cycle latency need) and wastes lanes when a row
 * (Q = 10) is not a whole number of vectors.
 *
 * <p>This class builds the index tables (base, off, the tap ranges that skip the padding) and the
 * transposed weights, and splits the images between the cores; the register blocks are in
 * {@link ImplicitConvBlocks}.
 *
 * <p>The same loop computes the input gradient for stride 1 (a convolution of the padded output
 * gradient with the flipped kernel, input and output channels swapped); the weight gradient, a sum
 * over positions instead of taps, is in {@link ImplicitConvWeightGrad}.
 *
 * <p>Checked by: {@code jgrad.backend.ConvPoolContractTest#convolutionMatchesReference} and
 * {@code jgrad.backend.simd.ConvPathsTest}.
 */
final class ImplicitConv {
    private ImplicitConv() {}

    /** Taps (C·R·S) above which the padded image and Wᵀ outgrow L2 and im2col + GEMM takes over. */
    static final int MAX_TAPS = Integer.getInteger("jgrad.conv.implicitMaxTaps", 600);

    static boolean suits(Conv2dShape g) {
        return g.c() * g.r() * g.s() <= MAX_TAPS && !(pointwise(g) && g.c() >= POINTWISE_GEMM_MIN);
    }

    /**
     * 1×1 filters summing this many channels or more (the input gradient: twice as many output
     * channels) are a plain product, which im2col + GEMM runs faster than the implicit loop, whatever
     * the stride. One thread, best of three (ThreadCpuTime conv3): ResNet-18's 1×1 stride-2
     * downsamples at 64×64, batch 32, forward 0.74 / 0.70 / 1.12 → 0.54 / 0.48 / 0.51 ms and weight
     * gradient 0.78 / 0.86 / 1.81 → 0.68 / 0.59 / 0.50 ms; ResNet-50's 512 → 2048 at 7×7, batch 8,
     * weight gradient 80 → 8 ms; 32 → 64 at 56×56 forward 2.6 → 1.4 ms. At 16 channels the implicit
     * weight gradient is still the faster (1.0 against 1.5 ms), and so is the input gradient from 32.
     */
    static final int POINTWISE_GEMM_MIN = Integer.getInteger("jgrad.conv.pointwiseGemmMin", 32);

    private static boolean pointwise(Conv2dShape g) {
        return g.r() == 1 && g.s() == 1;
    }

    /** The input gradient as a forward convolution needs stride 1 and padding of at most the dilated kernel's reach. */
    static boolean canInputGrad(Conv2dShape g) {
        return g.strideH() == 1 && g.strideW() == 1 && g.padH() <= (g.r() - 1) * g.dilH() && g.padW() <= (g.s() - 1) * g.dilW();
    }

    static boolean suitsInputGrad(Conv2dShape g) {
        return canInputGrad(g) && g.k() * g.r() * g.s() <= MAX_TAPS && !(pointwise(g) && g.k() >= 2 * POINTWISE_GEMM_MIN);
    }

    /** Channels rounded up to whole vectors. */
    static int vectors(int channels) {
        return (channels + LANES - 1) / LANES * LANES;
    }

    /** Scratch of the calling thread: 0 padded image, 1 transposed output gradient, 2 output tile. */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[3][0]);

    static float[] scratch(int which, int size) {
        float[][] b = SCRATCH.get();
        if (b[which].length < size) b[which] = new float[size];
        return b[which];
    }

    /**
     * planes [C, H, W] at {@code at} copied into this thread's scratch as [C, hp, wp] with the image at
     * row {@code top}, column {@code left}, zeros elsewhere.
     */
    static float[] padded(float[] x, int at, int C, int H, int W, int hp, int wp, int top, int left) {
        float[] xp = scratch(0, C * hp * wp + LANES);  // a vector of slack: a short row's vector reads past its row
        java.util.Arrays.fill(xp, 0, C * hp * wp, 0f);
        for (int c = 0; c < C; c++) {
            for (int h = 0; h < H; h++) System.arraycopy(x, at + (c * H + h) * W, xp, (c * hp + h + top) * wp + left, W);
        }
        return xp;
    }

    static int[] bases(int P, int Q, int stepH, int stepW, int wp) {
        int[] base = new int[P * Q];
        for (int p = 0; p < P; p++) {
            for (int q = 0; q < Q; q++) base[p * Q + q] = p * stepH * wp + q * stepW;
        }
        return base;
    }

    /**
     * Each tap's offset into the padded plane, c·hp·wp + r·dilH·wp + s·dilW, with the taps numbered
     * in w's own order t = (c·R + r)·S + s, or, {@code byRow}, in kernel-row order t = (r·C + c)·S + s:
     * then the taps of one kernel row r are a contiguous range, so a block of output rows can skip
     * the kernel rows that fall wholly on padding ({@link #tapRanges}).
     */
    static int[] offsets(int C, int R, int S, int dilH, int dilW, int hp, int wp, boolean byRow) {
        int[] off = new int[C * R * S];
        for (int c = 0; c < C; c++) {
            for (int r = 0; r < R; r++) {
                for (int s = 0; s < S; s++) {
                    int t = byRow ? (r * C + c) * S + s : (c * R + r) * S + s;
                    off[t] = c * hp * wp + r * dilH * wp + s * dilW;
                }
            }
        }
        return off;
    }

    /** Index into w's own order [C, R, S] of the row-major tap t = (r·C + c)·S + s. */
    static int tapInWeightOrder(int t, int C, int R, int S) {
        int s = t % S, c = t / S % C, r = t / S / C;
        return (c * R + r) * S + s;
    }

    /**
     * For each output row p: the row-major taps [range[0][p], range[1][p]) whose kernel row reads a
     * real row of the padded plane, the rows [top, top + real). Output row p reads padded rows
     * p·step + r·dil; the other kernel rows multiply only the zero border and are skipped (for the
     * input gradient, a full convolution, that is a third of the work at LeNet's conv2).
     */
    static int[][] tapRanges(int rows, int step, int dil, int R, int perRow, int top, int real) {
        int[][] range = new int[2][rows];
        for (int p = 0; p < rows; p++) {
            int lo = R, hi = -1;
            for (int r = 0; r < R; r++) {
                int row = p * step + r * dil;
                if (row >= top && row < top + real) {
                    lo = Math.min(lo, r);
                    hi = r;
                }
            }
            range[0][p] = lo > hi ? 0 : lo * perRow;
            range[1][p] = lo > hi ? 0 : (hi + 1) * perRow;
        }
        return range;
    }

    /** y = conv(x, w): x [N, C, H, W], w [K, C, R, S], y [N, K, P, Q]; images split across the cores. */
    static void forward(Conv2dShape g, float[] x, int xOff, float[] w, int wOff, float[] y) {
        forward(g, x, xOff, w, wOff, null, 0, y);
    }

    /** The same plus b[bOff + k] on every position of map k (b may be null): the sums start from the bias. */
    static void forward(Conv2dShape g, float[] x, int xOff, float[] w, int wOff, float[] b, int bOff, float[] y) {
        int C = g.c(), H = g.h(), W = g.w(), K = g.k(), P = g.p(), Q = g.q(), taps = C * g.r() * g.s(), kv = vectors(K);
        int hp = H + 2 * g.padH(), wp = W + 2 * g.padW();
        int[] base = bases(P, Q, g.strideH(), g.strideW(), wp), off = offsets(C, g.r(), g.s(), g.dilH(), g.dilW(), hp, wp, true);
        int[][] range = tapRanges(P, g.strideH(), g.dilH(), g.r(), C * g.s(), g.padH(), H);
        float[] wt = new float[taps * kv];  // wt[t, k] = w[k, t], t row-major
        float[] wk = new float[K * taps];   // the same, channel-major: wk[k, t]
        for (int k = 0; k < K; k++) {
            for (int t = 0; t < taps; t++) {
                wk[k * taps + t] = w[wOff + k * taps + tapInWeightOrder(t, C, g.r(), g.s())];
                wt[t * kv + k] = wk[k * taps + t];
            }
        }
        float[] bv = new float[kv];  // the bias padded to whole vectors (zeros without one)
        if (b != null) System.arraycopy(b, bOff, bv, 0, K);
        eachImage(g, 2L * K * P * Q * taps, n -> {
            float[] xp = padded(x, xOff + n * C * H * W, C, H, W, hp, wp, g.padH(), g.padW());
            ImplicitConvBlocks.product(xp, base, Q, g.strideW() == 1, off, range, wt, kv, wk, 0, bv, K, y, n * K * P * Q);
        });
    }

    /**
     * dx = the gradient of conv(x, w) for stride 1: dx[c, h, v] = Σ_{k,r,s} w[k, c, r, s] · dy[k, h + padH − r·dilH, v + padW − s·dilW].
     * With dy padded by (R − 1)·dilH − padH rows on top (columns likewise) and r′ = R − 1 − r, that is
     * Σ_{k,r′,s′} w[k, c, R−1−r′, S−1−s′] · dyp[k, h + r′·dilH, v + s′·dilW]: the forward loop with
     * K input channels, C output channels and the kernel flipped.
     */
    static void inputGrad(Conv2dShape g, float[] dy, float[] w, int wOff, float[] dx) {
        int C = g.c(), H = g.h(), W = g.w(), K = g.k(), R = g.r(), S = g.s(), P = g.p(), Q = g.q();
        int top = (R - 1) * g.dilH() - g.padH(), left = (S - 1) * g.dilW() - g.padW();
        int hp = H + (R - 1) * g.dilH(), wp = W + (S - 1) * g.dilW();
        int taps = K * R * S, cv = vectors(C);
        int[] base = bases(H, W, 1, 1, wp), off = offsets(K, R, S, g.dilH(), g.dilW(), hp, wp, true);
        int[][] range = tapRanges(H, 1, g.dilH(), R, K * S, top, P);
        float[] wt = new float[taps * cv];  // wt[(r′, k, s′), c] = w[k, c, R−1−r′, S−1−s′]
        float[] wc = new float[C * taps];   // the same, channel-major: wc[c, (r′, k, s′)]
        for (int k = 0; k < K; k++) {
            for (int r = 0; r < R; r++) {
                for (int s = 0; s < S; s++) {
                    int t = (r * K + k) * S + s;
                    for (int c = 0; c < C; c++) {
                        wt[t * cv + c] = w[wOff + ((k * C + c) * R + (R - 1 - r)) * S + (S - 1 - s)];
                        wc[c * taps + t] = wt[t * cv + c];
                    }
                }
            }
        }
        float[] noBias = new float[cv];
        // dy's rows may be shorter than the padded plane needs (P ≤ hp − top): padded() copies P × Q
        eachImage(g, 2L * C * H * W * taps, n -> {
            float[] dyp = padded(dy, n * K * P * Q, K, P, Q, hp, wp, top, left);
            ImplicitConvBlocks.product(dyp, base, W, true, off, range, wt, cv, wc, 0, noBias, C, dx, n * C * H * W);
        });
    }

    /** Runs body(n) for every image, the images split across the cores when the work is large enough. */
    private static void eachImage(Conv2dShape g, long flopsPerImage, java.util.function.IntConsumer body) {
        int N = g.n();
        int parts = Parallel.chunksFor(flopsPerImage * N, N);
        int per = (N + parts - 1) / Math.max(1, parts);
        Parallel.run(parts, part -> {
            for (int n = part * per; n < Math.min(N, (part + 1) * per); n++) body.accept(n);
        });
    }

    /** {@code -Djgrad.conv.noSpatial=true} turns the row-vector blocks off, to compare them with the 8 × 1 blocks. */
    static final boolean SPATIAL = !Boolean.getBoolean("jgrad.conv.noSpatial");
}
