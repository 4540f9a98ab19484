package jgrad.nn;

import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;

/**
 * Dropout, as {@code torch.nn.Dropout}: in training, each element is zeroed with probability p and
 * the survivors are scaled by 1/(1 − p), so the expected value is unchanged; in evaluation it does
 * nothing. y = x ⊙ m with m = [u ≥ p]/(1 − p), so ∂y/∂x = m (the mask is a constant for autograd).
 * The mask comes from a seeded {@link Generator}: the same seed drops the same units.
 */
public class Dropout extends Module {
    private final float p;
    private final Generator generator;

    public Dropout(float p) {
        this(p, Generator.global());
    }

    public Dropout(float p, Generator generator) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("Dropout probability must be in [0, 1), got " + p);
        this.p = p;
        this.generator = registerGenerator(generator);  // reseeded per epoch by the Trainer
    }

    /** The generator of the masks, e.g. to reseed it per epoch. */
    public Generator generator() {
        return generator;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (!isTraining() || p == 0) return x;
        float[] mask = new float[x.numel()];
        float keep = 1f / (1 - p);
        for (int i = 0; i < mask.length; i++) mask[i] = generator.nextFloat() >= p ? keep : 0f;
        return x.mul(Tensor.of(x.device(), mask, x.shape()));
    }

    @Override
    protected String extraRepr() {
        return "p=" + p;
    }
}
