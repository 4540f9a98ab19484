package jgrad.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import jgrad.backend.reference.ReferenceBackend;

/**
 * The two indexing primitives ({@link Backend#gatherAxis}, {@link Backend#scatterAddAxis}) on one
 * backend, compared with the reference: a case small enough to check by hand, then random blocks
 * of awkward sizes (1, primes, one past a power of two) with offsets, broadcast (stride-0) and
 * strided index layouts, and many repeated indices (n small against K). One subclass per backend.
 */
public abstract class IndexingContractTest {
    static final Backend ORACLE = new ReferenceBackend();
    static final int CASES = Integer.getInteger("jgrad.contract.cases", 300);
    static final int[] AWKWARD = {1, 2, 3, 5, 7, 13, 17, 31, 33, 65};

    /** The backend under test. */
    protected abstract Backend backend();

    // ---- by hand --------------------------------------------------------------------------

    @Test
    public void gatherAndScatterAddByHand() {
        Backend b = backend();
        // x = [[0, 1], [2, 3], [4, 5]] (n = 3, inner = 2); rows 2, 2, 0
        Buffer x = b.upload(new float[] {0, 1, 2, 3, 4, 5});
        Buffer index = b.upload(new float[] {2, 2, 0});
        Layout rows = new Layout(new int[] {1, 3, 2}, new int[] {0, 1, 0}, 0);
        Buffer out = b.upload(new float[6]);
        b.gatherAxis(x, 0, 1, 3, 2, index, rows, out);
        assertThat(b.read(out, Layout.contiguous(6))).containsExactly(4, 5, 4, 5, 0, 1);
        // back: row 2 receives src rows 0 and 1 (summed), row 0 receives src row 2, row 1 nothing;
        // dst starts as NaN to show it is overwritten, not added to
        Buffer src = b.upload(new float[] {1, 2, 10, 20, 100, 200});
        Buffer dst = b.upload(new float[] {Float.NaN, Float.NaN, Float.NaN, Float.NaN, Float.NaN, Float.NaN});
        b.scatterAddAxis(src, 0, 1, 3, 2, index, rows, dst);
        assertThat(b.read(dst, Layout.contiguous(6))).containsExactly(100, 200, 0, 0, 11, 22);
    }

    // ---- against the reference ------------------------------------------------------------

    private record Case(int outer, int n, int inner, int k, Layout index, int xOffset) {
        int xSize() { return xOffset + outer * n * inner; }
        int outSize() { return outer * k * inner; }
    }

    private static int size(Random r) {
        return r.nextInt(3) == 0 ? AWKWARD[r.nextInt(AWKWARD.length)] : 1 + r.nextInt(4);
    }

    /** A random block and an index layout over it: contiguous, broadcast like index_select, or strided, all with an offset. */
    private static Case randomCase(Random r) {
        int outer = size(r), n = r.nextInt(4) == 0 ? 1 + r.nextInt(2) : size(r), inner = size(r), k = r.nextInt(8) == 0 ? 0 : size(r);
        int offset = r.nextInt(4);
        int[] shape = {outer, k, inner};
        int[] strides = switch (r.nextInt(3)) {
            case 0 -> Layout.contiguousStrides(shape);
            case 1 -> new int[] {0, 1 + r.nextInt(2), 0};                         // one list for every (o, i)
            default -> new int[] {k * inner * 2 + 1, 2 * inner, 2};                 // gaps between indices
        };
        return new Case(outer, n, inner, k, new Layout(shape, strides, offset), r.nextInt(3));
    }

    /** Whole numbers in 0 … n − 1 at every place the layout reads (and junk between them). */
    private static float[] indices(Random r, Case c) {
        float[] v = new float[Math.max(1, c.index.extent())];
        for (int i = 0; i < v.length; i++) v[i] = -7.5f;  // read only if a backend ignores the layout
        for (int p = 0; p < c.index.size(); p++) v[c.index.indexOf(p)] = r.nextInt(c.n);
        return v;
    }

    private static float[] randomData(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
        return v;
    }

    private static void assertClose(String what, float[] expected, float[] actual, double tolerance) {
        assertThat(actual).as("%s: length", what).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs((double) expected[i] - actual[i]);
            assertThat(err <= tolerance * (1 + Math.abs(expected[i])))
                    .as("%s: element %d expected %s, got %s", what, i, expected[i], actual[i]).isTrue();
        }
    }

    @Test
    public void gatherAxisMatchesReference() {
        Backend b = backend();
        Random r = new Random(31);
        for (int c = 0; c < CASES; c++) {
            Case cs = randomCase(r);
            float[] x = randomData(r, cs.xSize()), idx = indices(r, cs);
            Buffer outO = ORACLE.upload(new float[Math.max(1, cs.outSize())]), outT = b.upload(new float[Math.max(1, cs.outSize())]);
            if (cs.outSize() > 0) {
                ORACLE.gatherAxis(ORACLE.upload(x), cs.xOffset, cs.outer, cs.n, cs.inner, ORACLE.upload(idx), cs.index, outO);
                b.gatherAxis(b.upload(x), cs.xOffset, cs.outer, cs.n, cs.inner, b.upload(idx), cs.index, outT);
            }
            int size = outO.capacity();
            // a gather copies: the values must be exactly the reference's
            assertThat(b.read(outT, Layout.contiguous(size))).as("gatherAxis %s", cs).containsExactly(ORACLE.read(outO, Layout.contiguous(size)));
        }
    }

    @Test
    public void scatterAddAxisMatchesReferenceWithRepeatedIndices() {
        Backend b = backend();
        Random r = new Random(32);
        for (int c = 0; c < CASES; c++) {
            Case cs = randomCase(r);
            int srcOffset = r.nextInt(3), dstSize = cs.outer * cs.n * cs.inner;
            float[] src = randomData(r, srcOffset + cs.outSize()), idx = indices(r, cs);
            float[] junk = new float[dstSize];
            java.util.Arrays.fill(junk, Float.NaN);  // dst is overwritten, never read
            Buffer dstO = ORACLE.upload(junk), dstT = b.upload(junk);
            ORACLE.scatterAddAxis(ORACLE.upload(src), srcOffset, cs.outer, cs.n, cs.inner, ORACLE.upload(idx), cs.index, dstO);
            b.scatterAddAxis(b.upload(src), srcOffset, cs.outer, cs.n, cs.inner, b.upload(idx), cs.index, dstT);
            // sums in the same order on every backend: equal up to a compiler's choice of rounding
            assertClose("scatterAddAxis " + cs, ORACLE.read(dstO, Layout.contiguous(dstSize)), b.read(dstT, Layout.contiguous(dstSize)),
                    1e-6 * Math.max(1, cs.k));
        }
    }

    @Test
    public void scatterAddSumsEveryCopyOfAHeavilyRepeatedIndex() {
        // 1,000 indices into 2 rows: each row must get the exact sum of its 500 values (all 1s and 2s: exact in float)
        Backend b = backend();
        int k = 1000, inner = 3;
        float[] idx = new float[k], src = new float[k * inner];
        for (int i = 0; i < k; i++) {
            idx[i] = i % 2;
            for (int j = 0; j < inner; j++) src[i * inner + j] = 1 + i % 2;
        }
        Buffer dst = b.upload(new float[2 * inner]);
        b.scatterAddAxis(b.upload(src), 0, 1, 2, inner, b.upload(idx), new Layout(new int[] {1, k, inner}, new int[] {0, 1, 0}, 0), dst);
        assertThat(b.read(dst, Layout.contiguous(2 * inner))).containsExactly(500, 500, 500, 1000, 1000, 1000);
    }
}
