package jgrad.backend.simd;

import static jgrad.backend.simd.Simd.LANES;

/**
 * Single-precision GEMM, C = α·op(A)·op(B) + β·C, row-major, on the Vector API.
 *
 * <p>Big products use the GotoBLAS/BLIS scheme:
 * <ol>
 *   <li>Split the columns of C between the cores; each core works alone on its columns.</li>
 *   <li>For each KC-deep slice of k, copy ("pack") the slice of op(B) into NR-wide strips, k-major,
 *       and each MC-row block of op(A) into MR-tall strips, k-major. Packing turns every transpose
 *       and leading dimension into unit-stride reads, zero-pads the edges, and keeps the working
 *       set in cache: an MR×KC strip of A in L1, an MC×KC block in L2. (Operands of up to 2¹⁸
 *       floats, a mini-batch's, are packed whole before the first kernel, by all cores together.)</li>
 *   <li>The micro-kernel multiplies one MR×KC strip of A by one KC×NR strip of B into an MR×NR tile
 *       of C held in registers: MR = 4 rows × 2 vectors = 8 accumulators, per k step 2 vector
 *       loads, 4 broadcasts and 8 FMAs (11 of AVX2's 16 vector registers).</li>
 * </ol>
 * Small products (the MLP's 64×784·784×16) skip packing: a dot-product loop when B is transposed
 * (both operands then run along k), an axpy loop over rows of B otherwise.
 *
 * <p>This class holds the tuning knobs, the choice of path and the loop nest of the packed path;
 * the packing is in {@link GemmPacking}, the micro-kernel in {@link GemmKernel}, the small path in
 * {@link GemmSmall}.
 *
 * <p>Checked by: {@code jgrad.backend.BackendContractTest} (against the reference, on awkward shapes).
 */
final class Gemm {
    private Gemm() {}

    static final int MR = 4;
    static final int NR = 2 * LANES;
    static final int KC = Integer.getInteger("jgrad.gemm.kc", 256);
    /**
     * The slice of k for products too big to pack whole (below): at 16 lanes a C tile is 4 × 32
     * floats and every slice of k reads and writes all of C again, so fewer, longer slices pay. 1024³
     * on one thread, best thread-CPU time of 20–30 calls, AVX-512 (2-core AMD EPYC): 92–94 GFLOP/s
     * at KC = 256, 98.5 at 512, 102–105 at 1024; 2048³ 96 → 103. At 8 lanes it stays at KC, as tuned
     * on the AVX2 machines (here at 256 bits 1024 gave 93–96 against 90–91: not enough to change
     * blind what was measured there).
     */
    static final int KC_BIG = Integer.getInteger("jgrad.gemm.kcBig", LANES >= 16 ? 1024 : KC);
    static final int MC = roundUp(Integer.getInteger("jgrad.gemm.mc", 120), MR);
    static final int NC = roundUp(Integer.getInteger("jgrad.gemm.nc", 3072), NR);
    /** Below this many multiply-adds, packing costs more than it saves. */
    static final long SMALL = Long.getLong("jgrad.gemm.small", 48L * 48 * 48);
    /** For experiments and benchmarks: auto, packed or small (-Djgrad.gemm.path). */
    static final String PATH = System.getProperty("jgrad.gemm.path", "auto");
    /** Products with fewer rows or columns than this skip packing too (the MLP's 16-wide layers), if {@link #SKINNY_MAX_K} allows. */
    static final int SKINNY = Integer.getInteger("jgrad.gemm.skinny", 32);
    /**
     * Skinny products (no B transposed) skip packing only when k is below this: from k = 128 the
     * packed path was as fast or faster on every skinny shape measured (16×784, 28×512, 512×16,
     * 512×32 with A transposed, alternating in one JVM); the MLP's 16×784×64 weight gradient stays
     * 1.5× faster unpacked (docs/performance.md).
     */
    static final int SKINNY_MAX_K = Integer.getInteger("jgrad.gemm.skinnyMaxK", 128);
    /**
     * With B transposed (A·Bᵀ, a Linear layer's forward) the unpacked loop is a dot product along k:
     * used when m or n is below this, k is at least {@link #DOT_MIN_K} and B has at most
     * {@link #DOT_MAX_B} elements.
     */
    static final int DOT_SKINNY = Integer.getInteger("jgrad.gemm.dotSkinny", 256);
    /**
     * Measured in training steps, the two settings alternating in one JVM (docs/performance.md):
     * LeNet's 64×84×120 forward took 24 µs packed against 44 µs as dot products, the 784-128-64-10
     * MLP's 64×64×128 21 against 35.
     */
    static final int DOT_MIN_K = Integer.getInteger("jgrad.gemm.dotMinK", 512);
    /**
     * Each core's dot-product loop reads all of B: that stays fast while B fits in half a core's L2
     * (64 Ki floats, 256 KB). The MLP's 784 → 128 forward (B = 100 Ki floats) took 0.72–0.81× the
     * time packed, and its training step 0.92–0.95×; 784 → 64 and 784 → 16 stayed faster as dot
     * products (alternating in one JVM, docs/performance.md).
     */
    static final int DOT_MAX_B = Integer.getInteger("jgrad.gemm.dotMaxB", 1 << 16);

