package jgrad.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import jgrad.autograd.NoGrad;
import jgrad.backend.opencl.OpenClTesting;
import jgrad.nn.CrossEntropyLoss;
import jgrad.optim.SGD;
import jgrad.tensor.Device;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * End to end on the OpenCL device: LeNet-5 trained for a few steps there follows the CPU
 * backend's loss curve, with the same seed, weights and batches. Only the device changes.
 */
class LeNetOnOpenClTest {
    static final int STEPS = 12, BATCH = 16;

    /** Losses of STEPS SGD steps on fixed random batches, then the trained net's outputs on one batch. */
    static List<float[]> train(Device device) {
        return train(device, LeNet5::new, STEPS, BATCH);
    }

    static List<float[]> train(Device device, java.util.function.Function<Generator, jgrad.nn.Module> factory, int steps, int batch) {
        final int STEPS = steps, BATCH = batch;
        Device previous = Device.getDefault();
        Device.setDefault(device);
        try {
            Generator g = new Generator(5);
            jgrad.nn.Module model = factory.apply(g);
            SGD optimizer = new SGD(model.parameters(), 0.05f, 0.9f, 0f);
            CrossEntropyLoss loss = new CrossEntropyLoss();
            float[] losses = new float[STEPS];
            Tensor x = null;
            for (int step = 0; step < STEPS; step++) {
                x = Tensor.rand(g, BATCH, 1, 28, 28).to(device);
                float[] y = new float[BATCH];
                for (int i = 0; i < BATCH; i++) y[i] = i % 10;  // a learnable mapping: class = position
                Tensor cost = loss.forward(model.forward(x), Tensor.of(device, y, BATCH));
                optimizer.zeroGrad();
                cost.backward();
                optimizer.step();
                losses[step] = cost.item();
            }
            List<float[]> out = new ArrayList<>();
            out.add(losses);
            model.eval();
            try (NoGrad scope = NoGrad.enter()) {
                out.add(model.forward(x).toFloatArray());
            }
            return out;
        } finally {
            Device.setDefault(previous);
        }
    }

    @Test
    void lenetTrainsOnOpenClAlongTheCpuLossCurve() {
        Device opencl = OpenClTesting.deviceOrSkip();
        List<float[]> cpu = train(Device.cpu()), gpu = train(opencl);
        float[] lc = cpu.get(0), lg = gpu.get(0);
        String curves = "cpu " + java.util.Arrays.toString(lc) + "\nopencl " + java.util.Arrays.toString(lg);
        for (int s = 0; s < STEPS; s++) {
            assertThat((double) lg[s]).as("loss at step %d\n%s", s, curves).isCloseTo(lc[s], org.assertj.core.data.Offset.offset(2e-3 + 2e-3 * lc[s]));
        }
        assertThat(lc[STEPS - 1]).as("the net learns at all: %s", curves).isLessThan(lc[0]);
        float[] oc = cpu.get(1), og = gpu.get(1);
        for (int i = 0; i < oc.length; i++) {
            assertThat((double) og[i]).as("output %d after training", i).isCloseTo(oc[i], org.assertj.core.data.Offset.offset(1e-2 + 1e-2 * Math.abs(oc[i])));
        }
    }

    /** Batch norm (running statistics, train and eval) and dropout (the same seeded masks) on OpenCL. */
    @Test
    void smallVggWithBatchNormAndDropoutTrainsOnOpenClAlongTheCpuLossCurve() {
        Device opencl = OpenClTesting.deviceOrSkip();
        List<float[]> cpu = train(Device.cpu(), SmallVgg::new, 3, 4), gpu = train(opencl, SmallVgg::new, 3, 4);
        String curves = "cpu " + java.util.Arrays.toString(cpu.get(0)) + "\nopencl " + java.util.Arrays.toString(gpu.get(0));
        for (int s = 0; s < 3; s++) {
            assertThat((double) gpu.get(0)[s]).as("loss at step %d\n%s", s, curves)
                    .isCloseTo(cpu.get(0)[s], org.assertj.core.data.Offset.offset(2e-3 + 2e-3 * cpu.get(0)[s]));
        }
        float[] oc = cpu.get(1), og = gpu.get(1);
        for (int i = 0; i < oc.length; i++) {
            assertThat((double) og[i]).as("eval-mode output %d (running statistics)", i)
                    .isCloseTo(oc[i], org.assertj.core.data.Offset.offset(1e-2 + 1e-2 * Math.abs(oc[i])));
        }
    }
}
