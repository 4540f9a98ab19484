package jgrad.backend.simd;

import static jgrad.backend.simd.Simd.LANES;

import java.util.Arrays;
import jgrad.backend.Conv2dShape;

/**
 * 3×3 stride-1 convolutions by Winograd's minimal filtering F(4×4, 3×3): each 4×4 block of output
 * comes from a 6×6 block of input with 36 multiplications per (input, output) channel pair instead
 * of 144, so the wide layers of ResNet and VGG do a quarter of the multiplications of im2col + GEMM.
 * The steps, for a chunk of images:
 * <ol>
 *   <li>filters: U = G·g·Gᵀ, 36 matrices [K, C] ({@link WinogradTiles#filter});</li>
 *   <li>input tiles: V = Bᵀ·d·B, 36 matrices [C, tiles] ({@link WinogradTiles#input}), from a copy
 *       of the input with its zero padding written out;</li>
 *   <li>36 independent products M = U·V, [K, tiles] ({@link Gemm});</li>
 *   <li>output tiles: Y = Aᵀ·M·A ({@link WinogradTiles#output}).</li>
 * </ol>
 * The input gradient of a stride-1 3×3 convolution is itself one, over dY, with each filter turned
 * by 180°, input and output channels swapped and padding 2 − pad, so it runs the same steps. The
 * weight gradient runs them backwards: the output tiles of dY are taken back through Aᵀ (A·dY·Aᵀ,
 * {@link WinogradTiles#outputBack}), multiplied with the input tiles and summed over tiles (36
 * products dY·Vᵀ), and taken back through G (Gᵀ·S·G, {@link WinogradTiles#filterBack}).
 * Results differ from the direct sums by rounding only: the transforms' factors (up to 8, down to
 * 1/24) make it about 2e-5 of the sums' size (WinogradTest).
 * {@code -Djgrad.conv.winograd=false} turns it off, to compare with the other paths in one build.
 */
final class Winograd {
    private Winograd() {}

    static final boolean ENABLED = !"false".equals(System.getProperty("jgrad.conv.winograd", "true"));

    /** Narrower layers than this (input or output channels) stay on the implicit GEMM. */
    static final int MIN_CHANNELS = Integer.getInteger("jgrad.conv.winogradMinChannels", 32);

    /** Outputs smaller than this on either side (e.g. ResNet's 2×2 at 64×64) waste most of a 4×4 tile. */
    static final int MIN_OUT = Integer.getInteger("jgrad.conv.winogradMinOut", 4);

    /** Floats of one chunk's transformed input (36 × C × tiles): images are taken in chunks of about this size. */
    static final int CHUNK_FLOATS = Integer.getInteger("jgrad.conv.winogradChunk", 1 << 20);

    /**
     * Whether F(4×4, 3×3) can run this shape at all: 3×3, stride 1, no dilation, equal padding ≤ 2
     * (and GEMM slices of whole vectors, which the packed transforms write).
     */
    static boolean fits(Conv2dShape g) {
        return Gemm.KC % LANES == 0 && g.r() == 3 && g.s() == 3 && g.strideH() == 1 && g.strideW() == 1 && g.dilH() == 1 && g.dilW() == 1
                && g.padH() == g.padW() && g.padH() <= 2;
    }

    /**
     * Whether it is the path for this shape's three passes (measured: docs/performance.md). Not for
     * images so large that one alone has more than {@link #MAX_IMAGE_FLOATS} of transformed tiles
     * (a chunk holds at least one image): 64 channels at 512×512 would need 150 MB of scratch,
     * where the implicit GEMM needs none. VGG's 224×224 layers fit.
     */
    static boolean suits(Conv2dShape g) {
        long tiles = (long) ((g.p() + 3) / 4) * ((g.q() + 3) / 4);
        return ENABLED && fits(g) && g.c() >= MIN_CHANNELS && g.k() >= MIN_CHANNELS && g.p() >= MIN_OUT && g.q() >= MIN_OUT
                && 36L * Math.max(g.c(), g.k()) * tiles <= MAX_IMAGE_FLOATS;
    }

    /** The most transformed-tile floats of one image for which {@link #suits} takes Winograd: 32 MB. */
    static final long MAX_IMAGE_FLOATS = 1L << 23;

