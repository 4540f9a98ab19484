package jgrad.nn;

import jgrad.ops.Pool2d;
import jgrad.tensor.Tensor;

/**
 * Average pooling, as {@code torch.nn.AvgPool2d}: kernel, stride and padding may differ in height and
 * width; {@code ceilMode} rounds the output size up; {@code countIncludePad} (PyTorch's default true)
 * divides by the window's size with its padding, false by the number of input positions in it.
 * See {@link Pool2d}.
 */
public class AvgPool2d extends Module {
    private final int[] kernel, stride, padding;
    private final boolean ceilMode, countIncludePad;

    public AvgPool2d(int kernelSize) {
        this(kernelSize, kernelSize, 0);
    }

    public AvgPool2d(int kernelSize, int stride, int padding) {
        this(new int[] {kernelSize, kernelSize}, new int[] {stride, stride}, new int[] {padding, padding}, false, true);
    }

    /** kernel, stride, padding as {height, width}. */
    public AvgPool2d(int[] kernel, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad) {
        this.kernel = MaxPool2d.pair("kernel", kernel);
        this.stride = MaxPool2d.pair("stride", stride);
        this.padding = MaxPool2d.pair("padding", padding);
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Pool2d.avg(x, kernel, stride, padding, ceilMode, countIncludePad);
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + MaxPool2d.show(kernel) + ", stride=" + MaxPool2d.show(stride) + ", padding=" + MaxPool2d.show(padding)
                + (ceilMode ? ", ceil_mode=True" : "") + (countIncludePad ? "" : ", count_include_pad=False");
    }
}
