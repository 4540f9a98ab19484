package jgrad.tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * Tensor-level calls of the recurrent cells' fused primitives ({@code Backend.lstmCell},
 * {@code lstmCellBackward}, {@code gruCell}, {@code gruCellBackward}): one time step's gate
 * arithmetic, the layers making the projections with GEMMs. Each checks shapes and devices and
 * makes one backend call. Two forms: one that returns new tensors ({@code lstmCell}), for a single
 * step, and one that writes into tensors the caller gives ({@code lstmCellInto}): a whole
 * sequence's loop writes step t straight into row block t of its [T, N, ·] buffers, so nothing is
 * copied into place afterwards. Outputs given must be contiguous (a row block of a contiguous
 * tensor is); inputs may be any view.
 */
public final class RecurrentKernels {
    private RecurrentKernels() {}

    // ---- LSTM -------------------------------------------------------------------------------

    /**
     * LSTM cell, forward. gates G [N, 4H]: the pre-activations x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh, gate
     * order i, f, g, o (PyTorch's); cPrev [N, H], or null for zeros. Returns {h [N, H], c [N, H],
     * act [N, 4H]}: h = o⊙tanh(c), c = f⊙cPrev + i⊙g, act = σ(G_i), σ(G_f), tanh(G_g), σ(G_o)
     * (what {@link #lstmCellBackward} needs, with cPrev and c).
     */
    public static Tensor[] lstmCell(Tensor gates, Tensor cPrev) {
        checkLstm(gates, cPrev);
        Device d = device("lstmCell", gates, cPrev);
        int n = gates.size(0), hidden = gates.size(1) / 4;
        Tensor h = Kernels.empty(d, new int[] {n, hidden}), c = Kernels.empty(d, new int[] {n, hidden});
        Tensor act = Kernels.empty(d, new int[] {n, 4 * hidden});
        lstmCellInto(gates, cPrev, act, c, h);
        return new Tensor[] {h, c, act};
    }

    /** {@link #lstmCell} into act [N, 4H], c [N, H] and h [N, H], each contiguous. */
    public static void lstmCellInto(Tensor gates, Tensor cPrev, Tensor act, Tensor c, Tensor h) {
        checkLstm(gates, cPrev);
        int n = gates.size(0), hidden = gates.size(1) / 4;
        checkOutputs("lstmCell", n, hidden, "act", act, 4, "c", c, 1, "h", h, 1);
        Device d = device("lstmCell", gates, cPrev, act, c, h);
        Tensor g = Kernels.contiguous(gates), cp = Kernels.contiguous(orZeros(cPrev, d, n, hidden));
        if (n * hidden > 0) {
            d.backend().lstmCell(n, hidden, g.buffer(), at(g), cp.buffer(), at(cp), act.buffer(), at(act), c.buffer(), at(c),
                    h.buffer(), at(h));
        }
    }

    /**
     * LSTM cell, backward arithmetic. act [N, 4H], cPrev [N, H] (null: zeros) and c [N, H] as
     * {@link #lstmCell} saw and made them; dh [N, H], the gradient at h (from the output and from
     * the next step's hidden projection); dcNext [N, H], the gradient at c from the next step, or
     * null for zeros (the last step). Returns {dGates [N, 4H], dcPrev [N, H]}: the gradient at the
     * pre-activations G (for the GEMMs that made them) and at cPrev.
     */
    public static Tensor[] lstmCellBackward(Tensor act, Tensor cPrev, Tensor c, Tensor dh, Tensor dcNext) {
        checkLstmBackward(act, cPrev, c, dh, dcNext);
        Device d = device("lstmCellBackward", act, cPrev, c, dh, dcNext);
        int n = c.size(0), hidden = c.size(1);
        Tensor dGates = Kernels.empty(d, new int[] {n, 4 * hidden}), dcPrev = Kernels.empty(d, new int[] {n, hidden});
        lstmCellBackwardInto(act, cPrev, c, dh, dcNext, dGates, dcPrev);
        return new Tensor[] {dGates, dcPrev};
    }