    static void forward(Conv2dShape g, float[] x, int xOff, float[] w, int wOff, float[] y) {
        forward(g, x, xOff, w, wOff, y, null);
    }

    /** As above; with prepared filters (not null), their transformed form is made once and kept there. */
    static void forward(Conv2dShape g, float[] x, int xOff, float[] w, int wOff, float[] y, PreparedConvFilters prepared) {
        int K = g.k(), C = g.c();
        run(g.n(), Tiling.of(C, g.h(), g.w(), K, g.padH()), new Filters(w, wOff, K, C, 9 * C, 9, false), x, xOff, y, prepared);
    }

    /** Keys of the forms {@link PreparedConvFilters} keeps: U whole, or U block after block ({@link #FILTER_BLOCK} filters each). */
    private record Form(boolean blocks, int k, int c) {}

    static void inputGrad(Conv2dShape g, float[] dy, float[] w, int wOff, float[] dx) {
        int K = g.k(), C = g.c();
        // dX = conv(dY, the filters turned 180° as [C, K]), padding 2 − pad
        run(g.n(), Tiling.of(K, g.p(), g.q(), C, 2 - g.padH()), new Filters(w, wOff, C, K, 9, 9 * C, true), dy, 0, dx, null);
    }

    /**
     * Filters (o, i), o &lt; outer (output channels of the convolution run), i &lt; inner (its input
     * channels), whose nine taps start at w[wOff + o·outerStride + i·innerStride], turned 180° when flip.
     */
    private record Filters(float[] w, int wOff, int outer, int inner, int outerStride, int innerStride, boolean flip) {
        /**
         * Transforms the filters o0 … o1 − 1 into rows o − first of the 36 matrices U[pos] [rows,
         * inner] in u, U[pos] from pos·stride; each packed for {@link Gemm#prepacked} as its A when
         * pack, row by row otherwise.
         */
        void transform(int o0, int o1, int first, int rows, float[] u, int stride, boolean pack) {
            transform(o0, o1, first, rows, u, 0, stride, pack);
        }

        /** As above, U[pos] from base + pos·stride. */
        void transform(int o0, int o1, int first, int rows, float[] u, int base, int stride, boolean pack) {
            if (pack) {  // blocks of MR output channels by a few input channels, each lane where packed A wants it
                int[] whole = GemmPacking.aVectorOffsets(outerStride, innerStride, Gemm.MR, WinogradTiles.BLOCK_INNER);
                for (int o = o0; o < o1; o += Gemm.MR) {
                    for (int i0 = 0; i0 < inner; i0 += WinogradTiles.BLOCK_INNER) {
                        int oLeft = Math.min(Gemm.MR, o1 - o), iLeft = Math.min(WinogradTiles.BLOCK_INNER, inner - i0);
                        int[] offsets = oLeft == Gemm.MR && iLeft == WinogradTiles.BLOCK_INNER ? whole : GemmPacking.aVectorOffsets(outerStride, innerStride, oLeft, iLeft);
                        WinogradTiles.filterBlock(w, wOff + o * outerStride + i0 * innerStride, offsets, oLeft, iLeft, flip, u,
                                base + GemmPacking.packedAIndex(o - first, i0, rows, inner, Gemm.KC), stride);
                    }
                }
                return;
            }
            int[] innerOffsets = strided(inner, innerStride);
            for (int o = o0; o < o1; o++) {
                for (int i0 = 0; i0 < inner; i0 += LANES) WinogradTiles.filter(w, wOff, outerStride, innerOffsets, o, i0, inner, flip, u, base + (o - first) * inner + i0, stride);
            }
        }

        /** All of them, split between the cores: U[pos] for every output channel. */
        float[] transformAll() {
            boolean pack = packsFilters(outer, inner);
            int stride = filterStride(outer, inner);
            float[] u = scratch(0, 36 * stride + LANES * Gemm.MR);  // + : a masked scatter's idle lanes are range-checked too
            // parts of whole MR-row blocks: packed A's blocks are written whole
            int blocks = (outer + Gemm.MR - 1) / Gemm.MR, parts = Parallel.chunksFor(36L * 9 * outer * inner, blocks);
            Parallel.run(parts, part -> transform(Math.min(outer, blocks * part / parts * Gemm.MR), Math.min(outer, blocks * (part + 1) / parts * Gemm.MR),
                    0, outer, u, stride, pack));
            return u;
        }
    }

