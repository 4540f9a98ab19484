package jgrad.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jgrad.ops.CatSplit;
import jgrad.ops.Where;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;

/**
 * What {@link RNN}, {@link LSTM} and {@link GRU} share: the parameters of every layer and direction
 * (PyTorch's names and initialisation), the checks, and the loop over layers, directions and time
 * steps. A subclass gives one time step ({@link #step}), built on its cell's arithmetic
 * ({@link RNNCell#activation}, {@link LSTMCell#gates}, {@link GRUCell#gates}). For one layer and
 * one direction, with x⁽ᵗ⁾ the rows of step t:
 * <pre>
 *   A = X·W_ihᵀ + b                    every step's input term at once: one GEMM, [T·N, G·H]
 *   for t = 0 … T−1 (reverse: T−1 … 0):
 *       state ← step(A⁽ᵗ⁾, state)       one GEMM with W_hh, then the cell's arithmetic
 *   output = (h⁽⁰⁾, …, h⁽ᵀ⁻¹⁾) stacked  [T, N, H]; bidirectional: both directions side by side
 * </pre>
 * b is b_ih + b_hh where the cell only ever adds the two (RNN, LSTM), b_ih alone for GRU (whose
 * b_hh sits inside the reset gate's product). Layer l + 1 reads layer l's output, through dropout
 * in training. Backward is autograd's through these ops: δ flows back through time along the
 * state (docs/ops/rnn.md).
 *
 * <p><b>Variable lengths</b> (PyTorch's {@code pack_padded_sequence(enforce_sorted=False)}): with
 * {@code lengths[n]} given, the steps t ≥ lengths[n] of sequence n are padding. The input there is
 * replaced by 0 (so padding may hold anything, NaN included), and a mask keep⁽ᵗ⁾ [N, 1] makes each
 * padded step keep its state and output 0: state ← where(keep, new, old), output⁽ᵗ⁾ = where(keep,
 * h, 0). So h_n is each sequence's state at its own last step; the reverse direction starts at each
 * sequence's own last step (from h₀, kept unchanged through the padding); and where's backward sends
 * nothing into a padded step, so padding changes no gradient. Steps past the longest sequence are
 * not computed at all.
 */
abstract class Recurrent extends Module {
    private final int inputSize, hiddenSize, numLayers;
    private final boolean bias, batchFirst, bidirectional;
    private final float dropout;
    private final Dropout between;  // null: no dropout between layers
    private final Parameter[][] weights;  // [layer · directions + direction] = {W_ih, W_hh, b_ih, b_hh}

    Recurrent(int gateCount, int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst,
              float dropout, boolean bidirectional, Generator g) {
        String name = getClass().getSimpleName();
        checkSizes(name, inputSize, hiddenSize);
        if (numLayers < 1) throw new IllegalArgumentException(name + ": numLayers must be at least 1, got " + numLayers);
        if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException(name + ": dropout must be in [0, 1), got " + dropout);
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.numLayers = numLayers;
        this.bias = bias;
        this.batchFirst = batchFirst;
        this.dropout = dropout;
        this.bidirectional = bidirectional;
        int dirs = directions();
        weights = new Parameter[numLayers * dirs][];
        for (int l = 0; l < numLayers; l++) {
            for (int d = 0; d < dirs; d++) {
                String suffix = "_l" + l + (d == 1 ? "_reverse" : "");
                weights[l * dirs + d] = registerWeights(this, suffix, gateCount, l == 0 ? inputSize : dirs * hiddenSize, hiddenSize, bias, g);
            }
        }
        // drawn from in training only, and reseeded per epoch by the Trainer
        between = dropout > 0 && numLayers > 1 ? new Dropout(dropout, registerGenerator(g)) : null;
    }

    /**
     * One time step of one layer and direction: a = W_ih x⁽ᵗ⁾ + b [N, G·H] (already computed for
     * every step), the state (h, and c for an LSTM) [N, H] each, W_hh, and b_hh when the cell needs
     * it apart (GRU; else null). Returns the new state, h first.
     */
    abstract Tensor[] step(Tensor a, Tensor[] state, Tensor wHh, Tensor bHh);

    /**
     * A whole layer and direction at once, where the subclass has such an op and every sequence
     * runs all T steps: a = X·W_ihᵀ + b [T·N, G·H], state as {@link #step}'s but null where zero,
     * W_hh and b_hh as for {@link #step}. Returns {output [T, N, H], final state...}, or null to run
     * {@link #step} T times instead.
     */
    Tensor[] sequence(Tensor a, Tensor[] state, Tensor wHh, Tensor bHh, int n, boolean reverse) {
        return null;
    }

