package jgrad.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The recurrent cells through {@link FusedKernels}: a step worked by hand, the backward arithmetic
 * against central differences of the forward (so the backward primitives are the forward's
 * derivatives, not only equal to their own compositions: FusedContractTest checks that), and the
 * argument checks.
 */
class RecurrentCellKernelsTest {
    static Stream<Device> devices() {
        return Stream.of(Device.cpu(), Device.of("reference"));
    }

    /** G = 0 gives i = f = o = σ(0) = ½ and g = tanh(0) = 0: c = ½·cPrev, h = ½·tanh(c). */
    @ParameterizedTest
    @MethodSource("devices")
    void lstmStepWorkedByHand(Device d) {
        Tensor[] out = RecurrentKernels.lstmCell(Tensor.zeros(d, 1, 4), Tensor.of(d, new float[] {1}, 1, 1));
        assertThat(out[1].toFloatArray()[0]).as("c = f·cPrev + i·g = ½·1 + ½·0").isEqualTo(0.5f);
        assertThat(out[0].toFloatArray()[0]).as("h = o·tanh(c)").isCloseTo((float) (0.5 * Math.tanh(0.5)), within(1e-7f));
        assertThat(out[2].toFloatArray()).as("act = i, f, g, o").containsExactly(0.5f, 0.5f, 0f, 0.5f);
        assertThat(out[0].shape()).containsExactly(1, 1);
        assertThat(out[2].shape()).containsExactly(1, 4);
    }

    /** Projections 0 give r = z = ½ and m = tanh(0) = 0: h = (1 − z)·m + z·hPrev = ½·hPrev. */
    @ParameterizedTest
    @MethodSource("devices")
    void gruStepWorkedByHand(Device d) {
        Tensor[] out = RecurrentKernels.gruCell(Tensor.zeros(d, 1, 3), Tensor.full(d, 0f, 1, 3), Tensor.of(d, new float[] {3}, 1, 1));
        assertThat(out[0].toFloatArray()).containsExactly(1.5f);
        assertThat(out[1].toFloatArray()).as("act = r, z, m, h_n").containsExactly(0.5f, 0.5f, 0f, 0f);
    }

    /**
     * ∂C/∂G, ∂C/∂cPrev of C = Σ dh⊙h + Σ dcNext⊙c by central differences, against lstmCellBackward.
     * A step of 10⁻² in float: truncation ~10⁻⁵, rounding ~10⁻⁵; a wrong formula is off by ~10⁻¹.
     */
    @ParameterizedTest
    @MethodSource("devices")
    void lstmBackwardMatchesCentralDifferences(Device d) {
        Random r = new Random(21);
        int n = 2, hidden = 9;
        float[] g = gaussian(r, n * 4 * hidden, 1.5f), cPrev = gaussian(r, n * hidden, 1), dh = gaussian(r, n * hidden, 1);
        float[] dcNext = gaussian(r, n * hidden, 1);
        Function<float[][], Double> cost = x -> {
            Tensor[] o = RecurrentKernels.lstmCell(Tensor.of(d, x[0], n, 4 * hidden), Tensor.of(d, x[1], n, hidden));
            return dot(dh, o[0].toFloatArray()) + dot(dcNext, o[1].toFloatArray());
        };
        Tensor[] fwd = RecurrentKernels.lstmCell(Tensor.of(d, g, n, 4 * hidden), Tensor.of(d, cPrev, n, hidden));
        Tensor[] grads = RecurrentKernels.lstmCellBackward(fwd[2], Tensor.of(d, cPrev, n, hidden), fwd[1], Tensor.of(d, dh, n, hidden),
                Tensor.of(d, dcNext, n, hidden));
        float[][] x = {g, cPrev};
        assertCentral("dGates", cost, x, 0, grads[0].toFloatArray());
        assertCentral("dcPrev", cost, x, 1, grads[1].toFloatArray());
    }

    /** ∂C/∂xg, ∂C/∂hg, ∂C/∂hPrev (hg held fixed: the direct part) of C = Σ dh⊙h, against gruCellBackward. */
    @ParameterizedTest
    @MethodSource("devices")
    void gruBackwardMatchesCentralDifferences(Device d) {
        Random r = new Random(22);
        int n = 2, hidden = 9;
        float[] xg = gaussian(r, n * 3 * hidden, 1.5f), hg = gaussian(r, n * 3 * hidden, 1.5f), hPrev = gaussian(r, n * hidden, 1);
        float[] dh = gaussian(r, n * hidden, 1);
        Function<float[][], Double> cost = x -> dot(dh, RecurrentKernels.gruCell(Tensor.of(d, x[0], n, 3 * hidden),
                Tensor.of(d, x[1], n, 3 * hidden), Tensor.of(d, x[2], n, hidden))[0].toFloatArray());
        Tensor hp = Tensor.of(d, hPrev, n, hidden);
        Tensor[] fwd = RecurrentKernels.gruCell(Tensor.of(d, xg, n, 3 * hidden), Tensor.of(d, hg, n, 3 * hidden), hp);
        Tensor[] grads = RecurrentKernels.gruCellBackward(fwd[1], hp, Tensor.of(d, dh, n, hidden));
        float[][] x = {xg, hg, hPrev};
        assertCentral("dXg", cost, x, 0, grads[0].toFloatArray());
        assertCentral("dHg", cost, x, 1, grads[1].toFloatArray());
        assertCentral("dhPrev (direct part)", cost, x, 2, grads[2].toFloatArray());
    }