    static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    /**
     * Per-thread packing buffers (0 a block of A, 1 a panel of B, 2 an edge tile), reused across
     * calls (no allocation per GEMM) and grown to the largest block a call has packed, not made at
     * the largest the blocking allows: a panel of B is KC_BIG × NC, 12.6 MB a thread at 16 lanes, which
     * no product of ResNet-18 at 64 × 64 needs whole.
     */
    private static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(() -> new float[][] {new float[0], new float[0], new float[MR * NR]});

    static void gemm(boolean tA, boolean tB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0) {
            scale(c, cOff, ldc, m, n, beta);
            return;
        }
        long work = (long) m * n * k;
        // Packing costs O(mk + kn) copies: worth it only when both m and n are large, or, with B
        // transposed, unless k is long (measured on the MLP's and LeNet's shapes: docs/performance.md).
        boolean small;
        if (!PATH.equals("auto")) {
            small = PATH.equals("small");
        } else if (tB && !tA) {
            // The dot-product loop ends each output with a sum across the lanes of 8 vectors: that
            // pays off only over long rows, and while B stays in cache. Others go packed, however small.
            small = k >= DOT_MIN_K && Math.min(m, n) < DOT_SKINNY && (long) n * k <= DOT_MAX_B;
        } else {
            // The unpacked loop is fast only on full register blocks: a column left over after the
            // vectors runs a scalar loop over all of k, a narrow C has only single-vector rows, and
            // a long k streams through the operands without cache blocking (an LSTM's input weight
            // gradient, 512×28×1792 Aᵀ·B, took 30 ms that way and 1.2 ms packed: docs/performance.md).
            small = work <= SMALL
                    || Math.min(m, n) < SKINNY && k < SKINNY_MAX_K && n % LANES == 0 && n >= 2 * LANES;
        }
        if (!(tA && tB) && small) {
            scale(c, cOff, ldc, m, n, beta);
            GemmSmall.small(tA, tB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
            return;
        }
        // Split the columns of C into parts of whole NR strips, one part per core.
        int strips = (n + NR - 1) / NR;
        int parts = Parallel.partsFor(2 * work, strips);
        int perPart = (strips + parts - 1) / parts * NR;
        // Products up to a few hundred thousand floats a side (the MLP's and LeNet's) are packed
        // whole before any kernel runs, each core packing its own columns of B and its share of the
        // strips of A, instead of each core packing all of A itself, slice by slice. In a training
        // step the operands come from memory rather than cache, and packing them cost about as much
        // as the kernels (the MLP's forward: 147 of 287 µs, one core); each row of A is now read once
        // along its whole length (a cold batch packed in 26 µs instead of 50 in 1 KB pieces).
        int mPad = roundUp(m, MR), nPad = strips * NR;
        if (PREPACK && (long) mPad * k <= PREPACK_MAX && (long) nPad * k <= PREPACK_MAX) {
            float[][] shared = SHARED.get();
            if (shared[0].length < mPad * k) shared[0] = new float[mPad * k];
            if (shared[1].length < nPad * k) shared[1] = new float[nPad * k];
            float[] sA = shared[0], sB = shared[1];
            int aStripsPer = (mPad / MR + parts - 1) / parts * MR;
            Parallel.run(parts, part -> {
                int i0 = part * aStripsPer, i1 = Math.min(m, i0 + aStripsPer);
                if (i0 < i1) GemmPacking.packAWhole(tA, a, aOff, lda, i0, i1, k, mPad, sA, KC);
                int j0 = part * perPart, j1 = Math.min(n, j0 + perPart);
                if (j0 < j1) GemmPacking.packBWhole(tB, b, bOff, ldb, j0, j1, k, nPad, sB, KC);
            });
            Parallel.run(parts, part -> {
                int j0 = part * perPart, j1 = Math.min(n, j0 + perPart);
                if (j0 < j1) packed(tA, tB, m, j0, j1, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, sA, sB, nPad, KC);
            });
            return;
        }
        // Each core packs, slice by slice, the operand it splits and all of the other: split the
        // columns of C when B is the larger (each core packs all of A), the rows when A is (each
        // packs all of B). An LSTM's input weight gradient, 1024×64×3200 with A transposed, split
        // by its two strips of columns, had each core pack all 3.3 M floats of A; an LSTM's recurrent
        // weight gradient, 512×128×1792, went from 3.8–5.2 ms to 1.4 ms (alternating JVMs, AVX-512).
        int rowParts = m > n ? Parallel.partsFor(2 * work, (m + MR - 1) / MR) : 1;
        if (rowParts > 1) {  // (also where C is one strip of columns wide, and the column split would leave a core idle)
            int perRows = roundUp((m + rowParts - 1) / rowParts, MR);
            // The operand every core needs whole is packed once, by all cores together (below).
            float[] sB = SHARE && (long) nPad * k <= SHARE_MAX ? packWholeTogether(rowParts, false, tB, b, bOff, ldb, n, k, nPad) : null;
            Parallel.run(rowParts, part -> {
                int i0 = part * perRows, i1 = Math.min(m, i0 + perRows);
                if (i0 < i1) {
                    packed(tA, tB, i1 - i0, 0, n, k, alpha, a, aOff + (tA ? i0 : i0 * lda), lda, b, bOff, ldb, beta, c, cOff + i0 * ldc, ldc,
                            null, sB, nPad, KC_BIG);
                }
            });
            return;
        }
        float[] sA = parts > 1 && SHARE && (long) mPad * k <= SHARE_MAX ? packWholeTogether(parts, true, tA, a, aOff, lda, m, k, mPad) : null;
        Parallel.run(parts, part -> {
            int j0 = part * perPart, j1 = Math.min(n, j0 + perPart);
            if (j0 < j1) packed(tA, tB, m, j0, j1, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, sA, null, nPad, KC_BIG);
        });
    }

