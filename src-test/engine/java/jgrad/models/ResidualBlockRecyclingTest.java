package jgrad.models;

import static jgrad.backend.simd.RecyclingBackends.fresh;
import static jgrad.backend.simd.RecyclingBackends.reusing;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Function;
import jgrad.autograd.NoGrad;
import jgrad.backend.simd.SimdBackend;
import jgrad.nn.CrossEntropyLoss;
import jgrad.nn.Module;
import jgrad.optim.SGD;
import jgrad.tensor.Device;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * ResNet's stem and residual blocks give their activations back for reuse
 * ({@code MemoryPolicy.activationsUnderNoGrad} in {@link BasicBlock} and {@link Bottleneck},
 * {@code MemoryPolicy.activations} in the stem). A buffer given back while something still reads it
 * would change the numbers, so a backend that reuses buffers and fills each one with NaN when it is
 * handed out or given back must give the same numbers as one that never reuses (to float rounding:
 * the two runs share one JVM, where a kernel's sums may be ordered differently before and after it
 * is compiled); and a steady inference pass must take its activations from the given-back buffers
 * instead of new arrays.
 */
class ResidualBlockRecyclingTest {

    /** Every value finite (a stale read of a poisoned buffer is NaN) and within 1e-4 of the other run's, relative to the array's largest. */
    private static void assertClose(float[] actual, float[] expected, String what) {
        assertThat(actual.length).as(what).isEqualTo(expected.length);
        float scale = 1e-12f;
        for (float v : expected) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < actual.length; i++) {
            if (!Float.isFinite(actual[i]) || Math.abs(actual[i] - expected[i]) > 1e-4f * scale) {
                throw new AssertionError(what + ": element " + i + " is " + actual[i] + ", expected " + expected[i] + " (largest " + scale + ")");
            }
        }
    }

    private static <M extends Module> M built(Device device, Function<Generator, M> make) {
        Device previous = Device.getDefault();
        Device.setDefault(device);
        try {
            return make.apply(new Generator(5));
        } finally {
            Device.setDefault(previous);
        }
    }

    /** Logits of three batches in eval mode under no_grad, then the first batch's input as it is afterwards. */
    private static float[][] infer(SimdBackend backend, Function<Generator, ResNet> make) {
        Device device = new Device("cpu", backend);
        ResNet model = built(device, make);
        model.eval();
        Generator g = new Generator(9);
        Tensor first = null;
        float[][] out = new float[4][];
        try (NoGrad off = NoGrad.enter()) {
            for (int i = 0; i < 3; i++) {
                Tensor x = Tensor.rand(g, 2, 3, 40, 40).to(device);
                if (i == 0) first = x;
                out[i] = model.forward(x).toFloatArray();
            }
        }
        out[3] = first.toFloatArray();
        return out;
    }

    @Test
    void inferenceWithReusedActivationsGivesTheSameBitsAsWithout() {
        for (Function<Generator, ResNet> make : java.util.List.<Function<Generator, ResNet>>of(
                g -> Models.resnet18(10, g), g -> new ResNet(ResNet.Depth.RESNET50, 10, g))) {
            SimdBackend reusing = reusing();
            float[][] a = infer(reusing, make), b = infer(fresh(), make);
            for (int i = 0; i < a.length; i++) assertClose(a[i], b[i], "batch " + i + " (3: the first input, read afterwards)");
            assertThat(reusing.emptyCounts()[0]).as("outputs made from given-back buffers").isGreaterThan(40);
        }
    }

    @Test
    void aSteadyInferencePassTakesItsActivationsFromGivenBackBuffers() {
        SimdBackend backend = new SimdBackend();
        Device device = new Device("cpu", backend);
        ResNet model = built(device, g -> Models.resnet18(10, g));
        model.eval();
        Tensor x = Tensor.rand(new Generator(2), 2, 3, 64, 64).to(device);
        try (NoGrad off = NoGrad.enter()) {
            model.forward(x);
            long[] before = backend.emptyCounts();
            model.forward(x);
            long[] after = backend.emptyCounts();
            long reused = after[0] - before[0], made = after[1] - before[1];
            // 8 blocks of 2–3 full-size outputs each (conv, conv, a downsample's conv; batch norm, the
            // ReLUs and the sum are in place), the stem's conv, the max pool's, the average pool's
            // [2, 512]: 22 (41 with batch norm out of place). All but a few come from the pool
            assertThat(reused).as("reused (made %d)", made).isGreaterThanOrEqualTo(20);
            assertThat(made).as("new arrays in the second pass").isLessThanOrEqualTo(2);
            assertThat(reused + made).as("outputs of 1,024 floats or more in the pass").isEqualTo(22);
        }
    }

    /** Parameters after two SGD steps of a ResNet-18 in train mode, and each step's logits. */
    private static float[][] train(SimdBackend backend) {
        Device device = new Device("cpu", backend);
        ResNet model = built(device, g -> Models.resnet18(10, g));
        model.train();
        SGD sgd = new SGD(model.parameters(), 0.05f, 0.9f, 0f);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        Generator g = new Generator(4);
        var params = model.parameters();
        float[][] out = new float[params.size() + 2][];
        for (int step = 0; step < 2; step++) {
            Tensor x = Tensor.rand(g, 2, 3, 36, 36).to(device);
            Tensor logits = model.forward(x);
            Tensor cost = loss.forward(logits, Tensor.of(device, new float[] {g.nextInt(10), g.nextInt(10)}, 2));
            sgd.zeroGrad();
            cost.backward();
            sgd.step();
            out[params.size() + step] = logits.toFloatArray();
        }
        for (int i = 0; i < params.size(); i++) out[i] = params.get(i).toFloatArray();
        return out;
    }

    @Test
    void trainingWithReusedStemActivationsGivesTheSameBitsAsWithout() {
        SimdBackend reusing = reusing();
        float[][] a = train(reusing), b = train(fresh());
        for (int i = 0; i < a.length; i++) assertClose(a[i], b[i], "parameter or logits " + i);
        assertThat(reusing.emptyCounts()[0]).isPositive();
    }
}
