package jgrad.data;

/**
 * The order in which a {@link DataLoader} visits a dataset's samples, as {@code torch.utils.data.Sampler}:
 * each call of {@link #order()} is one epoch (a random sampler draws a new order each time, from its
 * seeded generator).
 */
public interface Sampler {
    /** The sample indices of the next epoch, in order. */
    int[] order();

    /** How many indices an epoch has. */
    int size();

    /** The generator a random sampler draws from (null for a fixed order), e.g. to reseed it per epoch. */
    default jgrad.tensor.Generator generator() {
        return null;
    }
}