    /**
     * Split a big product between the cores and each needs all of one operand (all of A when the
     * columns of C are split): packed slice by slice, that operand was packed once per core. Now the
     * cores pack it whole, together, once, and each then packs only its own part of the other,
     * slice by slice as before. -Djgrad.gemm.noShare=true turns it off.
     */
    static final boolean SHARE = !Boolean.getBoolean("jgrad.gemm.noShare");
    /** The largest operand, in floats, packed whole and shared: 16 MB, half of the L3 of the machines measured. */
    private static final long SHARE_MAX = Long.getLong("jgrad.gemm.shareMax", 1L << 22);

    /** op(A) (isA) or op(B), packed whole by {@code parts} cores into the calling thread's shared buffer. */
    private static float[] packWholeTogether(int parts, boolean isA, boolean t, float[] x, int xOff, int ld, int rows, int k, int pad) {
        float[][] shared = SHARED.get();
        int which = isA ? 0 : 1;
        if (shared[which].length < pad * k) shared[which] = new float[pad * k];
        float[] dst = shared[which];
        int unit = isA ? MR : NR, per = (pad / unit + parts - 1) / parts * unit;
        Parallel.run(parts, part -> {
            int i0 = part * per, i1 = Math.min(rows, i0 + per);
            if (i0 >= i1) return;
            if (isA) GemmPacking.packAWhole(t, x, xOff, ld, i0, i1, k, pad, dst, KC_BIG);
            else GemmPacking.packBWhole(t, x, xOff, ld, i0, i1, k, pad, dst, KC_BIG);
        });
        return dst;
    }

    /**
     * Pack whole before the kernels (above). Measured alternating call by call in one JVM, each
     * call on one of 16 sets of operands (as a training loop's batches arrive): the MLP's 64×128×784
     * forward 1.18× faster (27 of 32 blocks), 64×64×128 1.26×, 256³ 1.06×, the 128×784×64 weight
     * gradient even, 64×128×64 0.91×; the 784-128-64-10 training step 1.05× (24 and 23 of 32, in
     * both orders), the small MLP and LeNet even. -Djgrad.gemm.noPrepack=true turns it off.
     */
    static final boolean PREPACK = !Boolean.getBoolean("jgrad.gemm.noPrepack");
    /** The largest op(A) and op(B), in floats, packed whole before the kernels run. */
    private static final long PREPACK_MAX = Long.getLong("jgrad.gemm.prepackMax", 1L << 18);
    /** The calling thread's buffers for whole packed A and B (shared with the workers during a call). */
    private static final ThreadLocal<float[][]> SHARED = ThreadLocal.withInitial(() -> new float[][] {new float[0], new float[0]});

