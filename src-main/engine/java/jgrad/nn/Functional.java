package jgrad.nn;

import java.util.Arrays;
import jgrad.backend.BinaryOp;
import jgrad.tensor.Kernels;
import jgrad.tensor.Tensor;

/** Stateless functions used by several modules, like {@code torch.nn.functional}. */
public final class Functional {
    private Functional() {}

    /** log softmax(x)ᵢ = xᵢ − log Σⱼ eˣʲ along {@code dim}; see {@link jgrad.ops.Softmax}. */
    public static Tensor logSoftmax(Tensor x, int dim) {
        return jgrad.ops.Softmax.logSoftmax(x, dim);
    }

    /** ReLU6(z) = min(max(0, z), 6) elementwise, as {@code F.relu6}; see {@link jgrad.ops.Elementwise}. */
    public static Tensor relu6(Tensor z) {
        return jgrad.ops.Elementwise.relu6(z);
    }

    /** softmax(x)ᵢ = eˣⁱ / Σⱼ eˣʲ along {@code dim}; see {@link jgrad.ops.Softmax}. */
    public static Tensor softmax(Tensor x, int dim) {
        return jgrad.ops.Softmax.softmax(x, dim);
    }

    /**
     * One-hot rows: labels [N] (class indices stored as floats) become [N, classes] with a 1 in each
     * row's label column. Runs on the labels' device (a comparison with 0…classes−1), so labels
     * never travel to the host.
     */
    public static Tensor oneHot(Tensor labels, int classes) {
        if (labels.dim() != 1) {
            throw new IllegalArgumentException("oneHot: labels must be 1-D [N], got shape " + Arrays.toString(labels.shape()));
        }
        Tensor columns = Kernels.indices(labels.device(), classes).unsqueeze(0);
        return Kernels.zip(BinaryOp.EQ, labels.unsqueeze(1), columns);
    }
}
