package jgrad.nn;

import java.util.Arrays;
import jgrad.ops.Pool2d;
import jgrad.tensor.Tensor;

/**
 * Average pooling to a fixed output size, as {@code torch.nn.AdaptiveAvgPool2d}. Output cell (i, j)
 * averages input rows ⌊i·H/P⌋ … ⌈(i+1)·H/P⌉ − 1 (columns likewise). When P divides H and Q divides W
 * those windows are equal and non-overlapping, so this is an AvgPool2d with kernel = stride = H/P;
 * other sizes are not supported yet and say so.
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
        if (x.dim() != 4) throw new IllegalArgumentException("AdaptiveAvgPool2d expects [N, C, H, W], got " + Arrays.toString(x.shape()));
        int h = x.size(2), w = x.size(3);
        if (h % outH != 0 || w % outW != 0) {
            throw new IllegalArgumentException("AdaptiveAvgPool2d(" + outH + ", " + outW + ") of a " + h + "×" + w
                    + " input: only output sizes that divide the input size are supported so far");
        }
        int kh = h / outH, kw = w / outW;
        return Pool2d.avg(x, new int[] {kh, kw}, new int[] {kh, kw}, new int[] {0, 0});
    }

    @Override
    protected String extraRepr() {
        return "output_size=(" + outH + ", " + outW + ")";
    }
}
