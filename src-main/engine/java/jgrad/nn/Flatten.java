package jgrad.nn;

import jgrad.tensor.Tensor;

/** [N, d₁, d₂, …] → [N, d₁·d₂·…]: keeps the batch dimension, joins the rest (a view when possible). */
public class Flatten extends Module {
    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() < 1) throw new IllegalArgumentException("Flatten needs a batch dimension, got a scalar");
        return x.reshape(x.size(0), -1);
    }
}
