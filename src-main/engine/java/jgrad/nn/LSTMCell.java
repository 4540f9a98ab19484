package jgrad.nn;

import java.util.List;
import jgrad.tensor.Generator;
import jgrad.ops.RecurrentCells;
import jgrad.tensor.Tensor;

/**
 * One step of a long short-term memory, as {@code torch.nn.LSTMCell}. Besides the hidden state h
 * it carries a cell state c that is changed only by a gated sum, so that what it remembers can
 * travel many steps without being squashed. Four pre-activations, one per gate, in PyTorch's order:
 * <pre>
 *   z = W_ih x + b_ih + W_hh h + b_hh          [4H] = (zᵢ, z_f, z_g, z_o)
 *   i = σ(zᵢ)   f = σ(z_f)   g = tanh(z_g)   o = σ(z_o)      input, forget, candidate, output
 *   c′ = f ⊙ c + i ⊙ g
 *   h′ = o ⊙ tanh(c′)
 * </pre>
 *
 * <p>Shapes: x [N, I] (or [I], unbatched) · h, c, h′, c′ [N, H] (or [H]) · {@code weight_ih} W_ih
 * [4H, I] · {@code weight_hh} W_hh [4H, H] · {@code bias_ih}, {@code bias_hh} [4H]. Row blocks of
 * the weights: rows 0…H−1 feed i, H…2H−1 f, 2H…3H−1 g, 3H…4H−1 o.
 *
 * <p>Local derivatives and backward: in {@link #gatesDefinition}, next to each forward line; the two products
 * then give dW_ih = dZᵀ·X, dW_hh = dZᵀ·H, db = Σₙ dZ, dX = dZ·W_ih, dH = dZ·W_hh, as in
 * {@link RNNCell}. Saved: x and h (the products), i, f, g, o, c, tanh(c′) (σ and tanh save their
 * outputs; the products save their factors).
 *
 * <p>Initialisation as PyTorch's: every weight and bias uniform in (−1/√H, 1/√H).
 *
 * <p>Checked by: {@code jgrad.nn.RecurrentCellsTest} (a step by hand, central differences,
 * {@code gates} alone, errors), {@code jgrad.nn.TorchParityRnnTest} (PyTorch values; swapping two
 * gates fails it).
 *
 * @see <a href="../../../../../docs/ops/lstm.md">docs/ops/lstm.md</a>
 */
public class LSTMCell extends Module {
    /** The state a step reads and writes: h and c, each [N, H] (or [H]). */
    public record State(Tensor h, Tensor c) {
        /** The same values cut from the graph (truncated backpropagation through time). */
        public State detach() {
            return new State(h.detach(), c.detach());
        }
    }

    private final int inputSize, hiddenSize;
    public final Parameter weightIh, weightHh, biasIh, biasHh;  // biases null without bias

    public LSTMCell(int inputSize, int hiddenSize, Generator g) {
        this(inputSize, hiddenSize, true, g);
    }

    public LSTMCell(int inputSize, int hiddenSize, boolean bias, Generator g) {
        Recurrent.checkSizes("LSTMCell", inputSize, hiddenSize);
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        Parameter[] p = Recurrent.registerWeights(this, "", 4, inputSize, hiddenSize, bias, g);
        weightIh = p[0];
        weightHh = p[1];
        biasIh = p[2];
        biasHh = p[3];
    }

    /**
     * The gate arithmetic of one step, for {@code LSTMCell} and {@link LSTM} alike: z [N, 4H] (the
     * summed pre-activations, gates i, f, g, o) and c [N, H] give (h′, c′). One op, forward and
     * backward each a single backend pass ({@link RecurrentCells#lstm}); what it computes, with every
     * derivative, is {@link #gatesDefinition}.
     */
    public static State gates(Tensor z, Tensor c) {
        Tensor both = RecurrentCells.lstm(z, c);  // [N, 2H]: h′ and c′ side by side
        int hidden = both.size(1) / 2;
        return new State(both.slice(1, 0, hidden), both.slice(1, hidden, 2 * hidden));
    }

    /**
     * The definition of {@link #gates}, written with plain tensor ops: the same values, and
     * autograd runs these lines bottom up for the same gradients (a test checks both). Each line's
     * derivative is written beside it, with dH′ and dC′ (the gradient from the next step's c) given.
     */
    public static State gatesDefinition(Tensor z, Tensor c) {        List<Tensor> q = z.chunk(4, 1);  // zᵢ, z_f, z_g, z_o: [N, H] views; backward puts dZᵢ … dZ_o side by side
        Tensor i = q.get(0).sigmoid();  // i = σ(zᵢ)        ∂i/∂zᵢ = i(1 − i)       dZᵢ = dI ⊙ i(1 − i)
        Tensor f = q.get(1).sigmoid();  // f = σ(z_f)       ∂f/∂z_f = f(1 − f)      dZ_f = dF ⊙ f(1 − f)
        Tensor g = q.get(2).tanh();     // g = tanh(z_g)    ∂g/∂z_g = 1 − g²        dZ_g = dG ⊙ (1 − g²)
        Tensor o = q.get(3).sigmoid();  // o = σ(z_o)       ∂o/∂z_o = o(1 − o)      dZ_o = dO ⊙ o(1 − o)
        Tensor cNext = f.mul(c).add(i.mul(g));
        // c′ = f ⊙ c + i ⊙ g           dF = dC′ ⊙ c   dC = dC′ ⊙ f   dI = dC′ ⊙ g   dG = dC′ ⊙ i
        //                              (dC′ here is the total: from the next step and from h′ below)
        Tensor tanhC = cNext.tanh();
        Tensor hNext = o.mul(tanhC);
        // h′ = o ⊙ tanh(c′)            dO = dH′ ⊙ tanh(c′)   dC′ += dH′ ⊙ o ⊙ (1 − tanh²(c′))
        return new State(hNext, cNext);
    }

    /** (h′, c′) for input x and state s (null, or a null h or c: zeros). */
    public State forward(Tensor x, State s) {
        Recurrent.CellInput in = Recurrent.cellInput(this, inputSize, hiddenSize, x,
                s == null ? null : s.h(), s == null ? null : s.c(), true);
        Tensor z = Linear.Fn.apply(in.x(), weightIh, biasIh).add(Linear.Fn.apply(in.h(), weightHh, biasHh));  // [N, 4H]
        State next = gates(z, in.c());
        return new State(in.unbatch(next.h()), in.unbatch(next.c()));
    }

    /** h′ from a zero state. */
    @Override
    public Tensor forward(Tensor x) {
        return forward(x, null).h();
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
