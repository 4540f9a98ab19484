package jgrad.nn;

import jgrad.ops.GruSequence;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;

/**
 * A gated recurrent unit over whole sequences, as {@code torch.nn.GRU}: {@link GRUCell}'s step
 * applied at t = 0 … T−1, in one or more layers, optionally in both directions.
 * <pre>
 *   a = W_ih x⁽ᵗ⁾ + b_ih     b = W_hh h⁽ᵗ⁻¹⁾ + b_hh                       (blocks r, z, n)
 *   r = σ(a_r + b_r)   z = σ(a_z + b_z)   n = tanh(a_n + r ⊙ b_n)
 *   h⁽ᵗ⁾ = (1 − z) ⊙ n + z ⊙ h⁽ᵗ⁻¹⁾
 * </pre>
 * The input term of every step is one GEMM; each step is then one GEMM with W_hh (b_hh included,
 * since r multiplies it) and {@link GRUCell#gates} ({@link Recurrent} has the loop, lengths and layers).
 *
 * <p>Shapes (L layers, D = 2 if bidirectional else 1): input [T, N, I] ([N, T, I] with batchFirst,
 * or [T, I] unbatched) · h₀, h_n [L·D, N, H] ([L·D, H] unbatched) · output [T, N, D·H] ([N, T, D·H]
 * batch-first). Parameters as PyTorch names them: {@code weight_ih_l0} [3H, I], {@code weight_hh_l0}
 * [3H, H], {@code bias_ih_l0}, {@code bias_hh_l0} [3H], {@code …_l0_reverse}, then layer 1.
 *
 * <p>Backward: where every sequence runs all T steps, each layer and direction is one op,
 * {@link GruSequence}, whose backward is backpropagation through time written out; with lengths,
 * autograd's, through the ops of each step (docs/ops/rnn.md). Variable lengths:
 * {@link #forward(Tensor, State, int[])}. Dropout (training only) between layers. Initialisation
 * as PyTorch's: every weight and bias uniform in (−1/√H, 1/√H).
 *
 * <p>Checked by: {@code jgrad.nn.TorchParityRnnTest} (outputs, h_n and every gradient against
 * PyTorch), {@code jgrad.nn.RecurrentLayersTest} (padding, errors).
 *
 * @see <a href="../../../../../docs/ops/rnn.md">docs/ops/rnn.md</a>
 */
public class GRU extends Recurrent {
    /** h, [L·D, N, H] ([L·D, H] unbatched). */
    public record State(Tensor h) {
        /** The same values cut from the graph (truncated backpropagation through time). */
        public State detach() {
            return new State(h.detach());
        }
    }

    /** The last layer's h at every step, and the final state h_n. */
    public record Output(Tensor output, State state) {}

    /** One layer, one direction, with biases, time-major. */
    public GRU(int inputSize, int hiddenSize, Generator g) {
        this(inputSize, hiddenSize, 1, true, false, 0f, false, g);
    }

    /** As {@code torch.nn.GRU(input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional)}. */
    public GRU(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, float dropout,
               boolean bidirectional, Generator g) {
        super(3, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, g);
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
        Tensor b = Linear.Fn.apply(state[0], wHh, bHh);  // b = W_hh h⁽ᵗ⁻¹⁾ + b_hh: [N, 3H]
        return new Tensor[] {GRUCell.gates(a, b, state[0])};
    }

    /** Every sequence running all T steps: the whole loop as one op ({@link GruSequence}). */
    @Override
    Tensor[] sequence(Tensor a, Tensor[] state, Tensor wHh, Tensor bHh, int n, boolean reverse) {
        Tensor y = GruSequence.apply(a, wHh, bHh, state[0], n, reverse);  // [T, N, H]
        int last = reverse ? 0 : y.size(0) - 1;
        return new Tensor[] {y, y.slice(0, last, last + 1).squeeze(0)};
    }

    @Override
    int stateCount() {
        return 1;
    }

    @Override
    boolean hiddenBiasInStep() {
        return true;
    }
}
