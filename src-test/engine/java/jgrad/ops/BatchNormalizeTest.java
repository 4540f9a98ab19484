package jgrad.ops;

import static org.assertj.core.api.Assertions.assertThat;

import jgrad.autograd.GradCheck;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The fused batch normalisation: its closed-form backward against central differences (in double,
 * {@link GradCheck}), and forward and backward against the composed chain it replaced
 * ((x − μ) / √(σ² + ε) · γ + β written with sub, square, mean, div, mul and add, whose backward
 * autograd derives).
 */
class BatchNormalizeTest {
    private static Tensor composed(Tensor x, Tensor gamma, Tensor beta, float eps) {
        int[] reduce = x.dim() == 4 ? new int[] {0, 2, 3} : new int[] {0};
        int[] cs = x.dim() == 4 ? new int[] {1, x.size(1), 1, 1} : new int[] {1, x.size(1)};
        Tensor mean = x.mean(reduce, true);
        Tensor centered = x.sub(mean);
        Tensor xHat = centered.div(centered.square().mean(reduce, true).add(eps).sqrt());
        return gamma == null ? xHat : xHat.mul(gamma.reshape(cs)).add(beta.reshape(cs));
    }

    @Test
    void backwardMatchesCentralDifferences() {
        Generator g = new Generator(5);
        Tensor x = Tensor.randn(g, 3, 4, 3, 2).mul(2f).add(1f).requiresGrad(true);
        Tensor gamma = Tensor.rand(g, 4).add(0.5f).requiresGrad(true), beta = Tensor.randn(g, 4).requiresGrad(true);
        GradCheck.assertGradientsMatch(in -> BatchNormalize.apply(in[0], in[1], in[2], 1e-5f).y(), x, gamma, beta);
        Tensor rows = Tensor.randn(g, 5, 3).requiresGrad(true);  // [N, C]: BatchNorm1d, no affine
        GradCheck.assertGradientsMatch(in -> BatchNormalize.apply(in[0], null, null, 1e-5f).y(), rows);
    }

    @Test
    void equalsTheComposedOpsForwardAndBackward() {
        Generator g = new Generator(6);
        for (int[] shape : new int[][] {{4, 3, 5, 7}, {2, 16, 9, 9}, {6, 5}}) {
            Tensor x = Tensor.randn(g, shape).mul(3f).add(2f).requiresGrad(true);
            Tensor gamma = Tensor.randn(g, shape[1]).requiresGrad(true), beta = Tensor.randn(g, shape[1]).requiresGrad(true);
            Tensor r = Tensor.randn(g, shape);
            BatchNormalize.apply(x, gamma, beta, 1e-5f).y().mul(r).sum().backward();
            float[] dx = x.grad().toFloatArray(), dGamma = gamma.grad().toFloatArray(), dBeta = beta.grad().toFloatArray();
            float[] y = BatchNormalize.apply(x, gamma, beta, 1e-5f).y().toFloatArray();
            x.setGrad(null);
            gamma.setGrad(null);
            beta.setGrad(null);
            Tensor expected = composed(x, gamma, beta, 1e-5f);
            expected.mul(r).sum().backward();
            assertClose(y, expected.toFloatArray(), "y " + java.util.Arrays.toString(shape));
            assertClose(dx, x.grad().toFloatArray(), "dX " + java.util.Arrays.toString(shape));
            assertClose(dGamma, gamma.grad().toFloatArray(), "dγ");
            assertClose(dBeta, beta.grad().toFloatArray(), "dβ");
        }
    }

    @Test
    void returnsTheBatchMeanAndBiasedVariancePerChannel() {
        // channel 0 holds 1, 3 (mean 2, biased variance 1); channel 1 holds 4, 4 (mean 4, variance 0)
        Tensor x = Tensor.of(new float[] {1, 4, 3, 4}, 2, 2);
        BatchNormalize.Result r = BatchNormalize.apply(x, null, null, 0f);
        assertThat(r.mean().toFloatArray()).containsExactly(2f, 4f);
        assertThat(r.var().toFloatArray()).containsExactly(1f, 0f);
        assertThat(r.y().toFloatArray()[0]).isEqualTo(-1f);
    }

    private static void assertClose(float[] actual, float[] expected, String what) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            assertThat(actual[i]).as("%s[%d]: fused %s, composed %s", what, i, actual[i], expected[i])
                    .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-4f + 1e-4f * Math.abs(expected[i])));
        }
    }
}
