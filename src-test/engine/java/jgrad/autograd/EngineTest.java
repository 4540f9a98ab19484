package jgrad.autograd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import jgrad.backend.reference.ReferenceBackend;
import jgrad.tensor.Device;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The engine: how gradients flow, accumulate and stop, and the errors it gives. */
class EngineTest {

    private static Tensor leaf(float... v) {
        return Tensor.of(v, v.length).requiresGrad(true);
    }

    @Test
    void tensorUsedTwiceGetsBothContributions() {
        Tensor x = leaf(-1.5f, 0.5f, 3f);
        x.mul(x).sum().backward();
        // d(x·x)/dx = x + x = 2x
        assertThat(x.grad().toFloatArray()).as("grad of Σ x·x for x = [-1.5, 0.5, 3]").containsExactly(-3f, 1f, 6f);
    }

    @Test
    void diamondGraphSumsBothPathsBeforeGoingFurther() {
        // a = 2x; b = 3a; c = a + b  ⇒  dc/dx = 2 + 3·2 = 8, and a's gradient must be complete (1 + 3)
        // before it is passed on to x
        Tensor x = leaf(1f, 2f);
        Tensor a = x.mul(2f);
        Tensor b = a.mul(3f);
        a.add(b).sum().backward();
        assertThat(x.grad().toFloatArray()).as("d(2x + 6x)/dx").containsExactly(8f, 8f);
    }

    @Test
    void gradientsAccumulateAcrossBackwardCalls() {
        Tensor x = leaf(1f, 2f);
        x.mul(3f).sum().backward();
        assertThat(x.grad().toFloatArray()).as("after one backward").containsExactly(3f, 3f);
        x.mul(x).sum().backward();
        // 3 + 2x
        assertThat(x.grad().toFloatArray()).as("after a second backward (3 + 2x)").containsExactly(5f, 7f);
    }

    @Test
    void firstGradientIsAPrivateCopyOfTheUpstreamGradient() {
        Tensor x = leaf(1f, 2f);
        Tensor upstream = Tensor.of(new float[] {10f, 20f}, 2);
        x.backward(upstream);
        x.mul(1f).backward(upstream);
        assertThat(x.grad().toFloatArray()).containsExactly(20f, 40f);
        assertThat(upstream.toFloatArray()).as("the caller's gradient is not modified").containsExactly(10f, 20f);
    }

    @Test
    void leavesThatReceiveTheSameUpstreamGradientGetSeparateBuffers() {
        // Add hands one ∂C/∂y to both inputs: the first leaf may take it, the second must not share it
        Tensor a = leaf(1f, 2f), b = leaf(3f, 4f);
        a.add(b).backward(Tensor.of(new float[] {1f, 1f}, 2).mul(5f));
        assertThat(a.grad().buffer()).as("a.grad and b.grad share memory").isNotSameAs(b.grad().buffer());
        a.grad().mulInPlace(0f);
        assertThat(b.grad().toFloatArray()).as("zeroing a.grad in place leaves b.grad alone").containsExactly(5f, 5f);
    }

    @Test
    void tensorsWithoutRequiresGradGetNoGradient() {
        Tensor a = leaf(1f, 2f);
        Tensor b = Tensor.of(new float[] {5f, 7f}, 2);
        a.mul(b).sum().backward();
        assertThat(a.grad().toFloatArray()).as("d(a·b)/da = b").containsExactly(5f, 7f);
        assertThat(b.grad()).as("b.requiresGrad() is false").isNull();
        assertThat(a.mul(b).gradFn()).isNotNull();
        assertThat(b.mul(b).gradFn()).as("no input requires grad: nothing recorded").isNull();
        assertThat(b.mul(b).requiresGrad()).isFalse();
    }

    @Test
    void detachCutsTheGraph() {
        Tensor x = leaf(1f, 2f);
        Tensor constant = x.mul(2f).detach();
        assertThat(constant.requiresGrad()).isFalse();
        assertThat(constant.gradFn()).isNull();
        assertThat(constant.toFloatArray()).containsExactly(2f, 4f);
        constant.mul(x).sum().backward();
        // only the direct path counts: d(c·x)/dx = c = 2x, not 4x
        assertThat(x.grad().toFloatArray()).as("gradient through the detached path is cut").containsExactly(2f, 4f);
    }

    @Test
    void noGradScopeRecordsNothing() {
        Tensor x = leaf(1f, 2f);
        Tensor y;
        try (NoGrad scope = NoGrad.enter()) {
            assertThat(NoGrad.isGradEnabled()).isFalse();
            y = x.mul(x).exp().sum();
        }
        assertThat(NoGrad.isGradEnabled()).isTrue();
        assertThat(y.gradFn()).isNull();
        assertThat(y.requiresGrad()).isFalse();
        assertThat(y.item()).as("values are still computed").isCloseTo((float) (Math.E + Math.exp(4)), within(1e-4f));
        assertThat(x.mul(x).gradFn()).as("recording resumes after the scope").isNotNull();
    }

