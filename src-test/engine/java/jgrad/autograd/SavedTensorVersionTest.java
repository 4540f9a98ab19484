package jgrad.autograd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jgrad.nn.Linear;
import jgrad.optim.SGD;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Saved-tensor version counters (issue #17, group 8): an in-place change to a tensor an op saved
 * for backward makes backward fail, naming the op and the tensor, as PyTorch does; legal in-place
 * changes (optimizer steps between iterations, memory recycled by the policy) still work.
 */
class SavedTensorVersionTest {

    @Test
    void changingAMultipliedInputAfterForwardFailsBackward() {
        // the probe: y = w·x summed; x *= 10; y.backward() gave dy/dw = 10·x without a word
        Tensor w = Tensor.of(new float[] {1f, 2f, 3f}, 3).requiresGrad(true);
        Tensor x = Tensor.of(new float[] {4f, 5f, 6f}, 3);
        Tensor y = w.mul(x).sum();
        x.mulInPlace(10);
        assertThatThrownBy(y::backward)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Mul backward")
                .hasMessageContaining("shape [3]")
                .hasMessageContaining("input 1")
                .hasMessageContaining("modified by an in-place operation")
                .hasMessageContaining("version 1, expected version 0");
        assertThat(w.grad()).as("no gradient written by the refused backward").isNull();
    }

    @Test
    void everyInPlaceMethodBumpsTheVersionAndViewsShareIt() {
        Tensor x = Tensor.zeros(2, 3);
        Tensor row = x.slice(0, 1, 2);
        Tensor flat = x.reshape(6);
        assertThat(x.version()).isZero();
        x.addInPlace(Tensor.ones(2, 3), 1f);
        x.mulInPlace(2f);
        row.fillInPlace(7f);
        flat.copyFrom(Tensor.ones(6));
        assertThat(x.version()).as("four in-place changes through x and two views").isEqualTo(4);
        assertThat(row.version()).isEqualTo(4);
        assertThat(x.detach().version()).as("detach shares the counter, as in PyTorch").isEqualTo(4);
        assertThat(x.add(1f).version()).as("a new tensor starts at 0").isZero();
    }

    @Test
    void changingABaseThroughAViewIsCaught() {
        Tensor w = Tensor.of(new float[] {1f, 2f}, 2).requiresGrad(true);
        Tensor x = Tensor.of(new float[] {3f, 4f, 5f, 6f}, 2, 2);
        Tensor y = w.mul(x.slice(0, 0, 1).reshape(2)).sum();
        x.slice(0, 1, 2).fillInPlace(0f);  // another view of the same memory
        assertThatThrownBy(y::backward).hasMessageContaining("Mul backward").hasMessageContaining("shape [2]");
    }

    @Test
    void changingAnOutputThatBackwardReadsIsCaught() {
        Tensor z = Tensor.of(new float[] {0.5f, -1f}, 2).requiresGrad(true);
        Tensor a = z.sigmoid();
        Tensor loss = a.sum();
        try (NoGrad off = NoGrad.enter()) {
            a.mulInPlace(0f);
        }
        assertThatThrownBy(loss::backward).hasMessageContaining("Sigmoid backward").hasMessageContaining("its output");
    }

    @Test
    void changingATensorNoOpSavedIsAllowedAsInPyTorch() {
        // z = w + x keeps neither input: changing x afterwards does not change dz/dw = 1
        Tensor w = Tensor.of(new float[] {1f, 2f}, 2).requiresGrad(true);
        Tensor x = Tensor.of(new float[] {3f, 4f}, 2);
        Tensor z = w.add(x).sum();
        x.mulInPlace(10);
        z.backward();
        assertThat(w.grad().toFloatArray()).containsExactly(1f, 1f);
    }

    @Test
    void stepThenNewForwardTrainsAndStepBeforeBackwardIsCaught() {
        Linear layer = new Linear(3, 2, true, new Generator(1));
        SGD sgd = new SGD(layer.parameters(), 0.1f);
        Tensor a = Tensor.of(new float[] {1f, -2f, 0.5f}, 1, 3);
        for (int i = 0; i < 3; i++) {  // the ordinary loop: in-place steps between iterations are legal
            sgd.zeroGrad();
            layer.forward(a).square().sum().backward();
            sgd.step();
        }
        Tensor loss = layer.forward(a).square().sum();
        layer.forward(a).square().sum().backward();
        sgd.step();  // changes the weight that the first loss's graph saved
        assertThatThrownBy(loss::backward).hasMessageContaining("backward").hasMessageContaining("shape [2, 3]");
    }
}
