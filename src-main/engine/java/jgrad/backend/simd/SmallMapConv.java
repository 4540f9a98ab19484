package jgrad.backend.simd;

import static jgrad.backend.simd.Simd.F;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jgrad.backend.Conv2dShape;

/**
 * The forward pass and input gradient of wide convolutions on maps of a few pixels (ResNet-18's last stage
 * for 64×64 images: 512 → 512 channels, 3×3 filters, on 2×2 maps, and the stride-2 layers into its
 * last two stages), tap by tap. With the padding
 * most pairs of an output position o and a tap t read a zero: of a 2×2 output's 9 taps, 4 reach
 * the image. im2col + GEMM multiplies the zeros too; here each tap t is one GEMM over the pairs
 * (o, i = o·stride + t − pad) that it joins inside the image,
 * <pre>
 *   Z_t [K, pairs·N] = W_t [K, C] · X_t [C, pairs·N],    y[n, k, o_j] += Z_t[k, j·N + n]
 * </pre>
 * with W_t the tap's slice of the filters (W_t[k, c] = w[k, c, t]) and X_t, for each pair j, the
 * input pixel i_j of every image (X_t[c, j·N + n] = x[n, c, i_j]). At 2×2 that is 16 pairs instead
 * of 36, 4/9 of the multiplications. The input gradient takes the same pairs the other way
 * ({@link #inputGrad}); the weight gradient stays on im2col + GEMM. The W_t are cut from w a block
 * of rows at a time, all nine taps together, and multiplied while the block is in cache.
 * {@code -Djgrad.conv.smallMaps=false} turns it off.
 */
final class SmallMapConv {
    private SmallMapConv() {}

    static final boolean ENABLED = !"false".equals(System.getProperty("jgrad.conv.smallMaps"));

    /**
     * Stride 1: maps of at most 9 pixels (larger ones are Winograd's), at most 60% of the (output,
     * tap) pairs inside the image (a 3×3 map with padding 1 has 49 of 81, and stays on im2col).
     * Strided: outputs of at most 16 pixels, at most 90% of the pairs inside. One thread
     * (ThreadCpuTime conv3, batch 32): ResNet-18's 256 → 512 stride 2 at 4×4 (25 of 36 pairs)
     * forward 4.0 → 3.0 ms, input gradient 4.4 → 3.1; 128 → 256 at 8×8 (121 of 144) forward
     * 4.0 → 3.5, input gradient the same. On 7×7 outputs and larger (its 224×224 layers) im2col
     * was as fast or faster. No dilation, at least 32 channels in and out, either way.
     */
    static boolean suits(Conv2dShape g) {
        if (!ENABLED || g.dilH() != 1 || g.dilW() != 1 || g.c() < 32 || g.k() < 32 || g.p() == 0 || g.q() == 0) return false;
        long taps = (long) g.p() * g.q() * g.r() * g.s();
        if (g.strideH() == 1 && g.strideW() == 1) return g.h() * g.w() <= 9 && g.p() * g.q() <= 9 && 10L * pairs(g) <= 6L * taps;
        return g.p() * g.q() <= 16 && 10L * pairs(g) <= 9L * taps;
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
                int ih = p * g.strideH() + r - g.padH(), iw = q * g.strideW() + s - g.padW();
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
        forward(g, x, xOff, w, wOff, y, null);
    }

    /** As above; with prepared filters (not null), every block of packed rows is made once and kept there. */
    static void forward(Conv2dShape g, float[] x, int xOff, float[] w, int wOff, float[] y, PreparedConvFilters prepared) {
        int C = g.c(), K = g.k(), RS = g.r() * g.s();
        // W_t's rows k0 … k1 − 1: filters k0 … k1 − 1, each C·RS floats read in order
        RowBlock rows = (k0, k1, a, aSize) -> packTaps(w, wOff + k0 * C * RS, C * RS, RS, RS, k1 - k0, C, a, aSize);
        long floats = (long) ((K + ROW_BLOCK - 1) / ROW_BLOCK) * RS * packedSize(ROW_BLOCK, C);
        float[] kept = prepared == null ? null : prepared.form(new Form(K, C, RS), floats, () -> packAll(K, C, RS, rows));
        byTaps(g, K, C, x, xOff, g.h() * g.w(), y, g.p() * g.q(), false, rows, kept);
    }

    /** Key of the form {@link PreparedConvFilters} keeps: every block of rows packed. */
    private record Form(int k, int c, int taps) {}

    /** Every block of {@link #ROW_BLOCK} rows of the A_t packed as {@link #byTaps} packs one, block b from b·taps·{@link #packedSize}(ROW_BLOCK, inner). */
    private static float[] packAll(int rows, int inner, int taps, RowBlock filters) {
        int blocks = (rows + ROW_BLOCK - 1) / ROW_BLOCK, stride = taps * packedSize(ROW_BLOCK, inner);
        float[] all = new float[blocks * stride];
        Parallel.run(blocks, blk -> {
            int r0 = blk * ROW_BLOCK, m = Math.min(rows, r0 + ROW_BLOCK) - r0, aSize = packedSize(m, inner);
            float[] a = scratch(0, taps * aSize);  // this thread's
            filters.pack(r0, r0 + m, a, aSize);
            System.arraycopy(a, 0, all, blk * stride, taps * aSize);
        });
        return all;
    }

