package jgrad.nn;

import jgrad.tensor.Tensor;

/**
 * A network that reads a long sequence in chunks, carrying a state from one chunk to the next (an
 * LSTM's h and c): what truncated backpropagation through time trains. The state is carried as
 * values; {@link #detach} cuts it from the graph, so that a chunk's backward stops at the chunk's
 * start instead of running back through every chunk before it.
 *
 * <pre>{@code
 * S state = null;                                     // zeros
 * for (Batch b : streams) {                           // chunk t of every stream, in order
 *     Stateful.Step<S> s = model.step(b.inputs(), state);
 *     loss.forward(s.output(), b.targets()).backward();  // back to this chunk's start only
 *     optimizer.step();
 *     state = model.detach(s.state());                // carried on, the graph cut
 * }
 * }</pre>
 * {@code Trainer.Builder.truncatedBptt} runs this loop; {@code BatchSampler.streams} gives the
 * chunks in that order.
 *
 * @param <S> the state, e.g. {@link LSTM.State}
 */
public interface Stateful<S> {
    /** The output for input from state (null: the network's zero state), and the state it ends in. */
    Step<S> step(Tensor input, S state);

    /** The same state cut from the graph. */
    S detach(S state);

    /** An output and the state after it. */
    record Step<S>(Tensor output, S state) {}
}
