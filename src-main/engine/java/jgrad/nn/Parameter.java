package jgrad.nn;

import jgrad.tensor.Tensor;

/**
 * A tensor that a module learns: a leaf that requires grad by default and that
 * {@link Module#parameters()} finds. Optimizers update it in place, so its identity never changes.
 */
public class Parameter extends Tensor {
    public Parameter(Tensor data) {
        super(data.device(), data.contiguous().buffer(), data.contiguous().layout());
        requiresGrad(true);
    }
}
