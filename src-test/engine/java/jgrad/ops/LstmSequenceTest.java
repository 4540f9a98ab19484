package jgrad.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import jgrad.autograd.GradCheck;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * LstmSequence, the LSTM's loop over time as one op, against the same loop written step by step
 * with ops (a GEMM, an add and {@link RecurrentCells#lstm} per step, autograd's backward through
 * them): values and every gradient, in both directions, with and without initial states; then
 * central differences on the op itself.
 */
class LstmSequenceTest {

    /** The loop as a graph of per-step ops: output [T + 1, N, H] as LstmSequence lays it out. */
    private static Tensor stepByStep(Tensor a, Tensor w, Tensor h0, Tensor c0, int n, boolean reverse) {
        int steps = a.size(0) / n, hidden = w.size(1);
        Tensor h = h0, c = c0;
        Tensor[] hs = new Tensor[steps];
        for (int k = 0; k < steps; k++) {
            int t = reverse ? steps - 1 - k : k;
            Tensor at = a.slice(0, t * n, (t + 1) * n);
            Tensor z = h == null ? at : at.add(h.matmul(w.t()));
            Tensor both = RecurrentCells.lstm(z, c);
            h = both.slice(1, 0, hidden);
            c = both.slice(1, hidden, 2 * hidden);
            hs[t] = h;
        }
        List<Tensor> rows = new ArrayList<>(List.of(hs));
        rows.add(c);
        return CatSplit.stack(rows, 0);
    }

    /** Uniform in (−scale, scale), a leaf that wants its gradient. */
    static Tensor random(Generator g, float scale, int... shape) {
        return Tensor.rand(g, shape).mul(2 * scale).sub(scale).detach().requiresGrad(true);
    }

    @Test
    void matchesTheStepByStepGraphInValuesAndEveryGradient() {
        int steps = 5, n = 3, hidden = 7;  // 7: a vector tail on every width
        for (boolean reverse : new boolean[] {false, true}) {
            for (int states = 0; states < 4; states++) {  // none, h0, c0, both
                Generator g = new Generator(40 + states);
                Tensor a = random(g, 1.5f, steps * n, 4 * hidden), w = random(g, 0.5f, 4 * hidden, hidden);
                Tensor h0 = (states & 1) != 0 ? random(g, 1, n, hidden) : null, c0 = (states & 2) != 0 ? random(g, 1, n, hidden) : null;
                Tensor weights = Tensor.rand(g, steps + 1, n, hidden).sub(0.5f);
                String what = (reverse ? "reverse" : "forward") + ", h0 " + (h0 != null) + ", c0 " + (c0 != null);

                Tensor fused = LstmSequence.apply(a, w, h0, c0, n, reverse);
                fused.mul(weights).sum().backward();
                Tensor[] fusedGrads = {a.grad(), w.grad(), h0 == null ? null : h0.grad(), c0 == null ? null : c0.grad()};
                for (Tensor t : new Tensor[] {a, w, h0, c0}) if (t != null) t.setGrad(null);

                Tensor steps1 = stepByStep(a, w, h0, c0, n, reverse);
                steps1.mul(weights).sum().backward();
                Tensor[] stepGrads = {a.grad(), w.grad(), h0 == null ? null : h0.grad(), c0 == null ? null : c0.grad()};

                assertClose(what + ": output", fused, steps1);
                String[] names = {"∂C/∂a", "∂C/∂W_hh", "∂C/∂h0", "∂C/∂c0"};
                for (int i = 0; i < 4; i++) {
                    if (stepGrads[i] == null) continue;
                    assertClose(what + ": " + names[i], fusedGrads[i], stepGrads[i]);
                }
            }
        }
    }

    /** Within 1e-5 absolute plus 1e-5 relative, element by element (the fused op and the graph round differently). */
    static void assertClose(String what, Tensor actual, Tensor expected) {
        assertThat(actual.shape()).as(what + " shape").containsExactly(expected.shape());
        float[] x = actual.toFloatArray(), y = expected.toFloatArray();
        for (int i = 0; i < y.length; i++) {
            assertThat((double) Math.abs(x[i] - y[i])).as("%s at %d: %s vs %s", what, i, x[i], y[i])
                    .isLessThanOrEqualTo(1e-5 + 1e-5 * Math.abs(y[i]));
        }
    }

    @Test
    void gradientsMatchCentralDifferences() {
        int steps = 4, n = 2, hidden = 3;
        for (boolean reverse : new boolean[] {false, true}) {
            Generator g = new Generator(reverse ? 51 : 50);
            Tensor a = random(g, 1, steps * n, 4 * hidden), w = random(g, 0.6f, 4 * hidden, hidden);
            Tensor h0 = random(g, 1, n, hidden), c0 = random(g, 1, n, hidden);
            GradCheck.Result r = new GradCheck().check(x -> LstmSequence.apply(x[0], x[1], x[2], x[3], n, reverse), a, w, h0, c0);
            assertThat(r.passed()).as("%s: %s", reverse ? "reverse" : "forward", r.detail()).isTrue();
        }
    }

    @Test
    void oneStepIsOneCell() {
        Generator g = new Generator(52);
        Tensor a = random(g, 1, 2, 8), w = random(g, 1, 8, 2), h0 = random(g, 1, 2, 2), c0 = random(g, 1, 2, 2);
        Tensor y = LstmSequence.apply(a, w, h0, c0, 2, false);
        Tensor both = RecurrentCells.lstm(a.add(h0.matmul(w.t())), c0);
        assertClose("h", y.slice(0, 0, 1).squeeze(0), both.slice(1, 0, 2));
        assertClose("c", y.slice(0, 1, 2).squeeze(0), both.slice(1, 2, 4));
    }

    @Test
    void anInPlaceChangeOfWhatBackwardReadsIsRefused() {
        Generator g = new Generator(53);
        Tensor a = random(g, 1, 6, 8), w = random(g, 1, 8, 2), h0 = random(g, 1, 2, 2);
        Tensor y = LstmSequence.apply(a, w, h0, null, 2, false);
        h0.detach().mulInPlace(2);  // h₀ feeds W_hh's gradient: backward would use the new values
        assertThatThrownBy(() -> y.sum().backward()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("LSTM backward").hasMessageContaining("shape [2, 2]").hasMessageContaining("in-place");
    }

    @Test
    void inPlaceGivesTheSameValuesAndGradientsAndMovesTheVersion() {
        int steps = 4, n = 3, hidden = 5;
        Generator g = new Generator(54);
        Tensor x = random(g, 1, steps * n, 4 * hidden), w = random(g, 0.5f, 4 * hidden, hidden), h0 = random(g, 1, n, hidden);
        Tensor weights = Tensor.rand(g, steps + 1, n, hidden);
        Tensor copied = LstmSequence.apply(x.mul(2f), w, h0, null, n, true);
        copied.mul(weights).sum().backward();
        Tensor[] expected = {x.grad(), w.grad(), h0.grad()};
        for (Tensor t : new Tensor[] {x, w, h0}) t.setGrad(null);

        Tensor a = x.mul(2f);  // an intermediate, as the LSTM layer's projection is
        int before = a.version();
        Tensor inPlace = LstmSequence.applyInPlace(a, w, h0, null, n, true);
        assertThat(a.version()).as("a's version").isEqualTo(before + 1);
        inPlace.mul(weights).sum().backward();
        assertClose("output", inPlace, copied);
        assertClose("∂C/∂x", x.grad(), expected[0]);
        assertClose("∂C/∂W_hh", w.grad(), expected[1]);
        assertClose("∂C/∂h0", h0.grad(), expected[2]);
    }

    @Test
    void inPlaceOverAnInputAnotherOpSavedIsRefusedAtBackward() {
        Generator g = new Generator(55);
        Tensor x = random(g, 1, 6, 8), w = random(g, 1, 8, 2);
        Tensor a = x.mul(1f);
        Tensor square = a.mul(a);  // saves a for its backward
        Tensor y = LstmSequence.applyInPlace(a, w, null, null, 2, false);
        assertThatThrownBy(() -> square.sum().add(y.sum()).backward()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("shape [6, 8]").hasMessageContaining("in-place");
    }

    @Test
    void wrongShapesAreNamed() {
        Tensor w = Tensor.zeros(8, 2);
        assertThatThrownBy(() -> LstmSequence.apply(Tensor.zeros(5, 8), w, null, null, 2, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a [5, 8]").hasMessageContaining("N = 2");
        assertThatThrownBy(() -> LstmSequence.apply(Tensor.zeros(4, 8), w, Tensor.zeros(2, 3), null, 2, false))
                .hasMessageContaining("h0 [2, 3]");
        assertThatThrownBy(() -> LstmSequence.apply(Tensor.zeros(4, 6), w, null, null, 2, false)).hasMessageContaining("W_hh [8, 2]");
    }
}
