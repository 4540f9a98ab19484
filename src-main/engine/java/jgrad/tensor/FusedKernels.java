package jgrad.tensor;

import jgrad.backend.Conv2dShape;
import jgrad.backend.Pool2dShape;

/**
 * Tensor-level calls of the fused primitives (softmax, cross-entropy, convolution, pooling): each
 * checks and marshals its arguments (contiguous operands, sizes, output shapes) and makes one
 * backend call. The ops in {@code jgrad.ops} call these for their forward and backward; the
 * primitives' definitions from plain ones are in the reference backend.
 */
public final class FusedKernels {
    private FusedKernels() {}

    // ---- fused row-wise ops ----------------------------------------------------------------

    /** Softmax (or log-softmax) along the last dimension of a tensor viewed as [rows, cols]. */
    public static Tensor softmaxLastDim(Tensor x, boolean log) {
        Tensor c = Kernels.contiguous(x);
        int cols = c.dim() == 0 ? 1 : c.size(-1);
        int rows = cols == 0 ? 0 : c.numel() / cols;
        Tensor out = Kernels.empty(c.device(), c.shape());
        if (rows > 0) c.device().backend().softmax(log, c.buffer(), c.layout().offset(), rows, cols, out.buffer());
        return out;
    }

    /** Per-row softmax cross-entropy of logits [N, C] against class indices [N]: returns {loss [N], probs [N, C]}. */
    public static Tensor[] crossEntropy(Tensor logits, Tensor targets) {
        Device d = Kernels.sameDevice("cross_entropy", logits, targets);
        Tensor x = Kernels.contiguous(logits), t = Kernels.contiguous(targets);
        int rows = x.size(0), cols = x.size(1);
        Tensor loss = Kernels.empty(d, new int[] {rows}), probs = Kernels.empty(d, x.shape());
        if (rows > 0) {
            d.backend().crossEntropy(x.buffer(), x.layout().offset(), rows, cols, t.buffer(), t.layout().offset(),
                    loss.buffer(), probs.buffer());
        }
        return new Tensor[] {loss, probs};
    }

    // ---- convolution and pooling (NCHW) --------------------------------------------------------

    /** y = conv(x, w) for x [N, C, H, W] and w [K, C, R, S] (no bias). */
    public static Tensor conv2d(Conv2dShape g, Tensor x, Tensor w) {
        Device d = Kernels.sameDevice("conv2d", x, w);
        Tensor xc = Kernels.contiguous(x), wc = Kernels.contiguous(w);
        Tensor y = Kernels.empty(d, new int[] {g.n(), g.k(), g.p(), g.q()});
        d.backend().conv2d(g, xc.buffer(), xc.layout().offset(), wc.buffer(), wc.layout().offset(), y.buffer());
        return y;
    }

    /** y = conv(x, w) + b, one bias per filter (b [K]). */
    public static Tensor conv2d(Conv2dShape g, Tensor x, Tensor w, Tensor b) {
        Device d = Kernels.sameDevice("conv2d", x, w, b);
        Tensor xc = Kernels.contiguous(x), wc = Kernels.contiguous(w), bc = Kernels.contiguous(b);
        Tensor y = Kernels.empty(d, new int[] {g.n(), g.k(), g.p(), g.q()});
        d.backend().conv2d(g, xc.buffer(), xc.layout().offset(), wc.buffer(), wc.layout().offset(),
                bc.buffer(), bc.layout().offset(), y.buffer());
        return y;
    }

    public static Tensor conv2dInputGrad(Conv2dShape g, Tensor dy, Tensor w) {
        Device d = Kernels.sameDevice("conv2d backward", dy, w);
        Tensor dyc = copyIfOffset(dy), wc = Kernels.contiguous(w);
        Tensor dx = Kernels.empty(d, new int[] {g.n(), g.c(), g.h(), g.w()});
        d.backend().conv2dInputGrad(g, dyc.buffer(), wc.buffer(), wc.layout().offset(), dx.buffer());
        return dx;
    }