    @Test
    void noGradScopesNest() {
        try (NoGrad outer = NoGrad.enter()) {
            try (NoGrad inner = NoGrad.enter()) {
                assertThat(NoGrad.isGradEnabled()).isFalse();
            }
            assertThat(NoGrad.isGradEnabled()).as("still inside the outer scope").isFalse();
        }
        assertThat(NoGrad.isGradEnabled()).isTrue();
    }

    @Test
    void deepChainBackpropagatesWithoutStackOverflow() {
        Tensor x = leaf(0.5f);
        Tensor y = x;
        for (int i = 0; i < 20_000; i++) y = y.add(1f);
        Tensor out = y.mul(y).sum();
        assertThatCode(out::backward).doesNotThrowAnyException();
        // y = x + 20000, d(y²)/dx = 2y
        assertThat(x.grad().item()).isEqualTo(2f * 20_000.5f);
    }

    @Test
    void backwardOnANonScalarWithoutAGradientIsAnError() {
        Tensor y = leaf(1f, 2f).mul(2f);
        assertThatThrownBy(y::backward).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not a scalar").hasMessageContaining("[2]");
    }

    @Test
    void backwardWithAGradientOfTheWrongShapeIsAnError() {
        Tensor y = leaf(1f, 2f).mul(2f);
        assertThatThrownBy(() -> y.backward(Tensor.ones(3))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[3]").hasMessageContaining("[2]");
    }

    @Test
    void backwardOnATensorThatDoesNotRequireGradIsAnError() {
        assertThatThrownBy(() -> Tensor.ones(1).sum().backward()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not require grad");
    }

    @Test
    void secondBackwardThroughAFreedGraphIsAnError() {
        Tensor x = leaf(1f, 2f);
        Tensor loss = x.mul(x).sum();
        loss.backward();
        assertThatThrownBy(loss::backward).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("second time").hasMessageContaining("backward(gradient, true)");
    }

    @Test
    void retainedGraphCanBeWalkedTwice() {
        Tensor x = leaf(1f, 2f);
        Tensor loss = x.mul(x).sum();
        loss.backward(Tensor.scalar(1f), true);
        loss.backward(Tensor.scalar(1f), true);
        assertThat(x.grad().toFloatArray()).as("2 · 2x").containsExactly(4f, 8f);
        loss.backward();  // the last walk may free it
        assertThat(x.grad().toFloatArray()).as("3 · 2x").containsExactly(6f, 12f);
    }

    @Test
    void shapeMismatchInAddNamesBothShapes() {
        assertThatThrownBy(() -> Tensor.ones(2, 3).add(Tensor.ones(4, 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[2, 3]").hasMessageContaining("[4, 3]");
    }

    @Test
    void mixingDevicesIsAnError() {
        Device other = new Device("other", new ReferenceBackend());
        Tensor a = Tensor.ones(2);
        Tensor b = Tensor.of(other, new float[] {1, 2}, 2);
        assertThatThrownBy(() -> a.add(b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("different devices").hasMessageContaining("other");
        assertThatThrownBy(() -> a.matmul(b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("different devices");
        assertThat(b.to(Device.cpu()).add(a).toFloatArray()).as("after to(cpu)").containsExactly(2f, 3f);
    }

    @Test
    void inPlaceUpdateOfALeafThatRequiresGradIsRefusedOutsideNoGrad() {
        Tensor w = leaf(1f, 2f);
        assertThatThrownBy(() -> w.addInPlace(Tensor.ones(2), 1f)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("requires grad").hasMessageContaining("NoGrad");
        assertThatThrownBy(() -> w.mulInPlace(2f)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> w.fillInPlace(0f)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> w.copyFrom(Tensor.ones(2))).isInstanceOf(IllegalStateException.class);
        assertThat(w.toFloatArray()).as("unchanged").containsExactly(1f, 2f);
        try (NoGrad scope = NoGrad.enter()) {
            w.addInPlace(Tensor.ones(2), -0.5f);
        }
        assertThat(w.toFloatArray()).as("allowed inside NoGrad").containsExactly(0.5f, 1.5f);
    }

    @Test
    void nonLeafCannotBeFrozen() {
        Tensor y = leaf(1f).mul(2f);
        assertThatThrownBy(() -> y.requiresGrad(false)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("detach()");
    }

    @Test
    void leafWithOnlyBroadcastUseGetsGradientOfItsOwnShape() {
        Tensor bias = Tensor.of(new float[] {0.5f}, 1).requiresGrad(true);
        Tensor x = Tensor.ones(2, 3);
        x.add(bias).sum().backward();
        assertThat(bias.grad().shape()).containsExactly(1);
        assertThat(bias.grad().item()).as("six outputs each add the bias once").isEqualTo(6f);
    }
}
