package jgrad.backend;

import static jgrad.backend.BackendContractTest.assertClose;
import static jgrad.backend.BackendContractTest.randomData;
import static jgrad.backend.BackendContractTest.whole;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import jgrad.backend.reference.Composed;
import jgrad.optim.Adam;
import jgrad.optim.SGD;
import jgrad.tensor.Device;
import jgrad.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Part of the backend contract: on every backend, each fused primitive equals its definition from
 * plain primitives, computed on that same backend: softmax and cross-entropy against
 * {@link Composed}, the optimizer steps against {@link SGD#update} and {@link Adam#update}.
 * (Against the reference backend, the fused primitives are checked in {@link BackendContractTest}.)
 */
class FusedContractTest {
    /** The backends under test; the OpenCL unit's subclass hides it. */
    static Stream<Backend> backends() {
        return BackendContractTest.backends();
    }

    /**
     * Sizes for "fused = composed": 1, small primes, the vector lengths (8 and 16 floats) ± 1 and a
     * prime above 64; the updates add one long enough that the simd backend splits it between the
     * cores (SimdBackend.UPDATE_SPLIT).
     */
    static final int[] FUSED_SIZES = {1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 33, 97};
    static final int[] UPDATE_SIZES = IntStream.concat(IntStream.of(FUSED_SIZES), IntStream.of(100_003)).toArray();

    /**
     * How closely a fused primitive must equal its definition. The composed version rounds to float
     * after every primitive and may group a product differently (η·(m/d) against (η·m)/d), so the two
     * differ by a few ulp: 10⁻⁵ relative, and 10⁻⁶ absolute for values near 0 (10⁻⁵ for a
     * cross-entropy, a difference of two logarithms).
     */
    static final double FUSED_RTOL = 1e-5, FUSED_ATOL = 1e-6;

    /** Tensors on the backend under test, for the definitions written in tensor ops. */
    static Device deviceOf(Backend backend) {
        return new Device("contract:" + backend.name(), backend);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void softmaxEqualsItsComposition(Backend backend) {
        Random r = new Random(15);
        for (int rows : new int[] {1, 2, 7, 17}) {
            for (int cols : FUSED_SIZES) {
                int offset = r.nextInt(3);
                float[] x = randomData(r, offset + rows * cols, false);
                boolean large = r.nextBoolean();
                if (large) for (int i = 0; i < x.length; i++) x[i] *= 30;  // e^x overflows a float without the max shift
                Buffer xb = backend.upload(x);
                for (boolean log : new boolean[] {false, true}) {
                    Buffer fused = backend.allocate(rows * cols), composed = backend.allocate(rows * cols);
                    backend.softmax(log, xb, offset, rows, cols, fused);
                    Composed.softmax(backend, log, xb, offset, rows, cols, composed);
                    assertClose(String.format("%s [%d, %d] from %d%s: fused against Composed", log ? "log-softmax" : "softmax",
                            rows, cols, offset, large ? ", scores ×30" : ""), whole(backend, composed), whole(backend, fused), FUSED_RTOL, FUSED_ATOL);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void crossEntropyEqualsItsComposition(Backend backend) {
        Random r = new Random(16);
        for (int rows : new int[] {1, 3, 17}) {
            for (int cols : FUSED_SIZES) {
                int offset = r.nextInt(3), tOffset = r.nextInt(3);
                float[] x = randomData(r, offset + rows * cols, false), t = new float[tOffset + rows];
                boolean large = r.nextBoolean();
                if (large) for (int i = 0; i < x.length; i++) x[i] *= 30;
                for (int i = 0; i < rows; i++) t[tOffset + i] = r.nextInt(cols);
                // a −∞ score in a class that is not the target: its probability is 0, the loss finite
                if (cols > 1) x[offset + ((int) t[tOffset] + 1) % cols] = Float.NEGATIVE_INFINITY;
                Buffer xb = backend.upload(x), tb = backend.upload(t);
                Buffer lossF = backend.allocate(rows), probsF = backend.allocate(rows * cols);
                Buffer lossC = backend.allocate(rows), probsC = backend.allocate(rows * cols);
                backend.crossEntropy(xb, offset, rows, cols, tb, tOffset, lossF, probsF);
                Composed.crossEntropy(backend, xb, offset, rows, cols, tb, tOffset, lossC, probsC);
                String what = String.format("cross-entropy [%d, %d]%s: fused against Composed", rows, cols, large ? ", scores ×30" : "");
                assertClose(what + ", loss", whole(backend, lossC), whole(backend, lossF), FUSED_RTOL, 1e-5);
                assertClose(what + ", probabilities", whole(backend, probsC), whole(backend, probsF), FUSED_RTOL, FUSED_ATOL);
            }
        }
    }

    /** Backend.sgdStep (one pass) against SGD.update (tensor ops), with and without momentum, weight decay, dampening, Nesterov. */
    @ParameterizedTest
    @MethodSource("backends")
    void sgdStepEqualsItsDefinition(Backend backend) {
        Device device = deviceOf(backend);
        Random r = new Random(17);
        // {μ, dampening, λ, Nesterov}: plain; weight decay; momentum; momentum with dampening and decay; Nesterov with decay
        float[][] settings = {{0, 0, 0, 0}, {0, 0, 0.05f, 0}, {0.9f, 0, 0, 0}, {0.8f, 0.3f, 0.02f, 0}, {0.9f, 0, 0.01f, 1}};
        for (int n : UPDATE_SIZES) {
            for (float[] s : settings) {
                float momentum = s[0], dampening = s[1], wd = s[2];
                boolean nesterov = s[3] != 0;
                for (boolean first : new boolean[] {true, false}) {
                    if (momentum == 0 && !first) continue;  // no velocity, so no difference between steps
                    float lr = 0.01f + r.nextFloat() / 10;
                    int pOff = r.nextInt(3), gOff = r.nextInt(3);
                    float[] p = randomData(r, pOff + n, false), g = randomData(r, gOff + n, false), v = randomData(r, n, false);
                    Tensor theta = Tensor.of(device, Arrays.copyOfRange(p, pOff, pOff + n), n), velocity = Tensor.of(device, v, n);
                    SGD.update(theta, Tensor.of(device, Arrays.copyOfRange(g, gOff, gOff + n), n), velocity, lr, momentum, dampening, wd,
                            nesterov, first);
                    Buffer pb = backend.upload(p), vb = backend.upload(v);
                    backend.sgdStep(pb, pOff, backend.upload(g), gOff, vb, n, lr, momentum, dampening, wd, nesterov, first);
                    String what = String.format("sgdStep n=%d lr=%s μ=%s dampening=%s λ=%s nesterov=%s first=%s against SGD.update",
                            n, lr, momentum, dampening, wd, nesterov, first);
                    float[] expected = p.clone();
                    System.arraycopy(theta.toFloatArray(), 0, expected, pOff, n);
                    assertClose(what + ", θ", expected, whole(backend, pb), FUSED_RTOL, FUSED_ATOL);
                    if (momentum != 0) assertClose(what + ", v", velocity.toFloatArray(), whole(backend, vb), FUSED_RTOL, FUSED_ATOL);
                }
            }
        }
    }

    /**
     * Backend.adamStep (one pass, given c₁ = 1 − β₁ᵗ and c₂ = 1 − β₂ᵗ) against Adam.update (tensor ops,
     * given t). At t = 1, from the zero state, the corrections scale the step by 1/c₁ = 10 (β₁ = 0.9);
     * by t = 1000 they are near 1 for m and 1.6 for v.
     */
    @ParameterizedTest
    @MethodSource("backends")
    void adamStepEqualsItsDefinition(Backend backend) {
        Device device = deviceOf(backend);
        Random r = new Random(18);
        // {η, β₁, β₂, ε, λ}: PyTorch's defaults; with weight decay; a large ε and small β₂
        float[][] settings = {{0.001f, 0.9f, 0.999f, 1e-8f, 0}, {0.05f, 0.8f, 0.99f, 1e-6f, 0.1f}, {0.01f, 0.5f, 0.9f, 1e-3f, 0.01f}};
        for (int n : UPDATE_SIZES) {
            for (float[] s : settings) {
                float lr = s[0], b1 = s[1], b2 = s[2], eps = s[3], wd = s[4];
                for (int t : new int[] {1, 2, 10, 1000}) {
                    int pOff = r.nextInt(3), gOff = r.nextInt(3);
                    float[] p = randomData(r, pOff + n, false), g = randomData(r, gOff + n, false);
                    float[] m = t == 1 ? new float[n] : randomData(r, n, false), v = t == 1 ? new float[n] : randomData(r, n, true);
                    Tensor theta = Tensor.of(device, Arrays.copyOfRange(p, pOff, pOff + n), n);
                    Tensor mT = Tensor.of(device, m, n), vT = Tensor.of(device, v, n);
                    Adam.update(theta, Tensor.of(device, Arrays.copyOfRange(g, gOff, gOff + n), n), mT, vT, null, t, lr, b1, b2, eps, wd);
                    float c1 = (float) (1 - Math.pow(b1, t)), c2 = (float) (1 - Math.pow(b2, t));
                    Buffer pb = backend.upload(p), mb = backend.upload(m), vb = backend.upload(v);
                    backend.adamStep(pb, pOff, backend.upload(g), gOff, mb, vb, n, lr, b1, b2, eps, wd, c1, c2);
                    String what = String.format("adamStep n=%d η=%s β=(%s, %s) ε=%s λ=%s t=%d against Adam.update", n, lr, b1, b2, eps, wd, t);
                    float[] expected = p.clone();
                    System.arraycopy(theta.toFloatArray(), 0, expected, pOff, n);
                    assertClose(what + ", θ", expected, whole(backend, pb), FUSED_RTOL, FUSED_ATOL);
                    assertClose(what + ", m", mT.toFloatArray(), whole(backend, mb), FUSED_RTOL, FUSED_ATOL);
                    assertClose(what + ", v", vT.toFloatArray(), whole(backend, vb), FUSED_RTOL, FUSED_ATOL);
                }
            }
        }
    }

    // ---- recurrent cells: fused = composed, forward and backward, and = the reference's loops -----

    /** Rows and units of the cells: 1, primes, the vector lengths (8, 16 floats) ± 1, and one above 32. */
    static final int[] CELL_ROWS = {1, 3, 7}, CELL_UNITS = {1, 5, 8, 9, 16, 17, 33};

    /** Every pair of CELL_ROWS and CELL_UNITS, then one step big enough for the simd backend to split its rows between cores. */
    static List<int[]> cellShapes() {
        List<int[]> shapes = new java.util.ArrayList<>();
        for (int n : CELL_ROWS) for (int hidden : CELL_UNITS) shapes.add(new int[] {n, hidden});
        shapes.add(new int[] {41, 131});
        return shapes;
    }

    /**
     * How closely a cell must equal its composition and the reference's loops: 10⁻⁵ relative, and
     * 10⁻⁶ absolute per unit of scale of the values combined (inputs ~N(0, 2²); a GRU's projections
     * ×30 in half the cases stay ×30 in x_n + r⊙h_n and in dr). The versions
     * round at different points (the reference forms c and dc in double, the simd loops use fma);
     * σ and tanh differ by a few ulp between the simd backend's vector polynomials and the scalar
     * definitions (its tails, at other elements in the two versions) or a device's built-ins; and
     * some terms cancel: 1 − tanh² near ±1, x_n + r⊙h_n. Each leaves an absolute error of a few ulp
     * of the inputs' magnitude. Measured largest error on simd512 and PoCL: a sixth of the bound.
     */
    static final double CELL_ATOL = 1e-6;

    /** One call of a cell primitive on backend b: inputs x[k] from offset at[k], outputs y[k] from offset yAt[k]. */
    interface Cell {
        void run(Backend b, Buffer[] x, int[] at, Buffer[] y, int[] yAt);
    }

    /** What each output buffer holds before the call, ahead of its offset: it must still be there after. */
    static final float GUARD = 7.25f;

    /**
     * Runs {@code fused} and {@code composed} on the backend and {@code fused} on the reference
     * backend, on the same inputs, each output written from its offset outAt[k] (the places before
     * it hold {@link #GUARD} and must keep it); asserts every output agrees; returns the reference's
     * outputs (from their offsets).
     */
    static float[][] checkCell(String what, Backend backend, float[][] inputs, int[] at, int[] outSizes, int[] outAt, String[] outNames,
                               double atol, Cell fused, Cell composed) {
        Backend oracle = BackendContractTest.ORACLE;
        Buffer[] x = new Buffer[inputs.length], xOracle = new Buffer[inputs.length];
        for (int k = 0; k < inputs.length; k++) {
            x[k] = backend.upload(inputs[k]);
            xOracle[k] = oracle.upload(inputs[k]);
        }
        Buffer[] yF = new Buffer[outSizes.length], yC = new Buffer[outSizes.length], yR = new Buffer[outSizes.length];
        for (int k = 0; k < outSizes.length; k++) {
            float[] guarded = new float[outAt[k] + outSizes[k]];
            java.util.Arrays.fill(guarded, GUARD);
            yF[k] = backend.upload(guarded);
            yC[k] = backend.upload(guarded);
            yR[k] = oracle.upload(guarded);
        }
        fused.run(backend, x, at, yF, outAt);
        composed.run(backend, x, at, yC, outAt);
        fused.run(oracle, xOracle, at, yR, outAt);
        float[][] expected = new float[outSizes.length][];
        for (int k = 0; k < outSizes.length; k++) {
            float[][] parts = {whole(backend, yF[k]), whole(backend, yC[k]), whole(oracle, yR[k])};
            for (float[] part : parts) {
                for (int i = 0; i < outAt[k]; i++) {
                    assertThat(part[i]).as("%s, %s: place %d before its offset %d was written", what, outNames[k], i, outAt[k]).isEqualTo(GUARD);
                }
            }
            float[] f = java.util.Arrays.copyOfRange(parts[0], outAt[k], parts[0].length);
            expected[k] = java.util.Arrays.copyOfRange(parts[2], outAt[k], parts[2].length);
            assertClose(what + ", " + outNames[k] + ": fused against Composed", java.util.Arrays.copyOfRange(parts[1], outAt[k], parts[1].length),
                    f, FUSED_RTOL, atol);
            assertClose(what + ", " + outNames[k] + ": fused against the reference's", expected[k], f, FUSED_RTOL, atol);
        }
        return expected;
    }

    /** size random values (×scale) after offset random ones: a read from the wrong place shows. */
    static float[] padded(Random r, int offset, int size, float scale) {
        float[] v = randomData(r, offset + size, false);
        for (int i = 0; i < v.length; i++) v[i] *= scale;
        return v;
    }

    /** values after offset random ones. */
    static float[] shifted(Random r, float[] values, int offset) {
        float[] v = padded(r, offset, values.length, 1);
        System.arraycopy(values, 0, v, offset, values.length);
        return v;
    }

    static int[] offsets(Random r, int count) {
        return r.ints(count, 0, 3).toArray();
    }

    /**
     * lstmCell, then lstmCellBackward on the act and c it saved, against their compositions. Half the
     * cases scale the gates by 30, so σ and tanh saturate (σ = 1 and tanh = ±1 exactly in float), and
     * one in three passes dcNext = 0, as at the last step.
     */
    @ParameterizedTest
    @MethodSource("backends")
    void lstmCellEqualsItsComposition(Backend backend) {
        Random r = new Random(19);
        for (int[] shape : cellShapes()) {
            int n = shape[0], hidden = shape[1];
            int nh = n * hidden;
            boolean large = r.nextBoolean();
            float scale = large ? 30 : 1;  // σ and tanh saturate: every output stays of order 1, and so does the tolerance
            String what = String.format("lstmCell n=%d hidden=%d%s", n, hidden, large ? ", gates ×30" : "");
            int[] at = offsets(r, 2);
            float[][] in = {padded(r, at[0], 4 * nh, scale), padded(r, at[1], nh, 1)};
            float[][] saved = checkCell(what, backend, in, at, new int[] {4 * nh, nh, nh}, offsets(r, 3), new String[] {"act", "c", "h"},
                    CELL_ATOL,
                    (b, x, o, y, q) -> b.lstmCell(n, hidden, x[0], o[0], x[1], o[1], y[0], q[0], y[1], q[1], y[2], q[2]),
                    (b, x, o, y, q) -> Composed.lstmCell(b, n, hidden, x[0], o[0], x[1], o[1], y[0], q[0], y[1], q[1], y[2], q[2]));
            int[] bt = {r.nextInt(3), at[1], r.nextInt(3), r.nextInt(3), r.nextInt(3)};
            float[] dcNext = r.nextInt(3) == 0 ? new float[bt[4] + nh] : padded(r, bt[4], nh, 1);
            float[][] grads = {shifted(r, saved[0], bt[0]), in[1], shifted(r, saved[1], bt[2]), padded(r, bt[3], nh, 1), dcNext};
            checkCell(what + " backward", backend, grads, bt, new int[] {4 * nh, nh}, offsets(r, 2), new String[] {"dGates", "dcPrev"},
                    CELL_ATOL,
                    (b, x, o, y, q) -> b.lstmCellBackward(n, hidden, x[0], o[0], x[1], o[1], x[2], o[2], x[3], o[3], x[4], o[4],
                            y[0], q[0], y[1], q[1]),
                    (b, x, o, y, q) -> Composed.lstmCellBackward(b, n, hidden, x[0], o[0], x[1], o[1], x[2], o[2], x[3], o[3], x[4], o[4],
                            y[0], q[0], y[1], q[1]));
        }
    }

    /** lstmCell with act the gates buffer itself (as LstmSequence calls it) gives what it gives into a buffer of its own. */
    @ParameterizedTest
    @MethodSource("backends")
    void lstmCellMayWriteItsActivationsOverItsGates(Backend backend) {
        Random r = new Random(21);
        for (int hidden : CELL_UNITS) {
            int n = 3, nh = n * hidden, at = 2;
            float[] gates = padded(r, at, 4 * nh, 4), cPrev = padded(r, 0, nh, 1);
            Buffer g = backend.upload(gates), cp = backend.upload(cPrev), act = backend.allocate(4 * nh);
            Buffer c1 = backend.allocate(nh), h1 = backend.allocate(nh), c2 = backend.allocate(nh), h2 = backend.allocate(nh);
            backend.lstmCell(n, hidden, g, at, cp, 0, act, 0, c1, 0, h1, 0);
            backend.lstmCell(n, hidden, g, at, cp, 0, g, at, c2, 0, h2, 0);
            float[] inPlace = whole(backend, g);
            assertThat(java.util.Arrays.copyOfRange(inPlace, at, at + 4 * nh)).as("act, hidden %d", hidden).containsExactly(whole(backend, act));
            assertThat(java.util.Arrays.copyOfRange(inPlace, 0, at)).as("before the offset").containsExactly(java.util.Arrays.copyOfRange(gates, 0, at));
            assertThat(whole(backend, c2)).as("c, hidden %d", hidden).containsExactly(whole(backend, c1));
            assertThat(whole(backend, h2)).as("h, hidden %d", hidden).containsExactly(whole(backend, h1));
        }
    }

    /** gruCell, then gruCellBackward on the act it saved, against their compositions (half the cases saturating). */
    @ParameterizedTest
    @MethodSource("backends")
    void gruCellEqualsItsComposition(Backend backend) {
        Random r = new Random(20);
        for (int[] shape : cellShapes()) {
            int n = shape[0], hidden = shape[1];
            int nh = n * hidden;
            boolean large = r.nextBoolean();
            float scale = large ? 30 : 1;  // h_n keeps this scale in m's argument and in dr: so does the tolerance
            String what = String.format("gruCell n=%d hidden=%d%s", n, hidden, large ? ", projections ×30" : "");
            int[] at = offsets(r, 3);
            float[][] in = {padded(r, at[0], 3 * nh, scale), padded(r, at[1], 3 * nh, scale), padded(r, at[2], nh, 1)};
            float[][] saved = checkCell(what, backend, in, at, new int[] {4 * nh, nh}, offsets(r, 2), new String[] {"act", "h"},
                    scale * CELL_ATOL,
                    (b, x, o, y, q) -> b.gruCell(n, hidden, x[0], o[0], x[1], o[1], x[2], o[2], y[0], q[0], y[1], q[1]),
                    (b, x, o, y, q) -> Composed.gruCell(b, n, hidden, x[0], o[0], x[1], o[1], x[2], o[2], y[0], q[0], y[1], q[1]));
            int[] bt = {r.nextInt(3), at[2], r.nextInt(3)};
            float[][] grads = {shifted(r, saved[0], bt[0]), in[2], padded(r, bt[2], nh, 1)};
            checkCell(what + " backward", backend, grads, bt, new int[] {3 * nh, 3 * nh, nh}, offsets(r, 3),
                    new String[] {"dXg", "dHg", "dhPrev"}, scale * CELL_ATOL,
                    (b, x, o, y, q) -> b.gruCellBackward(n, hidden, x[0], o[0], x[1], o[1], x[2], o[2], y[0], q[0], y[1], q[1], y[2], q[2]),
                    (b, x, o, y, q) -> Composed.gruCellBackward(b, n, hidden, x[0], o[0], x[1], o[1], x[2], o[2], y[0], q[0], y[1], q[1],
                            y[2], q[2]));
        }
    }

    /**
     * The same inputs give the same bits on every call, before and after the JIT compiles the cells'
     * loops (so the same seed gives the same run): hidden 33 has vector and tail units on every width.
     */
    @ParameterizedTest
    @MethodSource("backends")
    void cellsAreBitIdenticalAcrossManyCalls(Backend backend) {
        Random r = new Random(24);
        int n = 4, hidden = 33, nh = n * hidden;
        Buffer gates = backend.upload(padded(r, 0, 4 * nh, 3)), state = backend.upload(padded(r, 0, nh, 1));
        Buffer grad = backend.upload(padded(r, 0, nh, 1)), xg = backend.upload(padded(r, 0, 3 * nh, 3));
        Buffer act = backend.allocate(4 * nh), c = backend.allocate(nh), h = backend.allocate(nh), dGates = backend.allocate(4 * nh);
        Buffer dPrev = backend.allocate(nh), gruAct = backend.allocate(4 * nh), dXg = backend.allocate(3 * nh), dHg = backend.allocate(3 * nh);
        float[][] first = null;
        for (int call = 0; call < 1000; call++) {
            backend.lstmCell(n, hidden, gates, 0, state, 0, act, 0, c, 0, h, 0);
            backend.lstmCellBackward(n, hidden, act, 0, state, 0, c, 0, grad, 0, grad, 0, dGates, 0, dPrev, 0);
            float[][] lstm = {whole(backend, h), whole(backend, c), whole(backend, dGates), whole(backend, dPrev)};
            backend.gruCell(n, hidden, xg, 0, xg, 0, state, 0, gruAct, 0, h, 0);
            backend.gruCellBackward(n, hidden, gruAct, 0, state, 0, grad, 0, dXg, 0, dHg, 0, dPrev, 0);
            float[][] now = {lstm[0], lstm[1], lstm[2], lstm[3], whole(backend, h), whole(backend, dXg), whole(backend, dHg), whole(backend, dPrev)};
            if (first == null) first = now;
            for (int k = 0; k < now.length; k++) assertThat(now[k]).as("output %d on call %d", k, call).containsExactly(first[k]);
        }
    }
}
