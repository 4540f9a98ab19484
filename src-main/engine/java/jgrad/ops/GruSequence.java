package jgrad.ops;

import jgrad.autograd.Function;
import jgrad.tensor.Kernels;
import jgrad.tensor.MatMulKernels;
import jgrad.tensor.RecurrentKernels;
import jgrad.tensor.Tensor;

/**
 * One GRU layer's loop over time, in one direction, as one op ({@link LstmSequence} is the LSTM's;
 * the same plan). With b⁽ᵗ⁾ the hidden projection, r, z, m the gates and h⁽⁻¹⁾ = h₀:
 * <pre>
 *   forward, for t = 0 … T−1 (reverse: T−1 … 0):
 *     b⁽ᵗ⁾ = h⁽ᵗ⁻¹⁾·W_hhᵀ + b_hh                           one GEMM      [N, 3H]
 *     h⁽ᵗ⁾ = cell(a⁽ᵗ⁾, b⁽ᵗ⁾, h⁽ᵗ⁻¹⁾)                        one fused pass (Backend.gruCell)
 *   backward, for t = T−1 … 0, from ∂C/∂h⁽ᵗ⁾ given:
 *     δh = ∂C/∂h⁽ᵗ⁾ + δh_direct⁽ᵗ⁺¹⁾ + δb⁽ᵗ⁺¹⁾·W_hh          h⁽ᵗ⁾ fed step t+1 twice: in h′ = … + z⊙h, and through W_hh
 *     δa⁽ᵗ⁾, δb⁽ᵗ⁾, δh_direct⁽ᵗ⁾ = cell′(δh)                 one fused pass (Backend.gruCellBackward)
 *   then, once:  ∂C/∂a = δa (all steps)    ∂C/∂W_hh = Σₜ δb⁽ᵗ⁾ᵀ·h⁽ᵗ⁻¹⁾ (one GEMM)    ∂C/∂b_hh = Σₜ,ₙ δb⁽ᵗ⁾
 *                ∂C/∂h₀ = δh_direct⁽⁰⁾ + δb⁽⁰⁾·W_hh
 * </pre>
 * The cell and its derivative are written out in {@code GRUCell.gatesDefinition}; docs/ops/rnn.md
 * derives them.
 *
 * <p>Shapes: a [T·N, 3H], every step's x⁽ᵗ⁾·W_ihᵀ + b_ih, time-major; W_hh [3H, H]; b_hh [3H] or
 * null; h₀ [N, H] or null (zeros). Output [T, N, H]: h⁽ᵗ⁾ in time order (h_n is its last row, or
 * its first in reverse). Saved: the gate activations r, z, m and the hidden projection's n part
 * [T, N, 4H], and the output itself.
 *
 * <p>Checked by: {@code jgrad.ops.GruSequenceTest} (against the step-by-step graph, and central
 * differences), {@code jgrad.nn.TorchParityRnnTest} (PyTorch's values through {@code GRU}).
 */
public final class GruSequence extends Function {
    private final TimeLoop loop;
    private final int n, hidden;
    private final Tensor wHh, bHh, h0, act, out;

    private GruSequence(Tensor[] inputs, TimeLoop loop, Tensor wHh, Tensor bHh, Tensor h0, Tensor act, Tensor out) {
        super(inputs);
        this.loop = loop;
        this.n = loop.n();
        this.hidden = wHh.size(1);
        this.wHh = saved(wHh);  // read by backward: an in-place change before it is refused (Function.saved)
        this.bHh = bHh;
        this.h0 = saved(h0);
        this.act = act;
        this.out = saved(out);
    }

    /** The loop over a [T·N, 3H] for n sequences, in time order or in reverse; returns [T, N, H]. */
    public static Tensor apply(Tensor a, Tensor wHh, Tensor bHh, Tensor h0, int n, boolean reverse) {
        check(a, wHh, bHh, h0, n);
        Tensor ac = Kernels.contiguous(a);  // read row block by row block
        int steps = a.size(0) / n, hidden = wHh.size(1);
        TimeLoop loop = new TimeLoop(steps, n, reverse);
        var d = a.device();
        Tensor act = Kernels.empty(d, new int[] {steps * n, 4 * hidden}), out = Kernels.empty(d, new int[] {steps, n, hidden});
        Tensor b = Kernels.empty(d, new int[] {n, 3 * hidden});  // the step's hidden projection, made again at every step
        Tensor bias = bHh == null ? null : bHh.detach().reshape(1, 3 * hidden).expand(n, 3 * hidden);
        Tensor zeros = h0 == null ? Tensor.zeros(d, n, hidden) : null;
        MatMulKernels.Prepared wT = MatMulKernels.prepare(wHh.detach().t());  // packed once for all T steps
        Tensor h = h0;
        for (int k = 0; k < steps; k++) {
            int t = loop.forward(k);
            if (bias != null) Kernels.copyInto(bias, b);
            if (h != null) MatMulKernels.mm(h, wT, bias != null ? 1f : 0f, b);  // b⁽ᵗ⁾ = h⁽ᵗ⁻¹⁾·W_hhᵀ + b_hh
            else if (bias == null) b.fillInPlace(0f);
            Tensor ht = loop.at(out, t);
            RecurrentKernels.gruCellInto(loop.at(ac, t), b, h == null ? zeros : h, loop.at(act, t), ht);  // h⁽ᵗ⁾ = cell(a⁽ᵗ⁾, b⁽ᵗ⁾, h⁽ᵗ⁻¹⁾)
            h = ht;
        }
        Tensor[] inputs = bHh == null ? (h0 == null ? new Tensor[] {a, wHh} : new Tensor[] {a, wHh, h0})
                : (h0 == null ? new Tensor[] {a, wHh, bHh} : new Tensor[] {a, wHh, bHh, h0});
        GruSequence f = new GruSequence(inputs, loop, wHh, bHh, h0, act, out);
        f.savedForBackward(act);
        return f.record(out);
    }

