package jgrad.models;

import jgrad.autograd.NoGrad;
import jgrad.nn.BatchNorm;
import jgrad.nn.Conv2d;
import jgrad.nn.Linear;
import jgrad.nn.Module;
import jgrad.nn.Parameter;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;

/**
 * The weights torchvision 0.14 gives a fresh zoo model, drawn again after the layers' own
 * (PyTorch layer-default) initialisation, module by module in the order torchvision visits them
 * ({@code self.modules()}: depth first, in registration order):
 * <pre>
 *   ResNet:      conv  w ~ N(0, 2 / fan_out)   (kaiming_normal_, mode "fan_out", relu: std = √2 / √fan_out)
 *                BN    γ = 1, β = 0;  with zero_init_residual the last BN of each block γ = 0
 *                      (bn2 of a BasicBlock, bn3 of a Bottleneck: the block starts as the identity)
 *                fc    PyTorch's Linear default (kept)
 *   VGG:         conv  w ~ N(0, 2 / fan_out), b = 0;  BN γ = 1, β = 0;  Linear w ~ N(0, 0.01²), b = 0
 *   MobileNetV2: conv  w ~ N(0, 2 / fan_out), b = 0 (kaiming_normal_ with leaky_relu's default a = 0: the same gain √2);
 *                BN    γ = 1, β = 0;  Linear w ~ N(0, 0.01²), b = 0
 * </pre>
 * fan_out = w.size(0) · R · S for w [K, C/groups, R, S] (PyTorch's {@code _calculate_fan_in_and_fan_out}:
 * a depthwise 3×3 on 96 channels has fan_out = 864). Why fan_out: backward keeps the variance of the
 * gradients through each layer (He et al. 2015, §2.2), as fan_in would keep the activations'.
 * Draws come from the model's generator, so a seed gives the same model every time (not the same
 * numbers as PyTorch's generator: checked by statistics, not bit for bit).
 *
 * <p>Checked by: {@code jgrad.models.TorchvisionInitTest}.
 */
final class TorchvisionInit {
    private TorchvisionInit() {}

    static void resnet(Module model, Generator g, boolean zeroInitResidual) {
        visit(model, g, false);
        if (!zeroInitResidual) return;
        try (NoGrad scope = NoGrad.enter()) {
            forEach(model, m -> {
                if (m instanceof BasicBlock b) b.lastNorm().weight.fillInPlace(0f);
                if (m instanceof Bottleneck b) b.lastNorm().weight.fillInPlace(0f);
            });
        }
    }

    static void vgg(Module model, Generator g) {
        visit(model, g, true);
    }

    static void mobilenetV2(Module model, Generator g) {
        visit(model, g, true);
    }

    /** Convolutions Kaiming-normal (fan_out), biases 0; BN ones and zeros; Linear N(0, 0.01²) when {@code linears}. */
    private static void visit(Module model, Generator g, boolean linears) {
        try (NoGrad scope = NoGrad.enter()) {
            forEach(model, m -> {
                if (m instanceof Conv2d c) {
                    int[] s = c.weight.shape();
                    double fanOut = (double) s[0] * s[2] * s[3];
                    normal(c.weight, g, Math.sqrt(2.0 / fanOut));
                    if (c.bias != null) c.bias.fillInPlace(0f);
                } else if (m instanceof BatchNorm bn && bn.weight != null) {
                    bn.weight.fillInPlace(1f);
                    bn.bias.fillInPlace(0f);
                } else if (linears && m instanceof Linear l) {
                    normal(l.weight, g, 0.01);
                    if (l.bias != null) l.bias.fillInPlace(0f);
                }
            });
        }
    }

    /** Values per block of a large tensor's draws. */
    private static final int BLOCK = 1 << 20;

    /**
     * p = N(0, std²), drawn on the host and copied to p's device. A tensor of more than a block
     * (VGG's classifier: 10⁸ values, seconds of draws) is drawn in blocks, each from its own
     * generator seeded from {@code g}, on all cores: the same numbers for the same seed, whatever the
     * number of cores.
     */
    private static void normal(Parameter p, Generator g, double std) {
        float[] v = new float[p.numel()];
        float s = (float) std;
        if (v.length <= BLOCK) {
            for (int i = 0; i < v.length; i++) v[i] = g.nextGaussian() * s;
        } else {
            long seed = g.nextLong();
            java.util.stream.IntStream.range(0, (v.length + BLOCK - 1) / BLOCK).parallel().forEach(b -> {
                Generator gb = new Generator(seed + 0x9E3779B97F4A7C15L * (b + 1));
                for (int i = b * BLOCK, end = Math.min(v.length, i + BLOCK); i < end; i++) v[i] = gb.nextGaussian() * s;
            });
        }
        p.copyFrom(Tensor.of(p.device(), v, p.shape()));
    }

    /** m, then its children depth first (torchvision's {@code self.modules()} order). */
    private static void forEach(Module m, java.util.function.Consumer<Module> visit) {
        visit.accept(m);
        for (Module child : m.children().values()) forEach(child, visit);
    }
}
