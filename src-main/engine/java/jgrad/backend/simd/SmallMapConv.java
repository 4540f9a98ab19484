package jgrad.backend.simd;

import java.util.Arrays;
import jgrad.backend.Conv2dShape;

/**
 * The forward pass of wide stride-1 convolutions on maps of a few pixels (ResNet-18's last stage
 * for 64×64 images: 512 → 512 channels, 3×3 filters, on 2×2 maps), tap by tap. With the padding
 * most pairs of an output position o and a tap t read a zero: of a 2×2 output's 9 taps, 4 reach
 * the image. im2col + GEMM multiplies the zeros too; here each tap t is one GEMM over the pairs
 * (o, i = o + t − pad) that it joins inside the image,
 * <pre>
 *   Z_t [K, pairs·N] = W_t [K, C] · X_t [C, pairs·N],    y[n, k, o_j] += Z_t[k, j·N + n]
 * </pre>
 * with W_t the tap's slice of the filters (W_t[k, c] = w[k, c, t]) and X_t, for each pair j, the
 * input pixel i_j of every image (X_t[c, j·N + n] = x[n, c, i_j]). At 2×2 that is 16 pairs instead
 * of 36, 4/9 of the multiplications. Only the forward pass: the gradients stay on im2col + GEMM.
 * {@code -Djgrad.conv.smallMaps=false} turns it off.
 */
final class SmallMapConv {
    private SmallMapConv() {}

    static final boolean ENABLED = !"false".equals(System.getProperty("jgrad.conv.smallMaps"));

    /**
     * Stride 1, no dilation, at least 32 channels in and out, maps of at most 9 pixels, and at most
     * 60% of the (output, tap) pairs inside the image (a 3×3 map with padding 1: 49 of 81).
     */
    static boolean suits(Conv2dShape g) {
        return ENABLED && g.strideH() == 1 && g.strideW() == 1 && g.dilH() == 1 && g.dilW() == 1 && g.c() >= 32 && g.k() >= 32
                && g.h() * g.w() <= 9 && g.p() * g.q() <= 9 && g.p() > 0 && g.q() > 0
                && 10L * pairs(g) <= 6L * g.p() * g.q() * g.r() * g.s();
    }

    /** (output, tap) pairs whose input pixel is inside the image. */
    private static int pairs(Conv2dShape g) {
        int count = 0;
        for (int t = 0; t < g.r() * g.s(); t++) count += pairsOf(g, t, null, null);
        return count;
    }

    /** The pairs of tap t: output o_j and input i_j (flat positions) into outs and ins when not null; their number. */
    private static int pairsOf(Conv2dShape g, int t, int[] outs, int[] ins) {
        int r = t / g.s(), s = t % g.s(), m = 0;
        for (int p = 0; p < g.p(); p++) {
            for (int q = 0; q < g.q(); q++) {
                int ih = p + r - g.padH(), iw = q + s - g.padW();
                if (ih < 0 || ih >= g.h() || iw < 0 || iw >= g.w()) continue;
                if (outs != null) {
                    outs[m] = p * g.q() + q;
                    ins[m] = ih * g.w() + iw;
                }
                m++;
            }
        }
        return m;
    }