    /** 1 (h) or 2 (h and c). */
    abstract int stateCount();

    /** Whether b_hh is added inside {@link #step} (GRU) rather than folded into the input term. */
    boolean hiddenBiasInStep() {
        return false;
    }

    /**
     * The whole computation: input [T, N, I] ([N, T, I] batch-first, or [T, I] unbatched), initial
     * states [L·D, N, H] or null (zeros), lengths or null; returns {output, h_n} or {output, h_n, c_n}.
     */
    final Tensor[] run(Tensor input, Tensor h0, Tensor c0, int[] lengths) {
        checkInput(input);
        boolean unbatched = input.dim() == 2;
        Tensor x = unbatched ? input.unsqueeze(1) : batchFirst ? input.transpose(0, 1).contiguous() : input;  // [T, N, I]
        int T = x.size(0), N = x.size(1), dirs = directions();
        Tensor[] initial = {checkState("h0", h0, N, unbatched), stateCount() == 2 ? checkState("c0", c0, N, unbatched) : null};
        Padding padding = Padding.of(describe(), lengths, T, N, x.device());
        if (padding != null) x = Where.where(padding.inputKeep(), x, Tensor.zeros(x.device()));  // padding may hold anything
        List<List<Tensor>> finals = new ArrayList<>();  // [state part][layer · dirs + direction]
        for (int i = 0; i < stateCount(); i++) finals.add(new ArrayList<>());
        for (int l = 0; l < numLayers; l++) {
            if (l > 0 && between != null && isTraining()) x = between.forward(x);
            List<Tensor> outputs = new ArrayList<>(dirs);
            for (int d = 0; d < dirs; d++) {
                int k = l * dirs + d;
                Tensor[] state = new Tensor[stateCount()];
                for (int i = 0; i < state.length; i++) {
                    state[i] = initial[i] == null ? null : initial[i].slice(0, k, k + 1).squeeze(0);  // null: zeros
                }
                Tensor[] result = direction(x, weights[k], d == 1, state, padding);
                outputs.add(result[0]);
                for (int i = 0; i < state.length; i++) finals.get(i).add(result[i + 1]);
            }
            x = dirs == 1 ? outputs.get(0) : CatSplit.cat(outputs, 2);  // [T, N, D·H]
        }
        Tensor[] out = new Tensor[1 + stateCount()];
        out[0] = unbatched ? x.squeeze(1) : batchFirst ? x.transpose(0, 1).contiguous() : x;
        for (int i = 0; i < stateCount(); i++) {
            Tensor s = CatSplit.stack(finals.get(i), 0);  // [L·D, N, H]
            out[i + 1] = unbatched ? s.squeeze(1) : s;
        }
        return out;
    }

    /**
     * One layer, one direction over x [T, N, F], from state (null entries: zeros): returns
     * {output [T, N, H], final state...}.
     */
    private Tensor[] direction(Tensor x, Parameter[] p, boolean reverse, Tensor[] state, Padding padding) {
        int T = x.size(0), N = x.size(1);
        Tensor b = p[2] == null ? null : hiddenBiasInStep() ? p[2] : p[2].add(p[3]);
        Tensor a = Linear.Fn.apply(x.reshape(T * N, x.size(2)), p[0], b);  // A = X·W_ihᵀ + b: [T·N, G·H], one GEMM
        Tensor bHh = hiddenBiasInStep() ? p[3] : null;
        if (padding == null) {
            Tensor[] whole = sequence(a, state, p[1], bHh, N, reverse);
            if (whole != null) return whole;
        }
        for (int i = 0; i < state.length; i++) if (state[i] == null) state[i] = Tensor.zeros(x.device(), N, hiddenSize);
        List<Tensor> aSteps = timeSteps(a, N);  // A⁽ᵗ⁾: [N, G·H] views, t = 0 … T−1
        Tensor[] h = new Tensor[T];
        int steps = padding == null ? T : padding.longest();
        for (int k = 0; k < steps; k++) {
            int t = reverse ? steps - 1 - k : k;
            Tensor[] next = step(aSteps.get(t), state, p[1], bHh);
            Tensor keep = padding == null ? null : padding.keep()[t];
            if (keep == null) {
                h[t] = next[0];
            } else {  // rows past their sequence's end: the state stays, the output is 0
                h[t] = Where.where(keep, next[0], Tensor.zeros(x.device()));
                for (int i = 0; i < next.length; i++) next[i] = Where.where(keep, next[i], state[i]);
            }
            state = next;
        }
        for (int t = steps; t < T; t++) h[t] = Tensor.zeros(x.device(), N, hiddenSize);
        Tensor[] out = new Tensor[1 + state.length];
        out[0] = CatSplit.stack(Arrays.asList(h), 0);
        System.arraycopy(state, 0, out, 1, state.length);
        return out;
    }

