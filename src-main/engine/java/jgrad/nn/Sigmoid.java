package jgrad.nn;

import jgrad.tensor.Tensor;

/** a = σ(z) = 1/(1 + e⁻ᶻ), elementwise; σ′ = a(1 − a). See jgrad.ops.Elementwise. */
public class Sigmoid extends Module {
    @Override
    public Tensor forward(Tensor z) {
        return z.sigmoid();
    }
}
