package jgrad.models;

import jgrad.nn.AdaptiveAvgPool2d;
import jgrad.nn.BatchNorm2d;
import jgrad.nn.Conv2d;
import jgrad.nn.Dropout;
import jgrad.nn.Linear;
import jgrad.nn.MaxPool2d;
import jgrad.nn.ReLU;
import jgrad.nn.Sequential;
import jgrad.tensor.Generator;

/**
 * VGG (Simonyan and Zisserman, 2014) exactly as torchvision builds it:
 * <pre>
 *   x [N, 3, H, W] → features: per entry of the configuration, a 3×3 conv pad 1 (with bias) [→ BN] → ReLU, or a 2×2 max pool stride 2
 *     → avgpool: adaptive average pool to 7×7 → flatten 25088
 *     → classifier: Linear 25088→4096 → ReLU → Dropout 0.5 → Linear 4096→4096 → ReLU → Dropout 0.5 → Linear 4096→numClasses
 *   VGG-11 "A": 64 M 128 M 256 256 M 512 512 M 512 512 M      VGG-16 "D": 64 64 M 128 128 M 256 256 256 M 512 512 512 M 512 512 512 M
 * </pre>
 * Keys number the layers as torchvision's Sequentials do, ReLU, pooling and dropout included
 * ({@code features.0.weight}, with batch norm {@code features.1.running_mean}, {@code features.4.weight};
 * {@code classifier.0.weight} [4096, 25088], {@code classifier.6.weight} [numClasses, 4096]). An input
 * under 224×224 works: the adaptive pool repeats the last map's cells up to 7×7, as PyTorch's does.
 * Fresh weights as torchvision's {@code init_weights=True} ({@link TorchvisionInit}).
 *
 * <p>Built by {@link Models#vgg11}, {@link Models#vgg11Bn}, {@link Models#vgg16}, {@link Models#vgg16Bn}.
 * Checked by: {@code jgrad.models.ZooStructureTest}, {@code jgrad.models.ZooParityTest}.
 */
public final class Vgg extends PooledClassifier {
    /** Max pooling in a configuration. */
    static final int M = -1;
    static final int[] VGG11 = {64, M, 128, M, 256, 256, M, 512, 512, M, 512, 512, M};
    static final int[] VGG16 = {64, 64, M, 128, 128, M, 256, 256, 256, M, 512, 512, 512, M, 512, 512, 512, M};

    public Vgg(int[] config, boolean batchNorm, int numClasses, Generator g) {
        if (numClasses < 1) throw new IllegalArgumentException("VGG: numClasses must be at least 1, got " + numClasses);
        Sequential f = new Sequential();
        int in = 3;
        for (int c : config) {
            if (c == M) {
                f.add(new MaxPool2d(2, 2, 0));
                continue;
            }
            f.add(new Conv2d(in, c, 3, 1, 1, g));
            if (batchNorm) f.add(new BatchNorm2d(c));
            f.add(new ReLU());
            in = c;
        }
        super(f, "avgpool", new AdaptiveAvgPool2d(7, 7), new Sequential(
                new Linear(512 * 7 * 7, 4096, true, g), new ReLU(), new Dropout(0.5f, g),
                new Linear(4096, 4096, true, g), new ReLU(), new Dropout(0.5f, g),
                new Linear(4096, numClasses, true, g)));
        TorchvisionInit.vgg(this, g);  // torchvision's init_weights=True
    }
}
