package jgrad.nn;

import jgrad.ops.LstmSequence;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;

/**
 * A long short-term memory over whole sequences, as {@code torch.nn.LSTM}: {@link LSTMCell}'s step
 * applied at t = 0 … T−1, in one or more layers, optionally in both directions.
 * <pre>
 *   i, f, g, o = σ, σ, tanh, σ of (W_ih x⁽ᵗ⁾ + b_ih + W_hh h⁽ᵗ⁻¹⁾ + b_hh)      (gate order i, f, g, o)
 *   c⁽ᵗ⁾ = f ⊙ c⁽ᵗ⁻¹⁾ + i ⊙ g        h⁽ᵗ⁾ = o ⊙ tanh(c⁽ᵗ⁾)
 * </pre>
 * The input term of every step is one GEMM; each step is then one GEMM with W_hh and one fused
 * pass of the cell's arithmetic ({@link Recurrent} has the layers and lengths, {@link LstmSequence}
 * the loop over time).
 *
 * <p>Shapes (L layers, D = 2 if bidirectional else 1): input [T, N, I] ([N, T, I] with batchFirst,
 * or [T, I] unbatched) · h₀, c₀, h_n, c_n [L·D, N, H] (batchFirst does not change them; [L·D, H]
 * unbatched) · output [T, N, D·H] ([N, T, D·H] batch-first): the last layer's h⁽ᵗ⁾, the forward
 * direction's then the reverse's. Parameters as PyTorch names them, so a state dict loads key for
 * key: {@code weight_ih_l0} [4H, I], {@code weight_hh_l0} [4H, H], {@code bias_ih_l0},
 * {@code bias_hh_l0} [4H], then {@code …_l0_reverse}, then layer 1 (whose W_ih is [4H, D·H]).
 *
 * <p>Backward: δ flows back through time along h and c (docs/ops/lstm.md derives it). Where every
 * sequence runs all T steps, a layer and direction is one op, {@link LstmSequence}, whose backward
 * is that loop; with lengths, autograd's, through the ops of each step. Saved: the gate activations
 * and cell states of every step.
 *
 * <p>Variable lengths: {@link #forward(Tensor, State, int[])}. Dropout (training only) between
 * layers, with masks drawn from the constructor's generator. Initialisation as PyTorch's: every
 * weight and bias uniform in (−1/√H, 1/√H). Not supported: PyTorch's {@code proj_size}.
 *
 * <p>Checked by: {@code jgrad.nn.TorchParityRnnTest} (outputs, final states and every gradient
 * against PyTorch for 1–2 layers, both directions, batch-first, initial states, lengths; state-dict
 * keys), {@code jgrad.nn.RecurrentLayersTest} (padding changes nothing, dropout, errors).
 *
 * @see <a href="../../../../../docs/ops/lstm.md">docs/ops/lstm.md</a>
 */
public class LSTM extends Recurrent {
    /** h and c, each [L·D, N, H] ([L·D, H] unbatched). */
    public record State(Tensor h, Tensor c) {
        /** The same values cut from the graph (truncated backpropagation through time). */
        public State detach() {
            return new State(h.detach(), c.detach());
        }
    }

    /** The last layer's h at every step, and the final state (h_n, c_n). */
    public record Output(Tensor output, State state) {}

    /** One layer, one direction, with biases, time-major. */
    public LSTM(int inputSize, int hiddenSize, Generator g) {
        this(inputSize, hiddenSize, 1, true, false, 0f, false, g);
    }

    /** As {@code torch.nn.LSTM(input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional)}. */
    public LSTM(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, float dropout,
                boolean bidirectional, Generator g) {
        super(4, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, g);
    }

    /** The output sequence from zero initial states. */
    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null, null).output();
    }

    /** Output and final state from state (null, or a null h or c: zeros). */
    public Output forward(Tensor input, State state) {
        return forward(input, state, null);
    }

    /**
     * The same for a padded batch: sequence n is {@code lengths[n]} steps long (1 … T, any order);
     * its output is 0 past its end and its final state is the one at its own last step.
     */
    public Output forward(Tensor input, State state, int[] lengths) {
        Tensor[] r = run(input, state == null ? null : state.h(), state == null ? null : state.c(), lengths);
        return new Output(r[0], new State(r[1], r[2]));
    }

    @Override
    Tensor[] step(Tensor a, Tensor[] state, Tensor wHh, Tensor bHh) {
        Tensor z = a.add(Linear.Fn.apply(state[0], wHh, null));  // z = (W_ih x⁽ᵗ⁾ + b_ih + b_hh) + W_hh h⁽ᵗ⁻¹⁾: [N, 4H]
        LSTMCell.State next = LSTMCell.gates(z, state[1]);
        return new Tensor[] {next.h(), next.c()};
    }

    /**
     * Every sequence running all T steps: the whole loop as one op ({@link LstmSequence}: forward
     * the same steps as {@link #step}, backward through time in one pass, W_hh's gradient one GEMM).
     */
    @Override
    Tensor[] sequence(Tensor a, Tensor[] state, Tensor wHh, Tensor bHh, int n, boolean reverse) {
        // a is this layer's own projection, read by nothing else: the op overwrites it with the gate activations
        Tensor y = LstmSequence.applyInPlace(a, wHh, state[0], state[1], n, reverse);  // [T + 1, N, H]: h⁽⁰⁾ … h⁽ᵀ⁻¹⁾, then c_n
        int steps = y.size(0) - 1, last = reverse ? 0 : steps - 1;
        return new Tensor[] {y.slice(0, 0, steps), y.slice(0, last, last + 1).squeeze(0), y.slice(0, steps, steps + 1).squeeze(0)};
    }

    @Override
    int stateCount() {
        return 2;
    }
}
