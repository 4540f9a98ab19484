package jgrad.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import jgrad.backend.Buffer;
import jgrad.backend.Conv2dShape;
import jgrad.backend.reference.ReferenceBackend;
import jgrad.nn.CrossEntropyLoss;
import jgrad.nn.Parameter;
import jgrad.optim.SGD;
import jgrad.tensor.Device;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * "Frozen costs no weight-gradient work", counted: a ResNet-18 training step on a backend that
 * counts the backward's convolution and GEMM calls and their multiply-adds. With every parameter
 * trainable, backward runs one weight gradient per convolution (20); with the backbone frozen
 * ({@code requiresGrad(false)}, as {@code --freeze backbone} does) it runs none, and not even the
 * input gradients (nothing before the head needs a gradient), only the head's GEMM; freezing all
 * but layer4 leaves layer4's five weight gradients and the three input gradients inside it.
 */
class FrozenBackboneWorkTest {
    /** The reference backend, counting what the backward asks of it. */
    static final class CountingBackend extends ReferenceBackend {
        int weightGrads, inputGrads, gemms;
        double flops;

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public void conv2dWeightGrad(Conv2dShape g, Buffer x, int xOffset, Buffer dy, Buffer dw) {
            weightGrads++;
            flops += 2.0 * g.n() * g.k() * g.p() * g.q() * g.c() * g.r() * g.s();
            super.conv2dWeightGrad(g, x, xOffset, dy, dw);
        }

        @Override
        public void conv2dInputGrad(Conv2dShape g, Buffer dy, Buffer w, int wOffset, Buffer dx) {
            inputGrads++;
            flops += 2.0 * g.n() * g.k() * g.p() * g.q() * g.c() * g.r() * g.s();
            super.conv2dInputGrad(g, dy, w, wOffset, dx);
        }

        @Override
        public void gemm(boolean transA, boolean transB, int batch, int m, int n, int k, float alpha, Buffer a, int aOffset, int lda,
                         int aBatchStride, Buffer b, int bOffset, int ldb, int bBatchStride, float beta, Buffer c, int cOffset, int ldc,
                         int cBatchStride) {
            gemms++;
            flops += 2.0 * batch * m * n * k;
            super.gemm(transA, transB, batch, m, n, k, alpha, a, aOffset, lda, aBatchStride, b, bOffset, ldb, bBatchStride, beta, c, cOffset,
                    ldc, cBatchStride);
        }

        void reset() {
            weightGrads = inputGrads = gemms = 0;
            flops = 0;
        }
    }

    /** One training step of a fresh ResNet-18 (10 classes, batch 2 of 3×32×32) with only the parameters {@code trainable} accepts; the backward's counts. */
    private static CountingBackend backwardOf(java.util.function.Predicate<String> trainable, Map<String, float[]> before,
                                              Map<String, float[]> after) {
        CountingBackend counting = new CountingBackend();
        Device d = new Device("counting", counting);
        Device previous = Device.getDefault();
        Device.setDefault(d);
        try {
            Generator g = new Generator(3);
            ResNet net = Models.resnet18(10, g);
            net.namedParameters().forEach((k, p) -> p.requiresGrad(trainable.test(k)));
            net.namedParameters().forEach((k, p) -> before.put(k, p.toFloatArray()));
            SGD sgd = new SGD(net.parameters().stream().filter(Parameter::requiresGrad).toList(), 0.1f, 0.9f, 0f);
            Tensor x = Tensor.rand(g, 2, 3, 32, 32).to(d);
            Tensor y = Tensor.of(d, new float[] {3, 7}, 2);
            Tensor cost = new CrossEntropyLoss().forward(net.forward(x), y);
            sgd.zeroGrad();
            counting.reset();
            cost.backward();
            CountingBackend counts = new CountingBackend();
            counts.weightGrads = counting.weightGrads;
            counts.inputGrads = counting.inputGrads;
            counts.gemms = counting.gemms;
            counts.flops = counting.flops;
            sgd.step();
            net.namedParameters().forEach((k, p) -> after.put(k, p.toFloatArray()));
            return counts;
        } finally {
            Device.setDefault(previous);
        }
    }

    @Test
    void aFrozenBackboneComputesNoWeightGradientAndStaysBitIdentical() {
        Map<String, float[]> b0 = new java.util.HashMap<>(), a0 = new java.util.HashMap<>();
        CountingBackend all = backwardOf(k -> true, b0, a0);
        assertThat(all.weightGrads).as("every convolution's weight gradient").isEqualTo(20);
        assertThat(all.inputGrads).as("every convolution but the first (its input, the images, needs none)").isEqualTo(19);

        Map<String, float[]> b1 = new java.util.HashMap<>(), a1 = new java.util.HashMap<>();
        CountingBackend frozen = backwardOf(k -> k.startsWith("fc."), b1, a1);
        assertThat(frozen.weightGrads).as("frozen backbone: no convolution weight gradient").isZero();
        assertThat(frozen.inputGrads).as("frozen backbone: no gradient flows into it at all").isZero();
        assertThat(frozen.gemms).as("only the head's dW = dZᵀ·A").isEqualTo(1);
        assertThat(frozen.flops).as("the head's dW: 2·N·10·512 flops").isEqualTo(2.0 * 2 * 10 * 512);
        for (String k : b1.keySet()) {
            if (!k.startsWith("fc.")) assertThat(a1.get(k)).as("frozen %s after a step", k).isEqualTo(b1.get(k));
        }
        assertThat(a1.get("fc.weight")).as("the head learned").isNotEqualTo(b1.get("fc.weight"));
        System.out.printf("ResNet-18, batch 2 of 3x32x32: backward %.1f MFLOP (%d conv weight grads, %d input grads, %d GEMMs), "
                + "with the backbone frozen %.4f MFLOP (%d, %d, %d)%n", all.flops / 1e6, all.weightGrads, all.inputGrads, all.gemms,
                frozen.flops / 1e6, frozen.weightGrads, frozen.inputGrads, frozen.gemms);
    }

    @Test
    void fineTuningLayer4AloneComputesLayer4sGradientsOnly() {
        CountingBackend c = backwardOf(k -> k.startsWith("layer4.") || k.startsWith("fc."), new java.util.HashMap<>(), new java.util.HashMap<>());
        assertThat(c.weightGrads).as("layer4's four 3×3 convolutions and its downsample").isEqualTo(5);
        assertThat(c.inputGrads).as("inside layer4 only: block 0's conv2, block 1's conv1 and conv2").isEqualTo(3);
    }
}
