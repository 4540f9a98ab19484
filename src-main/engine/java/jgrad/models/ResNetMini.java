package jgrad.models;

import jgrad.nn.AdaptiveAvgPool2d;
import jgrad.nn.BatchNorm2d;
import jgrad.nn.Conv2d;
import jgrad.nn.Linear;
import jgrad.nn.Module;
import jgrad.nn.Sequential;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;

/**
 * A small ResNet for 28×28 grey images (MNIST, Fashion-MNIST): the backbone that jgrad pretrains
 * itself, since no ImageNet weights can be fetched here. torchvision's ResNet with its stem shrunk
 * (a 3×3 convolution, no max pooling, as ResNets for CIFAR do), three stages of one
 * {@link BasicBlock} each, and 16/32/64 channels:
 * <pre>
 *   x [N, C, 28, 28] → conv1 3×3 stride 1 pad 1 (16, no bias) → bn1 → ReLU      [N, 16, 28, 28]
 *     → layer1 (16, stride 1) → layer2 (32, stride 2) → layer3 (64, stride 2)    [N, 64, 7, 7]
 *     → adaptive average pool to 1×1 → flatten (the features, 64 per image) → fc  [N, numClasses]
 * </pre>
 * Keys as torchvision's ResNet's: {@code conv1.weight}, {@code bn1.*}, {@code layer1.0.conv1.weight},
 * {@code layer2.0.downsample.1.running_var}, {@code fc.weight} [numClasses, 64], {@code fc.bias};
 * 56 tensors, 77,754 parameters with 10 classes. Any input of at least 4×4 works (the pool adapts).
 * About 9 million multiply-adds per 28×28 image forward.
 *
 * <p>Built by {@link Models#resnetMini}. Checked by: {@code jgrad.models.ResNetMiniTest}.
 */
public final class ResNetMini extends Module {
    /** The zoo-style name, in weights files' {@code arch} metadata. */
    public static final String NAME = "resnet_mini";
    /** Channels of the three stages; the last is the feature width. */
    public static final int[] WIDTHS = {16, 32, 64};

    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Sequential layer1, layer2, layer3;
    private final AdaptiveAvgPool2d avgpool;
    private final Linear fc;

    public ResNetMini(int inChannels, int numClasses, Generator g) {
        if (inChannels < 1) throw new IllegalArgumentException("ResNetMini: inChannels must be at least 1, got " + inChannels);
        if (numClasses < 1) throw new IllegalArgumentException("ResNetMini: numClasses must be at least 1, got " + numClasses);
        conv1 = registerModule("conv1", ResNet.conv(inChannels, WIDTHS[0], 3, 1, 1, 1, g));
        bn1 = registerModule("bn1", new BatchNorm2d(WIDTHS[0]));
        layer1 = registerModule("layer1", new Sequential(new BasicBlock(WIDTHS[0], WIDTHS[0], 1, g)));
        layer2 = registerModule("layer2", new Sequential(new BasicBlock(WIDTHS[0], WIDTHS[1], 2, g)));
        layer3 = registerModule("layer3", new Sequential(new BasicBlock(WIDTHS[1], WIDTHS[2], 2, g)));
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(1, 1));
        fc = registerModule("fc", new Linear(WIDTHS[2], numClasses, true, g));
    }

    /** The classifier head. */
    public Linear fc() {
        return fc;
    }

    /** Everything before the head: [N, C, H, W] → [N, 64], the rows that {@code fc} classifies. */
    public Tensor features(Tensor x) {
        Tensor h = bn1.forward(conv1.forward(x)).relu();
        h = layer3.forward(layer2.forward(layer1.forward(h)));
        h = avgpool.forward(h);
        return h.reshape(h.size(0), -1);
    }

    @Override
    public Tensor forward(Tensor x) {
        return fc.forward(features(x));
    }
}
