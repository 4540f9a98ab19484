package jgrad.models;

import jgrad.nn.AdaptiveAvgPool2d;
import jgrad.nn.BatchNorm2d;
import jgrad.nn.Dropout;
import jgrad.nn.Linear;
import jgrad.nn.Module;
import jgrad.nn.ReLU6;
import jgrad.nn.Sequential;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;

/**
 * MobileNetV2 (Sandler et al., 2018) exactly as torchvision builds it (width 1.0):
 * <pre>
 *   x [N, 3, H, W] → features.0: 3×3 conv stride 2 (32) → BN → ReLU6
 *     → features.1–17: inverted residual blocks, (t, c, n, s) = (1,16,1,1) (6,24,2,2) (6,32,3,2) (6,64,4,2) (6,96,3,1) (6,160,3,2) (6,320,1,1)
 *     → features.18: 1×1 conv (1280) → BN → ReLU6 → adaptive average pool to 1×1 → flatten
 *     → classifier: Dropout 0.2 → Linear 1280→numClasses
 *   inverted residual (in → out, stride s, expansion t, hidden = in·t):
 *     [1×1 conv in→hidden → BN → ReLU6, when t ≠ 1] → 3×3 depthwise conv stride s (groups = hidden) → BN → ReLU6
 *     → 1×1 conv hidden→out → BN ("linear bottleneck": no activation); + x when s = 1 and in = out
 * </pre>
 * Keys as torchvision's: {@code features.0.0.weight}, {@code features.1.conv.0.0.weight} (t = 1: depthwise
 * first), {@code features.2.conv.0.0.weight} … {@code features.2.conv.3.running_var},
 * {@code features.18.1.weight}, {@code classifier.1.weight} [numClasses, 1280]. No convolution has a bias.
 * Fresh weights as torchvision's ({@link TorchvisionInit}).
 *
 * <p>Built by {@link Models#mobilenetV2}. Checked by: {@code jgrad.models.ZooStructureTest},
 * {@code jgrad.models.ZooParityTest}.
 */
public final class MobileNetV2 extends PooledClassifier {
    private static final int[][] SETTINGS = {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};

    public MobileNetV2(int numClasses, Generator g) {
        if (numClasses < 1) throw new IllegalArgumentException("MobileNetV2: numClasses must be at least 1, got " + numClasses);
        Sequential f = new Sequential(convBnRelu6(3, 32, 3, 2, 1, g));
        int in = 32;
        for (int[] s : SETTINGS) {
            for (int i = 0; i < s[2]; i++) {
                f.add(new InvertedResidual(in, s[1], i == 0 ? s[3] : 1, s[0], g));
                in = s[1];
            }
        }
        f.add(convBnRelu6(in, 1280, 1, 1, 1, g));
        // the pool is a function in torchvision: no key
        super(f, null, new AdaptiveAvgPool2d(1, 1), new Sequential(new Dropout(0.2f, g), new Linear(1280, numClasses, true, g)));
        TorchvisionInit.mobilenetV2(this, g);
    }

    /** torchvision's Conv2dNormActivation: conv (padding (k − 1)/2, no bias) → BN → ReLU6, keys 0, 1. */
    static Sequential convBnRelu6(int in, int out, int k, int stride, int groups, Generator g) {
        return new Sequential(ResNet.conv(in, out, k, stride, (k - 1) / 2, groups, g), new BatchNorm2d(out), new ReLU6());
    }

    /** The block; its layers are the child {@code conv}, as in torchvision. */
    static final class InvertedResidual extends Module {
        private final Sequential conv;
        private final boolean residual;

        InvertedResidual(int in, int out, int stride, int expand, Generator g) {
            int hidden = in * expand;
            residual = stride == 1 && in == out;
            Sequential c = new Sequential();
            if (expand != 1) c.add(convBnRelu6(in, hidden, 1, 1, 1, g));
            c.add(convBnRelu6(hidden, hidden, 3, stride, hidden, g));  // depthwise
            c.add(ResNet.conv(hidden, out, 1, 1, 0, 1, g));
            c.add(new BatchNorm2d(out));
            conv = registerModule("conv", c);
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor y = conv.forward(x);
            return residual ? x.add(y) : y;
        }
    }
}
