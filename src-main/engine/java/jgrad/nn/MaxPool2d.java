package jgrad.nn;

import jgrad.ops.Pool2d;
import jgrad.tensor.Tensor;

/**
 * Max pooling, as {@code torch.nn.MaxPool2d} (stride defaults to the kernel size; no dilation):
 * kernel, stride and padding may differ in height and width, and {@code ceilMode} rounds the output
 * size up (a last, partial window). See {@link Pool2d}.
 */
public class MaxPool2d extends Module {
    private final int[] kernel, stride, padding;
    private final boolean ceilMode;

    public MaxPool2d(int kernelSize) {
        this(kernelSize, kernelSize, 0);
    }

    public MaxPool2d(int kernelSize, int stride, int padding) {
        this(new int[] {kernelSize, kernelSize}, new int[] {stride, stride}, new int[] {padding, padding}, false);
    }

    /** kernel, stride, padding as {height, width}. */
    public MaxPool2d(int[] kernel, int[] stride, int[] padding, boolean ceilMode) {
        this.kernel = pair("kernel", kernel);
        this.stride = pair("stride", stride);
        this.padding = pair("padding", padding);
        this.ceilMode = ceilMode;
    }

    static int[] pair(String what, int[] v) {
        if (v.length != 2) throw new IllegalArgumentException("pooling " + what + " must be {height, width}, got " + java.util.Arrays.toString(v));
        return v.clone();
    }

    /** "3" for (3, 3), "(3, 2)" otherwise, as PyTorch prints what it was given. */
    static String show(int[] v) {
        return v[0] == v[1] ? Integer.toString(v[0]) : "(" + v[0] + ", " + v[1] + ")";
    }

    @Override
    public Tensor forward(Tensor x) {
        return Pool2d.max(x, kernel, stride, padding, ceilMode);
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + show(kernel) + ", stride=" + show(stride) + ", padding=" + show(padding)
                + (ceilMode ? ", ceil_mode=True" : "");
    }
}