    /**
     * Filter banks bigger than this (36·K·C floats; ResNet's 512 → 512: 9.4 M, 37 MB) are transformed
     * a block of output channels at a time, each block's 36 products right after, while it is in
     * cache: all of U went out to memory and back, 7 of 17 ms of that layer's pass.
     */
    static final int BLOCKED_FILTERS_MIN = Integer.getInteger("jgrad.conv.winogradBlockedFilters", 1 << 22);

    /**
     * Banks of at least this many floats of U (4 MB, past L2) are blocked too when they outweigh the
     * tiles they multiply: K ≥ {@link #BLOCKED_PER_TILE} × tiles, so U is 4× V or more. Unblocked, all of
     * U goes to memory and back once a chunk; blocked, each block of filters reads V again, from
     * cache. ResNet-18's 256 → 256 layer at 4×4, batch 32 (one tile an image), one thread, best of
     * three: forward 3.0–3.1 → 2.7–2.9 ms, input gradient 3.3–3.6 → 2.8–3.0, weight gradient
     * 3.5–3.9 → 3.0 (ThreadCpuTime conv3 32 256 4 256); its 9.4 MB of U scratch is not kept either.
     */
    static final int BLOCKED_U_MIN = 1 << 20, BLOCKED_PER_TILE = 4;

    /** Whether a bank of K × C filters, multiplying {@code tiles} tiles a chunk, is transformed a block at a time. */
    static boolean blocksFilters(int k, int c, int tiles) {
        long u = 36L * k * c;
        return u > BLOCKED_FILTERS_MIN || u >= BLOCKED_U_MIN && k >= (long) BLOCKED_PER_TILE * tiles;
    }

    /** Output channels per block of filters (see {@link #BLOCKED_FILTERS_MIN}), and of the weight gradient's sums. */
    private static final int FILTER_BLOCK = Gemm.roundUp(Math.max(1, Integer.getInteger("jgrad.conv.winogradFilterBlock", 16)), Gemm.MR), GRAD_BLOCK = Integer.getInteger("jgrad.conv.winogradGradBlock", 128);

    /**
     * Filters up to this many (K·C) are written packed for the GEMM, the rest row by row. Written
     * one scatter of MR-apart floats per value, packing cost more than the GEMM's own packing for
     * ResNet's 512 → 512 (37 MB of U); written as whole vectors ({@link WinogradTiles#filterBlock})
     * it is always cheaper, so the default packs every bank (row by row stays, for comparison).
     */
    static final int PACKED_FILTERS_MAX = Integer.getInteger("jgrad.conv.winogradPackedFilters", Integer.MAX_VALUE);

    private static boolean packsFilters(int outer, int inner) {
        return (long) outer * inner <= PACKED_FILTERS_MAX;
    }

    /**
     * Floats from one position's U to the next (packed or row by row), and from one V to the next
     * when packed for {@link Gemm#prepacked}: the matrix, and one cache line more. Exactly 64 KB
     * apart (ResNet's 512-channel V at 7×7, batch 8), the 36 writes of a tile block all fell in the
     * same sets of L1 and L2 and the 512 → 512 layer took 23 ms a pass instead of 16.
     */
    private static int filterStride(int outer, int inner) {
        return (packsFilters(outer, inner) ? Gemm.roundUp(outer, Gemm.MR) * inner : outer * inner) + 16;
    }

    private static int tileStride(int c, int tiles) {
        return Gemm.roundUp(tiles, Gemm.NR) * c + 16;
    }

    /** {0, stride, 2·stride, …} for n entries, padded with zeros to whole vectors: an index map. */
    private static int[] strided(int n, int stride) {
        int[] offsets = new int[roundUp(n)];
        for (int i = 0; i < n; i++) offsets[i] = i * stride;
        return offsets;
    }

    /**
     * How an input [C, H, W] with padding pad splits into th × tw tiles of 4×4 outputs [K, P, Q]
     * (6×6 inputs), and a copy of it with the padding written out and room for whole tiles, Hp × Wp.
     */
    private record Tiling(int c, int h, int w, int k, int pad, int p, int q, int th, int tw, int hp, int wp) {
        static Tiling of(int c, int h, int w, int k, int pad) {
            int p = h + 2 * pad - 2, q = w + 2 * pad - 2, th = (p + 3) / 4, tw = (q + 3) / 4;
            return new Tiling(c, h, w, k, pad, p, q, th, tw, 4 * th + 2, 4 * tw + 2);
        }

