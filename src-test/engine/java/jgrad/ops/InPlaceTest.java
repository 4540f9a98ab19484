package jgrad.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jgrad.autograd.GradCheck;
import jgrad.autograd.NoGrad;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * ReLU and the sum written over their first input ({@link InPlace}): gradients against central
 * differences (in double, {@link GradCheck}; the input is a product first, since a leaf that requires
 * grad is refused), equal to the out-of-place ops forward and backward, the memory really shared,
 * and PyTorch's refusals (a saved input changed, a leaf changed while recording).
 */
class InPlaceTest {

    @Test
    void reluInPlaceBackwardMatchesCentralDifferences() {
        Generator g = new Generator(3);
        Tensor x = Tensor.randn(g, 3, 4, 5).requiresGrad(true);
        Tensor w = Tensor.randn(g, 3, 4, 5);
        GradCheck.assertGradientsMatch(in -> InPlace.relu(in[0].mul(w)), x);
    }

    @Test
    void addInPlaceBackwardMatchesCentralDifferencesWithBroadcasting() {
        Generator g = new Generator(4);
        Tensor a = Tensor.randn(g, 2, 3, 4).requiresGrad(true), b = Tensor.randn(g, 3, 1).requiresGrad(true);
        GradCheck.assertGradientsMatch(in -> InPlace.add(in[0].mul(2f), in[1]), a, b);
        Tensor c = Tensor.randn(g, 2, 3, 4).requiresGrad(true);
        GradCheck.assertGradientsMatch(in -> InPlace.add(in[0].mul(2f), in[1]), a, c);
    }

    @Test
    void equalTheOutOfPlaceOpsAndWriteOverTheirInput() {
        Generator g = new Generator(5);
        Tensor x = Tensor.randn(g, 4, 6).requiresGrad(true), id = Tensor.randn(g, 4, 6).requiresGrad(true);
        Tensor r = Tensor.randn(g, 4, 6);
        // the block's tail: relu(bn(x) + id), here with a product for bn
        Tensor expected = x.mul(3f).add(id).relu();
        expected.mul(r).sum().backward();
        float[] dx = x.grad().toFloatArray(), did = id.grad().toFloatArray();
        x.setGrad(null);
        id.setGrad(null);

        Tensor y = x.mul(3f);
        int version = y.version();
        Tensor s = InPlace.add(y, id);
        Tensor out = InPlace.relu(s);
        assertThat(out.buffer()).as("the same memory").isSameAs(y.buffer());
        assertThat(y.version()).isEqualTo(version + 2);
        assertThat(out.gradFn().name()).isEqualTo("ReluInPlace");
        assertThat(out.toFloatArray()).containsExactly(expected.toFloatArray());
        assertThat(y.toFloatArray()).as("y itself was changed").containsExactly(expected.toFloatArray());
        out.mul(r).sum().backward();
        assertThat(x.grad().toFloatArray()).containsExactly(dx);
        assertThat(id.grad().toFloatArray()).containsExactly(did);
    }

    @Test
    void anInputSavedByAnotherOpCannotBeChangedBeforeItsBackward() {
        Tensor x = Tensor.of(new float[] {-1f, 0.5f, 2f}, 3).requiresGrad(true);
        Tensor s = x.sigmoid();       // sigmoid saves its output s
        InPlace.relu(s.mul(1f));      // fine: a new tensor
        Tensor changed = InPlace.add(s, Tensor.of(new float[] {1f, 1f, 1f}, 3));
        assertThatThrownBy(() -> changed.sum().backward())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("modified by an in-place operation");
    }

    @Test
    void aLeafThatRequiresGradIsRefusedWhileRecordingButNotUnderNoGrad() {
        Tensor w = Tensor.of(new float[] {-1f, 2f}, 2).requiresGrad(true);
        assertThatThrownBy(() -> InPlace.relu(w)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("relu in place: a leaf tensor that requires grad");
        try (NoGrad off = NoGrad.enter()) {
            InPlace.relu(w);
        }
        assertThat(w.toFloatArray()).containsExactly(0f, 2f);
    }

    @Test
    void aSumOfAnotherShapeIsRefused() {
        Tensor a = Tensor.zeros(3, 1), b = Tensor.zeros(1, 4);
        assertThatThrownBy(() -> InPlace.add(a, b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[3, 4], not the first's");
    }
}
