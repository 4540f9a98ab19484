package jgrad.backend.simd;

import static jgrad.backend.simd.Simd.F;
import static jgrad.backend.simd.Simd.LANES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

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
 * <p>Checked by: {@code jgrad.backend.BackendContractTest} (against the reference, on awkward shapes).
 */
final class Gemm {
    private Gemm() {}

    static final int MR = 4;
    static final int NR = 2 * LANES;
    static final int KC = Integer.getInteger("jgrad.gemm.kc", 256);
    static final int MC = roundUp(Integer.getInteger("jgrad.gemm.mc", 120), MR);
    static final int NC = roundUp(Integer.getInteger("jgrad.gemm.nc", 3072), NR);
    /** Below this many multiply-adds, packing costs more than it saves. */
    static final long SMALL = Long.getLong("jgrad.gemm.small", 48L * 48 * 48);
    /** For experiments and benchmarks: auto, packed or small (-Djgrad.gemm.path). */
    static final String PATH = System.getProperty("jgrad.gemm.path", "auto");
    /** Products with fewer rows or columns than this skip packing too (the MLP's 16-wide layers). */
    static final int SKINNY = Integer.getInteger("jgrad.gemm.skinny", 32);
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

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    /** Per-thread packing buffers, reused across calls (no allocation per GEMM). */
    private static final ThreadLocal<float[][]> BUFFERS =
            ThreadLocal.withInitial(() -> new float[][] {new float[MC * KC], new float[KC * NC], new float[MR * NR]});

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
            small = work <= SMALL || Math.min(m, n) < SKINNY;
        }
        if (!(tA && tB) && small) {
            scale(c, cOff, ldc, m, n, beta);
            small(tA, tB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
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
                if (i0 < i1) packAWhole(tA, a, aOff, lda, i0, i1, k, mPad, sA);
                int j0 = part * perPart, j1 = Math.min(n, j0 + perPart);
                if (j0 < j1) packBWhole(tB, b, bOff, ldb, j0, j1, k, nPad, sB);
            });
            Parallel.run(parts, part -> {
                int j0 = part * perPart, j1 = Math.min(n, j0 + perPart);
                if (j0 < j1) packed(tA, tB, m, j0, j1, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, sA, sB, nPad);
            });
            return;
        }
        Parallel.run(parts, part -> {
            int j0 = part * perPart, j1 = Math.min(n, j0 + perPart);
            if (j0 < j1) packed(tA, tB, m, j0, j1, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, null, null, 0);
        });
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
    private static final long PREPACK_MAX = 1L << 18;
    /** The calling thread's buffers for whole packed A and B (shared with the workers during a call). */
    private static final ThreadLocal<float[][]> SHARED = ThreadLocal.withInitial(() -> new float[][] {new float[0], new float[0]});

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
                               float beta, float[] c, int cOff, int ldc, float[] sA, float[] sB, int nPad) {
        float[][] buf = BUFFERS.get();
        float[] packA = sA != null ? sA : buf[0], packB = sB != null ? sB : buf[1], tile = buf[2];
        int mPad = roundUp(m, MR);
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                int bBase = sB != null ? pc * nPad + jc * kc : 0;
                if (sB == null) packB(tB, b, bOff, ldb, pc, kc, jc, nc, packB, 0);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    int aBase = sA != null ? pc * mPad + ic * kc : 0;
                    if (sA == null) packA(tA, a, aOff, lda, ic, mc, pc, kc, packA, 0);
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
                                if (overwrite) kernelStore(kc, packA, pa, packB, pb, c, cTile, ldc, alpha);
                                else kernel(kc, packA, pa, packB, pb, c, cTile, ldc, alpha);
                            } else {
                                // An edge tile: compute a full tile into scratch, then write or add
                                // the part that exists.
                                kernelStore(kc, packA, pa, packB, pb, tile, 0, NR, alpha);
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

    /**
     * All of op(A)'s rows i0…i1 (i0 a multiple of MR), slice after slice of k: slice pc at
     * pc·mPad, the strip of rows i… at i·kc within it, as {@link #packA} lays out one slice. A row
     * of an untransposed A is read once along its whole length.
     */
    private static void packAWhole(boolean tA, float[] a, int aOff, int lda, int i0, int i1, int k, int mPad, float[] dst) {
        if (tA) {
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                packA(true, a, aOff, lda, i0, i1 - i0, pc, kc, dst, pc * mPad + i0 * kc);
            }
            return;
        }
        for (int i = i0; i < i1; i += MR) {
            for (int r = 0; r < MR; r++) {
                for (int pc = 0; pc < k; pc += KC) {
                    int kc = Math.min(KC, k - pc), d = pc * mPad + i * kc + r;
                    if (i + r < i1) {
                        for (int p = 0, src = aOff + (i + r) * lda + pc; p < kc; p++, d += MR) dst[d] = a[src + p];
                    } else {
                        for (int p = 0; p < kc; p++, d += MR) dst[d] = 0f;
                    }
                }
            }
        }
    }

    /**
     * All of op(B)'s columns j0…j1 (j0 a multiple of NR), slice after slice of k: slice pc at
     * pc·nPad, the strip of columns j… at j·kc within it, as {@link #packB} lays out one slice. A
     * transposed B is read strip by strip, each of its NR rows on through the slices of k, so that
     * what one slice of a strip writes (KC·NR floats) stays in L1 while its rows are read. (Each row
     * along its whole length first spread a strip's writes over 50 KB of L2: in six alternating runs
     * of the 784-128-64-10 step the forward's packing took 67–112 µs that way against 60–95 this way,
     * less in five of them.)
     */
    private static void packBWhole(boolean tB, float[] b, int bOff, int ldb, int j0, int j1, int k, int nPad, float[] dst) {
        if (!tB) {
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                packB(false, b, bOff, ldb, pc, kc, j0, j1 - j0, dst, pc * nPad + j0 * kc);
            }
            return;
        }
        for (int j = j0; j < j1; j += NR) {
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                packB(true, b, bOff, ldb, pc, kc, j, Math.min(NR, j1 - j), dst, pc * nPad + j * kc);
            }
        }
    }

    /** op(B)[pc..pc+kc, jc..jc+nc] into strips of NR columns: strip s, row p at (s·kc + p)·NR. */
    private static void packB(boolean tB, float[] b, int bOff, int ldb, int pc, int kc, int jc, int nc, float[] dst, int dstOff) {
        for (int s = 0; s * NR < nc; s++) {
            int j = jc + s * NR, width = Math.min(NR, nc - s * NR);
            int base = dstOff + s * kc * NR;
            if (tB) {
                // Column q of the strip is row j+q of the stored B: read it along its length (the
                // other order read NR rows at once, one float from each, at half the speed).
                for (int q = 0; q < width; q++) {
                    for (int p = 0, src = bOff + (j + q) * ldb + pc, d = base + q; p < kc; p++, d += NR) dst[d] = b[src + p];
                }
                for (int q = width; q < NR; q++) {
                    for (int p = 0, d = base + q; p < kc; p++, d += NR) dst[d] = 0f;
                }
                continue;
            }
            if (width == NR) {
                // A whole strip row is two vectors: copied as two loads and two stores (0.16 ns per
                // float for the MLP's 64×784 batch, against 0.47 with System.arraycopy, whose call
                // costs more than 64 bytes of copying).
                for (int p = 0, src = bOff + pc * ldb + j, d = base; p < kc; p++, src += ldb, d += NR) {
                    FloatVector.fromArray(F, b, src).intoArray(dst, d);
                    FloatVector.fromArray(F, b, src + LANES).intoArray(dst, d + LANES);
                }
                continue;
            }
            for (int p = 0; p < kc; p++) {
                int d = base + p * NR;
                System.arraycopy(b, bOff + (pc + p) * ldb + j, dst, d, width);
                for (int q = width; q < NR; q++) dst[d + q] = 0f;
            }
        }
    }

    /** op(A)[ic..ic+mc, pc..pc+kc] into strips of MR rows: strip s, column p at (s·kc + p)·MR. */
    private static void packA(boolean tA, float[] a, int aOff, int lda, int ic, int mc, int pc, int kc, float[] dst, int dstOff) {
        for (int s = 0; s * MR < mc; s++) {
            int i = ic + s * MR, height = Math.min(MR, mc - s * MR);
            int base = dstOff + s * kc * MR;
            if (!tA) {
                for (int r = 0; r < height; r++) {
                    int src = aOff + (i + r) * lda + pc;
                    for (int p = 0; p < kc; p++) dst[base + p * MR + r] = a[src + p];
                }
            } else if (MR == 4 && height == 4) {
                // Four floats per step: a plain loop (System.arraycopy's call cost is more than the copy).
                for (int p = 0, src = aOff + pc * lda + i, d = base; p < kc; p++, src += lda, d += MR) {
                    dst[d] = a[src];
                    dst[d + 1] = a[src + 1];
                    dst[d + 2] = a[src + 2];
                    dst[d + 3] = a[src + 3];
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    System.arraycopy(a, aOff + (pc + p) * lda + i, dst, base + p * MR, height);
                }
            }
            for (int r = height; r < MR; r++) {
                for (int p = 0; p < kc; p++) dst[base + p * MR + r] = 0f;
            }
        }
    }

    /**
     * C[0..4, 0..NR] += α · Aₚ·Bₚ over kc steps, with A packed MR per step and B packed NR per step.
     * Eight accumulators live in registers for the whole loop: no arrays of vectors, no fields.
     * (A 6-row tile needs 15 of AVX2's 16 registers; C2 then spills and runs 7× slower, measured.)
     */
    static void kernel(int kc, float[] pa, int aAt, float[] pb, int bAt, float[] c, int cAt, int ldc, float alpha) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        for (int p = 0; p < kc; p++) {
            int bp = bAt + p * NR, ap = aAt + p * MR;
            FloatVector b0 = FloatVector.fromArray(F, pb, bp);
            FloatVector b1 = FloatVector.fromArray(F, pb, bp + LANES);
            FloatVector x = FloatVector.broadcast(F, pa[ap]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(F, pa[ap + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(F, pa[ap + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(F, pa[ap + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        addRow(c, cAt, c00, c01, alpha);
        addRow(c, cAt + ldc, c10, c11, alpha);
        addRow(c, cAt + 2 * ldc, c20, c21, alpha);
        addRow(c, cAt + 3 * ldc, c30, c31, alpha);
    }

    /**
     * As {@link #kernel}, but C's tile is overwritten with α·Aₚ·Bₚ, never read (β = 0, first slice of
     * k). The loop is kernel's, repeated: C2 keeps vectors in registers only within one method, and a
     * flag choosing the epilogue after the loop made it box the accumulators (10–20 GFLOP/s, measured).
     */
    static void kernelStore(int kc, float[] pa, int aAt, float[] pb, int bAt, float[] c, int cAt, int ldc, float alpha) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        for (int p = 0; p < kc; p++) {
            int bp = bAt + p * NR, ap = aAt + p * MR;
            FloatVector b0 = FloatVector.fromArray(F, pb, bp);
            FloatVector b1 = FloatVector.fromArray(F, pb, bp + LANES);
            FloatVector x = FloatVector.broadcast(F, pa[ap]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(F, pa[ap + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(F, pa[ap + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(F, pa[ap + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        setRow(c, cAt, c00, c01, alpha);
        setRow(c, cAt + ldc, c10, c11, alpha);
        setRow(c, cAt + 2 * ldc, c20, c21, alpha);
        setRow(c, cAt + 3 * ldc, c30, c31, alpha);
    }

    private static void setRow(float[] c, int at, FloatVector v0, FloatVector v1, float alpha) {
        v0.mul(alpha).intoArray(c, at);
        v1.mul(alpha).intoArray(c, at + LANES);
    }

    private static void addRow(float[] c, int at, FloatVector v0, FloatVector v1, float alpha) {
        FloatVector.fromArray(F, c, at).add(v0.mul(alpha)).intoArray(c, at);
        FloatVector.fromArray(F, c, at + LANES).add(v1.mul(alpha)).intoArray(c, at + LANES);
    }

    // ---- the small path -------------------------------------------------------------------

    private static void small(boolean tA, boolean tB, int m, int n, int k, float alpha,
                              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                              float[] c, int cOff, int ldc) {
        if (!tB && m < 16) {
            // Few rows (a convolution's K filters): split the columns instead, so each core keeps
            // whole 4-row blocks.
            int strips = (n + 2 * LANES - 1) / (2 * LANES);
            int parts = Parallel.partsFor(2L * m * n * k, strips);
            int per = (strips + parts - 1) / Math.max(1, parts) * 2 * LANES;
            Parallel.run(parts, part -> {
                int j0 = part * per, j1 = Math.min(n, j0 + per);
                if (j0 < j1) axpyRows(tA, 0, m, j1 - j0, k, alpha, a, aOff, lda, b, bOff + j0, ldb, c, cOff + j0, ldc);
            });
            return;
        }
        int parts = Parallel.partsFor(2L * m * n * k, m);
        int rowsPer = (m + parts - 1) / parts;
        Parallel.run(parts, part -> {
            int i0 = part * rowsPer, i1 = Math.min(m, i0 + rowsPer);
            if (tB && !tA) {
                dotRows(i0, i1, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
            } else if (!tB) {
                axpyRows(tA, i0, i1, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
            } else {
                // Both transposed: C[i][j] += α Σₚ a[p·lda + i] · b[j·ldb + p]. Rare; plain loops.
                for (int i = i0; i < i1; i++) {
                    for (int j = 0; j < n; j++) {
                        float s = 0f;
                        for (int p = 0; p < k; p++) s += a[aOff + p * lda + i] * b[bOff + j * ldb + p];
                        c[cOff + i * ldc + j] += alpha * s;
                    }
                }
            }
        });
    }

    /**
     * C[i][j] += α · (row i of A) · (row j of B): both run along k, so each output is a vector dot
     * product. Blocks of 2 rows of A × 4 rows of B keep 8 accumulators in registers and load each
     * vector once for two or four products (6 loads per 8 FMAs).
     */
    private static void dotRows(int i0, int i1, int n, int k, float alpha, float[] a, int aOff, int lda,
                                float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        int pairsEnd = i0 + (i1 - i0) / 2 * 2;
        // B's 4-row blocks outside, A's row pairs inside: a block of B (4·k floats) stays in L1 while
        // this part's rows of A stream from L2, so B is read from memory once. (The other order read
        // all of B once per pair of rows: for the MLP's 784 → 128 layer, 401 KB of weights plus the
        // rows of A overflowed the 512 KB L2 and every pass came from L3.)
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            for (int i = i0; i < pairsEnd; i += 2) {
                int a0 = aOff + i * lda;
                dot2x4(k, alpha, a, a0, a0 + lda, b, bOff + j * ldb, ldb, c, cOff + i * ldc + j, ldc);
            }
        }
        for (int i = i0; i < pairsEnd; i += 2) {
            int a0 = aOff + i * lda, a1 = a0 + lda, ci = cOff + i * ldc;
            for (int jj = j; jj < n; jj++) {
                c[ci + jj] += alpha * dot(k, a, a0, b, bOff + jj * ldb);
                c[ci + ldc + jj] += alpha * dot(k, a, a1, b, bOff + jj * ldb);
            }
        }
        for (int i = pairsEnd; i < i1; i++) {
            int ai = aOff + i * lda, ci = cOff + i * ldc;
            for (int jj = 0; jj < n; jj++) c[ci + jj] += alpha * dot(k, a, ai, b, bOff + jj * ldb);
        }
    }

    /** The 2×4 block of dot products: rows a0, a1 of A against rows b0 … b0+3·ldb of B. */
    private static void dot2x4(int k, float alpha, float[] a, int a0, int a1, float[] b, int b0, int ldb,
                               float[] c, int ci, int ldc) {
        int b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
        FloatVector s00 = FloatVector.zero(F), s01 = FloatVector.zero(F), s02 = FloatVector.zero(F), s03 = FloatVector.zero(F);
        FloatVector s10 = FloatVector.zero(F), s11 = FloatVector.zero(F), s12 = FloatVector.zero(F), s13 = FloatVector.zero(F);
        int bound = F.loopBound(k), p = 0;
        for (; p < bound; p += LANES) {
            FloatVector x0 = FloatVector.fromArray(F, a, a0 + p), x1 = FloatVector.fromArray(F, a, a1 + p);
            FloatVector y = FloatVector.fromArray(F, b, b0 + p);
            s00 = x0.fma(y, s00);
            s10 = x1.fma(y, s10);
            y = FloatVector.fromArray(F, b, b1 + p);
            s01 = x0.fma(y, s01);
            s11 = x1.fma(y, s11);
            y = FloatVector.fromArray(F, b, b2 + p);
            s02 = x0.fma(y, s02);
            s12 = x1.fma(y, s12);
            y = FloatVector.fromArray(F, b, b3 + p);
            s03 = x0.fma(y, s03);
            s13 = x1.fma(y, s13);
        }
        float d00 = Pointwise.sumLanes(s00), d01 = Pointwise.sumLanes(s01), d02 = Pointwise.sumLanes(s02), d03 = Pointwise.sumLanes(s03);
        float d10 = Pointwise.sumLanes(s10), d11 = Pointwise.sumLanes(s11), d12 = Pointwise.sumLanes(s12), d13 = Pointwise.sumLanes(s13);
        for (; p < k; p++) {
            float x0 = a[a0 + p], x1 = a[a1 + p];
            d00 += x0 * b[b0 + p];
            d01 += x0 * b[b1 + p];
            d02 += x0 * b[b2 + p];
            d03 += x0 * b[b3 + p];
            d10 += x1 * b[b0 + p];
            d11 += x1 * b[b1 + p];
            d12 += x1 * b[b2 + p];
            d13 += x1 * b[b3 + p];
        }
        c[ci] += alpha * d00;
        c[ci + 1] += alpha * d01;
        c[ci + 2] += alpha * d02;
        c[ci + 3] += alpha * d03;
        c[ci + ldc] += alpha * d10;
        c[ci + ldc + 1] += alpha * d11;
        c[ci + ldc + 2] += alpha * d12;
        c[ci + ldc + 3] += alpha * d13;
    }

    /** One vector dot product of k elements, a[ai…] · b[bj…]. */
    private static float dot(int k, float[] a, int ai, float[] b, int bj) {
        int bound = F.loopBound(k), p = 0;
        FloatVector s = FloatVector.zero(F);
        for (; p < bound; p += LANES) s = FloatVector.fromArray(F, a, ai + p).fma(FloatVector.fromArray(F, b, bj + p), s);
        float d = Pointwise.sumLanes(s);
        for (; p < k; p++) d += a[ai + p] * b[bj + p];
        return d;
    }

    /**
     * C += α·op(A)·B with B row-major, no packing: each 4-row × 2-vector block of C is accumulated
     * in registers over all of k (4 scalars of A broadcast, 2 vectors of B loaded per step), then
     * added to C once. Leftover rows and columns take narrower versions of the same loop.
     */
    private static void axpyRows(boolean tA, int i0, int i1, int n, int k, float alpha, float[] a, int aOff, int lda,
                                 float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        int rowStep = tA ? 1 : lda, colStep = tA ? lda : 1;  // A(i, p) = a[aOff + i·rowStep + p·colStep]
        int i = i0;
        for (; i + 4 <= i1; i += 4) {
            int j = 0;
            for (; j + 2 * LANES <= n; j += 2 * LANES) {
                FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F), c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
                FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F), c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
                for (int p = 0; p < k; p++) {
                    int bp = bOff + p * ldb + j, ap = aOff + i * rowStep + p * colStep;
                    FloatVector b0 = FloatVector.fromArray(F, b, bp), b1 = FloatVector.fromArray(F, b, bp + LANES);
                    FloatVector x = FloatVector.broadcast(F, a[ap]);
                    c00 = x.fma(b0, c00);
                    c01 = x.fma(b1, c01);
                    x = FloatVector.broadcast(F, a[ap + rowStep]);
                    c10 = x.fma(b0, c10);
                    c11 = x.fma(b1, c11);
                    x = FloatVector.broadcast(F, a[ap + 2 * rowStep]);
                    c20 = x.fma(b0, c20);
                    c21 = x.fma(b1, c21);
                    x = FloatVector.broadcast(F, a[ap + 3 * rowStep]);
                    c30 = x.fma(b0, c30);
                    c31 = x.fma(b1, c31);
                }
                int ci = cOff + i * ldc + j;
                addRow(c, ci, c00, c01, alpha);
                addRow(c, ci + ldc, c10, c11, alpha);
                addRow(c, ci + 2 * ldc, c20, c21, alpha);
                addRow(c, ci + 3 * ldc, c30, c31, alpha);
            }
            for (int r = 0; r < 4; r++) axpyRow(i + r, j, n, k, alpha, a, aOff, rowStep, colStep, b, bOff, ldb, c, cOff, ldc);
        }
        for (; i < i1; i++) axpyRow(i, 0, n, k, alpha, a, aOff, rowStep, colStep, b, bOff, ldb, c, cOff, ldc);
    }

    /** Row i, columns j0…n−1 of C += α·A(i,:)·B, one vector of columns at a time. */
    private static void axpyRow(int i, int j0, int n, int k, float alpha, float[] a, int aOff, int rowStep, int colStep,
                                float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        int ci = cOff + i * ldc, ai = aOff + i * rowStep;
        int j = j0;
        for (; j + LANES <= n; j += LANES) {
            FloatVector acc = FloatVector.zero(F);
            for (int p = 0; p < k; p++) acc = FloatVector.broadcast(F, a[ai + p * colStep]).fma(FloatVector.fromArray(F, b, bOff + p * ldb + j), acc);
            FloatVector.fromArray(F, c, ci + j).add(acc.mul(alpha)).intoArray(c, ci + j);
        }
        for (; j < n; j++) {
            float sum = 0f;
            for (int p = 0; p < k; p++) sum += a[ai + p * colStep] * b[bOff + p * ldb + j];
            c[ci + j] += alpha * sum;
        }
    }
}