        int perImage() {
            return th * tw;
        }

        /** Whether the outputs are whole tiles: then tiles are written into (or read from) y itself. */
        boolean exact() {
            return p == 4 * th && q == 4 * tw;
        }

        /**
         * Images per chunk: one chunk's transformed tiles about {@link #CHUNK_FLOATS} at most, the
         * chunks of equal size (8 images in chunks of 7 and 1 made the last products 16 tiles wide).
         */
        int chunk(int n) {
            int most = Math.max(1, Math.min(n, CHUNK_FLOATS / (36 * Math.max(c, k) * perImage()))), chunks = (n + most - 1) / most;
            return (n + chunks - 1) / chunks;
        }

        /** Where tile t of a chunk starts in the padded input copy [C, m, Hp, Wp] (one channel's part). */
        int[] inputOffsets(int tiles) {
            int[] in = new int[roundUp(tiles)];
            for (int t = 0; t < tiles; t++) in[t] = t / perImage() * hp * wp + 4 * (t % perImage() / tw) * wp + 4 * (t % tw);
            return in;
        }

        /** Where tile t's 4×4 outputs start: in y [N, K, P, Q] from the chunk's first image and channel, or in a whole-tile copy [K, m, 4·th, 4·tw]. */
        int[] outputOffsets(int tiles) {
            int[] out = new int[roundUp(tiles)];
            for (int t = 0; t < tiles; t++) {
                int i = t / perImage(), ti = t % perImage() / tw, tj = t % tw;
                out[t] = exact() ? i * k * p * q + 4 * ti * q + 4 * tj : i * 16 * perImage() + 4 * ti * 4 * tw + 4 * tj;
            }
            return out;
        }
    }

    /**
     * V = Bᵀ·d·B for every tile of images n0 … n0 + m − 1 of x [N, C, H, W], through a copy with the
     * padding written out: packed, the 36 matrices [C, tiles] packed for {@link Gemm#prepacked} as
     * its B (V[pos] from pos·{@link #tileStride}); otherwise V [C, 36, Tp], each tile block's 36 values
     * close together.
     */
    private static float[] inputTiles(Tiling tl, float[] x, int xOff, int n0, int m, int tiles, int tp, boolean packed) {
        int C = tl.c(), H = tl.h(), W = tl.w(), wp = tl.wp(), hwp = tl.hp() * wp, pad = tl.pad();
        int size = packed ? tileStride(C, tiles) : C * tp;
        float[] xp = scratch(1, C * m * hwp), v = scratch(2, 36 * size);
        int[] in = tl.inputOffsets(tiles);
        int parts = Parallel.chunksFor(36L * 6 * C * tiles, C);
        Parallel.run(parts, part -> {
            for (int c = C * part / parts, end = C * (part + 1) / parts; c < end; c++) {
                for (int i = 0; i < m; i++) {
                    int plane = (c * m + i) * hwp, src = xOff + ((n0 + i) * C + c) * H * W;
                    Arrays.fill(xp, plane, plane + hwp, 0f);
                    for (int h = 0; h < H; h++) System.arraycopy(x, src + h * W, xp, plane + (h + pad) * wp + pad, W);
                }
                for (int t0 = 0; t0 < tiles; t0 += LANES) {
                    if (packed) WinogradTiles.input(xp, c * m * hwp, wp, in, t0, v, GemmPacking.packedBIndex(c, t0, tiles, C, Gemm.KC), size);
                    else WinogradTiles.input(xp, c * m * hwp, wp, in, t0, v, c * 36 * tp + t0, tp);
                }
            }
        });
        return v;
    }

