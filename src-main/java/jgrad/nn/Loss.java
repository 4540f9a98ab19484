package jgrad.nn;

import jgrad.tensor.Tensor;

/** A cost function: compares a prediction with a target and returns (usually) a scalar to minimise. */
public interface Loss {
    Tensor forward(Tensor input, Tensor target);

    /** How per-element losses are combined, as PyTorch's {@code reduction} argument. */
    enum Reduction { NONE, MEAN, SUM }
}
