package jgrad.data;

import jgrad.tensor.Tensor;

/**
 * A mini-batch: inputs stacked along a new first dimension [N, ...] and targets [N] (class indices
 * stored as floats, as the losses expect).
 */
public record Batch(Tensor inputs, Tensor targets) {
    public int size() {
        return inputs.size(0);
    }
}