    /** y [N, K, P, Q] = the convolution of x [N, C, H, W] (3×3, stride 1) with the filters f. */
    private static void run(int N, Tiling tl, Filters f, float[] x, int xOff, float[] y, PreparedConvFilters prepared) {
        int C = tl.c(), K = tl.k(), P = tl.p(), Q = tl.q(), perImage = tl.perImage(), step = tl.chunk(N);
        boolean exact = tl.exact(), blocked = blocksFilters(K, C, Math.min(step, N) * perImage);
        int blocks = (K + FILTER_BLOCK - 1) / FILTER_BLOCK, bSize = Gemm.roundUp(FILTER_BLOCK, Gemm.MR) * C + 16;
        // prepared filters: U made once (whole, or every block of it one after the other) and kept with them
        int uFloats = 36 * filterStride(K, C) + LANES * Gemm.MR;
        float[] whole = blocked || prepared == null ? null
                : prepared.form(new Form(false, K, C), uFloats, () -> java.util.Arrays.copyOf(f.transformAll(), uFloats));
        float[] u = blocked ? null : whole != null ? whole : f.transformAll();
        float[] kept = !blocked || prepared == null ? null : prepared.form(new Form(true, K, C), (long) blocks * 36 * bSize, () -> {
            float[] all = new float[blocks * 36 * bSize];
            Parallel.run(blocks, b -> f.transform(b * FILTER_BLOCK, Math.min(K, (b + 1) * FILTER_BLOCK), b * FILTER_BLOCK,
                    Math.min(K, (b + 1) * FILTER_BLOCK) - b * FILTER_BLOCK, all, b * 36 * bSize, bSize, true));
            return all;
        });
        for (int n0 = 0; n0 < N; n0 += step) {
            int m = Math.min(step, N - n0), T = m * perImage, Tp = roundUp(T), first = n0;
            float[] v = inputTiles(tl, x, xOff, n0, m, T, Tp, true);
            // M[·, pos, ·] = U[pos]·V[pos], M [K, 36, Tp]: 36 products on operands packed as they were made
            float[] mm = scratch(3, 36 * K * Tp);
            int vSize = tileStride(C, T), uSize = filterStride(K, C);
            if (blocked) {
                // each block transformed straight into the GEMM's packed A (FILTER_BLOCK is a multiple of MR)
                Parallel.run(blocks, b -> {
                    int o0 = b * FILTER_BLOCK, o1 = Math.min(K, o0 + FILTER_BLOCK);
                    float[] ub = kept != null ? kept : scratch(5, 36 * bSize);  // this thread's own, unless kept
                    int at = kept != null ? b * 36 * bSize : 0;
                    if (kept == null) f.transform(o0, o1, o0, o1 - o0, ub, bSize, true);
                    for (int pos = 0; pos < 36; pos++) Gemm.prepacked(o1 - o0, T, C, ub, at + pos * bSize, v, pos * vSize, mm, o0 * 36 * Tp + pos * Tp, 36 * Tp);
                });
            } else if (packsFilters(K, C)) {
                Parallel.run(36, pos -> Gemm.prepacked(K, T, C, u, pos * uSize, v, pos * vSize, mm, pos * Tp, 36 * Tp));
            } else {
                Parallel.run(36, pos -> Gemm.prepackedB(K, T, C, u, pos * uSize, C, v, pos * vSize, mm, pos * Tp, 36 * Tp));
            }
            // Y = Aᵀ·M·A, into y (or a whole-tile copy of it, then cropped)
            int[] out = tl.outputOffsets(T);
            float[] yt = exact ? y : scratch(4, K * m * 16 * perImage);
            int parts = Parallel.chunksFor(36L * 4 * K * T, K);
            Parallel.run(parts, part -> {
                for (int k = K * part / parts, end = K * (part + 1) / parts; k < end; k++) {
                    int at = exact ? (first * K + k) * P * Q : k * m * 16 * perImage, ld = exact ? Q : 4 * tl.tw();
                    for (int t0 = 0; t0 < T; t0 += LANES) WinogradTiles.output(mm, k * 36 * Tp, Tp, t0, T, yt, at, ld, out);
                    if (!exact) {
                        for (int i = 0; i < m; i++) {
                            for (int p = 0; p < P; p++) System.arraycopy(yt, at + i * 16 * perImage + p * ld, y, ((first + i) * K + k) * P * Q + p * Q, Q);
                        }
                    }
                }
            });
        }
    }

