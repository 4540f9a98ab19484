package jgrad.nn;

import jgrad.tensor.Tensor;

/** a = tanh(z), elementwise; derivative 1 − a². */
public class Tanh extends Module {
    @Override
    public Tensor forward(Tensor z) {
        return z.tanh();
    }
}
