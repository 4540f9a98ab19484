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
 * with and without affine parameters. {@link BatchNorm#forwardInPlace} writes the inference pass
 * over its input and is {@code forward} otherwise (training, a graph, a view).
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
    @Test
    void inPlaceInferenceWritesTheSameValuesOverItsInputAndIsForwardOtherwise() {
        Generator g = new Generator(8);
        for (boolean affine : new boolean[] {true, false}) {
            BatchNorm2d bn = new BatchNorm2d(3, 1e-5f, 0.1f, affine, true);
            try (NoGrad scope = NoGrad.enter()) {
                bn.namedBuffers().get("running_mean").copyFrom(Tensor.of(new float[] {0.5f, -1.25f, 3f}, 3));
                bn.namedBuffers().get("running_var").copyFrom(Tensor.of(new float[] {0.25f, 2f, 0.01f}, 3));
                if (affine) bn.weight.copyFrom(Tensor.of(new float[] {1.5f, -0.5f, 2f}, 3));
            }
            bn.eval();
            Tensor x = Tensor.randn(g, 2, 3, 4, 5);
            float[] xs = x.toFloatArray();
            try (NoGrad scope = NoGrad.enter()) {
                float[] want = bn.forward(x).toFloatArray();
                int version = x.version();
                Tensor y = bn.forwardInPlace(x);
                assertThat(y).as("the input itself, affine %s", affine).isSameAs(x);
                assertThat(x.toFloatArray()).as("written over x, affine %s", affine).containsExactly(want);
                assertThat(x.version()).as("an in-place change counts").isGreaterThan(version);
            }
            // a graph wanted (x requires grad): forward's result, x untouched
            Tensor leaf = Tensor.of(xs, 2, 3, 4, 5).requiresGrad(true);
            Tensor y = bn.forwardInPlace(leaf);
            assertThat(y).isNotSameAs(leaf);
            assertThat(leaf.toFloatArray()).containsExactly(xs);
            assertThat(y.gradFn()).as("differentiable").isNotNull();
            // training mode: batch statistics, out of place
            bn.train();
            Tensor z = Tensor.of(xs, 2, 3, 4, 5);
            try (NoGrad scope = NoGrad.enter()) {
                assertThat(bn.forwardInPlace(z)).isNotSameAs(z);
            }
            assertThat(z.toFloatArray()).containsExactly(xs);
        }
    }
    @Test
    void aSequentialWritesBatchNormOverItsOwnActivationsButNeverOverItsInput() {
        Generator g = new Generator(9);
        BatchNorm2d first = new BatchNorm2d(3), second = new BatchNorm2d(3);
        Sequential net = new Sequential(first, new ReLU(), second);
        try (NoGrad scope = NoGrad.enter()) {
            for (BatchNorm2d bn : java.util.List.of(first, second)) {
                bn.namedBuffers().get("running_mean").copyFrom(Tensor.of(new float[] {0.5f, -1f, 2f}, 3));
                bn.namedBuffers().get("running_var").copyFrom(Tensor.of(new float[] {4f, 0.5f, 1f}, 3));
            }
        }
        net.eval();
        Tensor x = Tensor.randn(g, 2, 3, 4, 4);
        float[] xs = x.toFloatArray();
        try (NoGrad scope = NoGrad.enter()) {
            float[] want = second.forward(new ReLU().forward(first.forward(x))).toFloatArray();
            assertThat(net.forward(x).toFloatArray()).containsExactly(want);
        }
        assertThat(x.toFloatArray()).as("the caller's input").containsExactly(xs);
    }
}
