package jgrad.models;

import jgrad.autograd.MemoryPolicy;
import jgrad.nn.BatchNorm2d;
import jgrad.ops.InPlace;
import jgrad.nn.Conv2d;
import jgrad.nn.Module;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;

/**
 * ResNet-50's residual block (torchvision's {@code Bottleneck}, "ResNet v1.5": the stride sits on
 * the 3×3 convolution, not the first 1×1): 1×1 reduce, 3×3, 1×1 expand by 4, the input added back.
 * <pre>
 *   y = relu( bn3(conv3( relu(bn2(conv2( relu(bn1(conv1(x))) ))) )) + downsample(x) )
 *   x [N, in, H, W] → [N, planes, H, W] → [N, planes, H/s, W/s] → y [N, 4·planes, H/s, W/s]
 * </pre>
 * State-dict keys as torchvision's: {@code conv1..3.weight}, {@code bn1..3.*}, {@code downsample.0/1.*}.
 */
public final class Bottleneck extends Module {
    /** Output channels per {@code planes}. */
    public static final int EXPANSION = 4;
    private final Conv2d conv1, conv2, conv3;
    private final BatchNorm2d bn1, bn2, bn3;
    private final Module downsample;  // null: the identity

    public Bottleneck(int inPlanes, int planes, int stride, Generator g) {
        conv1 = registerModule("conv1", ResNet.conv(inPlanes, planes, 1, 1, 0, 1, g));
        bn1 = registerModule("bn1", new BatchNorm2d(planes));
        conv2 = registerModule("conv2", ResNet.conv(planes, planes, 3, stride, 1, 1, g));
        bn2 = registerModule("bn2", new BatchNorm2d(planes));
        conv3 = registerModule("conv3", ResNet.conv(planes, planes * EXPANSION, 1, 1, 0, 1, g));
        bn3 = registerModule("bn3", new BatchNorm2d(planes * EXPANSION));
        downsample = stride != 1 || inPlanes != planes * EXPANSION
                ? registerModule("downsample", ResNet.downsample(inPlanes, planes * EXPANSION, stride, g)) : null;
    }

    /** bn3, the last batch norm of the residual branch (zero_init_residual sets its γ to 0). */
    BatchNorm2d lastNorm() {
        return bn3;
    }

    /** Under no_grad the block's own activations go back as soon as the next step has read them, as in {@link BasicBlock#forward}. */
    @Override
    public Tensor forward(Tensor x) {
        try (MemoryPolicy.Activations a = MemoryPolicy.activationsUnderNoGrad()) {
            Tensor out = a.run(0, conv1, conv1::forward, x);
            out = a.run(1, bn1, bn1::forwardInPlace, out);
            out = a.run(2, "relu", InPlace::relu, out);
            out = a.run(3, conv2, conv2::forward, out);
            out = a.run(4, bn2, bn2::forwardInPlace, out);
            out = a.run(5, "relu", InPlace::relu, out);
            out = a.run(6, conv3, conv3::forward, out);
            out = a.run(7, bn3, bn3::forwardInPlace, out);
            Tensor identity = downsample == null ? x : downsample.forward(x);
            Tensor sum = a.read(identity, a.read(out, InPlace.add(out, identity)));  // out += identity
            return a.output(a.run(8, "relu", InPlace::relu, sum));
        }
    }
}
