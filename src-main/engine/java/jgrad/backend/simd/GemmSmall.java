package jgrad.backend.simd;

import static jgrad.backend.simd.Simd.F;
import static jgrad.backend.simd.Simd.LANES;

import jdk.incubator.vector.FloatVector;

/**
 * GEMM without packing, for small products (the MLP's 64×784·784×16) where copying the operands
 * costs more than it saves ({@link Gemm} decides): a dot-product loop when B is transposed (both
 * operands then run along k), an axpy loop over rows of B otherwise. C has already been scaled by β;
 * these add α·op(A)·op(B) to it.
 */
final class GemmSmall {
    private GemmSmall() {}

    /** C += α·op(A)·op(B), the rows (or, for few rows, the columns) of C split between the cores. */
    static void small(boolean tA, boolean tB, int m, int n, int k, float alpha,
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
        float[] lanes = new float[8 * LANES];
        for (; j + 4 <= n; j += 4) {
            for (int i = i0; i < pairsEnd; i += 2) {
                int a0 = aOff + i * lda;
                dot2x4(k, alpha, a, a0, a0 + lda, b, bOff + j * ldb, ldb, c, cOff + i * ldc + j, ldc, lanes);
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
                               float[] c, int ci, int ldc, float[] lanes) {
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
        // Each sum across lanes, left to right as Pointwise.sumLanes adds them, but the eight
        // together from a scratch copy: eight chains of adds interleaved instead of one lane
        // extraction after another (at 16 lanes those took longer than the 784-long loop above:
        // the MLP's 64×16×784 forward went 34 → 19 µs, one thread).
        s00.intoArray(lanes, 0);
        s01.intoArray(lanes, LANES);
        s02.intoArray(lanes, 2 * LANES);
        s03.intoArray(lanes, 3 * LANES);
        s10.intoArray(lanes, 4 * LANES);
        s11.intoArray(lanes, 5 * LANES);
        s12.intoArray(lanes, 6 * LANES);
        s13.intoArray(lanes, 7 * LANES);
        float d00 = 0f, d01 = 0f, d02 = 0f, d03 = 0f, d10 = 0f, d11 = 0f, d12 = 0f, d13 = 0f;
        for (int l = 0; l < LANES; l++) {
            d00 += lanes[l];
            d01 += lanes[LANES + l];
            d02 += lanes[2 * LANES + l];
            d03 += lanes[3 * LANES + l];
            d10 += lanes[4 * LANES + l];
            d11 += lanes[5 * LANES + l];
            d12 += lanes[6 * LANES + l];
            d13 += lanes[7 * LANES + l];
        }
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
                GemmKernel.addRow(c, ci, c00, c01, alpha);
                GemmKernel.addRow(c, ci + ldc, c10, c11, alpha);
                GemmKernel.addRow(c, ci + 2 * ldc, c20, c21, alpha);
                GemmKernel.addRow(c, ci + 3 * ldc, c30, c31, alpha);
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