    /**
     * dx [N, C, H, W] from dy [N, K, P, Q]: the same pairs the other way, dX_t = W_tᵀ·dY_t
     * ([C, K] · [K, pairs·N]) and dx[n, c, i_j] = Σ_t dX_t[c, (j, n)] (0 where no pair reaches).
     */
    static void inputGrad(Conv2dShape g, float[] dy, float[] w, int wOff, float[] dx) {
        int C = g.c(), K = g.k(), RS = g.r() * g.s();
        // W_tᵀ's rows c0 … c1 − 1: input channels c0 … c1 − 1 of every filter
        byTaps(g, C, K, dy, 0, g.p() * g.q(), dx, g.h() * g.w(), true,
                (c0, c1, a, aSize) -> packTaps(w, wOff + c0 * RS, RS, C * RS, RS, c1 - c0, K, a, aSize), null);
    }

    /** Packs rows r0 … r1 − 1 of every A_t, as the GEMM's A of r1 − r0 rows, at a[t·aSize] ({@link #packTaps}). */
    private interface RowBlock {
        void pack(int r0, int r1, float[] a, int aSize);
    }

    /**
     * Rows of the A_t packed and multiplied at a time: all nine taps' rows of a block (9 × 32 × 512
     * floats, 590 KB for the 512 → 512 layer) stay in cache between their packing and their products.
     * Packed whole (9.4 MB for that layer), they went out to memory and back at every call.
     */
    private static final int ROW_BLOCK = Gemm.roundUp(Integer.getInteger("jgrad.conv.smallMapRowBlock", 32), Gemm.MR);

    /**
     * A_t [rows, cols] packed as the GEMM's A at a[t·aSize], A_t[i, j] = w[wOff + i·rowStride +
     * j·colStride + t], for every tap t.
     * A whole block of MR rows by {@link GemmPacking#A_VECTOR_COLS} columns lies in packed A as one vector, so each
     * tap's is one gather and one store; the blocks run along w's rows (the next filter's taps
     * are the next floats: for the input gradient, whose rows are w's columns, the columns are the
     * outer loop), the edges one float at a time. Stored float by float, the packing took
     * 1.5–2.5 ms of the 512 → 512 layer's 5 at 2×2, batch 32.
     */
    private static void packTaps(float[] w, int wOff, int rowStride, int colStride, int taps, int rows, int cols, float[] a, int aSize) {
        int cb = GemmPacking.A_VECTOR_COLS;
        int[] offsets = GemmPacking.aVectorOffsets(rowStride, colStride, Gemm.MR, cb);
        boolean columnsOuter = colStride > rowStride;  // along w's rows either way
        int iBlocks = (rows + Gemm.MR - 1) / Gemm.MR, jBlocks = (cols + cb - 1) / cb;
        for (int outer = 0; outer < (columnsOuter ? jBlocks : iBlocks); outer++) {
            for (int inner = 0; inner < (columnsOuter ? iBlocks : jBlocks); inner++) {
                int i = (columnsOuter ? inner : outer) * Gemm.MR, j = (columnsOuter ? outer : inner) * cb;
                int to = GemmPacking.packedAIndex(i, j, rows, cols, Gemm.KC), from = wOff + i * rowStride + j * colStride;
                if (i + Gemm.MR <= rows && j + cb <= cols && j / Gemm.KC == (j + cb - 1) / Gemm.KC) {
                    for (int t = 0; t < taps; t++) FloatVector.fromArray(F, w, from + t, offsets, 0).intoArray(a, t * aSize + to);
                    continue;
                }
                for (int ii = i; ii < Math.min(i + Gemm.MR, rows); ii++) {
                    for (int jj = j; jj < Math.min(j + cb, cols); jj++) {
                        int at = GemmPacking.packedAIndex(ii, jj, rows, cols, Gemm.KC), src = wOff + ii * rowStride + jj * colStride;
                        for (int t = 0; t < taps; t++) a[t * aSize + at] = w[src + t];
                    }
                }
            }
        }
    }

    /**
     * Floats from one packed W_t to the next: the matrix and a few cache lines more (exactly a power
     * of two apart, 1 MB when all 512 rows were packed at once, the nine streams of writes of the
     * packing fell in the same cache sets and took half the layer's time; a block of 32 rows of 512
     * is 64 KB).
     */
    private static int packedSize(int rows, int inner) {
        return Gemm.roundUp(rows, Gemm.MR) * inner + 80;
    }

