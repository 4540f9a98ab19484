package jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import jgrad.TorchFixture;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** clipGradNorm_: by hand and against torch.nn.utils.clip_grad_norm_. */
class ClipGradTest {
    static final TorchFixture F = TorchFixture.load("indexing_fixture.txt");

    private static Parameter param(Tensor grad, int... shape) {
        Parameter p = new Parameter(Tensor.zeros(shape));
        if (grad != null) p.setGrad(grad);
        return p;
    }

    @Test
    void aGradientOfLengthFiveIsShrunkToOne() {
        Parameter a = param(Tensor.of(new float[] {3}, 1), 1), b = param(Tensor.of(new float[] {0, 4}, 2), 2);
        double total = ClipGrad.clipGradNorm_(List.of(a, b), 1.0);
        assertThat(total).as("√(3² + 4²)").isCloseTo(5.0, within(1e-9));
        float scale = (float) (1 / (5 + 1e-6));
        assertThat(a.grad().toFloatArray()).containsExactly(new float[] {3 * scale}, within(1e-7f));
        assertThat(b.grad().toFloatArray()).containsExactly(new float[] {0, 4 * scale}, within(1e-7f));
    }

    @Test
    void gradientsWithinTheLimitAreLeftAlone() {
        Parameter a = param(Tensor.of(new float[] {0.3f, -0.4f}, 2), 2);
        assertThat(ClipGrad.clipGradNorm_(List.of(a), 0.6)).isCloseTo(0.5, within(1e-7));
        assertThat(a.grad().toFloatArray()).containsExactly(0.3f, -0.4f);
        // exactly at the limit the 10⁻⁶ still shrinks them by a hair, as in PyTorch
        ClipGrad.clipGradNorm_(List.of(a), 0.5);
        assertThat(a.grad().toFloatArray()).containsExactly(new float[] {0.3f * (1 - 2e-6f), -0.4f * (1 - 2e-6f)}, within(3e-8f));
        assertThat(ClipGrad.clipGradNorm_(List.of(param(null, 3)), 1.0)).as("no gradients at all: norm 0").isEqualTo(0.0);
    }

    @Test
    void matchesPyTorch() {
        record Case(String key, double maxNorm, double normType) {}
        for (Case c : List.of(new Case("clip.2", 1.0, 2.0), new Case("clip.2.small", 100.0, 2.0),
                new Case("clip.inf", 0.5, Double.POSITIVE_INFINITY), new Case("clip.1", 3.0, 1.0))) {
            int[][] shapes = {{3, 4}, {3}, {2, 3}, {5}};
            Parameter[] ps = new Parameter[4];
            for (int i = 0; i < 4; i++) ps[i] = param(i < 3 ? F.tensor(c.key + ".grad" + i) : null, shapes[i]);  // the last has no gradient
            double total = ClipGrad.clipGradNorm_(List.of(ps), c.maxNorm, c.normType);
            assertThat(total).as("%s total norm", c.key).isCloseTo(F.scalar(c.key + ".total"), within(2e-6 * F.scalar(c.key + ".total")));
            for (int i = 0; i < 3; i++) F.assertMatches(c.key + ".clipped" + i, ps[i].grad(), 2e-6, 1e-7);
            assertThat(ps[3].grad()).isNull();
        }
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> ClipGrad.clipGradNorm_(List.of(), -1)).hasMessageContaining("clipGradNorm_").hasMessageContaining("-1");
        assertThatThrownBy(() -> ClipGrad.clipGradNorm_(List.of(), 1, 0)).hasMessageContaining("normType");
    }
}