    /**
     * A [T·N, F] cut into its T row blocks A⁽ᵗ⁾ [N, F] (views), by halves. A slice's backward writes
     * a zero gradient the size of what it was cut from, so T blocks cut straight from A would cost
     * T gradients of A's full size in backward, O(T²) (measured: backward 4× slower at T = 100);
     * cutting by halves costs log₂T of them. (An unbind op, whose backward is one stack, would
     * cost one.)
     */
    static List<Tensor> timeSteps(Tensor a, int n) {
        int steps = a.size(0) / n;
        if (steps == 1) return List.of(a);
        int half = steps / 2;
        List<Tensor> out = new ArrayList<>(timeSteps(a.slice(0, 0, half * n), n));
        out.addAll(timeSteps(a.slice(0, half * n, steps * n), n));
        return out;
    }

    /**
     * The masks of a batch of sequences of different lengths: keep[t] [N, 1] (null where every
     * sequence still runs), inputKeep [T, N, 1]. {@link #of} returns null when all fill T.
     */
    private record Padding(int longest, Tensor[] keep, Tensor inputKeep) {
        static Padding of(String layer, int[] lengths, int T, int N, jgrad.tensor.Device device) {
            if (lengths == null) return null;
            if (lengths.length != N) {
                throw new IllegalArgumentException(layer + ": " + lengths.length + " lengths " + Arrays.toString(lengths)
                        + " for a batch of " + N + " sequences");
            }
            int longest = 0, shortest = T;
            for (int n = 0; n < N; n++) {
                if (lengths[n] <= 0 || lengths[n] > T) {
                    throw new IllegalArgumentException(layer + ": length " + lengths[n] + " of sequence " + n + " in "
                            + Arrays.toString(lengths) + " must be in 1 … " + T + " (the input has " + T + " steps)");
                }
                longest = Math.max(longest, lengths[n]);
                shortest = Math.min(shortest, lengths[n]);
            }
            if (shortest == T) return null;
            Tensor[] keep = new Tensor[T];
            float[] all = new float[T * N];
            for (int t = 0; t < T; t++) {
                float[] row = new float[N];
                for (int n = 0; n < N; n++) row[n] = all[t * N + n] = t < lengths[n] ? 1 : 0;
                if (t >= shortest) keep[t] = Tensor.of(device, row, N, 1);
            }
            return new Padding(longest, keep, Tensor.of(device, all, T, N, 1));
        }
    }

    // ---- checks -------------------------------------------------------------------------------

    private void checkInput(Tensor input) {
        boolean rankOk = input.dim() == 3 || input.dim() == 2;
        if (!rankOk || input.size(-1) != inputSize || input.numel() == 0) {
            String batched = batchFirst ? "[N, T, " + inputSize + "]" : "[T, N, " + inputSize + "]";
            throw new IllegalArgumentException(describe() + ": input of shape " + Arrays.toString(input.shape()) + " must be "
                    + batched + " (or [T, " + inputSize + "] unbatched), with at least one step");
        }
    }

    /** A state [L·D, N, H] ([L·D, H] for an unbatched input), as [L·D, N, H]; null stays null. */
    private Tensor checkState(String name, Tensor s, int N, boolean unbatched) {
        if (s == null) return null;
        int layers = numLayers * directions();
        int[] want = unbatched ? new int[] {layers, hiddenSize} : new int[] {layers, N, hiddenSize};
        if (!Arrays.equals(s.shape(), want)) {
            throw new IllegalArgumentException(describe() + ": " + name + " of shape " + Arrays.toString(s.shape()) + " must be "
                    + Arrays.toString(want) + " (num_layers·directions, " + (unbatched ? "" : "N, ") + "hidden_size)");
        }
        return unbatched ? s.unsqueeze(1) : s;
    }

