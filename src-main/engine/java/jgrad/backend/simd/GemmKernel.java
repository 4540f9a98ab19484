package jgrad.backend.simd;

import static jgrad.backend.simd.Simd.F;
import static jgrad.backend.simd.Simd.LANES;
import static jgrad.backend.simd.Gemm.MR;
import static jgrad.backend.simd.Gemm.NR;

import jdk.incubator.vector.FloatVector;

/**
 * The GEMM micro-kernel: one MR×KC strip of packed A times one KC×NR strip of packed B
 * ({@link GemmPacking}) into an MR×NR tile of C held in registers. MR = 4 rows × 2 vectors = 8
 * accumulators; per k step 2 vector loads, 4 broadcasts and 8 FMAs (11 of AVX2's 16 vector
 * registers). Two copies of the loop, one adding to C and one overwriting it: see {@link #kernelStore}.
 */
final class GemmKernel {
    private GemmKernel() {}

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

    static void addRow(float[] c, int at, FloatVector v0, FloatVector v1, float alpha) {
        FloatVector.fromArray(F, c, at).add(v0.mul(alpha)).intoArray(c, at);
        FloatVector.fromArray(F, c, at + LANES).add(v1.mul(alpha)).intoArray(c, at + LANES);
    }
}
