package jgrad.nn;

import jgrad.tensor.Tensor;

/** a = max(0, z), elementwise; derivative 1 where z > 0, else 0. */
public class ReLU extends Module {
    @Override
    public Tensor forward(Tensor z) {
        return z.relu();
    }
}
