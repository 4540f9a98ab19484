package jgrad.nn;

import jgrad.tensor.Tensor;

/** softmax along a dimension, as {@code torch.nn.Softmax(dim)}; see {@link jgrad.ops.Softmax}. */
public class Softmax extends Module {
    private final int dim;

    public Softmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return jgrad.ops.Softmax.softmax(x, dim);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