    static void checkSizes(String layer, int inputSize, int hiddenSize) {
        if (inputSize <= 0 || hiddenSize <= 0) {
            throw new IllegalArgumentException(layer + "(" + inputSize + ", " + hiddenSize + "): sizes must be positive");
        }
    }

    /** The layer's name and settings, as printed, for error messages: {@code LSTM(4, 3, num_layers=2)}. */
    String describe() {
        return getClass().getSimpleName() + "(" + extraRepr() + ")";
    }

    // ---- parameters, shared with the cells ----------------------------------------------------

    /** Registers weight_ih, weight_hh, bias_ih, bias_hh (+ suffix) on m, uniform in (−1/√H, 1/√H). */
    static Parameter[] registerWeights(Module m, String suffix, int gateCount, int in, int hidden, boolean bias, Generator g) {
        float bound = (float) (1 / Math.sqrt(hidden));
        int rows = gateCount * hidden;
        Parameter wIh = m.registerParameter("weight_ih" + suffix, new Parameter(uniform(g, bound, rows, in)));
        Parameter wHh = m.registerParameter("weight_hh" + suffix, new Parameter(uniform(g, bound, rows, hidden)));
        Parameter bIh = bias ? m.registerParameter("bias_ih" + suffix, new Parameter(uniform(g, bound, rows))) : null;
        Parameter bHh = bias ? m.registerParameter("bias_hh" + suffix, new Parameter(uniform(g, bound, rows))) : null;
        return new Parameter[] {wIh, wHh, bIh, bHh};
    }

    private static Tensor uniform(Generator g, float bound, int... shape) {
        return Tensor.rand(g, shape).mul(2 * bound).sub(bound);
    }

    /** A cell's input x and state h (and c), made [N, ·] (zeros where null); unbatch undoes it. */
    record CellInput(Tensor x, Tensor h, Tensor c, boolean unbatched) {
        Tensor unbatch(Tensor t) {
            return unbatched ? t.squeeze(0) : t;
        }
    }

    static CellInput cellInput(Module cell, int inputSize, int hiddenSize, Tensor x, Tensor h, Tensor c, boolean withC) {
        String name = cell.getClass().getSimpleName() + "(" + cell.extraRepr() + ")";
        if (x.dim() < 1 || x.dim() > 2 || x.size(-1) != inputSize) {
            throw new IllegalArgumentException(name + ": input of shape " + Arrays.toString(x.shape()) + " must be [N, "
                    + inputSize + "] or [" + inputSize + "]");
        }
        boolean unbatched = x.dim() == 1;
        Tensor xb = unbatched ? x.unsqueeze(0) : x;
        int N = xb.size(0);
        return new CellInput(xb, cellState(name, "h", h, N, hiddenSize, x),
                withC ? cellState(name, "c", c, N, hiddenSize, x) : null, unbatched);
    }

    private static Tensor cellState(String cell, String name, Tensor s, int N, int hidden, Tensor x) {
        if (s == null) return Tensor.zeros(x.device(), N, hidden);
        boolean unbatched = x.dim() == 1;
        int[] want = unbatched ? new int[] {hidden} : new int[] {N, hidden};
        if (!Arrays.equals(s.shape(), want)) {
            throw new IllegalArgumentException(cell + ": " + name + " of shape " + Arrays.toString(s.shape()) + " must be "
                    + Arrays.toString(want) + " for an input of shape " + Arrays.toString(x.shape()));
        }
        return unbatched ? s.unsqueeze(0) : s;
    }

    // ---- settings -----------------------------------------------------------------------------

    int directions() {
        return bidirectional ? 2 : 1;
    }

    public int inputSize() {
        return inputSize;
    }

    public int hiddenSize() {
        return hiddenSize;
    }

    public int numLayers() {
        return numLayers;
    }

    public boolean isBidirectional() {
        return bidirectional;
    }

    public boolean isBatchFirst() {
        return batchFirst;
    }

    /** Extra settings of a subclass for the printout, e.g. {@code ", nonlinearity=relu"}. */
    String extraSettings() {
        return "";
    }

    @Override
    protected String extraRepr() {
        return inputSize + ", " + hiddenSize + (numLayers != 1 ? ", num_layers=" + numLayers : "") + extraSettings()
                + (bias ? "" : ", bias=False") + (batchFirst ? ", batch_first=True" : "")
                + (dropout != 0 ? ", dropout=" + dropout : "") + (bidirectional ? ", bidirectional=True" : "");
    }
}