    @Override
    protected Tensor[] backward(Tensor dOut) {
        Tensor dy = Kernels.contiguous(dOut);
        int steps = loop.steps();
        var d = dy.device();
        Tensor da = Kernels.empty(d, new int[] {steps * n, 3 * hidden}), db = Kernels.empty(d, new int[] {steps * n, 3 * hidden});
        Tensor dh = Kernels.empty(d, new int[] {n, hidden}), direct = Kernels.empty(d, new int[] {n, hidden});
        Tensor zeros = h0 == null ? Tensor.zeros(d, n, hidden) : null;
        MatMulKernels.Prepared w = MatMulKernels.prepare(wHh);
        int last = -1;  // the step handled just before: the one that read this step's h
        for (int k = 0; k < steps; k++) {
            int t = loop.backward(k);
            Kernels.copyInto(loop.at(dy, t), dh);
            if (last >= 0) {
                dh.addInPlace(direct, 1f);                                // … + δh_direct⁽ᵗ⁺¹⁾
                MatMulKernels.mm(loop.at(db, last), w, 1f, dh);            // … + δb⁽ᵗ⁺¹⁾·W_hh
            }
            Tensor hPrev = loop.first(t) ? (h0 == null ? zeros : h0) : loop.at(out, loop.before(t));
            RecurrentKernels.gruCellBackwardInto(loop.at(act, t), hPrev, dh, loop.at(da, t), loop.at(db, t), direct);
            last = t;
        }
        Tensor dA = needsGrad(0) ? da : null;
        Tensor dW = needsGrad(1) ? loop.weightGradient(db, out, h0) : null;                    // ∂C/∂W_hh = Σₜ δb⁽ᵗ⁾ᵀ·h⁽ᵗ⁻¹⁾
        Tensor dB = bHh != null && needsGrad(2) ? Kernels.sum(db, new int[] {0}, false) : null;  // ∂C/∂b_hh = Σₜ,ₙ δb⁽ᵗ⁾
        Tensor dH0 = null;
        if (h0 != null && needsGrad(bHh == null ? 2 : 3)) {
            dH0 = Kernels.copy(direct);
            MatMulKernels.mm(loop.at(db, loop.forward(0)), w, 1f, dH0);  // ∂C/∂h₀ = δh_direct⁽⁰⁾ + δb⁽⁰⁾·W_hh
        }
        if (bHh == null) return h0 == null ? grads(dA, dW) : grads(dA, dW, dH0);
        return h0 == null ? grads(dA, dW, dB) : grads(dA, dW, dB, dH0);
    }

    private static void check(Tensor a, Tensor wHh, Tensor bHh, Tensor h0, int n) {
        int hidden = wHh.dim() == 2 ? wHh.size(1) : -1;
        boolean ok = hidden > 0 && wHh.size(0) == 3 * hidden && a.dim() == 2 && a.size(1) == 3 * hidden && n > 0 && a.size(0) > 0
                && a.size(0) % n == 0 && (bHh == null || (bHh.dim() == 1 && bHh.size(0) == 3 * hidden))
                && (h0 == null || (h0.dim() == 2 && h0.size(0) == n && h0.size(1) == hidden));
        if (!ok) {
            throw new IllegalArgumentException("GruSequence: expected a [T·N, 3H], W_hh [3H, H], b_hh [3H] or null, h0 [N, H] or null, N = "
                    + n + "; got a " + shape(a) + ", W_hh " + shape(wHh) + ", b_hh " + shape(bHh) + ", h0 " + shape(h0));
        }
    }

    private static String shape(Tensor t) {
        return t == null ? "null" : java.util.Arrays.toString(t.shape());
    }

    @Override
    public String name() {
        return "GRU";
    }
}
