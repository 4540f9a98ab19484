package jgrad.ops;

import jgrad.autograd.Function;
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
    private final TimeLoop loop;
    private final int n, hidden;
    private final Tensor wHh, h0, c0, act, cells, out;

    private LstmSequence(Tensor[] inputs, TimeLoop loop, Tensor wHh, Tensor h0, Tensor c0, Tensor act, Tensor cells, Tensor out) {
        super(inputs);
        this.loop = loop;
        this.n = loop.n();
        this.hidden = wHh.size(1);
        this.wHh = saved(wHh);  // read by backward: an in-place change before it is refused (Function.saved)
        this.h0 = saved(h0);
        this.c0 = saved(c0);
        this.act = act;
        this.cells = cells;
        this.out = saved(out);
    }

    /** The loop over a [T·N, 4H] for n sequences, in time order or in reverse; returns [T + 1, N, H] (see the class). */
    public static Tensor apply(Tensor a, Tensor wHh, Tensor h0, Tensor c0, int n, boolean reverse) {
        return apply(a, wHh, h0, c0, n, reverse, false);
    }

    /**
     * {@link #apply}, but the gate activations are written over a's own memory rather than over a
     * copy of it: for a caller whose a is an intermediate that nothing else reads, as the LSTM
     * layer's input projection is. That saves copying and allocating T·N·4H floats per layer and
     * direction (13 MB a step for the char-LM: 1.04× its training step). As with PyTorch's in-place
     * ops, a's {@link Tensor#version()} moves, so an op that saved a for its backward refuses to run
     * rather than read the activations as if they were a. (A non-contiguous a is copied as by apply.)
     */
    public static Tensor applyInPlace(Tensor a, Tensor wHh, Tensor h0, Tensor c0, int n, boolean reverse) {
        return apply(a, wHh, h0, c0, n, reverse, a.isContiguous());
    }

    private static Tensor apply(Tensor a, Tensor wHh, Tensor h0, Tensor c0, int n, boolean reverse, boolean inPlace) {
        check(a, wHh, h0, c0, n);
        int steps = a.size(0) / n, hidden = wHh.size(1);
        TimeLoop loop = new TimeLoop(steps, n, reverse);
        var d = a.device();
        // z = a, then each step adds its hidden product into its rows, and the cell overwrites them
        // with the gate activations (Backend.lstmCell reads a unit's gates before writing its act)
        Tensor act;
        if (inPlace) {
            act = TimeLoop.blocks(a, steps, n);
            a.markChangedInPlace();
        } else {
            act = Kernels.copy(a).reshape(steps, n, 4 * hidden);
        }
        Tensor cells = Kernels.empty(d, new int[] {steps, n, hidden});
        Tensor out = Kernels.empty(d, new int[] {steps + 1, n, hidden});
        Tensor h = h0, c = c0;
        MatMulKernels.Prepared wT = MatMulKernels.prepare(wHh.detach().t());  // packed once for all T steps
        for (int k = 0; k < steps; k++) {
            int t = loop.forward(k);
            Tensor zt = loop.at(act, t);
            if (h != null) MatMulKernels.mm(h, wT, 1f, zt);                    // z⁽ᵗ⁾ = a⁽ᵗ⁾ + h⁽ᵗ⁻¹⁾·W_hhᵀ
            Tensor ht = loop.at(out, t), ct = loop.at(cells, t);
            RecurrentKernels.lstmCellInto(zt, c, zt, ct, ht);                 // h⁽ᵗ⁾, c⁽ᵗ⁾ = cell(z⁽ᵗ⁾, c⁽ᵗ⁻¹⁾); z⁽ᵗ⁾ becomes act⁽ᵗ⁾
            h = ht;
            c = ct;
        }
        Kernels.copyInto(c, loop.at(out, steps));  // the final cell state, row T
        Tensor[] inputs = h0 == null && c0 == null ? new Tensor[] {a, wHh} : h0 == null ? new Tensor[] {a, wHh, c0}
                : c0 == null ? new Tensor[] {a, wHh, h0} : new Tensor[] {a, wHh, h0, c0};
        LstmSequence f = new LstmSequence(inputs, loop, wHh, h0, c0, act, cells, out);
        f.savedForBackward(act);
        f.savedForBackward(cells);
        return f.record(out);
    }

    @Override
    protected Tensor[] backward(Tensor dOut) {
        Tensor dy = Kernels.contiguous(dOut);
        int steps = loop.steps();
        var d = dy.device();
        Tensor dz = Kernels.empty(d, new int[] {steps * n, 4 * hidden});
        Tensor dh = Kernels.empty(d, new int[] {n, hidden});
        Tensor dc = Kernels.copy(loop.at(dy, steps)), dcPrev = Kernels.empty(d, new int[] {n, hidden});
        MatMulKernels.Prepared w = MatMulKernels.prepare(wHh);
        int last = -1;  // the step handled just before: the one that read this step's h
        for (int k = 0; k < steps; k++) {
            int t = loop.backward(k);
            Kernels.copyInto(loop.at(dy, t), dh);
            if (last >= 0) MatMulKernels.mm(loop.at(dz, last), w, 1f, dh);  // δh = ∂C/∂h⁽ᵗ⁾ + δz⁽ᵗ⁺¹⁾·W_hh
            Tensor cPrev = loop.first(t) ? c0 : loop.at(cells, loop.before(t));
            RecurrentKernels.lstmCellBackwardInto(loop.at(act, t), cPrev, loop.at(cells, t), dh, dc, loop.at(dz, t), dcPrev);
            Tensor swap = dc;  // δc⁽ᵗ⁻¹⁾ becomes the next step's δc
            dc = dcPrev;
            dcPrev = swap;
            last = t;
        }
        Tensor dA = needsGrad(0) ? dz : null;
        Tensor dW = needsGrad(1) ? loop.weightGradient(dz, out, h0) : null;  // ∂C/∂W_hh = Σₜ δz⁽ᵗ⁾ᵀ·h⁽ᵗ⁻¹⁾
        Tensor dH0 = null, dC0 = null;
        if (h0 != null && needsGrad(2)) {
            dH0 = Kernels.empty(d, new int[] {n, hidden});
            MatMulKernels.mm(loop.at(dz, loop.forward(0)), wHh, 0f, dH0);     // ∂C/∂h₀ = δz⁽⁰⁾·W_hh
        }
        int cIndex = h0 == null ? 2 : 3;
        if (c0 != null && needsGrad(cIndex)) dC0 = dc;                        // ∂C/∂c₀ = δc⁽⁻¹⁾
        if (h0 == null && c0 == null) return grads(dA, dW);
        if (h0 == null) return grads(dA, dW, dC0);
        if (c0 == null) return grads(dA, dW, dH0);
        return grads(dA, dW, dH0, dC0);
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
