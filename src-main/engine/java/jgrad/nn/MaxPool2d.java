package jgrad.nn;

import jgrad.ops.Pool2d;
import jgrad.tensor.Tensor;

/** Max pooling, as {@code torch.nn.MaxPool2d} (stride defaults to the kernel size). See {@link Pool2d}. */
public class MaxPool2d extends Module {
    private final int kernel, stride, padding;

    public MaxPool2d(int kernelSize) {
        this(kernelSize, kernelSize, 0);
    }

    public MaxPool2d(int kernelSize, int stride, int padding) {
        this.kernel = kernelSize;
        this.stride = stride;
        this.padding = padding;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Pool2d.max(x, new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding});
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + kernel + ", stride=" + stride + ", padding=" + padding;
    }
}
