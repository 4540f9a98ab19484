package jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;

import jgrad.autograd.NoGrad;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Batch norm in evaluation mode takes two routes: the differentiable tensor ops when a gradient is
 * wanted (x or γ, β requiring one), and one per-channel pass when nothing is (inference). Both must
 * give y = (x − μ_run)/√(σ²_run + ε)·γ + β, checked here in double against set running statistics,
 * with and without affine parameters.
 */
class BatchNormInferenceTest {
    @Test
    void bothEvaluationRoutesGiveTheRunningStatisticsFormula() {
        Generator g = new Generator(7);
        for (boolean affine : new boolean[] {true, false}) {
            int c = 3;
            BatchNorm2d bn = new BatchNorm2d(c, 1e-5f, 0.1f, affine, true);
            float[] mean = {0.5f, -1.25f, 3f}, var = {0.25f, 2f, 0.01f}, gamma = {1.5f, -0.5f, 2f}, beta = {0.1f, 0.2f, -0.3f};
            try (NoGrad scope = NoGrad.enter()) {
                bn.namedBuffers().get("running_mean").copyFrom(Tensor.of(mean, c));
                bn.namedBuffers().get("running_var").copyFrom(Tensor.of(var, c));
                if (affine) {
                    bn.weight.copyFrom(Tensor.of(gamma, c));
                    bn.bias.copyFrom(Tensor.of(beta, c));
                }
            }
            bn.eval();
            Tensor x = Tensor.randn(g, 2, c, 4, 5);
            float[] xs = x.toFloatArray();
            float[] graphY = bn.forward(x.requiresGrad(true)).toFloatArray();
            float[] passY;
            try (NoGrad scope = NoGrad.enter()) {
                passY = bn.forward(x.detach()).toFloatArray();
            }
            for (int i = 0; i < xs.length; i++) {
                int ch = i / 20 % c;
                double want = (xs[i] - mean[ch]) / Math.sqrt(var[ch] + 1e-5) * (affine ? gamma[ch] : 1) + (affine ? beta[ch] : 0);
                double tol = 1e-5 * (1 + Math.abs(want));
                assertThat((double) passY[i]).as("one pass, affine %s, element %d", affine, i).isCloseTo(want, org.assertj.core.data.Offset.offset(tol));
                assertThat((double) graphY[i]).as("tensor ops, affine %s, element %d", affine, i).isCloseTo(want, org.assertj.core.data.Offset.offset(tol));
            }
        }
    }
}
