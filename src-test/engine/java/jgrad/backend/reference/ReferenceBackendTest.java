package jgrad.backend.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import jgrad.backend.BinaryOp;
import jgrad.backend.Buffer;
import jgrad.backend.Layout;
import jgrad.backend.ReduceOp;
import jgrad.backend.UnaryOp;
import jgrad.tensor.Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The oracle's own oracle: hand values and naive loops written independently of it. */
class ReferenceBackendTest {
    private final ReferenceBackend backend = new ReferenceBackend();

    private static float[] random(long seed, int n) {
        Generator g = new Generator(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = g.nextGaussian();
        return v;
    }

    private float[] contents(Buffer b) {
        return backend.read(b, Layout.contiguous(b.capacity()));
    }

    // ---- gemm -------------------------------------------------------------------------------

    /**
     * Stores a logical m×k matrix X (row-major in {@code x}) as op(X) would be stored: X itself, or
     * Xᵀ when {@code trans}, with leading dimension {@code ld} (≥ the stored row length) and
     * {@code offset} unused elements in front, filled with NaN so that a stray read shows.
     */
    private static float[] store(float[] x, int rows, int cols, boolean trans, int ld, int offset) {
        int storedRows = trans ? cols : rows;
        float[] out = new float[offset + storedRows * ld];
        Arrays.fill(out, Float.NaN);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[offset + (trans ? j * ld + i : i * ld + j)] = x[i * cols + j];
            }
        }
        return out;
    }

    /** C = alpha·A·B + beta·C0 with plain loops in double. */
    private static float[] naiveGemm(float[] a, float[] b, float[] c0, int m, int n, int k, float alpha, float beta) {
        float[] c = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) s += (double) a[i * k + p] * b[p * n + j];
                c[i * n + j] = (float) (alpha * s + (beta == 0 ? 0 : beta * c0[i * n + j]));
            }
        }
        return c;
    }

    @ParameterizedTest(name = "transA={0}, transB={1}")
    @CsvSource({"false,false", "true,false", "false,true", "true,true"})
    void gemmMatchesNaiveLoopForEveryTransposeCombination(boolean transA, boolean transB) {
        int m = 5, n = 3, k = 7;  // primes and non-multiples: no shape lines up by accident
        float[] a = random(1, m * k), b = random(2, k * n);
        int lda = (transA ? m : k) + 2, ldb = (transB ? k : n) + 1, ldc = n + 3;
        Buffer aBuf = backend.upload(store(a, m, k, transA, lda, 4));
        Buffer bBuf = backend.upload(store(b, k, n, transB, ldb, 1));
        Buffer cBuf = backend.upload(store(new float[m * n], m, n, false, ldc, 2));  // NaN padding, zeros inside
        backend.gemm(transA, transB, 1, m, n, k, 1f, aBuf, 4, lda, 0, bBuf, 1, ldb, 0, 0f, cBuf, 2, ldc, 0);

        float[] expected = naiveGemm(a, b, null, m, n, k, 1f, 0f);
        float[] c = contents(cBuf);
        for (int i = 0; i < m; i++) {
            float[] row = Arrays.copyOfRange(c, 2 + i * ldc, 2 + i * ldc + n);
            assertThat(row).as("row %d of C (transA=%s, transB=%s)", i, transA, transB)
                    .containsExactly(Arrays.copyOfRange(expected, i * n, i * n + n), within(1e-5f));
        }
        assertThat(c[0]).as("padding before C untouched").isNaN();
        assertThat(c[2 + n]).as("padding between rows of C untouched").isNaN();
    }

    @Test
    void gemmScalesByAlphaAndAddsBetaTimesC() {
        float[] a = {1, 2, 3, 4};  // [[1,2],[3,4]]
        float[] b = {5, 6, 7, 8};  // [[5,6],[7,8]]; A·B = [[19,22],[43,50]]
        float[] c0 = {1, 1, 2, 2};
        Buffer c = backend.upload(c0);
        backend.gemm(false, false, 1, 2, 2, 2, 2f, backend.upload(a), 0, 2, 0, backend.upload(b), 0, 2, 0, 0.5f, c, 0, 2, 0);
        // 2·A·B + 0.5·C0
        assertThat(contents(c)).containsExactly(38.5f, 44.5f, 87f, 101f);
        assertThat(contents(c)).containsExactly(naiveGemm(a, b, c0, 2, 2, 2, 2f, 0.5f));
    }

    @Test
    void gemmWithBetaZeroIgnoresNaNInC() {
        Buffer c = backend.upload(new float[] {Float.NaN, Float.NaN, Float.NaN, Float.NaN});
        backend.gemm(false, false, 1, 2, 2, 1, 1f, backend.upload(new float[] {1, 2}), 0, 1, 0,
                backend.upload(new float[] {3, 4}), 0, 2, 0, 0f, c, 0, 2, 0);
        assertThat(contents(c)).as("[1;2]·[3 4] with C full of NaN").containsExactly(3, 4, 6, 8);
    }

    @Test
    void batchedGemmStepsThroughEachBatchStride() {
        int batch = 3, m = 2, n = 4, k = 3;
        float[] a = random(3, batch * m * k);
        float[] b = random(4, k * n);  // one B shared by every batch: batch stride 0
        Buffer c = backend.allocate(batch * m * n);
        backend.gemm(false, false, batch, m, n, k, 1f, backend.upload(a), 0, k, m * k,
                backend.upload(b), 0, n, 0, 0f, c, 0, n, m * n);
        float[] cv = contents(c);
        for (int t = 0; t < batch; t++) {
            float[] expected = naiveGemm(Arrays.copyOfRange(a, t * m * k, (t + 1) * m * k), b, null, m, n, k, 1f, 0f);
            assertThat(Arrays.copyOfRange(cv, t * m * n, (t + 1) * m * n)).as("batch %d", t).containsExactly(expected, within(1e-5f));
        }
    }

    @Test
    void batchedGemmWithTransposedOperandsAndPaddedBatches() {
        int batch = 2, m = 3, n = 2, k = 4;
        float[][] as = {random(5, m * k), random(6, m * k)}, bs = {random(7, k * n), random(8, k * n)};
        int lda = m, aStride = k * lda + 5;   // Aᵀ stored k×m, 5 unused floats between batches
        int ldb = k + 1, bStride = n * ldb;   // Bᵀ stored n×k with a padded row
        float[] aStore = new float[batch * aStride], bStore = new float[batch * bStride];
        for (int t = 0; t < batch; t++) {
            System.arraycopy(store(as[t], m, k, true, lda, 0), 0, aStore, t * aStride, k * lda);
            System.arraycopy(store(bs[t], k, n, true, ldb, 0), 0, bStore, t * bStride, n * ldb);
        }
        Buffer c = backend.allocate(batch * m * n);
        backend.gemm(true, true, batch, m, n, k, 1f, backend.upload(aStore), 0, lda, aStride,
                backend.upload(bStore), 0, ldb, bStride, 0f, c, 0, n, m * n);
        float[] cv = contents(c);
        for (int t = 0; t < batch; t++) {
            assertThat(Arrays.copyOfRange(cv, t * m * n, (t + 1) * m * n)).as("batch %d of Aᵀᵀ·Bᵀᵀ", t)
                    .containsExactly(naiveGemm(as[t], bs[t], null, m, n, k, 1f, 0f), within(1e-5f));
        }
    }

    // ---- reduce -----------------------------------------------------------------------------

    /** x[o][j][i] = 100·o + 10·j + i for a [2, 3, 2] block after {@code offset} padding elements. */
    private Buffer block(int offset) {
        float[] v = new float[offset + 12];
        Arrays.fill(v, 0, offset, 1e6f);
        for (int o = 0, n = offset; o < 2; o++) for (int j = 0; j < 3; j++) for (int i = 0; i < 2; i++) v[n++] = 100 * o + 10 * j + i;
        return backend.upload(v);
    }

    @Test
    void reduceSumOverTheMiddleAxis() {
        Buffer out = backend.allocate(4);
        backend.reduce(ReduceOp.SUM, block(3), 3, 2, 3, 2, out);
        // Σⱼ (100o + 10j + i) = 300o + 30 + 3i
        assertThat(contents(out)).containsExactly(30, 33, 330, 333);
    }

    @Test
    void reduceMaxAndArgmaxOverTheMiddleAxis() {
        Buffer max = backend.allocate(4), arg = backend.allocate(4);
        backend.reduce(ReduceOp.MAX, block(1), 1, 2, 3, 2, max);
        backend.reduce(ReduceOp.ARGMAX, block(1), 1, 2, 3, 2, arg);
        assertThat(contents(max)).containsExactly(20, 21, 120, 121);
        assertThat(contents(arg)).containsExactly(2, 2, 2, 2);
    }

    @Test
    void reduceOverTheLastAndFirstAxis() {
        float[] v = {3, 9, 1, 7, 2, 8};  // [[3,9,1],[7,2,8]]
        Buffer x = backend.upload(v), rows = backend.allocate(2), cols = backend.allocate(3), arg = backend.allocate(3);
        backend.reduce(ReduceOp.SUM, x, 0, 2, 3, 1, rows);   // [outer=2, n=3, inner=1]
        backend.reduce(ReduceOp.MAX, x, 0, 1, 2, 3, cols);   // [outer=1, n=2, inner=3]
        backend.reduce(ReduceOp.ARGMAX, x, 0, 1, 2, 3, arg);
        assertThat(contents(rows)).as("row sums").containsExactly(13, 17);
        assertThat(contents(cols)).as("column maxima").containsExactly(7, 9, 8);
        assertThat(contents(arg)).as("column argmax").containsExactly(1, 0, 1);
    }

    @Test
    void argmaxTakesTheFirstMaximumAndNaNWins() {
        Buffer out = backend.allocate(1);
        backend.reduce(ReduceOp.ARGMAX, backend.upload(new float[] {1, 5, 5, 2}), 0, 1, 4, 1, out);
        assertThat(contents(out)).as("argmax [1,5,5,2]").containsExactly(1);
        backend.reduce(ReduceOp.ARGMAX, backend.upload(new float[] {1, Float.NaN, 5}), 0, 1, 3, 1, out);
        assertThat(contents(out)).as("argmax [1,NaN,5]").containsExactly(1);
        backend.reduce(ReduceOp.MAX, backend.upload(new float[] {1, Float.NaN, 5}), 0, 1, 3, 1, out);
        assertThat(contents(out)[0]).as("max [1,NaN,5]").isNaN();
    }

    @Test
    void reduceOverNoElementsGivesTheIdentity() {
        Buffer out = backend.allocate(2);
        backend.reduce(ReduceOp.SUM, backend.allocate(0), 0, 2, 0, 1, out);
        assertThat(contents(out)).containsExactly(0, 0);
        backend.reduce(ReduceOp.MAX, backend.allocate(0), 0, 2, 0, 1, out);
        assertThat(contents(out)).containsExactly(Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY);
    }

    // ---- elementwise through layouts ---------------------------------------------------------

    @Test
    void zipReadsBroadcastAndTransposedLayouts() {
        Buffer m = backend.upload(new float[] {1, 2, 3, 4, 5, 6});          // [[1,2,3],[4,5,6]]
        Buffer row = backend.upload(new float[] {10, 20});
        Buffer out = backend.allocate(6);
        Layout mT = new Layout(new int[] {3, 2}, new int[] {1, 3}, 0);      // [[1,4],[2,5],[3,6]]
        Layout rowB = new Layout(new int[] {3, 2}, new int[] {0, 1}, 0);    // [10,20] on every row
        backend.zip(BinaryOp.ADD, m, mT, row, rowB, out, Layout.contiguous(3, 2));
        assertThat(contents(out)).containsExactly(11, 24, 12, 25, 13, 26);
    }

    @Test
    void mapZipScalarFillAndCopyWriteThroughTheOutputLayout() {
        Buffer x = backend.upload(new float[] {-1, 4, -9, 16});
        Buffer out = backend.upload(new float[] {0, 0, 0, 0, 0, 0, 0, 0});
        Layout everyOther = new Layout(new int[] {4}, new int[] {2}, 1);
        backend.map(UnaryOp.ABS, x, Layout.contiguous(4), out, everyOther);
        assertThat(contents(out)).containsExactly(0, 1, 0, 4, 0, 9, 0, 16);
        backend.zipScalar(BinaryOp.MUL, x, Layout.contiguous(4), -2f, out, everyOther);
        assertThat(contents(out)).containsExactly(0, 2, 0, -8, 0, 18, 0, -32);
        backend.fill(out, new Layout(new int[] {4}, new int[] {2}, 0), 7f);
        assertThat(contents(out)).containsExactly(7, 2, 7, -8, 7, 18, 7, -32);
        Buffer dst = backend.allocate(4);
        backend.copy(out, everyOther, dst, Layout.contiguous(4));
        assertThat(contents(dst)).containsExactly(2, -8, 18, -32);
    }

    @Test
    void readGathersAStridedLayoutInRowMajorOrder() {
        Buffer b = backend.upload(new float[] {0, 1, 2, 3, 4, 5});
        assertThat(backend.read(b, new Layout(new int[] {3, 2}, new int[] {1, 3}, 0))).containsExactly(0, 3, 1, 4, 2, 5);
        assertThat(backend.upload(new float[] {1}).backend()).isSameAs(backend);
    }
}
