package jgrad.nn;

import jgrad.tensor.Tensor;

/** log softmax along a dimension, as {@code torch.nn.LogSoftmax(dim)}; see {@link jgrad.ops.Softmax}. */
public class LogSoftmax extends Module {
    private final int dim;

    public LogSoftmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return jgrad.ops.Softmax.logSoftmax(x, dim);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
