package jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import jgrad.TorchFixture;
import jgrad.autograd.GradCheck;
import jgrad.autograd.NoGrad;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Linear: Z = A·Wᵀ + b, by hand, by finite differences and against PyTorch. */
class LinearTest {

    static void set(Tensor p, float... values) {
        try (NoGrad scope = NoGrad.enter()) {
            p.copyFrom(Tensor.of(values, p.shape()));
        }
    }

    @Test
    void weightIsStoredOutByInLikePyTorch() {
        Linear layer = new Linear(3, 2, true, new Generator(1));
        assertThat(layer.weight.shape()).containsExactly(2, 3);
        assertThat(layer.bias.shape()).containsExactly(2);
        assertThat(layer.inFeatures()).isEqualTo(3);
        assertThat(layer.outFeatures()).isEqualTo(2);
        assertThat(layer.weight.requiresGrad()).isTrue();
        assertThat(new Linear(3, 2, false, new Generator(1)).bias).isNull();
    }

    @Test
    void forwardComputesAWTransposePlusBByHand() {
        Linear layer = new Linear(3, 2, true, new Generator(1));
        set(layer.weight, 1, 2, 3,
                          -1, 0, 1);
        set(layer.bias, 0.5f, -2);
        Tensor a = Tensor.of(new float[] {1, 1, 1,
                                          2, 0, -1}, 2, 3);
        // row 1: [1+2+3, -1+0+1] + b = [6.5, -2]; row 2: [2+0-3, -2+0-1] + b = [-0.5, -5]
        Tensor z = layer.forward(a);
        assertThat(z.shape()).containsExactly(2, 2);
        assertThat(z.toFloatArray()).as("A·Wᵀ + b for A=%s", a).containsExactly(6.5f, -2f, -0.5f, -5f);
        // one example as a vector, and a batch with an extra leading dim
        assertThat(layer.forward(Tensor.of(new float[] {1, 1, 1}, 3)).toFloatArray()).containsExactly(6.5f, -2f);
        assertThat(layer.forward(a.reshape(1, 2, 3)).shape()).containsExactly(1, 2, 2);
    }

    @Test
    void initialisationIsUniformWithinOneOverSqrtIn() {
        Linear layer = new Linear(784, 16, true, new Generator(3));
        float bound = 1 / 28f;  // 1/√784
        float maxAbs = 0;
        double mean = 0, sq = 0;
        float[] w = layer.weight.toFloatArray();
        for (float x : w) {
            maxAbs = Math.max(maxAbs, Math.abs(x));
            mean += x / (double) w.length;
            sq += (double) x * x / w.length;
        }
        assertThat(maxAbs).as("max |w| for 12544 weights").isLessThanOrEqualTo(bound).isGreaterThan(0.99f * bound);
        assertThat(mean).as("mean weight").isCloseTo(0, within(0.01 * bound));
        // U(−c, c) has variance c²/3
        assertThat(sq).as("mean squared weight").isCloseTo(bound * bound / 3.0, within(0.03 * bound * bound));
        for (float b : layer.bias.toFloatArray()) assertThat(Math.abs(b)).as("|bias|").isLessThanOrEqualTo(bound);
        assertThat(new Linear(784, 16, true, new Generator(3)).weight.toFloatArray()).as("same seed, same init").containsExactly(w);
    }

    @Test
    void backwardMatchesCentralDifferenceForInputWeightAndBias() {
        Linear layer = new Linear(4, 3, true, new Generator(4));
        Tensor x = Tensor.randn(new Generator(5), 5, 4).requiresGrad(true);
        GradCheck.Result r = new GradCheck().check(xs -> layer.forward(xs[0]), x, layer.weight, layer.bias);
        assertThat(r.passed()).as(r.detail()).isTrue();
        Linear noBias = new Linear(4, 3, false, new Generator(6));
        GradCheck.assertGradientsMatch(xs -> noBias.forward(xs[0]).sigmoid(), x, noBias.weight);
    }

    @Test
    void forwardAndGradientsMatchPyTorch() {
        TorchFixture f = TorchFixture.load("losses_fixture.txt");
        Linear layer = new Linear(3, 2, true, new Generator(0));
        set(layer.weight, f.values("linear.weight"));
        set(layer.bias, f.values("linear.bias"));
        Tensor x = f.tensor("linear.x").requiresGrad(true);
        Tensor y = layer.forward(x);
        f.assertMatches("linear.y", y);
        y.backward(f.tensor("linear.dy"));
        f.assertMatches("linear.dx", x.grad());
        f.assertMatches("linear.dweight", layer.weight.grad());
        f.assertMatches("linear.dbias", layer.bias.grad());
    }

