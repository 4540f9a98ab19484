package jgrad.models;

import jgrad.autograd.MemoryPolicy;
import jgrad.nn.AdaptiveAvgPool2d;
import jgrad.nn.BatchNorm2d;
import jgrad.nn.Conv2d;
import jgrad.nn.Linear;
import jgrad.nn.MaxPool2d;
import jgrad.nn.Module;
import jgrad.nn.Sequential;
import jgrad.ops.InPlace;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;

/**
 * ResNet (He et al., "Deep Residual Learning for Image Recognition", 2015) exactly as torchvision
 * builds it, so that torchvision's state dicts load key for key:
 * <pre>
 *   x [N, 3, H, W] → conv1 7×7 stride 2 pad 3 (64, no bias) → bn1 → ReLU → maxpool 3×3 stride 2 pad 1   [N, 64, H/4, W/4]
 *     → layer1 (64, stride 1) → layer2 (128, stride 2) → layer3 (256, stride 2) → layer4 (512, stride 2)  [N, 512·e, H/32, W/32]
 *     → adaptive average pool to 1×1 → flatten → fc [N, numClasses]
 *   ResNet-18: BasicBlock × [2, 2, 2, 2]   ResNet-34: BasicBlock × [3, 4, 6, 3]   ResNet-50: Bottleneck × [3, 4, 6, 3] (e = 4)
 * </pre>
 * Keys: {@code conv1.weight}, {@code bn1.*}, {@code layerL.B.conv1.weight}, …,
 * {@code layer2.0.downsample.1.running_var}, {@code fc.weight} [numClasses, 512·e], {@code fc.bias}.
 * Any input of at least 32×32 works (the pool adapts). Weights start as torchvision's do
 * ({@link TorchvisionInit}: convolutions Kaiming-normal with fan_out, batch norm γ = 1, β = 0, optionally
 * zero_init_residual).
 *
 * <p>Built by {@link Models#resnet18}, {@link Models#resnet34}, {@link Models#resnet50}.
 * Checked by: {@code jgrad.models.ZooStructureTest}, {@code jgrad.models.ZooParityTest}.
 */
public final class ResNet extends Module {
    /** Which residual block and how many per stage. */
    public enum Depth {
        RESNET18(false, 2, 2, 2, 2), RESNET34(false, 3, 4, 6, 3), RESNET50(true, 3, 4, 6, 3);

        final boolean bottleneck;
        final int[] blocks;

        Depth(boolean bottleneck, int... blocks) {
            this.bottleneck = bottleneck;
            this.blocks = blocks;
        }
    }

    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final MaxPool2d maxpool;
    private final Sequential layer1, layer2, layer3, layer4;
    private final AdaptiveAvgPool2d avgpool;
    private final Linear fc;
    private int inPlanes = 64;

    public ResNet(Depth depth, int numClasses, Generator g) {
        this(depth, numClasses, false, g);
    }

    /**
     * With torchvision's {@code zero_init_residual}: the last batch norm of every residual branch
     * starts with γ = 0, so each block starts as the identity (Goyal et al. 2017; +0.2–0.3% on ImageNet, torchvision says).
     */
    public ResNet(Depth depth, int numClasses, boolean zeroInitResidual, Generator g) {
        if (numClasses < 1) throw new IllegalArgumentException("ResNet: numClasses must be at least 1, got " + numClasses);
        conv1 = registerModule("conv1", conv(3, 64, 7, 2, 3, 1, g));
        bn1 = registerModule("bn1", new BatchNorm2d(64));
        maxpool = registerModule("maxpool", new MaxPool2d(3, 2, 1));
        layer1 = registerModule("layer1", stage(depth, 64, depth.blocks[0], 1, g));
        layer2 = registerModule("layer2", stage(depth, 128, depth.blocks[1], 2, g));
        layer3 = registerModule("layer3", stage(depth, 256, depth.blocks[2], 2, g));
        layer4 = registerModule("layer4", stage(depth, 512, depth.blocks[3], 2, g));
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(1, 1));
        fc = registerModule("fc", new Linear(512 * (depth.bottleneck ? Bottleneck.EXPANSION : BasicBlock.EXPANSION), numClasses, true, g));
        TorchvisionInit.resnet(this, g, zeroInitResidual);
    }

    /** One stage: the first block changes the stride and width, the rest keep them. */
    private Sequential stage(Depth depth, int planes, int blocks, int stride, Generator g) {
        Sequential s = new Sequential();
        for (int b = 0; b < blocks; b++) {
            int st = b == 0 ? stride : 1;
            s.add(depth.bottleneck ? new Bottleneck(inPlanes, planes, st, g) : new BasicBlock(inPlanes, planes, st, g));
            inPlanes = planes * (depth.bottleneck ? Bottleneck.EXPANSION : BasicBlock.EXPANSION);
        }
        return s;
    }

    /** A square convolution without bias (every ResNet convolution is followed by batch norm). */
    static Conv2d conv(int in, int out, int k, int stride, int pad, int groups, Generator g) {
        return new Conv2d(in, out, new int[] {k, k}, new int[] {stride, stride}, new int[] {pad, pad}, new int[] {1, 1}, groups, false, g);
    }

    /** The shortcut where shapes change: 1×1 convolution with the block's stride, then batch norm. */
    static Sequential downsample(int in, int out, int stride, Generator g) {
        return new Sequential(conv(in, out, 1, stride, 0, 1, g), new BatchNorm2d(out));
    }

    /** The classifier head (replace it for transfer learning via a new model with another numClasses). */
    public Linear fc() {
        return fc;
    }

    /** Everything before the head: the [N, features] rows that {@code fc} classifies (transfer learning's fixed feature extractor). */
    public Tensor features(Tensor x) {
        // each activation goes back as soon as the next step has read it (MemoryPolicy.Activations, as in a Sequential)
        try (MemoryPolicy.Activations a = MemoryPolicy.activations()) {
            Tensor h = a.run(0, conv1, conv1::forward, x);
            h = a.run(1, bn1, bn1::forwardInPlace, h);
            h = a.run(2, "relu", InPlace::relu, h);
            h = a.run(3, maxpool, maxpool::forward, h);
            h = a.run(4, layer1, layer1::forward, h);
            h = a.run(5, layer2, layer2::forward, h);
            h = a.run(6, layer3, layer3::forward, h);
            h = a.run(7, layer4, layer4::forward, h);
            h = a.run(8, avgpool, avgpool::forward, h);
            return a.output(h.reshape(h.size(0), -1));
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        return fc.forward(features(x));
    }
}
