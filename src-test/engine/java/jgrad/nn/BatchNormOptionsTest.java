package jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import jgrad.TorchFixture;
import jgrad.autograd.GradCheck;
import jgrad.tensor.Device;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * BatchNorm's PyTorch options against PyTorch 1.13 (layers18_fixture.py): momentum = null (a
 * cumulative moving average), affine = false, track_running_stats = false, and num_batches_tracked;
 * three training steps (outputs, gradients, running statistics after each) and evaluation.
 */
class BatchNormOptionsTest {
    private static final TorchFixture TORCH = TorchFixture.load("layers18_fixture.txt");
    private static final double RTOL = 1e-4, ATOL = 1e-5;

    private static BatchNorm make(String name) {
        return switch (name) {
            case "cma" -> new BatchNorm2d(3, 1e-5f, null, true, true);
            case "noaffine" -> new BatchNorm2d(3, 1e-5f, 0.1f, false, true);
            case "notrack" -> new BatchNorm1d(4, 1e-5f, 0.1f, true, false);
            default -> throw new IllegalArgumentException(name);
        };
    }

    static Stream<Arguments> cases() {
        return Stream.of(Device.cpu(), Device.reference())
                .flatMap(d -> Stream.of("cma", "noaffine", "notrack").map(n -> Arguments.of(d, n)));
    }

    private static Tensor tensor(Device d, String key) {
        return Tensor.of(d, TORCH.values(key), TORCH.shape(key));
    }

    @ParameterizedTest(name = "{0}: bnopt.{1}")
    @MethodSource("cases")
    void threeTrainingStepsThenEvaluationMatchPyTorch(Device d, String name) {
        String p = "bnopt." + name;
        BatchNorm bn = CnnLayersTest.on(d, () -> make(name));
        boolean affine = !name.equals("noaffine"), tracked = !name.equals("notrack");
        if (affine) {  // as the script: weight 1.5 + i/10, bias i/10 − 0.1
            float[] w = new float[bn.weight.numel()], b = new float[w.length];
            for (int i = 0; i < w.length; i++) {
                w[i] = 1.5f + i / 10f;
                b[i] = i / 10f - 0.1f;
            }
            CnnLayersTest.set(bn.weight, w);
            CnnLayersTest.set(bn.bias, b);
        }
        for (int t = 0; t < 3; t++) {
            Tensor x = tensor(d, p + ".x." + t).requiresGrad(true);
            Tensor y = bn.forward(x);
            if (t == 2) {
                TORCH.assertMatches(p + ".y.2", y, RTOL, ATOL);
                y.backward(tensor(d, p + ".dy.2"));
                TORCH.assertMatches(p + ".dx.2", x.grad(), RTOL, ATOL);
                if (affine) {
                    TORCH.assertMatches(p + ".dweight.2", bn.weight.grad(), RTOL, ATOL);
                    TORCH.assertMatches(p + ".dbias.2", bn.bias.grad(), RTOL, ATOL);
                }
            }
            if (tracked) {
                for (String buffer : new String[] {"running_mean", "running_var", "num_batches_tracked"}) {
                    TORCH.assertMatches(p + "." + buffer + "." + (t + 1), bn.namedBuffers().get(buffer), RTOL, ATOL);
                }
            }
        }
        bn.eval();
        Tensor x = tensor(d, p + ".x.e").requiresGrad(true);
        Tensor y = bn.forward(x);
        TORCH.assertMatches(p + ".y.e", y, RTOL, ATOL);
        y.backward(tensor(d, p + ".dy.e"));
        TORCH.assertMatches(p + ".dx.e", x.grad(), RTOL, ATOL);
    }

    @Test
    void optionsDecideWhatIsInTheStateDict() {
        assertThat(make("cma").stateDict().keySet())
                .containsExactly("weight", "bias", "running_mean", "running_var", "num_batches_tracked");
        assertThat(make("noaffine").stateDict().keySet()).containsExactly("running_mean", "running_var", "num_batches_tracked");
        assertThat(make("noaffine").parameters()).isEmpty();
        assertThat(make("notrack").stateDict().keySet()).containsExactly("weight", "bias");
        assertThat(make("cma").toString()).contains("momentum=None, affine=True, track_running_stats=True");
    }

    @Test
    void cumulativeAverageAfterThreeBatchesIsThePlainMeanOfTheBatchMeans() {
        BatchNorm1d bn = new BatchNorm1d(1, 1e-5f, null, false, true);
        float[][] batches = {{1, 3}, {10, 20}, {-4, 0}};
        for (float[] b : batches) bn.forward(Tensor.of(b, 2, 1));
        // batch means 2, 15, −2 → 5; unbiased variances 2, 50, 8 → 20
        assertThat(bn.namedBuffers().get("running_mean").item()).isEqualTo(5f, org.assertj.core.data.Offset.offset(1e-5f));
        assertThat(bn.namedBuffers().get("running_var").item()).isEqualTo(20f, org.assertj.core.data.Offset.offset(1e-4f));
        assertThat(bn.namedBuffers().get("num_batches_tracked").item()).isEqualTo(3f);
    }

    @Test
    void withoutRunningStatisticsEvaluationStillUsesTheBatchAndNeedsTwoValues() {
        BatchNorm1d bn = new BatchNorm1d(2, 1e-5f, 0.1f, true, false);
        bn.eval();
        float[] y = bn.forward(Tensor.of(new float[] {1, 10, 3, 30}, 2, 2)).toFloatArray();
        assertThat(y[0]).as("(1 − 2)/√(1 + ε)").isCloseTo(-1f, org.assertj.core.data.Offset.offset(1e-4f));
        assertThat(y[3]).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-4f));
        assertThatThrownBy(() -> bn.forward(Tensor.zeros(1, 2))).hasMessageContaining("more than one value per channel");
        assertThatThrownBy(() -> new BatchNorm2d(2, 1e-5f, 1.5f, true, true)).hasMessageContaining("momentum");
    }

    @Test
    void gradientsWithoutAffineAndWithoutTrackingMatchCentralDifferences() {
        Generator g = new Generator(7);
        BatchNorm2d plain = new BatchNorm2d(2, 1e-5f, null, false, true);
        GradCheck.Result r = new GradCheck().check(t -> plain.forward(t[0]), Tensor.randn(g, 3, 2, 2, 2).requiresGrad(true));
        assertThat(r.passed()).as("affine=false: %s", r.detail()).isTrue();
        BatchNorm1d noTrack = new BatchNorm1d(3, 1e-5f, 0.1f, true, false);
        noTrack.eval();
        GradCheck.Result r2 = new GradCheck().check(t -> noTrack.forward(t[0]), Tensor.randn(g, 5, 3).requiresGrad(true), noTrack.weight, noTrack.bias);
        assertThat(r2.passed()).as("track_running_stats=false in eval: %s", r2.detail()).isTrue();
    }
}