    /**
     * dW [K, C, 3, 3] from x [N, C, H, W] and dY [N, K, P, Q]: per position pos of the 6×6 tiles,
     * S[pos] = Σ over tiles of (A·dY·Aᵀ)[k, pos]·V[c, pos], one product D·Vᵀ summed chunk after chunk
     * in order (deterministic); then dW[k, c] = Gᵀ·S[·, k, c]·G.
     */
    static void weightGrad(Conv2dShape g, float[] x, int xOff, float[] dy, float[] dw) {
        int N = g.n(), C = g.c(), K = g.k(), P = g.p(), Q = g.q();
        Tiling tl = Tiling.of(C, g.h(), g.w(), K, g.padH());
        int perImage = tl.perImage(), step = tl.chunk(N), tw = tl.tw();
        // One chunk and a big filter bank (ResNet's 512 → 512 at 7×7): S by blocks of GRAD_BLOCK output
        // channels, not 37 MB of it at once; each block packs V again, so the blocks are wide.
        boolean exact = tl.exact(), blocked = blocksFilters(K, C, N * perImage) && step >= N;
        int[] taps = strided(C, 9);
        float[] s = blocked ? null : scratch(0, 36 * K * C + LANES);  // + LANES: filterBack reads whole vectors past the last channel
        for (int n0 = 0; n0 < N; n0 += step) {
            int m = Math.min(step, N - n0), T = m * perImage, Tp = roundUp(T), first = n0;
            float[] v = inputTiles(tl, x, xOff, n0, m, T, Tp, false);
            int[] out = tl.outputOffsets(T);
            float[] d = scratch(3, 36 * K * Tp), dyt = exact ? dy : scratch(4, K * m * 16 * perImage);
            int parts = Parallel.chunksFor(36L * 4 * K * T, K);
            Parallel.run(parts, part -> {
                for (int k = K * part / parts, end = K * (part + 1) / parts; k < end; k++) {
                    int at = exact ? (first * K + k) * P * Q : k * m * 16 * perImage, ld = exact ? Q : 4 * tw;
                    if (!exact) {  // dY's tiles with zeros past its edges
                        Arrays.fill(dyt, at, at + m * 16 * perImage, 0f);
                        for (int i = 0; i < m; i++) {
                            for (int p = 0; p < P; p++) System.arraycopy(dy, ((first + i) * K + k) * P * Q + p * Q, dyt, at + i * 16 * perImage + p * ld, Q);
                        }
                    }
                    for (int t0 = 0; t0 < T; t0 += LANES) WinogradTiles.outputBack(dyt, at, ld, out, t0, d, k * 36 * Tp, Tp);
                }
            });
            if (blocked) {  // one chunk: S a block of output channels at a time, taken back through G while in cache
                int block = Math.min(GRAD_BLOCK, K), blocks = (K + block - 1) / block, bSize = block * C + 16;
                Parallel.run(blocks, b -> {
                    int k0 = b * block, k1 = Math.min(K, k0 + block);
                    float[] sb = scratch(5, 36 * bSize + LANES);
                    for (int pos = 0; pos < 36; pos++) {
                        Gemm.gemm(false, true, k1 - k0, C, T, 1f, d, k0 * 36 * Tp + pos * Tp, 36 * Tp, v, pos * Tp, 36 * Tp, 0f, sb, pos * bSize, C);
                    }
                    for (int k = k0; k < k1; k++) {
                        for (int c0 = 0; c0 < C; c0 += LANES) WinogradTiles.filterBack(sb, (k - k0) * C + c0, bSize, c0, C, dw, k * C * 9, taps);
                    }
                });
                return;
            }
            float beta = n0 == 0 ? 0f : 1f;
            Parallel.run(36, pos -> Gemm.gemm(false, true, K, C, T, 1f, d, pos * Tp, 36 * Tp, v, pos * Tp, 36 * Tp, beta, s, pos * K * C, C));
        }
        int parts = Parallel.chunksFor(36L * 9 * K * C, K);
        Parallel.run(parts, part -> {
            for (int k = K * part / parts, end = K * (part + 1) / parts; k < end; k++) {
                for (int c0 = 0; c0 < C; c0 += LANES) WinogradTiles.filterBack(s, k * C + c0, K * C, c0, C, dw, k * C * 9, taps);
            }
        });
    }

    private static int roundUp(int n) {
        return (n + LANES - 1) / LANES * LANES;
    }

    private static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(() -> new float[6][0]);

    /** Per-thread scratch kept between calls: the filters (or their gradient), padded input, tiles, products, whole-tile output, a block of filters. */
    private static float[] scratch(int which, int size) {
        float[][] b = BUFFERS.get();
        if (b[which].length < size) b[which] = new float[size];
        return b[which];
    }
}