    /**
     * out[n, r, dst_j] = Σ_t Σ_i A_t[r, i]·in[n, i, src_j] over each tap's pairs j, every out value
     * written: src the inputs and dst the outputs of the pairs (forward), or the other way (backward).
     * in [N, inner, inPlane], out [N, rows, outPlane]; the A_t [rows, inner] packed a block of rows
     * at a time by {@code filters}, or all of them already packed in {@code kept} ({@link #packAll}).
     */
    private static void byTaps(Conv2dShape g, int rows, int inner, float[] in, int inOff, int inPlane, float[] out, int outPlane,
                               boolean backward, RowBlock filters, float[] kept) {
        int N = g.n(), RS = g.r() * g.s();
        if (N == 0) return;
        int[][] outs = new int[RS][g.p() * g.q()], ins = new int[RS][g.p() * g.q()];
        int[] pairs = new int[RS], zAt = new int[RS + 1], bAt = new int[RS + 1];
        for (int t = 0; t < RS; t++) {
            pairs[t] = pairsOf(g, t, outs[t], ins[t]);
            zAt[t + 1] = zAt[t] + rows * pairs[t] * N;
            bAt[t + 1] = bAt[t] + Gemm.roundUp(pairs[t] * N, Gemm.NR) * inner;
        }
        int[][] src = backward ? outs : ins, dst = backward ? ins : outs;
        // B_t [inner, pairs·N] for every tap, B_t[i, j·N + n] = in[n, i, src_j], packed for the GEMM
        float[] b = scratch(2, bAt[RS]);
        java.util.function.IntConsumer packTap = t -> packB(N, inner, in, inOff, inPlane, pairs[t], src[t], b, bAt[t]);
        if (Parallel.partsFor(bAt[RS], RS) > 1) Parallel.run(RS, packTap);
        else for (int t = 0; t < RS; t++) packTap.accept(t);
        // Z_t = A_t·B_t [rows, pairs·N] for every tap, each in its own part of z, a block of rows at a time
        float[] z = scratch(1, zAt[RS]);
        int blocks = (rows + ROW_BLOCK - 1) / ROW_BLOCK, parts = Parallel.chunksFor(2L * zAt[RS] * inner, blocks);
        Parallel.run(parts, part -> {
            for (int blk = blocks * part / parts, last = blocks * (part + 1) / parts; blk < last; blk++) {
                int r0 = blk * ROW_BLOCK, m = Math.min(rows, r0 + ROW_BLOCK) - r0, aSize = packedSize(m, inner);
                float[] a = kept != null ? kept : scratch(0, RS * aSize);  // this thread's, unless kept
                int at = kept != null ? blk * RS * packedSize(ROW_BLOCK, inner) : 0;
                if (kept == null) filters.pack(r0, r0 + m, a, aSize);
                for (int t = 0; t < RS; t++) {
                    int cols = pairs[t] * N;
                    if (cols > 0) Gemm.prepacked(m, cols, inner, a, at + t * aSize, b, bAt[t], z, zAt[t] + r0 * cols, cols);
                }
            }
        });
        // out[n, r, dst_j] = Σ_t Z_t[r, j·N + n], summed as acc [position, n] for each r (rows of N floats), then put in place
        int sums = Parallel.chunksFor((long) zAt[RS], rows);
        Parallel.run(sums, part -> {
            float[] acc = new float[outPlane * N];
            for (int r = rows * part / sums, end = rows * (part + 1) / sums; r < end; r++) {
                Arrays.fill(acc, 0f);
                for (int t = 0; t < RS; t++) {
                    int at = zAt[t] + r * pairs[t] * N;
                    for (int j = 0; j < pairs[t]; j++) {
                        int o = dst[t][j] * N, from = at + j * N;
                        for (int n = 0; n < N; n++) acc[o + n] += z[from + n];
                    }
                }
                for (int n = 0; n < N; n++) {
                    for (int o = 0; o < outPlane; o++) out[(n * rows + r) * outPlane + o] = acc[o * N + n];
                }
            }
        });
    }

    /** B_t [inner, m·N] packed at b[bAt …] for the GEMM: B_t[i, j·N + n] = in[n, i, src_j], m the tap's pairs. */
    private static void packB(int N, int inner, float[] in, int inOff, int inPlane, int m, int[] src, float[] b, int bAt) {
        int cols = m * N;
        for (int pc = 0; pc < inner; pc += Gemm.KC) {
            int kc = Math.min(Gemm.KC, inner - pc);
            for (int j = 0; j < m; j++) {
                for (int n = 0; n < N; n++) {
                    int col = j * N + n, to = bAt + GemmPacking.packedBIndex(pc, col, cols, inner, Gemm.KC), from = inOff + (n * inner + pc) * inPlane + src[j];
                    for (int i = 0; i < kc; i++) b[to + i * Gemm.NR] = in[from + i * inPlane];
                }
            }
        }
    }

    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[3][0]);

    /** Scratch kept between calls: 0 a block of rows of every A_t packed (each thread's own); 1 the products Z_t and 2 every B_t packed (the calling thread's). */
    private static float[] scratch(int which, int size) {
        float[][] b = SCRATCH.get();
        if (b[which].length < size) b[which] = new float[size];
        return b[which];
    }
}