    /** y [N, K, P, Q] = the convolution of x [N, C, H, W] with w [K, C, R, S]. */
    static void forward(Conv2dShape g, float[] x, int xOff, float[] w, int wOff, float[] y) {
        int N = g.n(), C = g.c(), K = g.k(), PQ = g.p() * g.q(), RS = g.r() * g.s();
        // one W_t from the next: the matrix and a few cache lines more (1 MB apart exactly, the nine
        // streams of writes below fell in the same cache sets and the packing took half the layer's time)
        int aSize = Gemm.roundUp(K, Gemm.MR) * C + 80;
        if (N == 0) return;
        int[][] outs = new int[RS][PQ], ins = new int[RS][PQ];
        int[] pairs = new int[RS], zAt = new int[RS + 1];
        for (int t = 0; t < RS; t++) {
            pairs[t] = pairsOf(g, t, outs[t], ins[t]);
            zAt[t + 1] = zAt[t] + K * pairs[t] * N;
        }
        // every W_t, packed as the GEMM's A, in one pass over w: filter k's C·RS floats are read in order
        float[] a = scratch(0, RS * aSize);
        int kBlocks = (K + Gemm.MR - 1) / Gemm.MR, aParts = Parallel.chunksFor((long) RS * K * C, kBlocks);
        Parallel.run(aParts, part -> {
            for (int k = kBlocks * part / aParts * Gemm.MR, end = Math.min(K, kBlocks * (part + 1) / aParts * Gemm.MR); k < end; k++) {
                for (int pc = 0; pc < C; pc += Gemm.KC) {
                    int kc = Math.min(Gemm.KC, C - pc), to = GemmPacking.packedAIndex(k, pc, K, C, Gemm.KC), from = wOff + (k * C + pc) * RS;
                    for (int c = 0; c < kc; c++) {
                        for (int t = 0; t < RS; t++) a[t * aSize + to + c * Gemm.MR] = w[from + c * RS + t];
                    }
                }
            }
        });
        // Z_t = W_t·X_t for every tap, each in its own part of z, the taps split between the cores
        float[] z = scratch(1, zAt[RS]);
        java.util.function.IntConsumer eachTap = t -> tap(g, x, xOff, a, t * aSize, pairs[t], ins[t], z, zAt[t]);
        if (Parallel.partsFor(2L * zAt[RS] * C, RS) > 1) Parallel.run(RS, eachTap);
        else for (int t = 0; t < RS; t++) eachTap.accept(t);
        // y[n, k, o_j] = Σ_t Z_t[k, j·N + n], summed as acc [o, n] for each k (rows of N floats), then put in place
        int parts = Parallel.chunksFor((long) zAt[RS], K);
        Parallel.run(parts, part -> {
            float[] acc = new float[PQ * N];
            for (int k = K * part / parts, end = K * (part + 1) / parts; k < end; k++) {
                Arrays.fill(acc, 0f);
                for (int t = 0; t < RS; t++) {
                    int cols = pairs[t] * N, at = zAt[t] + k * cols;
                    for (int j = 0; j < pairs[t]; j++) {
                        int o = outs[t][j] * N, from = at + j * N;
                        for (int n = 0; n < N; n++) acc[o + n] += z[from + n];
                    }
                }
                for (int n = 0; n < N; n++) {
                    for (int o = 0; o < PQ; o++) y[(n * K + k) * PQ + o] = acc[o * N + n];
                }
            }
        });
    }

    /** Z_t = W_t·X_t into z[zAt …] ([K, m·N], m = the tap's pairs), W_t packed at a[aAt …], X_t written packed here ({@link GemmPacking#packedBIndex}). */
    private static void tap(Conv2dShape g, float[] x, int xOff, float[] a, int aAt, int m, int[] ins, float[] z, int zAt) {
        int N = g.n(), C = g.c(), K = g.k(), HW = g.h() * g.w(), cols = m * N;
        if (cols == 0) return;
        float[] b = scratch(2, Gemm.roundUp(cols, Gemm.NR) * C);
        for (int pc = 0; pc < C; pc += Gemm.KC) {
            int kc = Math.min(Gemm.KC, C - pc);
            // X_t[c, j·N + n] = x[n, c, i_j]
            for (int j = 0; j < m; j++) {
                for (int n = 0; n < N; n++) {
                    int col = j * N + n, to = GemmPacking.packedBIndex(pc, col, cols, C, Gemm.KC), from = xOff + (n * C + pc) * HW + ins[j];
                    for (int c = 0; c < kc; c++) b[to + c * Gemm.NR] = x[from + c * HW];
                }
            }
        }
        Gemm.prepacked(K, cols, C, a, aAt, b, 0, z, zAt, cols);
    }

    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[3][0]);

    /** Scratch kept between calls: 0 every W_t packed and 1 the products Z_t (the calling thread's); 2 X_t packed (each thread's own). */
    private static float[] scratch(int which, int size) {
        float[][] b = SCRATCH.get();
        if (b[which].length < size) b[which] = new float[size];
        return b[which];
    }
}
