package jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jgrad.backend.opencl.OpenClTesting;
import jgrad.tensor.Device;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * On the asynchronous OpenCL device CrossEntropyLoss reads nothing back while it builds the loss;
 * a bad class index still gets its clear error, when the loss is read.
 */
class CrossEntropyOnOpenClTest {

    @Test
    void badTargetIsNamedWhenTheLossIsRead() {
        Device d = OpenClTesting.deviceOrSkip();
        Tensor logits = Tensor.of(d, new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor loss = new CrossEntropyLoss().forward(logits, Tensor.of(d, new float[] {0, 3}, 2));
        assertThatThrownBy(loss::item).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("target 3.0 at index 1").hasMessageContaining("3 classes");
        Tensor fractional = new CrossEntropyLoss().forward(logits, Tensor.of(d, new float[] {0.5f, 1}, 2));
        assertThatThrownBy(fractional::item).hasMessageContaining("target 0.5 at index 0");
    }

    @Test
    void goodTargetsGiveTheCpuLoss() {
        Device d = OpenClTesting.deviceOrSkip();
        float[] z = {1, 2, 3, 4, 5, 7};
        float[] y = {2, 0};
        float gpu = new CrossEntropyLoss().forward(Tensor.of(d, z, 2, 3), Tensor.of(d, y, 2)).item();
        float cpu = new CrossEntropyLoss().forward(Tensor.of(Device.cpu(), z, 2, 3), Tensor.of(Device.cpu(), y, 2)).item();
        // row 0: log(e¹+e²+e³) − 3 = 0.40761; row 1: log(e⁴+e⁵+e⁷) − 4 = 3.16985; mean 1.78873
        assertThat((double) gpu).isCloseTo(1.78873, org.assertj.core.data.Offset.offset(1e-4)).isCloseTo(cpu, org.assertj.core.data.Offset.offset(1e-5));
    }
}