    // ---- a prepared B: packed once, used by many products --------------------------------

    /** op(B), k×n, packed whole as {@link GemmPacking#packBWhole} lays it out (slice pc at pc·nPad). */
    record Packed(int k, int n, int nPad, float[] strips) implements jgrad.backend.PreparedB {}

    /** Packs op(B) once (Backend.prepareB): a recurrent layer's W_hh is then not packed again at every step. */
    static Packed prepareB(boolean tB, int k, int n, float[] b, int bOff, int ldb) {
        int nPad = roundUp(Math.max(n, 1), NR);
        float[] strips = new float[nPad * k];
        if (n > 0 && k > 0) GemmPacking.packBWhole(tB, b, bOff, ldb, 0, n, k, nPad, strips, KC);
        return new Packed(k, n, nPad, strips);
    }

    /**
     * C = α·op(A)·B + β·C with B packed beforehand: the packed path of {@link #gemm}, columns split
     * between the cores as there, A packed whole first (on the calling thread when it is small, a
     * recurrent step's h: no second hand-over to the workers) or slice by slice by each core.
     */
    static void gemm(boolean tA, int m, float alpha, float[] a, int aOff, int lda, Packed b, float beta, float[] c, int cOff, int ldc) {
        int n = b.n(), k = b.k();
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0) {
            scale(c, cOff, ldc, m, n, beta);
            return;
        }
        int strips = b.nPad() / NR;
        int parts = Parallel.partsFor(2L * m * n * k, strips);
        int perPart = (strips + parts - 1) / parts * NR;
        int mPad = roundUp(m, MR);
        float[] sA = null;
        if ((long) mPad * k <= PREPACK_MAX) {
            float[][] shared = SHARED.get();
            if (shared[0].length < mPad * k) shared[0] = new float[mPad * k];
            sA = shared[0];
            if ((long) mPad * k <= PACK_A_ON_CALLER) {
                GemmPacking.packAWhole(tA, a, aOff, lda, 0, m, k, mPad, sA, KC);
            } else {
                float[] dst = sA;
                int aStripsPer = (mPad / MR + parts - 1) / parts * MR;
                Parallel.run(parts, part -> {
                    int i0 = part * aStripsPer, i1 = Math.min(m, i0 + aStripsPer);
                    if (i0 < i1) GemmPacking.packAWhole(tA, a, aOff, lda, i0, i1, k, mPad, dst, KC);
                });
            }
        }
        float[] packedA = sA;
        Parallel.run(parts, part -> {
            int j0 = part * perPart, j1 = Math.min(n, j0 + perPart);
            if (j0 < j1) packed(tA, false, m, j0, j1, k, alpha, a, aOff, lda, null, 0, 0, beta, c, cOff, ldc, packedA, b.strips(), b.nPad(), KC);
        });
    }

    /** An op(A) up to this many floats (padded) is packed by the caller alone before the cores start: a recurrent step's h is 8 Ki. */
    private static final long PACK_A_ON_CALLER = 1L << 14;

    /** C = β·C (β = 0 writes zeros without reading C, so NaN in C does not leak). */
    private static void scale(float[] c, int cOff, int ldc, int m, int n, float beta) {
        if (beta == 1f) return;
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            if (beta == 0f) {
                java.util.Arrays.fill(c, row, row + n, 0f);
            } else {
                for (int j = 0; j < n; j++) c[row + j] *= beta;
            }
        }
    }

    // ---- the packed path ------------------------------------------------------------------

    /**
     * Columns j0…j1 of C. With sA and sB (packed whole beforehand, see above), slice pc of op(A)
     * starts at pc·roundUp(m, MR) and that of op(B) at pc·nPad; otherwise this core packs them slice
     * by slice.
     */
    private static void packed(boolean tA, boolean tB, int m, int j0, int j1, int k, float alpha,
                               float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                               float beta, float[] c, int cOff, int ldc, float[] sA, float[] sB, int nPad, int kb) {
        packed(tA, tB, m, j0, j1, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, sA, 0, sB, 0, nPad, kb);
    }

    /**
     * C [m, n] = A·B on the calling thread, with A and B already packed in {@link #KC} slices as
     * {@link GemmPacking#packAWhole} and {@link GemmPacking#packBWhole} lay them out, from sA[aAt]
     * and sB[bAt] ({@link GemmPacking#packedAIndex}, {@link GemmPacking#packedBIndex}): for kernels
     * that write their operands in that order to begin with (Winograd's transforms).
     */
    static void prepacked(int m, int n, int k, float[] sA, int aAt, float[] sB, int bAt, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) return;
        if (k == 0) {
            scale(c, cOff, ldc, m, n, 0f);
            return;
        }
        packed(false, false, m, 0, n, k, 1f, null, 0, 0, null, 0, 0, 0f, c, cOff, ldc, sA, aAt, sB, bAt, roundUp(n, NR), KC);
    }

    /**
     * As {@link #prepacked}, with only B packed beforehand: A [m, k] (row-major, lda) is packed whole
     * here first (packed slice by slice inside the loop it ran at half the speed: a 512 × 512 A took
     * 40% of the product against 17%).
     */
    static void prepackedB(int m, int n, int k, float[] a, int aOff, int lda, float[] sB, int bAt, float[] c, int cOff, int ldc) {
        int mPad = roundUp(m, MR);
        float[][] shared = SHARED.get();
        if (shared[0].length < mPad * k) shared[0] = new float[mPad * k];
        if (m > 0 && n > 0 && k > 0) GemmPacking.packAWhole(false, a, aOff, lda, 0, m, k, mPad, shared[0], KC);
        prepacked(m, n, k, shared[0], 0, sB, bAt, c, cOff, ldc);
    }

    private static void packed(boolean tA, boolean tB, int m, int j0, int j1, int k, float alpha,
                               float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                               float beta, float[] c, int cOff, int ldc, float[] sA, int sAAt, float[] sB, int sBAt, int nPad, int kb) {
        float[][] buf = BUFFERS.get();
        int kMax = Math.min(kb, k);
        if (sA == null && buf[0].length < kMax * roundUp(Math.min(MC, m), MR)) buf[0] = new float[kMax * roundUp(Math.min(MC, m), MR)];
        if (sB == null && buf[1].length < kMax * roundUp(Math.min(NC, j1 - j0), NR)) buf[1] = new float[kMax * roundUp(Math.min(NC, j1 - j0), NR)];
        float[] packA = sA != null ? sA : buf[0], packB = sB != null ? sB : buf[1], tile = buf[2];
        int mPad = roundUp(m, MR);
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            for (int pc = 0; pc < k; pc += kb) {
                int kc = Math.min(kb, k - pc);
                int bBase = sB != null ? sBAt + pc * nPad + jc * kc : 0;
                if (sB == null) GemmPacking.packB(tB, b, bOff, ldb, pc, kc, jc, nc, packB, 0);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    int aBase = sA != null ? sAAt + pc * mPad + ic * kc : 0;
                    if (sA == null) GemmPacking.packA(tA, a, aOff, lda, ic, mc, pc, kc, packA, 0);
                    // With β = 0 the first slice of k overwrites C's tiles without reading them (no
                    // pass of zeros, no trip to memory for old values: 8–18% on the MLP's and LeNet's
                    // backward products, 3–6% of their training steps, alternating in one JVM).
                    // Otherwise β is applied to this block of C just before its first tiles are
                    // added, while it is about to be in cache anyway.
                    boolean overwrite = pc == 0 && beta == 0f;
                    if (pc == 0 && !overwrite) scale(c, cOff + ic * ldc + jc, ldc, mc, nc, beta);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int nr = Math.min(NR, nc - jr);
                        int pb = bBase + (jr / NR) * kc * NR;
                        for (int ir = 0; ir < mc; ir += MR) {
                            int mr = Math.min(MR, mc - ir);
                            int pa = aBase + (ir / MR) * kc * MR;
                            int cTile = cOff + (ic + ir) * ldc + jc + jr;
                            if (mr == MR && nr == NR) {
                                if (overwrite) GemmKernel.kernelStore(kc, packA, pa, packB, pb, c, cTile, ldc, alpha);
                                else GemmKernel.kernel(kc, packA, pa, packB, pb, c, cTile, ldc, alpha);
                            } else {
                                // An edge tile: compute a full tile into scratch, then write or add
                                // the part that exists.
                                GemmKernel.kernelStore(kc, packA, pa, packB, pb, tile, 0, NR, alpha);
                                for (int r = 0; r < mr; r++) {
                                    if (overwrite) {
                                        System.arraycopy(tile, r * NR, c, cTile + r * ldc, nr);
                                    } else {
                                        for (int q = 0; q < nr; q++) c[cTile + r * ldc + q] += tile[r * NR + q];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
