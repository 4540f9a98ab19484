package jgrad.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import jgrad.backend.reference.ReferenceBackend;
import jgrad.backend.simd.SimdBackend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One contract, every backend: each primitive is run on random cases (property-based, seeded)
 * and compared with the reference backend, the oracle. Shapes include 0, 1, primes, the vector
 * length ± 1 and sizes that are not multiples of the GEMM blocks; layouts include transposed,
 * sliced, offset and broadcast (stride 0) views. {@link FusedContractTest} adds, on every backend,
 * that each fused primitive equals its definition from plain primitives.
 */
class BackendContractTest {
    static final Backend ORACLE = new ReferenceBackend();
    static final int CASES = Integer.getInteger("jgrad.contract.cases", 300);
    /** Sizes that break vector loops and tiles: small, primes, 16 ± 1, 32 ± 1, 48 ± 1, 64 ± 1. */
    static final int[] AWKWARD = {0, 1, 2, 3, 5, 7, 8, 13, 15, 16, 17, 31, 32, 33, 47, 48, 49, 63, 64, 65, 97};

    /**
     * The simd backend (at the width {@code -Djgrad.simd.bits} chose, the machine's preferred one by
     * default) and the reference backend against itself. The engine's pom reruns the simd contract
     * classes at 512, 256 and 128 bits with {@code -Djgrad.contract.backends=simd}, which drops the
     * reference run there: it does not depend on the width.
     */
    static Stream<Backend> backends() {
        if ("simd".equals(System.getProperty("jgrad.contract.backends"))) return Stream.of(new SimdBackend());
        return Stream.of(new SimdBackend(), new ReferenceBackend());
    }

    // ---- case generation ------------------------------------------------------------------

    static int[] randomShape(Random r, int maxRank) {
        int rank = r.nextInt(maxRank + 1);
        int[] s = new int[rank];
        int budget = 20000;
        for (int d = 0; d < rank; d++) {
            s[d] = r.nextInt(4) == 0 ? AWKWARD[r.nextInt(AWKWARD.length)] : 1 + r.nextInt(6);
            budget /= Math.max(1, s[d]);
            if (budget < 1) s[d] = 1;
        }
        return s;
    }

    /** A layout of {@code shape} inside a bigger buffer: padded, permuted, offset (or plain contiguous). */
    static Layout randomLayout(Random r, int[] shape, boolean allowBroadcast) {
        int rank = shape.length;
        if (r.nextInt(3) == 0) return new Layout(shape.clone(), Layout.contiguousStrides(shape), r.nextInt(4));
        int[] order = new int[rank];
        for (int i = 0; i < rank; i++) order[i] = i;
        for (int i = rank - 1; i > 0; i--) {
            int j = r.nextInt(i + 1), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int[] strides = new int[rank];
        int step = 1 + (r.nextInt(4) == 0 ? 1 : 0);
        for (int i = rank - 1; i >= 0; i--) {
            int d = order[i];
            strides[d] = step;
            step *= shape[d] + r.nextInt(2);
        }
        if (allowBroadcast) {
            for (int d = 0; d < rank; d++) if (r.nextInt(5) == 0) strides[d] = 0;
        }
        return new Layout(shape.clone(), strides, r.nextInt(5));
    }

    static float[] randomData(Random r, int n, boolean positive) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = positive ? 0.05f + 3 * r.nextFloat() : (float) r.nextGaussian() * 2;
        return v;
    }

    /** The same random contents uploaded to both backends. */
    record Pair(Buffer oracle, Buffer tested, Layout layout) {
        static Pair of(Backend b, Random r, Layout l, boolean positive) {
            float[] data = randomData(r, Math.max(1, l.extent() + 3), positive);
            return new Pair(ORACLE.upload(data), b.upload(data), l);
        }
    }