    public static Tensor conv2dWeightGrad(Conv2dShape g, Tensor x, Tensor dy) {
        Device d = Kernels.sameDevice("conv2d backward", x, dy);
        Tensor xc = Kernels.contiguous(x), dyc = copyIfOffset(dy);
        Tensor dw = Kernels.empty(d, new int[] {g.k(), g.c(), g.r(), g.s()});
        d.backend().conv2dWeightGrad(g, xc.buffer(), xc.layout().offset(), dyc.buffer(), dw.buffer());
        return dw;
    }

    /** Returns {y, argmax}. */
    /** The maxima without their positions (inference: nothing will route a gradient back). */
    public static Tensor maxPool2dValues(Pool2dShape g, Tensor x) {
        Tensor xc = Kernels.contiguous(x);
        Tensor y = Kernels.empty(x.device(), new int[] {g.n(), g.c(), g.p(), g.q()});
        x.device().backend().maxPool2d(g, xc.buffer(), xc.layout().offset(), y.buffer());
        return y;
    }

    public static Tensor[] maxPool2d(Pool2dShape g, Tensor x) {
        Tensor xc = Kernels.contiguous(x);
        int[] out = {g.n(), g.c(), g.p(), g.q()};
        Tensor y = Kernels.empty(x.device(), out), argmax = Kernels.empty(x.device(), out);
        x.device().backend().maxPool2d(g, xc.buffer(), xc.layout().offset(), y.buffer(), argmax.buffer());
        return new Tensor[] {y, argmax};
    }

    public static Tensor maxPool2dBackward(Pool2dShape g, Tensor dy, Tensor argmax) {
        Tensor dx = Kernels.empty(dy.device(), new int[] {g.n(), g.c(), g.h(), g.w()});
        dy.device().backend().maxPool2dBackward(g, copyIfOffset(dy).buffer(), argmax.buffer(), dx.buffer());
        return dx;
    }

    public static Tensor avgPool2d(Pool2dShape g, Tensor x) {
        Tensor xc = Kernels.contiguous(x);
        Tensor y = Kernels.empty(x.device(), new int[] {g.n(), g.c(), g.p(), g.q()});
        x.device().backend().avgPool2d(g, xc.buffer(), xc.layout().offset(), y.buffer());
        return y;
    }

    public static Tensor avgPool2dBackward(Pool2dShape g, Tensor dy) {
        Tensor dx = Kernels.empty(dy.device(), new int[] {g.n(), g.c(), g.h(), g.w()});
        dy.device().backend().avgPool2dBackward(g, copyIfOffset(dy).buffer(), dx.buffer());
        return dx;
    }

