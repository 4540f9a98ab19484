package jgrad.nn;

import static jgrad.nn.LinearTest.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jgrad.autograd.GradCheck;
import jgrad.autograd.NoGrad;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Residual: y = body(x) + shortcut(x), gradients through both paths, children and state dict. */
class ResidualTest {

    private static void assertGradients(String what, java.util.function.Function<Tensor[], Tensor> op, Tensor... inputs) {
        GradCheck.Result r = new GradCheck().check(op, inputs);
        assertThat(r.passed()).as("%s: %s", what, r.detail()).isTrue();
    }

    @Test
    void identityShortcutAddsTheInput() {
        Linear body = new Linear(2, 2, true, new Generator(1));
        set(body.weight, 1, 2, 3, 4);
        set(body.bias, 0, 0);
        Tensor x = Tensor.of(new float[] {1, -1}, 1, 2);
        // body(x) = [1 − 2, 3 − 4] = [−1, −1];  y = body(x) + x = [0, −2]
        assertThat(new Residual(body).forward(x).toFloatArray()).containsExactly(0, -2);
    }

    @Test
    void theGradientReachesTheInputEvenThroughADeadBody() {
        // a body whose output ignores x (all weights 0): dX = Wᵀ·dY + dY = dY, all through the skip
        Linear body = new Linear(3, 3, true, new Generator(2));
        set(body.weight, new float[9]);
        Tensor x = Tensor.of(new float[] {1, 2, 3}, 1, 3).requiresGrad(true);
        Tensor dY = Tensor.of(new float[] {0.5f, -1, 2}, 1, 3);
        new Residual(body).forward(x).backward(dY);
        assertThat(x.grad().toFloatArray()).containsExactly(0.5f, -1, 2);
        assertThat(body.weight.grad().toFloatArray()).as("dW = dYᵀ·x still reaches the body").contains(0.5f, 1f, 1.5f, 6f);
    }

    @Test
    void backwardThroughBothPathsMatchesCentralDifference() {
        Generator g = new Generator(3);
        Linear inner = new Linear(4, 4, true, g), skip = new Linear(4, 4, false, g);
        Residual identity = new Residual(new Sequential(inner, new Tanh()));
        Tensor x = Tensor.randn(g, 3, 4).requiresGrad(true);
        assertGradients("identity shortcut: x, body weight, body bias", xs -> identity.forward(xs[0]).sigmoid(),
                x, inner.weight, inner.bias);
        Residual projected = new Residual(new Sequential(inner, new Tanh()), skip);
        assertGradients("linear shortcut: x, body weight, shortcut weight", xs -> projected.forward(xs[0]).sigmoid(),
                x, inner.weight, skip.weight);
    }

    @Test
    void aOneByOneConvolutionShortcutChangesTheChannelsLikeTheBody() {
        Generator g = new Generator(4);
        Conv2d c1 = new Conv2d(2, 3, 3, 1, 1, g), c2 = new Conv2d(3, 3, 3, 1, 1, g), oneByOne = new Conv2d(2, 3, 1, 1, 0, g);
        Residual block = new Residual(new Sequential(c1, new Tanh(), c2), oneByOne);
        Tensor x = Tensor.randn(g, 1, 2, 4, 4).requiresGrad(true);
        assertThat(block.forward(x).shape()).containsExactly(1, 3, 4, 4);
        assertGradients("conv body and 1×1 conv shortcut", xs -> block.forward(xs[0]).tanh(), x, c2.weight, oneByOne.weight, oneByOne.bias);
        assertThatThrownBy(() -> new Residual(new Sequential(c1, new Tanh(), c2)).forward(x))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Residual")
                .hasMessageContaining("[1, 3, 4, 4]").hasMessageContaining("[1, 2, 4, 4]").hasMessageContaining("1×1 Conv2d");
    }

    @Test
    void childrenAreRegisteredForParametersAndTheStateDict() {
        Generator g = new Generator(5);
        Residual block = new Residual(new Sequential(new Linear(3, 3, true, g), new Tanh()), new Linear(3, 3, false, g));
        assertThat(block.namedParameters().keySet()).containsExactly("body.0.weight", "body.0.bias", "shortcut.weight");
        assertThat(new Residual(new Linear(3, 3, true, g)).namedParameters().keySet()).containsExactly("body.weight", "body.bias");
        Residual copy = new Residual(new Sequential(new Linear(3, 3, true, g), new Tanh()), new Linear(3, 3, false, g));
        copy.loadStateDict(block.stateDict());
        Tensor x = Tensor.randn(g, 2, 3);
        try (NoGrad scope = NoGrad.enter()) {
            assertThat(copy.forward(x).toFloatArray()).isEqualTo(block.forward(x).toFloatArray());
        }
        assertThat(block.toString()).contains("(body): Sequential(").contains("(shortcut): Linear(");
    }

    @Test
    void fitsInASequentialWithAndWithoutAGraph() {
        Generator g = new Generator(6);
        Linear first = new Linear(3, 4, true, g), inner = new Linear(4, 4, true, g), last = new Linear(4, 2, true, g);
        Sequential net = new Sequential(first, new Residual(new Sequential(inner, new ReLU())), new Tanh(), last);
        Tensor x = Tensor.randn(g, 5, 3);
        float[] noGrad;
        try (NoGrad scope = NoGrad.enter()) {
            noGrad = net.forward(x).toFloatArray();
        }
        Tensor y = net.forward(x);
        assertThat(y.toFloatArray()).as("the same with and without recording").isEqualTo(noGrad);
        y.sum().backward();
        assertThat(inner.weight.grad()).as("the body inside a Sequential learns").isNotNull();
        assertThat(first.weight.grad()).isNotNull();
    }
}