    static void assertClose(String what, float[] expected, float[] actual, double rtol, double atol) {
        assertThat(actual).as(what + ": length").hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i], a = actual[i];
            if (Float.isNaN(e) && Float.isNaN(a)) continue;
            if (e == a) continue;
            double err = Math.abs((double) e - a);
            assertThat(err <= atol + rtol * Math.abs(e))
                    .as("%s: element %d expected %s, got %s", what, i, e, a).isTrue();
        }
    }

    /** Everything in the output buffer: also checks nothing outside the output layout was touched. */
    static float[] whole(Backend b, Buffer buf) {
        return b.read(buf, Layout.contiguous(buf.capacity()));
    }

    // ---- the contract ---------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("backends")
    void mapMatchesReference(Backend backend) {
        Random r = new Random(1);
        for (int c = 0; c < CASES; c++) {
            UnaryOp op = UnaryOp.values()[r.nextInt(UnaryOp.values().length)];
            int[] shape = randomShape(r, 4);
            boolean positive = op == UnaryOp.LOG || op == UnaryOp.SQRT;
            Pair x = Pair.of(backend, r, randomLayout(r, shape, true), positive);
            Pair out = Pair.of(backend, r, randomLayout(r, shape, false), false);
            ORACLE.map(op, x.oracle, x.layout, out.oracle, out.layout);
            backend.map(op, x.tested, x.layout, out.tested, out.layout);
            assertClose(op + " " + x.layout + " → " + out.layout, whole(ORACLE, out.oracle), whole(backend, out.tested), 2e-6, 1e-7);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void zipMatchesReference(Backend backend) {
        Random r = new Random(2);
        for (int c = 0; c < CASES; c++) {
            BinaryOp op = BinaryOp.values()[r.nextInt(BinaryOp.values().length)];
            int[] shape = randomShape(r, 4);
            boolean positive = op == BinaryOp.POW;
            Pair a = Pair.of(backend, r, randomLayout(r, shape, true), positive);
            Pair b = Pair.of(backend, r, randomLayout(r, shape, true), false);
            if (op == BinaryOp.POW) b = Pair.of(backend, r, b.layout, true);
            Pair out = Pair.of(backend, r, randomLayout(r, shape, false), false);
            ORACLE.zip(op, a.oracle, a.layout, b.oracle, b.layout, out.oracle, out.layout);
            backend.zip(op, a.tested, a.layout, b.tested, b.layout, out.tested, out.layout);
            assertClose(op + " " + a.layout + ", " + b.layout + " → " + out.layout,
                    whole(ORACLE, out.oracle), whole(backend, out.tested), 2e-6, 1e-7);
            float s = r.nextInt(3) == 0 ? 0f : (float) r.nextGaussian();
            if (op == BinaryOp.POW) s = 1.5f;
            ORACLE.zipScalar(op, a.oracle, a.layout, s, out.oracle, out.layout);
            backend.zipScalar(op, a.tested, a.layout, s, out.tested, out.layout);
            assertClose(op + " scalar " + s + " " + a.layout + " → " + out.layout,
                    whole(ORACLE, out.oracle), whole(backend, out.tested), 2e-6, 1e-7);
        }
    }

    /** Large enough (> 2¹⁷ elements) that the fast backends split the work across cores. */
    @ParameterizedTest
    @MethodSource("backends")
    void largeElementwiseOpsMatchReference(Backend backend) {
        Random r = new Random(12);
        int[] shape = {401, 409};
        Layout plain = Layout.contiguous(shape);
        Layout rowBroadcast = new Layout(shape, new int[] {0, 1}, 0);     // a [409] bias added to every row
        Layout transposed = new Layout(shape, new int[] {1, 401}, 0);     // a column-major view
        for (Layout bLayout : new Layout[] {plain, rowBroadcast, transposed}) {
            Pair a = Pair.of(backend, r, plain, false), b = Pair.of(backend, r, bLayout, false);
            Pair out = Pair.of(backend, r, plain, false);
            ORACLE.zip(BinaryOp.MUL, a.oracle, plain, b.oracle, bLayout, out.oracle, plain);
            backend.zip(BinaryOp.MUL, a.tested, plain, b.tested, bLayout, out.tested, plain);
            assertClose("large mul with " + bLayout, whole(ORACLE, out.oracle), whole(backend, out.tested), 1e-6, 1e-7);
            ORACLE.map(UnaryOp.TANH, b.oracle, bLayout, out.oracle, plain);
            backend.map(UnaryOp.TANH, b.tested, bLayout, out.tested, plain);
            assertClose("large tanh of " + bLayout, whole(ORACLE, out.oracle), whole(backend, out.tested), 2e-6, 1e-7);
            ORACLE.zipScalar(BinaryOp.SUB, b.oracle, bLayout, 0.25f, out.oracle, plain);
            backend.zipScalar(BinaryOp.SUB, b.tested, bLayout, 0.25f, out.tested, plain);
            assertClose("large sub scalar of " + bLayout, whole(ORACLE, out.oracle), whole(backend, out.tested), 1e-6, 1e-7);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void inPlaceZipMatchesReference(Backend backend) {
        Random r = new Random(3);
        for (int c = 0; c < CASES / 3; c++) {
            int[] shape = randomShape(r, 3);
            Layout l = randomLayout(r, shape, false);
            Pair a = Pair.of(backend, r, l, false);
            Pair b = Pair.of(backend, r, randomLayout(r, shape, true), false);
            ORACLE.zip(BinaryOp.ADD, a.oracle, l, b.oracle, b.layout, a.oracle, l);
            backend.zip(BinaryOp.ADD, a.tested, l, b.tested, b.layout, a.tested, l);
            assertClose("in-place add " + l, whole(ORACLE, a.oracle), whole(backend, a.tested), 1e-6, 1e-7);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void copyFillReadMatchReference(Backend backend) {
        Random r = new Random(4);
        for (int c = 0; c < CASES; c++) {
            int[] shape = randomShape(r, 4);
            Pair src = Pair.of(backend, r, randomLayout(r, shape, true), false);
            Pair dst = Pair.of(backend, r, randomLayout(r, shape, false), false);
            ORACLE.copy(src.oracle, src.layout, dst.oracle, dst.layout);
            backend.copy(src.tested, src.layout, dst.tested, dst.layout);
            assertThat(whole(backend, dst.tested)).as("copy %s → %s", src.layout, dst.layout).containsExactly(whole(ORACLE, dst.oracle));
            assertThat(backend.read(src.tested, src.layout)).containsExactly(ORACLE.read(src.oracle, src.layout));
            float v = r.nextFloat();
            ORACLE.fill(dst.oracle, dst.layout, v);
            backend.fill(dst.tested, dst.layout, v);
            assertThat(whole(backend, dst.tested)).as("fill %s", dst.layout).containsExactly(whole(ORACLE, dst.oracle));
        }
        assertThat(whole(backend, backend.allocate(7))).containsOnly(0f);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void reduceMatchesReference(Backend backend) {
        Random r = new Random(5);
        for (int c = 0; c < CASES; c++) {
            ReduceOp op = ReduceOp.values()[r.nextInt(ReduceOp.values().length)];
            int outer = pick(r), n = pick(r), inner = pick(r);
            if (op != ReduceOp.SUM && n == 0) n = 1;
            int offset = r.nextInt(3);
            float[] data = randomData(r, offset + outer * n * inner + 2, false);
            Buffer xo = ORACLE.upload(data), xt = backend.upload(data);
            Buffer oo = ORACLE.allocate(outer * inner), ot = backend.allocate(outer * inner);
            ORACLE.reduce(op, xo, offset, outer, n, inner, oo);
            backend.reduce(op, xt, offset, outer, n, inner, ot);
            assertClose(op + " [" + outer + ", " + n + ", " + inner + "]", whole(ORACLE, oo), whole(backend, ot), 1e-5, 1e-5 * Math.sqrt(n));
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void argmaxTakesTheFirstMaximumOrTheFirstNaN(Backend backend) {
        float nan = Float.NaN, inf = Float.POSITIVE_INFINITY;
        float[][] rows = {
            {1, 5, 5, 2}, {-0f, 0f}, {0f, -0f}, {-inf, -inf, -inf}, {3, nan, 7, nan}, {nan}, {2, 1, inf, inf},
        };
        for (float[] row : rows) {
            Buffer xo = ORACLE.upload(row), xt = backend.upload(row), oo = ORACLE.allocate(1), ot = backend.allocate(1);
            ORACLE.reduce(ReduceOp.ARGMAX, xo, 0, 1, row.length, 1, oo);
            backend.reduce(ReduceOp.ARGMAX, xt, 0, 1, row.length, 1, ot);
            assertThat(whole(backend, ot)).as("argmax of %s", Arrays.toString(row)).containsExactly(whole(ORACLE, oo));
        }
        // a classifier's logits, 1000 a row (whole vectors and a tail), with repeated maxima and one NaN
        Random r = new Random(8);
        int outer = 6, n = 1003;
        float[] logits = new float[1 + outer * n];
        for (int i = 0; i < logits.length; i++) logits[i] = r.nextInt(50);
        logits[1 + 4 * n + 700] = nan;
        Buffer oo = ORACLE.allocate(outer), ot = backend.allocate(outer);
        ORACLE.reduce(ReduceOp.ARGMAX, ORACLE.upload(logits), 1, outer, n, 1, oo);
        backend.reduce(ReduceOp.ARGMAX, backend.upload(logits), 1, outer, n, 1, ot);
        assertThat(whole(backend, ot)).containsExactly(whole(ORACLE, oo));
        assertThat(whole(ORACLE, oo)[4]).isEqualTo(700f);
    }

    private static int pick(Random r) {
        return r.nextInt(3) == 0 ? AWKWARD[r.nextInt(AWKWARD.length)] : 1 + r.nextInt(5);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void gemmMatchesReference(Backend backend) {
        Random r = new Random(6);
        List<int[]> shapes = new java.util.ArrayList<>(List.of(
                new int[] {64, 16, 784}, new int[] {16, 784, 64}, new int[] {64, 784, 16},
                new int[] {130, 97, 300}, new int[] {1, 1, 1}, new int[] {0, 5, 3}, new int[] {7, 0, 3},
                new int[] {5, 7, 0}, new int[] {127, 129, 257},
                // operands packed whole by all cores together (Gemm.PREPACK_MAX); m, n, k off the block sizes
                new int[] {64, 128, 784}, new int[] {61, 100, 530}, new int[] {117, 40, 263}, new int[] {61, 100, 530},
                new int[] {9, 7000, 30},
                // skinny products on either side of Gemm.SKINNY_MAX_K, with and without columns left
                // over after whole vectors (an LSTM's input weight gradient: 512×28×1792)
                new int[] {512, 28, 1792}, new int[] {40, 10, 300}, new int[] {20, 100, 130},
                new int[] {100, 48, 127}, new int[] {100, 48, 128},
                // too big to pack whole, more rows than columns: the rows are split between the cores
                new int[] {703, 40, 501}, new int[] {1030, 64, 300},
                // too big to pack whole, columns split: the cores pack op(A) whole together (Gemm.SHARE)
                new int[] {530, 600, 513}, new int[] {301, 1100, 900}));
        for (int c = 0; c < CASES / 3; c++) shapes.add(new int[] {pickDim(r), pickDim(r), pickDim(r)});
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            boolean tA = r.nextBoolean(), tB = r.nextBoolean();
            int batch = r.nextInt(4) == 0 ? 1 + r.nextInt(3) : 1;
            int aRows = tA ? k : m, aCols = tA ? m : k, bRows = tB ? n : k, bCols = tB ? k : n;
            int lda = aCols + (r.nextBoolean() ? 0 : r.nextInt(5)), ldb = bCols + (r.nextBoolean() ? 0 : r.nextInt(5));
            int ldc = n + (r.nextBoolean() ? 0 : r.nextInt(5));
            int aStride = r.nextInt(5) == 0 ? 0 : aRows * lda + r.nextInt(3);
            int bStride = r.nextInt(5) == 0 ? 0 : bRows * ldb + r.nextInt(3);
            int cStride = m * ldc + r.nextInt(3);
            int aOff = r.nextInt(3), bOff = r.nextInt(3), cOff = r.nextInt(3);
            float alpha = r.nextBoolean() ? 1f : (float) r.nextGaussian();
            float beta = r.nextInt(3) == 0 ? 0f : r.nextBoolean() ? 1f : (float) r.nextGaussian();
            float[] a = randomData(r, aOff + (batch - 1) * aStride + aRows * lda + 1, false);
            float[] b = randomData(r, bOff + (batch - 1) * bStride + bRows * ldb + 1, false);
            float[] cData = randomData(r, cOff + (batch - 1) * cStride + m * ldc + 1, false);
            Buffer co = ORACLE.upload(cData), ct = backend.upload(cData);
            ORACLE.gemm(tA, tB, batch, m, n, k, alpha, ORACLE.upload(a), aOff, lda, aStride,
                    ORACLE.upload(b), bOff, ldb, bStride, beta, co, cOff, ldc, cStride);
            backend.gemm(tA, tB, batch, m, n, k, alpha, backend.upload(a), aOff, lda, aStride,
                    backend.upload(b), bOff, ldb, bStride, beta, ct, cOff, ldc, cStride);
            String what = String.format("gemm m=%d n=%d k=%d tA=%s tB=%s batch=%d lda=%d ldb=%d ldc=%d α=%s β=%s",
                    m, n, k, tA, tB, batch, lda, ldb, ldc, alpha, beta);
            // each output is a sum of k products of N(0, 4) numbers: allow float rounding of that sum
            assertClose(what, whole(ORACLE, co), whole(backend, ct), 1e-4, 1e-4 * Math.max(1, Math.abs(alpha)) * Math.sqrt(k + 1) * 4);
        }
    }

    /** β = 0 means "overwrite": C's old contents (here NaN) are never read, as in BLAS. */
    @ParameterizedTest
    @MethodSource("backends")
    void gemmWithBetaZeroIgnoresOldC(Backend backend) {
        Random r = new Random(11);
        // a small product, a packed one with edge tiles and several slices of k, a transposed one
        int[][] shapes = {{5, 7, 3}, {130, 97, 300}, {64, 784, 16}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            for (boolean tA : new boolean[] {false, true}) {
                float[] a = randomData(r, m * k, false), b = randomData(r, k * n, false);
                float[] nan = new float[m * n];
                java.util.Arrays.fill(nan, Float.NaN);
                Buffer co = ORACLE.upload(new float[m * n]), ct = backend.upload(nan);
                ORACLE.gemm(tA, false, 1, m, n, k, 0.5f, ORACLE.upload(a), 0, tA ? m : k, 0,
                        ORACLE.upload(b), 0, n, 0, 0f, co, 0, n, 0);
                backend.gemm(tA, false, 1, m, n, k, 0.5f, backend.upload(a), 0, tA ? m : k, 0,
                        backend.upload(b), 0, n, 0, 0f, ct, 0, n, 0);
                float[] got = whole(backend, ct);
                for (float v : got) assertThat(Float.isNaN(v)).as("m=%d n=%d k=%d tA=%s", m, n, k, tA).isFalse();
                assertClose("β=0 m=" + m + " n=" + n + " k=" + k, whole(ORACLE, co), got, 1e-4, 1e-4 * Math.sqrt(k + 1) * 4);
            }
        }
    }

    private static int pickDim(Random r) {
        return r.nextInt(2) == 0 ? AWKWARD[r.nextInt(AWKWARD.length)] : 1 + r.nextInt(150);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void softmaxAndCrossEntropyMatchReference(Backend backend) {
        Random r = new Random(8);
        for (int c = 0; c < CASES / 2; c++) {
            int rows = pick(r), cols = Math.max(1, pick(r)), offset = r.nextInt(3);
            float[] x = randomData(r, offset + rows * cols, false);
            if (r.nextInt(4) == 0) for (int i = 0; i < x.length; i++) x[i] *= 30;  // large scores: overflow without the max shift
            for (boolean log : new boolean[] {false, true}) {
                Buffer oo = ORACLE.allocate(rows * cols), ot = backend.allocate(rows * cols);
                ORACLE.softmax(log, ORACLE.upload(x), offset, rows, cols, oo);
                backend.softmax(log, backend.upload(x), offset, rows, cols, ot);
                assertClose((log ? "log-softmax" : "softmax") + " [" + rows + ", " + cols + "]",
                        whole(ORACLE, oo), whole(backend, ot), 1e-5, 1e-6);
            }
            float[] t = new float[rows];
            for (int i = 0; i < rows; i++) t[i] = r.nextInt(cols);
            Buffer lo = ORACLE.allocate(rows), lt = backend.allocate(rows);
            Buffer po = ORACLE.allocate(rows * cols), pt = backend.allocate(rows * cols);
            ORACLE.crossEntropy(ORACLE.upload(x), offset, rows, cols, ORACLE.upload(t), 0, lo, po);
            backend.crossEntropy(backend.upload(x), offset, rows, cols, backend.upload(t), 0, lt, pt);
            assertClose("cross-entropy loss [" + rows + ", " + cols + "]", whole(ORACLE, lo), whole(backend, lt), 1e-5, 1e-5);
            assertClose("cross-entropy probs [" + rows + ", " + cols + "]", whole(ORACLE, po), whole(backend, pt), 1e-5, 1e-6);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void sgdStepMatchesReference(Backend backend) {
        Random r = new Random(9);
        for (int c = 0; c < CASES / 2; c++) {
            // the first case is long enough to be split between the cores (SimdBackend.UPDATE_SPLIT)
            int n = c == 0 ? 100_003 : pick(r) * pick(r), pOff = r.nextInt(3), gOff = r.nextInt(3);
            float lr = 0.01f + r.nextFloat(), momentum = c == 0 ? 0.9f : r.nextBoolean() ? 0f : r.nextFloat();
            float dampening = r.nextBoolean() ? 0f : r.nextFloat() / 2, wd = r.nextBoolean() ? 0f : r.nextFloat() / 10;
            boolean nesterov = r.nextBoolean(), first = c != 0 && r.nextBoolean();
            float[] p = randomData(r, pOff + n, false), g = randomData(r, gOff + n, false), v = randomData(r, n, false);
            Buffer po = ORACLE.upload(p), pt = backend.upload(p), vo = ORACLE.upload(v), vt = backend.upload(v);
            ORACLE.sgdStep(po, pOff, ORACLE.upload(g), gOff, vo, n, lr, momentum, dampening, wd, nesterov, first);
            backend.sgdStep(pt, pOff, backend.upload(g), gOff, vt, n, lr, momentum, dampening, wd, nesterov, first);
            String what = String.format("sgd n=%d lr=%s μ=%s dampening=%s λ=%s nesterov=%s first=%s", n, lr, momentum, dampening, wd, nesterov, first);
            assertClose(what + " θ", whole(ORACLE, po), whole(backend, pt), 1e-5, 1e-6);
            assertClose(what + " v", whole(ORACLE, vo), whole(backend, vt), 1e-5, 1e-6);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void adamStepMatchesReference(Backend backend) {
        Random r = new Random(13);
        for (int c = 0; c < CASES / 2; c++) {
            int n = c == 0 ? 100_003 : pick(r) * pick(r), pOff = r.nextInt(3), gOff = r.nextInt(3), t = 1 + r.nextInt(20);
            float lr = 0.001f + r.nextFloat() / 10, b1 = 0.5f + r.nextFloat() / 2.1f, b2 = 0.9f + r.nextFloat() / 11;
            float eps = r.nextBoolean() ? 1e-8f : 1e-3f, wd = r.nextBoolean() ? 0f : r.nextFloat() / 10;
            float c1 = (float) (1 - Math.pow(b1, t)), c2 = (float) (1 - Math.pow(b2, t));
            float[] p = randomData(r, pOff + n, false), g = randomData(r, gOff + n, false);
            float[] m = randomData(r, n, false), v = randomData(r, n, true);
            Buffer po = ORACLE.upload(p), pt = backend.upload(p), mo = ORACLE.upload(m), mt = backend.upload(m);
            Buffer vo = ORACLE.upload(v), vt = backend.upload(v);
            ORACLE.adamStep(po, pOff, ORACLE.upload(g), gOff, mo, vo, n, lr, b1, b2, eps, wd, c1, c2);
            backend.adamStep(pt, pOff, backend.upload(g), gOff, mt, vt, n, lr, b1, b2, eps, wd, c1, c2);
            String what = String.format("adam n=%d lr=%s β=(%s, %s) ε=%s λ=%s t=%d", n, lr, b1, b2, eps, wd, t);
            assertClose(what + " θ", whole(ORACLE, po), whole(backend, pt), 1e-5, 1e-6);
            assertClose(what + " m", whole(ORACLE, mo), whole(backend, mt), 1e-5, 1e-6);
            assertClose(what + " v", whole(ORACLE, vo), whole(backend, vt), 1e-5, 1e-6);
        }
    }

    // ---- fused primitives against their definitions from plain primitives ---------------------

    @ParameterizedTest
    @MethodSource("backends")
    void resultsAreBitIdenticalAcrossManyCalls(Backend backend) {
        Random r = new Random(7);
        float[] a = randomData(r, 64 * 784, false), b = randomData(r, 16 * 784, false), big = randomData(r, 160 * 160, false);
        Buffer ab = backend.upload(a), bb = backend.upload(b), bigB = backend.upload(big);
        float[] firstDot = null, firstPacked = null, firstSum = null;
        for (int call = 0; call < 1200; call++) {
            Buffer c = backend.allocate(64 * 16), c2 = backend.allocate(160 * 160), s = backend.allocate(64);
            backend.gemm(false, true, 1, 64, 16, 784, 1f, ab, 0, 784, 0, bb, 0, 784, 0, 0f, c, 0, 16, 0);
            if (call % 100 == 0) backend.gemm(false, false, 1, 160, 160, 160, 1f, bigB, 0, 160, 0, bigB, 0, 160, 0, 0f, c2, 0, 160, 0);
            backend.reduce(ReduceOp.SUM, ab, 0, 64, 784, 1, s);
            float[] dot = whole(backend, c), sum = whole(backend, s);
            if (firstDot == null) {
                firstDot = dot;
                firstSum = sum;
                firstPacked = whole(backend, c2);
            }
            assertThat(dot).as("A·Bᵀ on call %d", call).containsExactly(firstDot);
            assertThat(sum).as("row sums on call %d", call).containsExactly(firstSum);
            if (call % 100 == 0) assertThat(whole(backend, c2)).as("packed GEMM on call %d", call).containsExactly(firstPacked);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void uploadThenReadRoundTrips(Backend backend) {
        float[] v = {1.5f, -2f, Float.NaN, Float.POSITIVE_INFINITY, 0f};
        float[] back = backend.read(backend.upload(v), Layout.contiguous(5));
        assertThat(Arrays.toString(back)).isEqualTo(Arrays.toString(v));
    }
}