    public static Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) {
        Tensor xc = Kernels.contiguous(x);
        int[] s = x.shape();
        Tensor y = Kernels.empty(x.device(), new int[] {s[0], s[1], outH, outW});
        x.device().backend().adaptiveAvgPool2d(s[0], s[1], s[2], s[3], outH, outW, xc.buffer(), xc.layout().offset(), y.buffer());
        return y;
    }

    public static Tensor adaptiveAvgPool2dBackward(Tensor dy, int[] inputShape) {
        int[] s = inputShape;
        Tensor dx = Kernels.empty(dy.device(), s);
        dy.device().backend().adaptiveAvgPool2dBackward(s[0], s[1], s[2], s[3], dy.size(2), dy.size(3),
                copyIfOffset(dy).buffer(), dx.buffer());
        return dx;
    }

    /** A contiguous tensor starting at offset 0 (primitives that take no offset need one). */
    private static Tensor copyIfOffset(Tensor t) {
        return t.isContiguous() && t.layout().offset() == 0 ? t : Kernels.copy(t);
    }

    // ---- recurrent cells: one time step's gate arithmetic (the layers make the projections with GEMMs) ----

    /**
     * LSTM cell, forward. gates G [N, 4H]: the pre-activations x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh, gate
     * order i, f, g, o (PyTorch's); cPrev [N, H], or null for zeros. Returns {h [N, H], c [N, H],
     * act [N, 4H]}: h = o⊙tanh(c), c = f⊙cPrev + i⊙g, act = σ(G_i), σ(G_f), tanh(G_g), σ(G_o)
     * (what {@link #lstmCellBackward} needs, with cPrev and c).
     */
    public static Tensor[] lstmCell(Tensor gates, Tensor cPrev) {
        int n = gates.dim() == 2 ? gates.size(0) : -1, hidden = gates.dim() == 2 ? gates.size(1) / 4 : -1;
        boolean ok = n >= 0 && gates.size(1) % 4 == 0 && (cPrev == null || hasShape(cPrev, n, hidden));
        if (!ok) throw shapes("lstmCell: expected gates [N, 4H] and cPrev [N, H]", "gates", gates, "cPrev", cPrev);
        Device d = device("lstmCell", gates, cPrev);
        Tensor g = Kernels.contiguous(gates), cp = Kernels.contiguous(orZeros(cPrev, d, n, hidden));
        Tensor h = Kernels.empty(d, new int[] {n, hidden}), c = Kernels.empty(d, new int[] {n, hidden});
        Tensor act = Kernels.empty(d, new int[] {n, 4 * hidden});
        if (n * hidden > 0) {
            d.backend().lstmCell(n, hidden, g.buffer(), g.layout().offset(), cp.buffer(), cp.layout().offset(), act.buffer(),
                    c.buffer(), h.buffer());
        }
        return new Tensor[] {h, c, act};
    }

    /**
     * LSTM cell, backward arithmetic. act [N, 4H], cPrev [N, H] (null: zeros) and c [N, H] as
     * {@link #lstmCell} saw and made them; dh [N, H], the gradient at h (from the output and from
     * the next step's hidden projection); dcNext [N, H], the gradient at c from the next step, or
     * null for zeros (the last step). Returns {dGates [N, 4H], dcPrev [N, H]}: the gradient at the
     * pre-activations G (for the GEMMs that made them) and at cPrev.
     */
    public static Tensor[] lstmCellBackward(Tensor act, Tensor cPrev, Tensor c, Tensor dh, Tensor dcNext) {
        int n = c.dim() == 2 ? c.size(0) : -1, hidden = c.dim() == 2 ? c.size(1) : -1;
        boolean ok = n >= 0 && hasShape(act, n, 4 * hidden) && hasShape(dh, n, hidden)
                && (cPrev == null || hasShape(cPrev, n, hidden)) && (dcNext == null || hasShape(dcNext, n, hidden));
        if (!ok) {
            throw shapes("lstmCellBackward: expected act [N, 4H] and cPrev, c, dh, dcNext [N, H]", "act", act, "cPrev", cPrev, "c", c,
                    "dh", dh, "dcNext", dcNext);
        }
        Device d = device("lstmCellBackward", act, cPrev, c, dh, dcNext);
        Tensor a = Kernels.contiguous(act), cp = Kernels.contiguous(orZeros(cPrev, d, n, hidden)), cc = Kernels.contiguous(c);
        Tensor g = Kernels.contiguous(dh), dn = Kernels.contiguous(orZeros(dcNext, d, n, hidden));
        Tensor dGates = Kernels.empty(d, new int[] {n, 4 * hidden}), dcPrev = Kernels.empty(d, new int[] {n, hidden});
        if (n * hidden > 0) {
            d.backend().lstmCellBackward(n, hidden, a.buffer(), a.layout().offset(), cp.buffer(), cp.layout().offset(), cc.buffer(),
                    cc.layout().offset(), g.buffer(), g.layout().offset(), dn.buffer(), dn.layout().offset(), dGates.buffer(), dcPrev.buffer());
        }
        return new Tensor[] {dGates, dcPrev};
    }

    /**
     * GRU cell, forward (PyTorch's). xGates [N, 3H] = x·W_ihᵀ + b_ih and hGates [N, 3H] =
     * hPrev·W_hhᵀ + b_hh, gate order r, z, n; hPrev [N, H]. Returns {h [N, H], act [N, 4H]}: with
     * r = σ(x_r + h_r), z = σ(x_z + h_z), m = tanh(x_n + r⊙h_n) (PyTorch's n), h = (1 − z)⊙m + z⊙hPrev,
     * and act = r, z, m, h_n (what {@link #gruCellBackward} needs, with hPrev).
     */
    public static Tensor[] gruCell(Tensor xGates, Tensor hGates, Tensor hPrev) {
        int n = hPrev.dim() == 2 ? hPrev.size(0) : -1, hidden = hPrev.dim() == 2 ? hPrev.size(1) : -1;
        if (n < 0 || !hasShape(xGates, n, 3 * hidden) || !hasShape(hGates, n, 3 * hidden)) {
            throw shapes("gruCell: expected xGates, hGates [N, 3H] and hPrev [N, H]", "xGates", xGates, "hGates", hGates, "hPrev", hPrev);
        }
        Device d = Kernels.sameDevice("gruCell", xGates, hGates, hPrev);
        Tensor x = Kernels.contiguous(xGates), hg = Kernels.contiguous(hGates), hp = Kernels.contiguous(hPrev);
        Tensor h = Kernels.empty(d, new int[] {n, hidden}), act = Kernels.empty(d, new int[] {n, 4 * hidden});
        if (n * hidden > 0) {
            d.backend().gruCell(n, hidden, x.buffer(), x.layout().offset(), hg.buffer(), hg.layout().offset(), hp.buffer(),
                    hp.layout().offset(), act.buffer(), h.buffer());
        }
        return new Tensor[] {h, act};
    }

    /**
     * GRU cell, backward arithmetic. act [N, 4H] and hPrev [N, H] as {@link #gruCell} saw and made
     * them; dh [N, H], the gradient at h. Returns {dXg [N, 3H], dHg [N, 3H], dhPrev [N, H]}: the
     * gradients at xGates and at hGates (for the GEMMs that made them), and the direct part of hPrev's
     * gradient, dh⊙z (the layer adds dHg·W_hh).
     */
    public static Tensor[] gruCellBackward(Tensor act, Tensor hPrev, Tensor dh) {
        int n = hPrev.dim() == 2 ? hPrev.size(0) : -1, hidden = hPrev.dim() == 2 ? hPrev.size(1) : -1;
        if (n < 0 || !hasShape(act, n, 4 * hidden) || !hasShape(dh, n, hidden)) {
            throw shapes("gruCellBackward: expected act [N, 4H] and hPrev, dh [N, H]", "act", act, "hPrev", hPrev, "dh", dh);
        }
        Device d = Kernels.sameDevice("gruCellBackward", act, hPrev, dh);
        Tensor a = Kernels.contiguous(act), hp = Kernels.contiguous(hPrev), g = Kernels.contiguous(dh);
        Tensor dXg = Kernels.empty(d, new int[] {n, 3 * hidden}), dHg = Kernels.empty(d, new int[] {n, 3 * hidden});
        Tensor dhPrev = Kernels.empty(d, new int[] {n, hidden});
        if (n * hidden > 0) {
            d.backend().gruCellBackward(n, hidden, a.buffer(), a.layout().offset(), hp.buffer(), hp.layout().offset(), g.buffer(),
                    g.layout().offset(), dXg.buffer(), dHg.buffer(), dhPrev.buffer());
        }
        return new Tensor[] {dXg, dHg, dhPrev};
    }

    private static boolean hasShape(Tensor t, int rows, int cols) {
        return t.dim() == 2 && t.size(0) == rows && t.size(1) == cols;
    }

    /** The common device of the tensors that are not null. */
    private static Device device(String op, Tensor... ts) {
        return Kernels.sameDevice(op, java.util.Arrays.stream(ts).filter(java.util.Objects::nonNull).toArray(Tensor[]::new));
    }

    private static Tensor orZeros(Tensor t, Device d, int rows, int cols) {
        return t != null ? t : Tensor.zeros(d, rows, cols);
    }

    /** An error naming the op's expectation and every argument's shape: {"name", tensor, …}. */
    private static IllegalArgumentException shapes(String expected, Object... namesAndTensors) {
        StringBuilder got = new StringBuilder();
        for (int i = 0; i < namesAndTensors.length; i += 2) {
            Tensor t = (Tensor) namesAndTensors[i + 1];
            got.append(i == 0 ? "" : ", ").append(namesAndTensors[i]).append(' ')
                    .append(t == null ? "null" : java.util.Arrays.toString(t.shape()));
        }
        return new IllegalArgumentException(expected + "; got " + got);
    }
}
