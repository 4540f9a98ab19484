package jgrad.models;

import jgrad.nn.Embedding;
import jgrad.nn.LSTM;
import jgrad.nn.Linear;
import jgrad.nn.Module;
import jgrad.nn.Stateful;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;

/**
 * A character-level language model: each character id becomes a vector (Embedding), an LSTM reads
 * the sequence, and a Linear layer scores every character of the vocabulary as the next one, at
 * every position: ids [N, T] → scores [N, T, V].
 *
 * <p>{@link #forward(Tensor, LSTM.State)} carries the LSTM's state from one chunk of text to the
 * next (truncated backpropagation through time: the caller detaches it between chunks, or the
 * Trainer does, through {@link Stateful}) and is what sampling uses, one character at a time.
 */
public final class CharLm extends Module implements Stateful<LSTM.State> {
    public final Embedding embedding;
    public final LSTM lstm;
    public final Linear head;
    private final int vocabulary;

    public CharLm(int vocabulary, int embeddingDim, int hidden, int layers, float dropout, Generator g) {
        this.vocabulary = vocabulary;
        embedding = registerModule("embed", new Embedding(vocabulary, embeddingDim, g));
        lstm = registerModule("lstm", new LSTM(embeddingDim, hidden, layers, true, true, dropout, false, g));
        head = registerModule("fc", new Linear(hidden, vocabulary, true, g));
    }

    /** Scores for the next character at every position, from a zero state. */
    @Override
    public Tensor forward(Tensor ids) {
        return forward(ids, null).scores();
    }

    /** The scores [N, T, V] and the state after the last position. */
    public Output forward(Tensor ids, LSTM.State state) {
        LSTM.Output o = lstm.forward(embedding.forward(ids), state);
        return new Output(head.forward(o.output()), o.state());
    }

    public record Output(Tensor scores, LSTM.State state) {}

    /** {@link #forward(Tensor, LSTM.State)} for truncated backpropagation through time (Trainer.Builder.truncatedBptt). */
    @Override
    public Step<LSTM.State> step(Tensor ids, LSTM.State state) {
        Output o = forward(ids, state);
        return new Step<>(o.scores(), o.state());
    }

    @Override
    public LSTM.State detach(LSTM.State state) {
        return state.detach();
    }

    public int vocabulary() {
        return vocabulary;
    }
}
