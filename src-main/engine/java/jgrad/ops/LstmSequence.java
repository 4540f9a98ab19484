package jgrad.ops;

import jgrad.autograd.Function;
import jgrad.backend.Layout;
import jgrad.tensor.Kernels;
import jgrad.tensor.MatMulKernels;
import jgrad.tensor.RecurrentKernels;
import jgrad.tensor.Tensor;

/**
 * One LSTM layer's loop over time, in one direction, as one op: forward runs every step, backward
 * runs backpropagation through time in one pass. The same arithmetic as T steps of
 * {@code h·W_hhᵀ}, an add and {@link RecurrentCells#lstm} (the way {@code LSTMCell} and the padded
 * path of {@code LSTM} go), without T·6 graph nodes, the copies that cut each step's h and c out of
 * one output, or a weight gradient per step: W_hh's gradient is one GEMM over all steps.
 * <pre>
 *   forward, for t = 0 … T−1 (reverse: T−1 … 0), with h⁽⁻¹⁾ = h₀ and c⁽⁻¹⁾ = c₀:
 *     z⁽ᵗ⁾ = a⁽ᵗ⁾ + h⁽ᵗ⁻¹⁾·W_hhᵀ                          one GEMM      [N, 4H]
 *     h⁽ᵗ⁾, c⁽ᵗ⁾ = cell(z⁽ᵗ⁾, c⁽ᵗ⁻¹⁾)                      one fused pass (Backend.lstmCell)
 *   backward, for t = T−1 … 0, from δh⁽ᵗ⁾ = ∂C/∂h⁽ᵗ⁾ given (the output's gradient) and δc = ∂C/∂c_n:
 *     δh = ∂C/∂h⁽ᵗ⁾ + δz⁽ᵗ⁺¹⁾·W_hh                        h⁽ᵗ⁾ fed step t+1 through W_hh: one GEMM
 *     δz⁽ᵗ⁾, δc⁽ᵗ⁻¹⁾ = cell′(δh, δc⁽ᵗ⁾)                     one fused pass (Backend.lstmCellBackward)
 *   then, once:  ∂C/∂a = δz (all steps)    ∂C/∂W_hh = Σₜ δz⁽ᵗ⁾ᵀ·h⁽ᵗ⁻¹⁾ (one GEMM, k = T·N)
 *                ∂C/∂h₀ = δz⁽⁰⁾·W_hh       ∂C/∂c₀ = δc⁽⁻¹⁾
 * </pre>
 * (In reverse, "t−1" is t+1: the step before in the order the loop runs.) The cell and its
 * derivative are written out line by line in {@code LSTMCell.gatesDefinition}; docs/ops/lstm.md
 * derives them and the loop above.
 *
 * <p>Shapes: a [T·N, 4H], every step's input term x⁽ᵗ⁾·W_ihᵀ + b_ih + b_hh, time-major (rows
 * t·N … t·N + N − 1); W_hh [4H, H]; h₀, c₀ [N, H] or null (zeros). Output [T + 1, N, H]: rows
 * 0 … T−1 are h⁽ᵗ⁾ in time order, row T is the final cell state (c⁽ᵀ⁻¹⁾, or c⁽⁰⁾ in reverse); the
 * layer takes output, h_n and c_n as views. Saved for backward: the gate activations [T, N, 4H]
 * and the cell states [T, N, H] (what T cells would save) and the output itself.
 *
 * <p>Checked by: {@code jgrad.ops.LstmSequenceTest} (against the step-by-step graph: values and every
 * gradient; central differences in double), {@code jgrad.nn.TorchParityRnnTest} (PyTorch's values
 * through {@code LSTM}).
 */
public final class LstmSequence extends Function {
    private final int steps, n, hidden;
    private final boolean reverse;
    private final Tensor wHh, h0, c0, act, cells, out;

