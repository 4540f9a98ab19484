package jgrad.nn;

import java.util.List;
import jgrad.tensor.Generator;
import jgrad.ops.RecurrentCells;
import jgrad.tensor.Tensor;

/**
 * One step of a gated recurrent unit, as {@code torch.nn.GRUCell}: a reset gate r decides how much
 * of the old state the candidate n sees, an update gate z how much of the old state is kept.
 * Three blocks of pre-activations in PyTorch's order r, z, n, kept apart for the input (a = W_ih x
 * + b_ih) and the state (b = W_hh h + b_hh), because r multiplies the state's part of n <em>after</em>
 * the product, as PyTorch does (the original paper puts r before W_hn):
 * <pre>
 *   r = σ(a_r + b_r)
 *   z = σ(a_z + b_z)
 *   n = tanh(a_n + r ⊙ b_n)           b_n = W_hn h + b_hn
 *   h′ = (1 − z) ⊙ n + z ⊙ h
 * </pre>
 *
 * <p>Shapes: x [N, I] (or [I], unbatched) · h, h′ [N, H] (or [H]) · {@code weight_ih} W_ih [3H, I] ·
 * {@code weight_hh} W_hh [3H, H] · {@code bias_ih}, {@code bias_hh} [3H]. Row blocks: r, z, n.
 *
 * <p>Local derivatives and backward: in {@link #gatesDefinition}, beside each line; the products then give
 * dW_ih = dAᵀ·X, dW_hh = dBᵀ·H, db_ih = Σₙ dA, db_hh = Σₙ dB, dX = dA·W_ih, and dH = dB·W_hh plus
 * z ⊙ dH′ (h also enters h′ directly). Saved: x and h (the products), r, z, n, b_n and h − n.
 *
 * <p>Initialisation as PyTorch's: every weight and bias uniform in (−1/√H, 1/√H).
 *
 * <p>Checked by: {@code jgrad.nn.RecurrentCellsTest} (a step by hand, central differences, errors),
 * {@code jgrad.nn.TorchParityRnnTest} (PyTorch values, which put r after the product).
 *
 * @see <a href="../../../../../docs/ops/rnn.md">docs/ops/rnn.md</a>
 */
public class GRUCell extends Module {
    private final int inputSize, hiddenSize;
    public final Parameter weightIh, weightHh, biasIh, biasHh;  // biases null without bias

    public GRUCell(int inputSize, int hiddenSize, Generator g) {
        this(inputSize, hiddenSize, true, g);
    }

    public GRUCell(int inputSize, int hiddenSize, boolean bias, Generator g) {
        Recurrent.checkSizes("GRUCell", inputSize, hiddenSize);
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        Parameter[] p = Recurrent.registerWeights(this, "", 3, inputSize, hiddenSize, bias, g);
        weightIh = p[0];
        weightHh = p[1];
        biasIh = p[2];
        biasHh = p[3];
    }

    /**
     * The gate arithmetic of one step, for {@code GRUCell} and {@link GRU} alike: a = x·W_ihᵀ + b_ih
     * and b = h·W_hhᵀ + b_hh, each [N, 3H] (gates r, z, n), and h [N, H] give h′. One op, forward and
     * backward each a single backend pass ({@link RecurrentCells#gru}); what it computes, with every
     * derivative, is {@link #gatesDefinition}.
     */
    public static Tensor gates(Tensor a, Tensor b, Tensor h) {
        return RecurrentCells.gru(a, b, h);
    }

    /**
     * The definition of {@link #gates}, written with plain tensor ops (a test checks the two agree,
     * values and gradients): a = W_ih x + b_ih and b = W_hh h + b_hh, both [N, 3H] in the order
     * r, z, n, and the state h [N, H] give h′ [N, H]. Backward runs the lines bottom up.
     */
    public static Tensor gatesDefinition(Tensor a, Tensor b, Tensor h) {
        List<Tensor> ax = a.chunk(3, 1), bh = b.chunk(3, 1);  // [N, H] views each
        Tensor r = ax.get(0).add(bh.get(0)).sigmoid();
        // r = σ(a_r + b_r)            dA_r = dB_r = dR ⊙ r(1 − r)
        Tensor z = ax.get(1).add(bh.get(1)).sigmoid();
        // z = σ(a_z + b_z)            dA_z = dB_z = dZ ⊙ z(1 − z)
        Tensor n = ax.get(2).add(r.mul(bh.get(2))).tanh();
        // n = tanh(a_n + r ⊙ b_n)     with dS = dN ⊙ (1 − n²):  dA_n = dS   dR = dS ⊙ b_n   dB_n = dS ⊙ r
        return n.add(z.mul(h.sub(n)));
        // h′ = n + z ⊙ (h − n)        (= (1 − z) ⊙ n + z ⊙ h)   dN = dH′ ⊙ (1 − z)   dZ = dH′ ⊙ (h − n)   dH = dH′ ⊙ z
    }

    /** h′ for input x and state h (null: zeros). */
    public Tensor forward(Tensor x, Tensor h) {
        Recurrent.CellInput in = Recurrent.cellInput(this, inputSize, hiddenSize, x, h, null, false);
        Tensor a = Linear.Fn.apply(in.x(), weightIh, biasIh);  // [N, 3H]
        Tensor b = Linear.Fn.apply(in.h(), weightHh, biasHh);  // [N, 3H]
        return in.unbatch(gates(a, b, in.h()));
    }

    /** h′ from a zero state. */
    @Override
    public Tensor forward(Tensor x) {
        return forward(x, null);
    }

    public int inputSize() {
        return inputSize;
    }

    public int hiddenSize() {
        return hiddenSize;
    }

    @Override
    protected String extraRepr() {
        return inputSize + ", " + hiddenSize + (biasIh == null ? ", bias=False" : "");
    }
}
