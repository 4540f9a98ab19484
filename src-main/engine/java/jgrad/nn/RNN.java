package jgrad.nn;

import java.util.Objects;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;

/**
 * An Elman recurrent network over whole sequences, as {@code torch.nn.RNN}: {@link RNNCell}'s step
 * applied at t = 0 … T−1, in one or more layers, optionally in both directions.
 * <pre>  h⁽ᵗ⁾ = tanh(W_ih x⁽ᵗ⁾ + b_ih + W_hh h⁽ᵗ⁻¹⁾ + b_hh)        (or ReLU) </pre>
 * The input term of every step is one GEMM; each step is then one GEMM with W_hh and
 * {@link RNNCell#activation} ({@link Recurrent} has the loop, lengths and layers).
 *
 * <p>Shapes (L layers, D = 2 if bidirectional else 1): input [T, N, I] ([N, T, I] with batchFirst,
 * or [T, I] unbatched) · h₀, h_n [L·D, N, H] ([L·D, H] unbatched) · output [T, N, D·H] ([N, T, D·H]
 * batch-first). Parameters as PyTorch names them: {@code weight_ih_l0} [H, I], {@code weight_hh_l0}
 * [H, H], {@code bias_ih_l0}, {@code bias_hh_l0} [H], {@code …_l0_reverse}, then layer 1.
 *
 * <p>Backward: autograd's, through the ops of each step: δ⁽ᵗ⁾ = (dH⁽ᵗ⁾ + δ⁽ᵗ⁺¹⁾·W_hh) ⊙ (1 − h⁽ᵗ⁾²)
 * (docs/ops/rnn.md derives it, with why it vanishes or explodes). Variable lengths:
 * {@link #forward(Tensor, State, int[])}. Dropout (training only) between layers. Initialisation
 * as PyTorch's: every weight and bias uniform in (−1/√H, 1/√H).
 *
 * <p>Checked by: {@code jgrad.nn.TorchParityRnnTest} (outputs, h_n and every gradient against
 * PyTorch, tanh and ReLU), {@code jgrad.nn.RecurrentLayersTest} (padding, errors).
 *
 * @see <a href="../../../../../docs/ops/rnn.md">docs/ops/rnn.md</a>
 */
public class RNN extends Recurrent {
    /** h, [L·D, N, H] ([L·D, H] unbatched). */
    public record State(Tensor h) {
        /** The same values cut from the graph (truncated backpropagation through time). */
        public State detach() {
            return new State(h.detach());
        }
    }

    /** The last layer's h at every step, and the final state h_n. */
    public record Output(Tensor output, State state) {}

    private final RNNCell.Nonlinearity nonlinearity;

    /** One tanh layer, one direction, with biases, time-major. */
    public RNN(int inputSize, int hiddenSize, Generator g) {
        this(inputSize, hiddenSize, 1, RNNCell.Nonlinearity.TANH, true, false, 0f, false, g);
    }

    /**
     * As {@code torch.nn.RNN(input_size, hidden_size, num_layers, nonlinearity, bias, batch_first,
     * dropout, bidirectional)}.
     */
    public RNN(int inputSize, int hiddenSize, int numLayers, RNNCell.Nonlinearity nonlinearity, boolean bias,
               boolean batchFirst, float dropout, boolean bidirectional, Generator g) {
        super(1, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, g);
        this.nonlinearity = Objects.requireNonNull(nonlinearity, "nonlinearity");
    }

    /** The output sequence from a zero initial state. */
    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null, null).output();
    }

    /** Output and final state from state (null: zeros). */
    public Output forward(Tensor input, State state) {
        return forward(input, state, null);
    }

    /**
     * The same for a padded batch: sequence n is {@code lengths[n]} steps long (1 … T, any order);
     * its output is 0 past its end and its final state is the one at its own last step.
     */
    public Output forward(Tensor input, State state, int[] lengths) {
        Tensor[] r = run(input, state == null ? null : state.h(), null, lengths);
        return new Output(r[0], new State(r[1]));
    }

    @Override
    Tensor[] step(Tensor a, Tensor[] state, Tensor wHh, Tensor bHh) {
        Tensor z = a.add(Linear.Fn.apply(state[0], wHh, null));  // z = (W_ih x⁽ᵗ⁾ + b_ih + b_hh) + W_hh h⁽ᵗ⁻¹⁾: [N, H]
        return new Tensor[] {RNNCell.activation(z, nonlinearity)};
    }

    @Override
    int stateCount() {
        return 1;
    }

    @Override
    String extraSettings() {
        return nonlinearity == RNNCell.Nonlinearity.RELU ? ", nonlinearity=relu" : "";
    }
}