    private LstmSequence(Tensor[] inputs, int steps, int n, boolean reverse, Tensor wHh, Tensor h0, Tensor c0, Tensor act, Tensor cells,
                         Tensor out) {
        super(inputs);
        this.steps = steps;
        this.n = n;
        this.hidden = wHh.size(1);
        this.reverse = reverse;
        this.wHh = saved(wHh);  // read by backward: an in-place change before it is refused (Function.saved)
        this.h0 = saved(h0);
        this.c0 = saved(c0);
        this.act = act;
        this.cells = cells;
        this.out = saved(out);
    }

    /** The loop over a [T·N, 4H] for n sequences, in time order or in reverse; returns [T + 1, N, H] (see the class). */
    public static Tensor apply(Tensor a, Tensor wHh, Tensor h0, Tensor c0, int n, boolean reverse) {
        check(a, wHh, h0, c0, n);
        int steps = a.size(0) / n;
        var d = a.device();
        int hidden = wHh.size(1);
        // z = a, then each step adds its hidden product into its rows, and the cell overwrites them
        // with the gate activations (Backend.lstmCell reads a unit's gates before writing its act)
        Tensor act = Kernels.copy(a).reshape(steps, n, 4 * hidden), cells = Kernels.empty(d, new int[] {steps, n, hidden});
        Tensor out = Kernels.empty(d, new int[] {steps + 1, n, hidden});
        Tensor h = h0, c = c0;
        MatMulKernels.Prepared wT = MatMulKernels.prepare(wHh.detach().t());  // packed once for all T steps
        for (int k = 0; k < steps; k++) {
            int t = reverse ? steps - 1 - k : k;
            Tensor zt = rows(act, t * n, n);
            if (h != null) MatMulKernels.mm(h, wT, 1f, zt);                    // z⁽ᵗ⁾ = a⁽ᵗ⁾ + h⁽ᵗ⁻¹⁾·W_hhᵀ
            Tensor ht = rows(out, t * n, n), ct = rows(cells, t * n, n);
            RecurrentKernels.lstmCellInto(zt, c, zt, ct, ht);                 // h⁽ᵗ⁾, c⁽ᵗ⁾ = cell(z⁽ᵗ⁾, c⁽ᵗ⁻¹⁾); z⁽ᵗ⁾ becomes act⁽ᵗ⁾
            h = ht;
            c = ct;
        }
        Kernels.copyInto(c, rows(out, steps * n, n));  // the final cell state, row T
        Tensor[] inputs = h0 == null && c0 == null ? new Tensor[] {a, wHh} : h0 == null ? new Tensor[] {a, wHh, c0}
                : c0 == null ? new Tensor[] {a, wHh, h0} : new Tensor[] {a, wHh, h0, c0};
        LstmSequence f = new LstmSequence(inputs, steps, n, reverse, wHh, h0, c0, act, cells, out);
        f.savedForBackward(act);
        f.savedForBackward(cells);
        return f.record(out);
    }

    @Override
    protected Tensor[] backward(Tensor dOut) {
        Tensor dy = Kernels.contiguous(dOut);
        var d = dy.device();
        Tensor dz = Kernels.empty(d, new int[] {steps * n, 4 * hidden});
        Tensor dh = Kernels.empty(d, new int[] {n, hidden});
        Tensor dc = Kernels.copy(rows(dy, steps * n, n)), dcPrev = Kernels.empty(d, new int[] {n, hidden});
        MatMulKernels.Prepared w = MatMulKernels.prepare(wHh);
        int last = -1;  // the step handled just before: the one that read this step's h
        for (int k = 0; k < steps; k++) {
            int t = reverse ? k : steps - 1 - k;
            Kernels.copyInto(rows(dy, t * n, n), dh);
            if (last >= 0) MatMulKernels.mm(rows(dz, last * n, n), w, 1f, dh);  // δh = ∂C/∂h⁽ᵗ⁾ + δz⁽ᵗ⁺¹⁾·W_hh
            Tensor cPrev = first(t) ? c0 : rows(cells, before(t) * n, n);
            RecurrentKernels.lstmCellBackwardInto(rows(act, t * n, n), cPrev, rows(cells, t * n, n), dh, dc, rows(dz, t * n, n), dcPrev);
            Tensor swap = dc;  // δc⁽ᵗ⁻¹⁾ becomes the next step's δc
            dc = dcPrev;
            dcPrev = swap;
            last = t;
        }
        int firstStep = reverse ? steps - 1 : 0;
        Tensor dA = needsGrad(0) ? dz : null;
        Tensor dW = needsGrad(1) ? weightGradient(dz, firstStep) : null;
        Tensor dH0 = null, dC0 = null;
        if (h0 != null && needsGrad(2)) {
            dH0 = Kernels.empty(d, new int[] {n, hidden});
            MatMulKernels.mm(rows(dz, firstStep * n, n), wHh, 0f, dH0);         // ∂C/∂h₀ = δz⁽⁰⁾·W_hh
        }
        int cIndex = h0 == null ? 2 : 3;
        if (c0 != null && needsGrad(cIndex)) dC0 = dc;                        // ∂C/∂c₀ = δc⁽⁻¹⁾
        if (h0 == null && c0 == null) return grads(dA, dW);
        if (h0 == null) return grads(dA, dW, dC0);
        if (c0 == null) return grads(dA, dW, dH0);
        return grads(dA, dW, dH0, dC0);
    }

