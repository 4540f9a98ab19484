package jgrad.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static jgrad.ops.LstmSequenceTest.assertClose;
import static jgrad.ops.LstmSequenceTest.random;

import java.util.List;
import jgrad.autograd.GradCheck;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * GruSequence, the GRU's loop over time as one op, against the same loop written step by step with
 * ops (a GEMM with b_hh and {@link RecurrentCells#gru} per step): values and every gradient, in both
 * directions, with and without h₀ and b_hh; then central differences on the op itself.
 */
class GruSequenceTest {

    private static Tensor stepByStep(Tensor a, Tensor w, Tensor b, Tensor h0, int n, boolean reverse) {
        int steps = a.size(0) / n, hidden = w.size(1);
        Tensor h = h0 != null ? h0 : Tensor.zeros(n, hidden);
        Tensor[] hs = new Tensor[steps];
        for (int k = 0; k < steps; k++) {
            int t = reverse ? steps - 1 - k : k;
            Tensor hg = h.matmul(w.t());
            if (b != null) hg = hg.add(b);
            h = RecurrentCells.gru(a.slice(0, t * n, (t + 1) * n), hg, h);
            hs[t] = h;
        }
        return CatSplit.stack(List.of(hs), 0);
    }

    @Test
    void matchesTheStepByStepGraphInValuesAndEveryGradient() {
        int steps = 5, n = 3, hidden = 7;  // 7: a vector tail on every width
        for (boolean reverse : new boolean[] {false, true}) {
            for (int variant = 0; variant < 4; variant++) {  // h0 given or not, b_hh given or not
                Generator g = new Generator(60 + variant);
                Tensor a = random(g, 1.5f, steps * n, 3 * hidden), w = random(g, 0.5f, 3 * hidden, hidden);
                Tensor b = (variant & 1) != 0 ? random(g, 0.5f, 3 * hidden) : null, h0 = (variant & 2) != 0 ? random(g, 1, n, hidden) : null;
                Tensor weights = Tensor.rand(g, steps, n, hidden).sub(0.5f);
                String what = (reverse ? "reverse" : "forward") + ", b_hh " + (b != null) + ", h0 " + (h0 != null);
                Tensor[] ins = {a, w, b, h0};

                GruSequence.apply(a, w, b, h0, n, reverse).mul(weights).sum().backward();
                Tensor[] fused = new Tensor[4];
                for (int i = 0; i < 4; i++) if (ins[i] != null) fused[i] = ins[i].grad();
                Tensor valuesFused = GruSequence.apply(a, w, b, h0, n, reverse);
                for (Tensor t : ins) if (t != null) t.setGrad(null);

                Tensor reference = stepByStep(a, w, b, h0, n, reverse);
                reference.mul(weights).sum().backward();
                assertClose(what + ": output", valuesFused, reference);
                String[] names = {"∂C/∂a", "∂C/∂W_hh", "∂C/∂b_hh", "∂C/∂h0"};
                for (int i = 0; i < 4; i++) if (ins[i] != null) assertClose(what + ": " + names[i], fused[i], ins[i].grad());
            }
        }
    }

    @Test
    void gradientsMatchCentralDifferences() {
        int steps = 4, n = 2, hidden = 3;
        for (boolean reverse : new boolean[] {false, true}) {
            Generator g = new Generator(reverse ? 71 : 70);
            Tensor a = random(g, 1, steps * n, 3 * hidden), w = random(g, 0.6f, 3 * hidden, hidden);
            Tensor b = random(g, 0.5f, 3 * hidden), h0 = random(g, 1, n, hidden);
            GradCheck.Result r = new GradCheck().check(x -> GruSequence.apply(x[0], x[1], x[2], x[3], n, reverse), a, w, b, h0);
            assertThat(r.passed()).as("%s: %s", reverse ? "reverse" : "forward", r.detail()).isTrue();
        }
    }

    @Test
    void wrongShapesAreNamed() {
        Tensor w = Tensor.zeros(6, 2);
        assertThatThrownBy(() -> GruSequence.apply(Tensor.zeros(5, 6), w, null, null, 2, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a [5, 6]").hasMessageContaining("N = 2");
        assertThatThrownBy(() -> GruSequence.apply(Tensor.zeros(4, 6), w, Tensor.zeros(5), null, 2, false)).hasMessageContaining("b_hh [5]");
    }
}