    /** Views (a transpose, a slice at an offset) and null states are marshalled: the same as contiguous copies and zeros. */
    @Test
    void viewsAndNullStatesGiveWhatContiguousTensorsAndZerosGive() {
        Device d = Device.cpu();
        Random r = new Random(23);
        Tensor gT = Tensor.of(d, gaussian(r, 20 * 3, 1), 20, 3).t();                          // [3, 20], strided
        Tensor cPrev = Tensor.of(d, gaussian(r, 4 * 5, 1), 4, 5).slice(0, 1, 4);                // [3, 5], from offset 5
        Tensor[] views = RecurrentKernels.lstmCell(gT, cPrev);
        Tensor[] copies = RecurrentKernels.lstmCell(gT.contiguous(), cPrev.contiguous());
        for (int k = 0; k < 3; k++) assertThat(views[k].toFloatArray()).containsExactly(copies[k].toFloatArray());
        Tensor zeros = Tensor.zeros(d, 3, 5);
        assertThat(RecurrentKernels.lstmCell(gT, null)[1].toFloatArray()).containsExactly(RecurrentKernels.lstmCell(gT, zeros)[1].toFloatArray());
        Tensor dh = Tensor.of(d, gaussian(r, 15, 1), 3, 5);
        assertThat(RecurrentKernels.lstmCellBackward(views[2], null, views[1], dh, null)[0].toFloatArray())
                .containsExactly(RecurrentKernels.lstmCellBackward(views[2], zeros, views[1], dh, zeros)[0].toFloatArray());
    }

    @Test
    void wrongShapesAreNamedInTheError() {
        Tensor g = Tensor.zeros(2, 8);
        assertThatThrownBy(() -> RecurrentKernels.lstmCell(Tensor.zeros(2, 7), null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lstmCell").hasMessageContaining("gates [2, 7]");
        assertThatThrownBy(() -> RecurrentKernels.lstmCell(g, Tensor.zeros(2, 3))).hasMessageContaining("cPrev [2, 3]");
        assertThatThrownBy(() -> RecurrentKernels.lstmCellBackward(g, null, Tensor.zeros(2, 2), Tensor.zeros(3, 2), null))
                .hasMessageContaining("lstmCellBackward").hasMessageContaining("dh [3, 2]");
        assertThatThrownBy(() -> RecurrentKernels.gruCell(Tensor.zeros(2, 6), Tensor.zeros(2, 5), Tensor.zeros(2, 2)))
                .hasMessageContaining("gruCell").hasMessageContaining("hGates [2, 5]");
        assertThatThrownBy(() -> RecurrentKernels.gruCellBackward(Tensor.zeros(2, 6), Tensor.zeros(2, 2), Tensor.zeros(2, 2)))
                .hasMessageContaining("gruCellBackward").hasMessageContaining("act [2, 6]");
    }

    // ---- helpers ----------------------------------------------------------------------------

    static float[] gaussian(Random r, int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian() * scale;
        return v;
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
        return s;
    }

    /** Each element k of input {@code which}: (C(x + εeₖ) − C(x − εeₖ)) / 2ε against analytic[k]. */
    static void assertCentral(String what, Function<float[][], Double> cost, float[][] x, int which, float[] analytic) {
        float eps = 1e-2f;
        for (int k = 0; k < analytic.length; k++) {
            float[][] plus = x.clone(), minus = x.clone();
            plus[which] = x[which].clone();
            minus[which] = x[which].clone();
            plus[which][k] += eps;
            minus[which][k] -= eps;
            double step = (double) plus[which][k] - minus[which][k];  // the step as stored in float
            double numeric = (cost.apply(plus) - cost.apply(minus)) / step;
            assertThat((double) analytic[k]).as("%s[%d]: central difference %s, backward %s", what, k, numeric, analytic[k])
                    .isCloseTo(numeric, within(2e-3 + 2e-3 * Math.abs(numeric)));
        }
    }
}
