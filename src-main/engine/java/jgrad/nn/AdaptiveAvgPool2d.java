package jgrad.nn;

import jgrad.ops.Pool2d;
import jgrad.tensor.Tensor;

/**
 * Average pooling to a fixed output size, as {@code torch.nn.AdaptiveAvgPool2d}: output cell (i, j)
 * averages input rows ⌊i·H/P⌋ … ⌈(i+1)·H/P⌉ − 1 and columns ⌊j·W/Q⌋ … ⌈(j+1)·W/Q⌉ − 1. When P divides
 * H the windows are equal and do not overlap (an AvgPool2d with kernel = stride = H/P); otherwise
 * neighbouring windows may share a row, exactly as in PyTorch. See {@link Pool2d#adaptiveAvg}.
 */
public class AdaptiveAvgPool2d extends Module {
    private final int outH, outW;

    public AdaptiveAvgPool2d(int outH, int outW) {
        if (outH < 1 || outW < 1) throw new IllegalArgumentException("AdaptiveAvgPool2d output size must be positive, got " + outH + "×" + outW);
        this.outH = outH;
        this.outW = outW;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Pool2d.adaptiveAvg(x, outH, outW);
    }

    @Override
    protected String extraRepr() {
        return "output_size=(" + outH + ", " + outW + ")";
    }
}
