package jgrad.models;

import jgrad.autograd.MemoryPolicy;
import jgrad.nn.BatchNorm2d;
import jgrad.ops.InPlace;
import jgrad.nn.Conv2d;
import jgrad.nn.Module;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;

/**
 * ResNet-18/34's residual block (He et al. 2015, torchvision's {@code BasicBlock}): two 3×3
 * convolutions with batch norm, the input added back before the last ReLU.
 * <pre>
 *   y = relu( bn2(conv2( relu(bn1(conv1(x))) )) + downsample(x) )      downsample = identity, or 1×1 conv (stride s) → BN
 *   x [N, in, H, W] → y [N, planes, H/s, W/s]        conv1: 3×3 stride s pad 1, conv2: 3×3 stride 1 pad 1, no biases
 * </pre>
 * State-dict keys as torchvision's: {@code conv1.weight}, {@code bn1.*}, {@code conv2.weight},
 * {@code bn2.*}, {@code downsample.0.weight}, {@code downsample.1.*}. The derivative of the sum is
 * the identity on both paths (see {@link jgrad.nn.Residual}); each layer carries its own.
 */
public final class BasicBlock extends Module {
    /** Output channels per {@code planes}. */
    public static final int EXPANSION = 1;
    private final Conv2d conv1, conv2;
    private final BatchNorm2d bn1, bn2;
    private final Module downsample;  // null: the identity

    public BasicBlock(int inPlanes, int planes, int stride, Generator g) {
        conv1 = registerModule("conv1", ResNet.conv(inPlanes, planes, 3, stride, 1, 1, g));
        bn1 = registerModule("bn1", new BatchNorm2d(planes));
        conv2 = registerModule("conv2", ResNet.conv(planes, planes, 3, 1, 1, 1, g));
        bn2 = registerModule("bn2", new BatchNorm2d(planes));
        downsample = stride != 1 || inPlanes != planes * EXPANSION
                ? registerModule("downsample", ResNet.downsample(inPlanes, planes * EXPANSION, stride, g)) : null;
    }

    /** bn2, the last batch norm of the residual branch (zero_init_residual sets its γ to 0). */
    BatchNorm2d lastNorm() {
        return bn2;
    }

    /**
     * As torchvision's: the ReLUs and the sum are in place ({@link InPlace}: {@code ReLU(inplace=True)},
     * {@code out += identity}), two full-size tensors a block fewer. Under no_grad the block's own
     * activations go back as soon as the next step has read them
     * ({@link MemoryPolicy#activationsUnderNoGrad}), so inference reuses them instead of leaving them
     * to the garbage collector.
     */
    @Override
    public Tensor forward(Tensor x) {
        try (MemoryPolicy.Activations a = MemoryPolicy.activationsUnderNoGrad()) {
            Tensor out = a.run(0, conv1, conv1::forward, x);
            out = a.run(1, bn1, bn1::forwardInPlace, out);
            out = a.run(2, "relu", InPlace::relu, out);
            out = a.run(3, conv2, conv2::forward, out);
            out = a.run(4, bn2, bn2::forwardInPlace, out);
            Tensor identity = downsample == null ? x : downsample.forward(x);
            Tensor sum = a.read(identity, a.read(out, InPlace.add(out, identity)));  // out += identity
            return a.output(a.run(5, "relu", InPlace::relu, sum));
        }
    }
}