    /** docs/backprop.md, "Check it by hand": 2 neurons from 3, one example, sigmoid, the slide's C₀. */
    @Test
    void backpropsHandWorkedExampleGivesCostPoint7844() {
        Linear layer = new Linear(3, 2, true, new Generator(0));
        set(layer.weight, 0.5f, -0.25f, 0f,
                          0.1f, 0.2f, -0.3f);
        set(layer.bias, 0f, 0.2f);
        Tensor aPrev = Tensor.of(new float[] {1, 2, -1}, 1, 3).requiresGrad(true);
        Tensor a = layer.forward(aPrev).sigmoid();
        Tensor cost = new QuadraticCost().forward(a, Tensor.of(new float[] {1, 0}, 1, 2));
        cost.backward();
        assertThat(a.toFloatArray()).as("a = σ(z), z = (0, 1)").containsExactly(new float[] {0.5f, 0.7311f}, within(1e-4f));
        assertThat(cost.item()).as("C₀ = (0.5 − 1)² + 0.7311²").isCloseTo(0.7844f, within(1e-4f));
        assertThat(layer.weight.grad().toFloatArray()).as("∂C/∂W = δ·a⁽ˡ⁻¹⁾ᵀ")
                .containsExactly(new float[] {-0.25f, -0.5f, 0.25f, 0.2875f, 0.5749f, -0.2875f}, within(1e-4f));
        assertThat(layer.bias.grad().toFloatArray()).as("∂C/∂b = δ").containsExactly(new float[] {-0.25f, 0.2875f}, within(1e-4f));
        assertThat(aPrev.grad().toFloatArray()).as("∂C/∂a⁽ˡ⁻¹⁾ = Wᵀδ")
                .containsExactly(new float[] {-0.0963f, 0.1200f, -0.0862f}, within(1e-4f));
    }

    /**
     * Linear's own backward gives the same bits as the graph it replaces (for a 2-D batch; with
     * leading batch dimensions, dW's sum runs in another order): a MatMul with the
     * transposed weight, then a broadcast add of the bias (whose gradients come from MatMul's
     * backward, the transpose's, and the engine summing the bias gradient over the batch).
     */
    @Test
    void ownBackwardEqualsTheComposedMatMulPlusAddGraph() {
        for (int[] shape : new int[][] {{5, 4}, {2, 3, 4}, {4}}) {
            for (boolean bias : new boolean[] {true, false}) {
                Linear layer = new Linear(4, 3, bias, new Generator(8));
                Tensor x = Tensor.randn(new Generator(9), shape).requiresGrad(true);
                Tensor dy = Tensor.randn(new Generator(10), layer.forward(x).shape());

                Tensor y = layer.forward(x);
                y.backward(dy);
                float[] dx = x.grad().toFloatArray(), dw = layer.weight.grad().toFloatArray();
                float[] db = bias ? layer.bias.grad().toFloatArray() : null;

                x.setGrad(null);
                layer.zeroGrad();
                Tensor composed = x.matmul(layer.weight.t());
                if (bias) composed = composed.add(layer.bias);
                composed.backward(dy);
                String what = java.util.Arrays.toString(shape) + (bias ? " with bias" : " without bias");
                assertThat(y.toFloatArray()).as("Z for %s", what).containsExactly(composed.toFloatArray());
                assertThat(dx).as("dA for %s", what).containsExactly(x.grad().toFloatArray());
                if (shape.length == 3) {
                    // a batch with a leading dimension: Linear sums dW over all 6 rows in one product,
                    // the composed graph per batch entry and then over the entries (another order)
                    assertThat(dw).as("dW for %s", what).containsExactly(layer.weight.grad().toFloatArray(), within(1e-5f));
                } else {
                    assertThat(dw).as("dW for %s", what).containsExactly(layer.weight.grad().toFloatArray());
                }
                if (bias) assertThat(db).as("db for %s", what).containsExactly(layer.bias.grad().toFloatArray());
            }
        }
    }

    @Test
    void backwardOfABatchWithLeadingDimensionsMatchesCentralDifference() {
        Linear layer = new Linear(4, 3, true, new Generator(11));
        Tensor x = Tensor.randn(new Generator(12), 2, 3, 4).requiresGrad(true);
        GradCheck.assertGradientsMatch(xs -> layer.forward(xs[0]).tanh(), x, layer.weight, layer.bias);
    }

    @Test
    void inputOfTheWrongWidthIsAClearError() {
        Linear layer = new Linear(3, 2, true, new Generator(1));
        assertThatThrownBy(() -> layer.forward(Tensor.ones(2, 4))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("in_features=3").hasMessageContaining("[2, 4]");
        assertThatThrownBy(() -> layer.forward(Tensor.scalar(1f))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Linear(0, 2)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
    }
}