    /**
     * ∂C/∂W_hh = Σₜ δz⁽ᵗ⁾ᵀ·h⁽ᵗ⁻¹⁾ as one GEMM: the steps after the first read h⁽ᵗ⁻¹⁾ from the output's
     * rows, which lie in the same order as their δz (shifted by one step), so the sum over t and n
     * is one product of k = (T − 1)·N; the first step reads h₀ (nothing when it is zeros).
     */
    private Tensor weightGradient(Tensor dz, int firstStep) {
        Tensor dW = Kernels.empty(dz.device(), new int[] {4 * hidden, hidden});
        int rest = (steps - 1) * n;
        // forward: δz rows of steps 1 … T−1 with h rows of steps 0 … T−2; reverse: δz of 0 … T−2 with h of 1 … T−1
        Tensor dzRest = rows(dz, reverse ? 0 : n, rest), hRest = rows(out, reverse ? n : 0, rest);
        MatMulKernels.mm(dzRest.t(), hRest, 0f, dW);
        if (h0 != null) MatMulKernels.mm(rows(dz, firstStep * n, n).t(), h0, 1f, dW);
        return dW;
    }

    private boolean first(int t) {
        return reverse ? t == steps - 1 : t == 0;
    }

    /** The step before t in the loop's order. */
    private int before(int t) {
        return reverse ? t + 1 : t - 1;
    }

    /** Rows from … from + count of a contiguous tensor seen as [rows, F], as a [count, F] view (no graph). */
    static Tensor rows(Tensor x, int from, int count) {
        int width = x.size(-1);
        Layout l = new Layout(new int[] {count, width}, new int[] {width, 1}, x.layout().offset() + from * width);
        return new Tensor(x.device(), x.buffer(), l);
    }

    private static void check(Tensor a, Tensor wHh, Tensor h0, Tensor c0, int n) {
        int hidden = wHh.dim() == 2 ? wHh.size(1) : -1;
        boolean ok = hidden > 0 && wHh.size(0) == 4 * hidden && a.dim() == 2 && a.size(1) == 4 * hidden && n > 0
                && a.size(0) > 0 && a.size(0) % n == 0 && (h0 == null || hasShape(h0, n, hidden)) && (c0 == null || hasShape(c0, n, hidden));
        if (!ok) {
            throw new IllegalArgumentException("LstmSequence: expected a [T·N, 4H], W_hh [4H, H], h0 and c0 [N, H] or null, N = " + n
                    + "; got a " + shape(a) + ", W_hh " + shape(wHh) + ", h0 " + shape(h0) + ", c0 " + shape(c0));
        }
    }

    private static boolean hasShape(Tensor t, int rows, int cols) {
        return t.dim() == 2 && t.size(0) == rows && t.size(1) == cols;
    }

    private static String shape(Tensor t) {
        return t == null ? "null" : java.util.Arrays.toString(t.shape());
    }

    @Override
    public String name() {
        return "LSTM";
    }
}
