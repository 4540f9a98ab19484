package jgrad.backend.simd;

import static jgrad.backend.simd.Simd.F;
import static jgrad.backend.simd.Simd.LANES;
import static jgrad.backend.simd.Gemm.MR;
import static jgrad.backend.simd.Gemm.NR;

import jdk.incubator.vector.FloatVector;

/**
 * GEMM packing: copies of op(A) and op(B) laid out in the order the micro-kernel
 * ({@link GemmKernel}) reads them. op(A) goes into MR-tall strips and op(B) into NR-wide strips,
 * each k-major, so that every transpose and leading dimension becomes a unit-stride read and the
 * edges are padded with zeros:
 * <pre>
 *   packed A, one KC slice:  strip s, column p  at (s·kc + p)·MR   (the MR rows of A at step p)
 *   packed B, one KC slice:  strip s, row p     at (s·kc + p)·NR   (the NR columns of B at step p)
 * </pre>
 * {@link #packA} and {@link #packB} pack one slice of k (what a core packs for itself as it goes);
 * {@link #packAWhole} and {@link #packBWhole} pack a whole operand slice after slice, before any
 * kernel runs ({@link Gemm#PREPACK}), in slices of kb ({@link Gemm#KC}, or {@link Gemm#KC_BIG} for big products).
 */
final class GemmPacking {
    private GemmPacking() {}

    /**
     * All of op(A)'s rows i0…i1 (i0 a multiple of MR), slice after slice of k: slice pc at
     * pc·mPad, the strip of rows i… at i·kc within it, as {@link #packA} lays out one slice. A row
     * of an untransposed A is read once along its whole length.
     */
    static void packAWhole(boolean tA, float[] a, int aOff, int lda, int i0, int i1, int k, int mPad, float[] dst, int kb) {
        if (tA) {
            for (int pc = 0; pc < k; pc += kb) {
                int kc = Math.min(kb, k - pc);
                packA(true, a, aOff, lda, i0, i1 - i0, pc, kc, dst, pc * mPad + i0 * kc);
            }
            return;
        }
        for (int i = i0; i < i1; i += MR) {
            for (int r = 0; r < MR; r++) {
                for (int pc = 0; pc < k; pc += kb) {
                    int kc = Math.min(kb, k - pc), d = pc * mPad + i * kc + r;
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
    static void packBWhole(boolean tB, float[] b, int bOff, int ldb, int j0, int j1, int k, int nPad, float[] dst, int kb) {
        if (!tB) {
            for (int pc = 0; pc < k; pc += kb) {
                int kc = Math.min(kb, k - pc);
                packB(false, b, bOff, ldb, pc, kc, j0, j1 - j0, dst, pc * nPad + j0 * kc);
            }
            return;
        }
        for (int j = j0; j < j1; j += NR) {
            for (int pc = 0; pc < k; pc += kb) {
                int kc = Math.min(kb, k - pc);
                packB(true, b, bOff, ldb, pc, kc, j, Math.min(NR, j1 - j), dst, pc * nPad + j * kc);
            }
        }
    }

    /** op(B)[pc..pc+kc, jc..jc+nc] into strips of NR columns: strip s, row p at (s·kc + p)·NR. */
    static void packB(boolean tB, float[] b, int bOff, int ldb, int pc, int kc, int jc, int nc, float[] dst, int dstOff) {
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
    static void packA(boolean tA, float[] a, int aOff, int lda, int ic, int mc, int pc, int kc, float[] dst, int dstOff) {
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
     * Columns of packed A that one vector holds with its MR rows (LANES / MR: 4 on AVX-512, 2 on
     * AVX2): within a slice of kb, lane ℓ of such a block is row ℓ mod MR, column ℓ / MR, so a block
     * is written with one whole-vector store.
     */
    static final int A_VECTOR_COLS = Math.max(1, LANES / MR);

    /**
     * Where lane ℓ of a vector block of packed A reads its element (row ℓ mod MR, column ℓ / MR),
     * from the block's first, for a source with those strides: only the first rows × cols of the
     * block are live, the idle lanes read offset 0 (a masked gather checks every lane's index).
     */
    static int[] aVectorOffsets(int rowStride, int colStride, int rows, int cols) {
        int[] offsets = new int[LANES];
        for (int l = 0; l < LANES; l++) {
            if (l % MR < rows && l / MR < cols) offsets[l] = l % MR * rowStride + l / MR * colStride;
        }
        return offsets;
    }

    /** Where {@link #packAWhole} puts op(A)'s element (i, p), for m rows and k columns in slices of kb. */
    static int packedAIndex(int i, int p, int m, int k, int kb) {
        int pc = p / kb * kb, kc = Math.min(kb, k - pc);
        return pc * Gemm.roundUp(m, MR) + i / MR * MR * kc + (p - pc) * MR + i % MR;
    }

    /** Where {@link #packBWhole} puts op(B)'s element (p, j), for k rows and n columns in slices of kb. */
    static int packedBIndex(int p, int j, int n, int k, int kb) {
        int pc = p / kb * kb, kc = Math.min(kb, k - pc);
        return pc * Gemm.roundUp(n, NR) + j / NR * NR * kc + (p - pc) * NR + j % NR;
    }
}