    /** {@link #lstmCellBackward} into dGates [N, 4H] and dcPrev [N, H], each contiguous. */
    public static void lstmCellBackwardInto(Tensor act, Tensor cPrev, Tensor c, Tensor dh, Tensor dcNext, Tensor dGates, Tensor dcPrev) {
        checkLstmBackward(act, cPrev, c, dh, dcNext);
        int n = c.size(0), hidden = c.size(1);
        checkOutputs("lstmCellBackward", n, hidden, "dGates", dGates, 4, "dcPrev", dcPrev, 1);
        Device d = device("lstmCellBackward", act, cPrev, c, dh, dcNext, dGates, dcPrev);
        Tensor a = Kernels.contiguous(act), cp = Kernels.contiguous(orZeros(cPrev, d, n, hidden)), cc = Kernels.contiguous(c);
        Tensor g = Kernels.contiguous(dh), dn = Kernels.contiguous(orZeros(dcNext, d, n, hidden));
        if (n * hidden > 0) {
            d.backend().lstmCellBackward(n, hidden, a.buffer(), at(a), cp.buffer(), at(cp), cc.buffer(), at(cc), g.buffer(), at(g),
                    dn.buffer(), at(dn), dGates.buffer(), at(dGates), dcPrev.buffer(), at(dcPrev));
        }
    }

    private static void checkLstm(Tensor gates, Tensor cPrev) {
        int n = gates.dim() == 2 ? gates.size(0) : -1, hidden = gates.dim() == 2 ? gates.size(1) / 4 : -1;
        boolean ok = n >= 0 && gates.size(1) % 4 == 0 && (cPrev == null || hasShape(cPrev, n, hidden));
        if (!ok) throw shapes("lstmCell: expected gates [N, 4H] and cPrev [N, H]", "gates", gates, "cPrev", cPrev);
    }

    private static void checkLstmBackward(Tensor act, Tensor cPrev, Tensor c, Tensor dh, Tensor dcNext) {
        int n = c.dim() == 2 ? c.size(0) : -1, hidden = c.dim() == 2 ? c.size(1) : -1;
        boolean ok = n >= 0 && hasShape(act, n, 4 * hidden) && hasShape(dh, n, hidden)
                && (cPrev == null || hasShape(cPrev, n, hidden)) && (dcNext == null || hasShape(dcNext, n, hidden));
        if (!ok) {
            throw shapes("lstmCellBackward: expected act [N, 4H] and cPrev, c, dh, dcNext [N, H]", "act", act, "cPrev", cPrev, "c", c,
                    "dh", dh, "dcNext", dcNext);
        }
    }

    // ---- GRU --------------------------------------------------------------------------------

    /**
     * GRU cell, forward (PyTorch's). xGates [N, 3H] = x·W_ihᵀ + b_ih and hGates [N, 3H] =
     * hPrev·W_hhᵀ + b_hh, gate order r, z, n; hPrev [N, H]. Returns {h [N, H], act [N, 4H]}: with
     * r = σ(x_r + h_r), z = σ(x_z + h_z), m = tanh(x_n + r⊙h_n) (PyTorch's n), h = (1 − z)⊙m + z⊙hPrev,
     * and act = r, z, m, h_n (what {@link #gruCellBackward} needs, with hPrev).
     */
    public static Tensor[] gruCell(Tensor xGates, Tensor hGates, Tensor hPrev) {
        checkGru(xGates, hGates, hPrev);
        Device d = Kernels.sameDevice("gruCell", xGates, hGates, hPrev);
        int n = hPrev.size(0), hidden = hPrev.size(1);
        Tensor h = Kernels.empty(d, new int[] {n, hidden}), act = Kernels.empty(d, new int[] {n, 4 * hidden});
        gruCellInto(xGates, hGates, hPrev, act, h);
        return new Tensor[] {h, act};
    }

    /** {@link #gruCell} into act [N, 4H] and h [N, H], each contiguous. */
    public static void gruCellInto(Tensor xGates, Tensor hGates, Tensor hPrev, Tensor act, Tensor h) {
        checkGru(xGates, hGates, hPrev);
        int n = hPrev.size(0), hidden = hPrev.size(1);
        checkOutputs("gruCell", n, hidden, "act", act, 4, "h", h, 1);
        Device d = Kernels.sameDevice("gruCell", xGates, hGates, hPrev, act, h);
        Tensor x = Kernels.contiguous(xGates), hg = Kernels.contiguous(hGates), hp = Kernels.contiguous(hPrev);
        if (n * hidden > 0) {
            d.backend().gruCell(n, hidden, x.buffer(), at(x), hg.buffer(), at(hg), hp.buffer(), at(hp), act.buffer(), at(act),
                    h.buffer(), at(h));
        }
    }

