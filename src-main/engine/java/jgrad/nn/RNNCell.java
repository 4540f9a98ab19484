package jgrad.nn;

import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;

/**
 * One step of an Elman recurrent network, as {@code torch.nn.RNNCell}: the new hidden state mixes
 * the input with the previous state and squashes the sum.
 * <pre>  h′ = tanh(W_ih x + b_ih + W_hh h + b_hh)        (or ReLU) </pre>
 * With examples as rows (docs/notation.md): H′ = tanh(X·W_ihᵀ + b_ih + H·W_hhᵀ + b_hh).
 *
 * <p>Shapes: x [N, I] (or [I], unbatched) · h, h′ [N, H] (or [H]) · {@code weight_ih} W_ih [H, I] ·
 * {@code weight_hh} W_hh [H, H] · {@code bias_ih}, {@code bias_hh} [H].
 *
 * <p>Local derivatives, with z the sum inside: ∂h′/∂z = 1 − h′² (tanh) or [z &gt; 0] (ReLU);
 * ∂z/∂W_ih = x, ∂z/∂W_hh = h, ∂z/∂x = W_ih, ∂z/∂h = W_hh, ∂z/∂b = 1. Backward, per step:
 * <pre>
 *   dZ = dH′ ⊙ (1 − h′²)                       ({@link #activation})
 *   dW_ih = dZᵀ·X    dW_hh = dZᵀ·H    db_ih = db_hh = Σₙ dZ
 *   dX = dZ·W_ih     dH = dZ·W_hh              (dH flows to the previous step: docs/ops/rnn.md)
 * </pre>
 * Saved: x and h (by the two {@link Linear} ops), h′ (by tanh, whose derivative needs only its output).
 *
 * <p>Initialisation as PyTorch's: every weight and bias uniform in (−1/√H, 1/√H).
 *
 * <p>Checked by: {@code jgrad.nn.RecurrentCellsTest} (a step by hand, central differences with tanh
 * and ReLU, errors), {@code jgrad.nn.TorchParityRnnTest} (PyTorch values).
 *
 * @see <a href="../../../../../docs/ops/rnn.md">docs/ops/rnn.md</a>
 */
public class RNNCell extends Module {
    /** The squashing function, PyTorch's {@code nonlinearity='tanh'} or {@code 'relu'}. */
    public enum Nonlinearity { TANH, RELU }

    private final int inputSize, hiddenSize;
    private final Nonlinearity nonlinearity;
    public final Parameter weightIh, weightHh, biasIh, biasHh;  // biases null without bias

    /** A tanh cell with biases. */
    public RNNCell(int inputSize, int hiddenSize, Generator g) {
        this(inputSize, hiddenSize, true, Nonlinearity.TANH, g);
    }

    public RNNCell(int inputSize, int hiddenSize, boolean bias, Nonlinearity nonlinearity, Generator g) {
        Recurrent.checkSizes("RNNCell", inputSize, hiddenSize);
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.nonlinearity = java.util.Objects.requireNonNull(nonlinearity, "nonlinearity");
        Parameter[] p = Recurrent.registerWeights(this, "", 1, inputSize, hiddenSize, bias, g);
        weightIh = p[0];
        weightHh = p[1];
        biasIh = p[2];
        biasHh = p[3];
    }

    /**
     * The cell's arithmetic after the two products, for a step of {@code RNNCell} and of {@link RNN}
     * alike (one place to swap in a fused primitive): h′ = f(z), z [N, H] the summed pre-activation.
     */
    public static Tensor activation(Tensor z, Nonlinearity nonlinearity) {
        return switch (nonlinearity) {
            case TANH -> z.tanh();  // h′ = tanh(z)       ∂h′/∂z = 1 − h′²    dZ = dH′ ⊙ (1 − h′²)
            case RELU -> z.relu();  // h′ = max(0, z)     ∂h′/∂z = [z > 0]    dZ = dH′ ⊙ [h′ > 0]
        };
    }

    /** h′ for input x and state h (null: zeros). */
    public Tensor forward(Tensor x, Tensor h) {
        Recurrent.CellInput in = Recurrent.cellInput(this, inputSize, hiddenSize, x, h, null, false);
        Tensor z = Linear.Fn.apply(in.x(), weightIh, biasIh).add(Linear.Fn.apply(in.h(), weightHh, biasHh));  // [N, H]
        return in.unbatch(activation(z, nonlinearity));
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
        return inputSize + ", " + hiddenSize + (biasIh == null ? ", bias=False" : "")
                + (nonlinearity == Nonlinearity.RELU ? ", nonlinearity=relu" : "");
    }
}
