package jgrad.backend.simd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jgrad.backend.Layout;
import jgrad.backend.UnaryOp;
import jgrad.backend.reference.HeapBuffer;
import org.junit.jupiter.api.Test;

/**
 * The simd backend's eˣ and tanh ({@link Pointwise#exp}, {@link Pointwise#tanh}), used by exp,
 * sigmoid, tanh, softmax and cross-entropy: accurate, right at the edges, and the same bits before
 * and after the JIT compiles them (the Vector API's own EXP was not, and training runs of one seed
 * drifted apart).
 */
class ExpTest {
    private static float[] exp(float[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i + Simd.LANES <= x.length; i += Simd.LANES) Pointwise.exp(FloatVector.fromArray(Simd.F, x, i)).intoArray(out, i);
        return out;
    }

    @Test
    void withinTwoUlpOfTheExactValueOverTheWholeRange() {
        int n = Simd.LANES * 20_000;
        float[] x = new float[n];
        Random r = new Random(5);
        for (int i = 0; i < n; i++) x[i] = -104f + 193f * r.nextFloat();  // −104 … 89: underflow to overflow
        float[] y = exp(x);
        for (int i = 0; i < n; i++) {
            double exact = Math.exp(x[i]);
            float e = (float) exact;
            if (Float.isInfinite(e)) {
                assertThat(y[i]).as("e^%s", x[i]).isEqualTo(Float.POSITIVE_INFINITY);
            } else if (Math.abs(e) < Float.MIN_NORMAL) {
                // below the normal range the spacing is fixed: allow two of the smallest steps
                assertThat((double) y[i]).as("e^%s", x[i]).isCloseTo(exact, org.assertj.core.data.Offset.offset(2.0 * Float.MIN_VALUE));
            } else {
                assertThat(Math.abs(y[i] - e)).as("e^%s = %s, got %s", x[i], e, y[i]).isLessThanOrEqualTo(2 * Math.ulp(e));
            }
        }
    }

    @Test
    void edgesAreThoseOfTheScalarDefinition() {
        float[] x = new float[Simd.LANES * 2];
        float[] special = {0f, -0f, 1f, -1f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 88.7f, 88.8f, -87.5f, -103.9f, -120f,
            Float.MAX_VALUE, -Float.MAX_VALUE, 1e-30f, 0.5f};
        System.arraycopy(special, 0, x, 0, Math.min(special.length, x.length));
        float[] y = exp(x);
        for (int i = 0; i < Math.min(special.length, x.length); i++) {
            float want = UnaryOp.EXP.apply(x[i]);
            if (Float.isNaN(want)) {
                assertThat(y[i]).as("e^NaN").isNaN();
            } else if (Float.isInfinite(want) || want == 0f || x[i] == 0f) {
                assertThat(y[i]).as("e^%s", x[i]).isEqualTo(want);
            } else {
                assertThat(Math.abs(y[i] - want)).as("e^%s", x[i]).isLessThanOrEqualTo(2 * Math.max(Math.ulp(want), Float.MIN_VALUE));
            }
        }
    }

    @Test
    void tanhWithinThreeUlpAndItsEdges() {
        int n = Simd.LANES * 20_000;
        float[] x = new float[n];
        Random r = new Random(6);
        for (int i = 0; i < n; i++) x[i] = i % 3 == 0 ? (float) r.nextGaussian() * 0.5f : -12f + 24f * r.nextFloat();
        float[] special = {0f, -0f, 0.625f, -0.625f, 0.62499994f, 1e-20f, -1e-30f, 9f, -9f, 20f, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, Float.NaN, Float.MAX_VALUE, -Float.MIN_VALUE, 3f};
        System.arraycopy(special, 0, x, 0, special.length);
        float[] y = new float[n];
        for (int i = 0; i + Simd.LANES <= n; i += Simd.LANES) Pointwise.tanh(FloatVector.fromArray(Simd.F, x, i)).intoArray(y, i);
        for (int i = 0; i < n; i++) {
            float want = UnaryOp.TANH.apply(x[i]);
            if (Float.isNaN(want)) {
                assertThat(y[i]).as("tanh(NaN)").isNaN();
            } else if (want == 0f) {
                assertThat(Float.floatToIntBits(y[i])).as("tanh(%s) keeps the sign of zero", x[i]).isEqualTo(Float.floatToIntBits(want));
            } else {
                assertThat(Math.abs(y[i] - want)).as("tanh(%s) = %s, got %s", x[i], want, y[i])
                        .isLessThanOrEqualTo(3 * Math.max(Math.ulp(want), Float.MIN_VALUE));
            }
        }
    }

    @Test
    void sameBitsInterpretedAndCompiled() {
        // the first calls run in the interpreter, the later ones compiled by C1 and then C2
        SimdBackend b = new SimdBackend();
        Random r = new Random(11);
        float[] x = new float[64 * 10 + 3];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian() * 8f;
        HeapBuffer in = (HeapBuffer) b.upload(x);
        Layout all = Layout.contiguous(x.length), rows = Layout.contiguous(64, 10);
        float[] firstExp = null, firstSigmoid = null, firstSoftmax = null, firstTanh = null;
        for (int call = 0; call < 30_000; call++) {
            HeapBuffer e = (HeapBuffer) b.allocate(x.length), s = (HeapBuffer) b.allocate(x.length), sm = (HeapBuffer) b.allocate(640);
            HeapBuffer t = (HeapBuffer) b.allocate(x.length);
            b.map(UnaryOp.EXP, in, all, e, all);
            b.map(UnaryOp.SIGMOID, in, all, s, all);
            b.map(UnaryOp.TANH, in, all, t, all);
            b.softmax(false, in, 0, 64, 10, sm);
            if (firstExp == null) {
                firstExp = e.data();
                firstSigmoid = s.data();
                firstSoftmax = sm.data();
                firstTanh = t.data();
            } else if (call % 1000 == 999 || !java.util.Arrays.equals(e.data(), firstExp) || !java.util.Arrays.equals(t.data(), firstTanh)) {
                assertThat(e.data()).as("exp on call %d", call).containsExactly(firstExp);
                assertThat(s.data()).as("sigmoid on call %d", call).containsExactly(firstSigmoid);
                assertThat(t.data()).as("tanh on call %d", call).containsExactly(firstTanh);
                assertThat(sm.data()).as("softmax on call %d", call).containsExactly(firstSoftmax);
            }
        }
    }
}