    /**
     * GRU cell, backward arithmetic. act [N, 4H] and hPrev [N, H] as {@link #gruCell} saw and made
     * them; dh [N, H], the gradient at h. Returns {dXg [N, 3H], dHg [N, 3H], dhPrev [N, H]}: the
     * gradients at xGates and at hGates (for the GEMMs that made them), and the direct part of hPrev's
     * gradient, dh⊙z (the layer adds dHg·W_hh).
     */
    public static Tensor[] gruCellBackward(Tensor act, Tensor hPrev, Tensor dh) {
        checkGruBackward(act, hPrev, dh);
        Device d = Kernels.sameDevice("gruCellBackward", act, hPrev, dh);
        int n = hPrev.size(0), hidden = hPrev.size(1);
        Tensor dXg = Kernels.empty(d, new int[] {n, 3 * hidden}), dHg = Kernels.empty(d, new int[] {n, 3 * hidden});
        Tensor dhPrev = Kernels.empty(d, new int[] {n, hidden});
        gruCellBackwardInto(act, hPrev, dh, dXg, dHg, dhPrev);
        return new Tensor[] {dXg, dHg, dhPrev};
    }

    /** {@link #gruCellBackward} into dXg, dHg [N, 3H] and dhPrev [N, H], each contiguous. */
    public static void gruCellBackwardInto(Tensor act, Tensor hPrev, Tensor dh, Tensor dXg, Tensor dHg, Tensor dhPrev) {
        checkGruBackward(act, hPrev, dh);
        int n = hPrev.size(0), hidden = hPrev.size(1);
        checkOutputs("gruCellBackward", n, hidden, "dXg", dXg, 3, "dHg", dHg, 3, "dhPrev", dhPrev, 1);
        Device d = Kernels.sameDevice("gruCellBackward", act, hPrev, dh, dXg, dHg, dhPrev);
        Tensor a = Kernels.contiguous(act), hp = Kernels.contiguous(hPrev), g = Kernels.contiguous(dh);
        if (n * hidden > 0) {
            d.backend().gruCellBackward(n, hidden, a.buffer(), at(a), hp.buffer(), at(hp), g.buffer(), at(g), dXg.buffer(), at(dXg),
                    dHg.buffer(), at(dHg), dhPrev.buffer(), at(dhPrev));
        }
    }

    private static void checkGru(Tensor xGates, Tensor hGates, Tensor hPrev) {
        int n = hPrev.dim() == 2 ? hPrev.size(0) : -1, hidden = hPrev.dim() == 2 ? hPrev.size(1) : -1;
        if (n < 0 || !hasShape(xGates, n, 3 * hidden) || !hasShape(hGates, n, 3 * hidden)) {
            throw shapes("gruCell: expected xGates, hGates [N, 3H] and hPrev [N, H]", "xGates", xGates, "hGates", hGates, "hPrev", hPrev);
        }
    }

    private static void checkGruBackward(Tensor act, Tensor hPrev, Tensor dh) {
        int n = hPrev.dim() == 2 ? hPrev.size(0) : -1, hidden = hPrev.dim() == 2 ? hPrev.size(1) : -1;
        if (n < 0 || !hasShape(act, n, 4 * hidden) || !hasShape(dh, n, hidden)) {
            throw shapes("gruCellBackward: expected act [N, 4H] and hPrev, dh [N, H]", "act", act, "hPrev", hPrev, "dh", dh);
        }
    }

    // ---- shared checks ----------------------------------------------------------------------

    /** Each output {name, tensor, blocks}: contiguous [n, blocks·hidden]. */
    private static void checkOutputs(String op, int n, int hidden, Object... namesTensorsBlocks) {
        for (int i = 0; i < namesTensorsBlocks.length; i += 3) {
            Tensor t = (Tensor) namesTensorsBlocks[i + 1];
            int cols = (Integer) namesTensorsBlocks[i + 2] * hidden;
            if (t == null || !hasShape(t, n, cols) || !t.isContiguous()) {
                throw new IllegalArgumentException(op + ": output " + namesTensorsBlocks[i] + " must be a contiguous [" + n + ", " + cols
                        + "], got " + (t == null ? "null" : Arrays.toString(t.shape()) + (t.isContiguous() ? "" : " (not contiguous)")));
            }
        }
    }

    private static int at(Tensor t) {
        return t.layout().offset();
    }

    private static boolean hasShape(Tensor t, int rows, int cols) {
        return t.dim() == 2 && t.size(0) == rows && t.size(1) == cols;
    }

    /** The common device of the tensors that are not null. */
    private static Device device(String op, Tensor... ts) {
        return Kernels.sameDevice(op, Arrays.stream(ts).filter(Objects::nonNull).toArray(Tensor[]::new));
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
                    .append(t == null ? "null" : Arrays.toString(t.shape()));
        }
        return new IllegalArgumentException(expected + "; got " + got);
    }
}
