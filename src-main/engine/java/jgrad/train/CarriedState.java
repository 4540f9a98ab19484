package jgrad.train;

import jgrad.nn.Module;
import jgrad.nn.Stateful;
import jgrad.tensor.Tensor;

/**
 * Truncated backpropagation through time in the Trainer's loop: the state a {@link Stateful} model
 * ends a batch in starts the next batch, cut from the graph, so that each batch's backward stops at
 * its own first step while its forward still sees everything before it. Zeros at the start of
 * every epoch and of every validation pass. The batches must continue each other, stream by
 * stream (e.g. {@code BatchSampler.streams}), with the same number of streams in every batch.
 */
final class CarriedState {
    private final Stateful<Object> model;
    private Object state, pending;

    @SuppressWarnings("unchecked")
    CarriedState(Module model) {
        if (!(model instanceof Stateful<?>)) {
            throw new IllegalArgumentException("Trainer: truncatedBptt needs a model that carries a state (jgrad.nn.Stateful); "
                    + model.getClass().getSimpleName() + " does not");
        }
        this.model = (Stateful<Object>) model;
    }

    /** Zeros: a new epoch or a validation pass starts its streams from the beginning. */
    void reset() {
        state = null;
        pending = null;
    }

    /** The model's output for this batch from the carried state; the state it ends in waits for {@link #carry}. */
    Tensor forward(Tensor input) {
        Stateful.Step<Object> step = model.step(input, state);
        pending = step.state();
        return step.output();
    }

    /** After the batch's backward: its final state, cut from the graph, starts the next batch. */
    void carry() {
        state = pending == null ? null : model.detach(pending);
        pending = null;
    }
}
