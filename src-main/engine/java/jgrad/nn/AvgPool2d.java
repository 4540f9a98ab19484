package jgrad.nn;

import jgrad.ops.Pool2d;
import jgrad.tensor.Tensor;

/** Average pooling, as {@code torch.nn.AvgPool2d} (count_include_pad=True). See {@link Pool2d}. */
public class AvgPool2d extends Module {
    private final int kernel, stride, padding;

    public AvgPool2d(int kernelSize) {
        this(kernelSize, kernelSize, 0);
    }

    public AvgPool2d(int kernelSize, int stride, int padding) {
        this.kernel = kernelSize;
        this.stride = stride;
        this.padding = padding;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Pool2d.avg(x, new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding});
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + kernel + ", stride=" + stride + ", padding=" + padding;
    }
}
