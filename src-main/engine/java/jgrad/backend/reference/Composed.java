package jgrad.backend.reference;

import jgrad.backend.Backend;
import jgrad.backend.BinaryOp;
import jgrad.backend.Buffer;
import jgrad.backend.Layout;
import jgrad.backend.ReduceOp;
import jgrad.backend.UnaryOp;

/**
 * The fused primitives written from plain ones: what {@link Backend#softmax},
 * {@link Backend#crossEntropy} and the recurrent cells ({@link Backend#lstmCell}, {@link Backend#gruCell}
 * and their backward passes) mean, as a chain of {@code map}, {@code zip} and {@code reduce} calls
 * that runs on any backend. A fused primitive does the same work in one pass over each row (no
 * buffers in between); the contract test runs both on every backend and asserts that they agree to
 * a few float roundings ({@code FusedContractTest#softmaxEqualsItsComposition},
 * {@code #crossEntropyEqualsItsComposition}, {@code #lstmCellEqualsItsComposition},
 * {@code #gruCellEqualsItsComposition}). The cells' backward passes are arithmetic too: which
 * product is which derivative is the layers' business (RecurrentCellKernelsTest checks them against
 * central differences of the forward).
 *
 * <p>The other fused primitives, the optimizer steps {@link Backend#sgdStep} and
 * {@link Backend#adamStep}, are defined above the seam, where the optimizers state their rules in
 * tensor ops: {@code jgrad.optim.SGD.update} and {@code jgrad.optim.Adam.update}
 * ({@code FusedContractTest#sgdStepEqualsItsDefinition}, {@code #adamStepEqualsItsDefinition}).
 *
 * <p>Shapes: x is a contiguous [rows, cols] block from {@code xOffset}; a per-row value r is a
 * [rows] buffer read through the broadcast layout "stride 1 down, 0 across" as a [rows, cols] one.
 * Temporaries come from {@link Backend#empty}.
 */
public final class Composed {
    private Composed() {}

    /**
     * softmax(x)ᵣⱼ = e^(xᵣⱼ − mᵣ) / Σₖ e^(xᵣₖ − mᵣ), or with {@code log},
     * log softmax(x)ᵣⱼ = (xᵣⱼ − mᵣ) − log Σₖ e^(xᵣₖ − mᵣ), where mᵣ = maxₖ xᵣₖ. Subtracting the row
     * maximum changes nothing mathematically (it cancels) and keeps every exponent ≤ 0: no overflow.
     */
    public static void softmax(Backend b, boolean log, Buffer x, int xOffset, int rows, int cols, Buffer out) {
        if (rows == 0 || cols == 0) return;
        Layout grid = Layout.contiguous(rows, cols), xs = new Layout(grid.shape(), grid.strides(), xOffset);
        Layout perRow = perRow(rows, cols);
        Buffer m = b.empty(rows), z = b.empty(rows * cols), e = b.empty(rows * cols), s = b.empty(rows);
        b.reduce(ReduceOp.MAX, x, xOffset, rows, cols, 1, m);        // mᵣ = maxⱼ xᵣⱼ
        b.zip(BinaryOp.SUB, x, xs, m, perRow, z, grid);              // zᵣⱼ = xᵣⱼ − mᵣ ≤ 0
        b.map(UnaryOp.EXP, z, grid, e, grid);                        // eᵣⱼ = e^zᵣⱼ ≤ 1
        b.reduce(ReduceOp.SUM, e, 0, rows, cols, 1, s);              // sᵣ = Σⱼ eᵣⱼ ≥ 1
        if (log) {
            Buffer logS = b.empty(rows);
            b.map(UnaryOp.LOG, s, Layout.contiguous(rows), logS, Layout.contiguous(rows));
            b.zip(BinaryOp.SUB, z, grid, logS, perRow, out, grid);   // zᵣⱼ − log sᵣ
        } else {
            b.zip(BinaryOp.DIV, e, grid, s, perRow, out, grid);      // eᵣⱼ / sᵣ
        }
    }

    /**
     * Cross-entropy of each row against its class t = targets[r] (a whole number stored as a float):
     * loss[r] = −log softmax(x)ᵣₜ = −Σⱼ yᵣⱼ · log softmax(x)ᵣⱼ with y the one-hot row of t, and
     * probs = softmax(x). The one-hot row is applied as a mask ({@link BinaryOp#GATE}: keep where
     * y &gt; 0, else 0), not multiplied in, so a −∞ logit in another class gives 0 there instead of
     * 0·(−∞) = NaN.
     */
    public static void crossEntropy(Backend b, Buffer logits, int offset, int rows, int cols, Buffer targets, int targetOffset,
                                    Buffer loss, Buffer probs) {
        if (rows == 0 || cols == 0) return;
        softmax(b, false, logits, offset, rows, cols, probs);
        Layout grid = Layout.contiguous(rows, cols);
        Buffer logP = b.empty(rows * cols), y = b.empty(rows * cols), picked = b.empty(rows * cols);
        softmax(b, true, logits, offset, rows, cols, logP);
        float[] classes = new float[cols];
        for (int j = 0; j < cols; j++) classes[j] = j;
        Layout everyRow = new Layout(grid.shape(), new int[] {0, 1}, 0);               // j, in every row
        Layout target = new Layout(grid.shape(), new int[] {1, 0}, targetOffset);     // tᵣ, in every column
        b.zip(BinaryOp.EQ, b.upload(classes), everyRow, targets, target, y, grid);     // yᵣⱼ = [j = tᵣ]
        b.zip(BinaryOp.GATE, logP, grid, y, grid, picked, grid);                       // log pᵣⱼ where yᵣⱼ = 1, else 0
        b.reduce(ReduceOp.SUM, picked, 0, rows, cols, 1, loss);                        // log pᵣₜ
        b.map(UnaryOp.NEG, loss, Layout.contiguous(rows), loss, Layout.contiguous(rows));
    }

    // ---- recurrent cells: Backend.lstmCell, gruCell and their backward passes -----------------
    //
    // Shapes: every operand is n rows of blocks of H = hidden units. block(n, H, k, of, offset) sees
    // block k of rows that hold `of` blocks (an LSTM's gates: 4, a GRU's projections: 3) as an [n, H]
    // matrix; states and their gradients are plain [n, H] blocks, grid(n, H, offset).

    /** Backend.lstmCell: the four gate activations, then c = f⊙cPrev + i⊙g and h = o⊙tanh(c). */
    public static void lstmCell(Backend b, int n, int hidden, Buffer gates, int gOffset, Buffer cPrev, int cPrevOffset,
                                Buffer act, int actOffset, Buffer c, int cOffset, Buffer h, int hOffset) {
        if (n == 0 || hidden == 0) return;
        Layout grid = grid(n, hidden, 0);
        Layout i = block(n, hidden, 0, 4, actOffset), f = block(n, hidden, 1, 4, actOffset);
        Layout g = block(n, hidden, 2, 4, actOffset), o = block(n, hidden, 3, 4, actOffset);
        Layout cs = grid(n, hidden, cOffset);
        b.map(UnaryOp.SIGMOID, gates, block(n, hidden, 0, 4, gOffset), act, i);    // i = σ(G_i)
        b.map(UnaryOp.SIGMOID, gates, block(n, hidden, 1, 4, gOffset), act, f);    // f = σ(G_f)
        b.map(UnaryOp.TANH, gates, block(n, hidden, 2, 4, gOffset), act, g);       // g = tanh(G_g)
        b.map(UnaryOp.SIGMOID, gates, block(n, hidden, 3, 4, gOffset), act, o);    // o = σ(G_o)
        Buffer fc = b.empty(n * hidden), ig = b.empty(n * hidden), t = b.empty(n * hidden);
        b.zip(BinaryOp.MUL, act, f, cPrev, grid(n, hidden, cPrevOffset), fc, grid);  // f⊙cPrev
        b.zip(BinaryOp.MUL, act, i, act, g, ig, grid);                              // i⊙g
        b.zip(BinaryOp.ADD, fc, grid, ig, grid, c, cs);                             // c = f⊙cPrev + i⊙g
        b.map(UnaryOp.TANH, c, cs, t, grid);                                        // tanh(c)
        b.zip(BinaryOp.MUL, act, o, t, grid, h, grid(n, hidden, hOffset));                            // h = o⊙tanh(c)
    }

    /**
     * Backend.lstmCellBackward: with t = tanh(c), dc = dcNext + dh⊙o⊙(1 − t²), then each gate's
     * gradient is dc (dh for o) times what multiplies that gate in the forward, times the slope of
     * its activation at the saved value: σ' = s(1 − s), tanh' = 1 − g².
     */
    public static void lstmCellBackward(Backend b, int n, int hidden, Buffer act, int actOffset, Buffer cPrev, int cPrevOffset,
                                        Buffer c, int cOffset, Buffer dh, int dhOffset, Buffer dcNext, int dcNextOffset,
                                        Buffer dGates, int dGatesOffset, Buffer dcPrev, int dcPrevOffset) {
        if (n == 0 || hidden == 0) return;
        Layout grid = grid(n, hidden, 0), dhs = grid(n, hidden, dhOffset);
        Layout i = block(n, hidden, 0, 4, actOffset), f = block(n, hidden, 1, 4, actOffset);
        Layout g = block(n, hidden, 2, 4, actOffset), o = block(n, hidden, 3, 4, actOffset);
        Buffer t = b.empty(n * hidden), u = b.empty(n * hidden), s = b.empty(n * hidden), dc = b.empty(n * hidden);
        b.map(UnaryOp.TANH, c, grid(n, hidden, cOffset), t, grid);                   // t = tanh(c)
        b.zip(BinaryOp.MUL, t, grid, t, grid, u, grid);
        oneMinus(b, u, grid, u);                                                     // 1 − t²
        b.zip(BinaryOp.MUL, dh, dhs, act, o, dc, grid);
        b.zip(BinaryOp.MUL, dc, grid, u, grid, dc, grid);                            // dh⊙o⊙(1 − t²)
        b.zip(BinaryOp.ADD, dcNext, grid(n, hidden, dcNextOffset), dc, grid, dc, grid);  // dc = dcNext + dh⊙o⊙(1 − t²)
        sigmoidSlope(b, act, i, s);
        b.zip(BinaryOp.MUL, dc, grid, act, g, u, grid);
        b.zip(BinaryOp.MUL, u, grid, s, grid, dGates, block(n, hidden, 0, 4, dGatesOffset));   // dG_i = dc⊙g⊙i(1 − i)
        sigmoidSlope(b, act, f, s);
        b.zip(BinaryOp.MUL, dc, grid, cPrev, grid(n, hidden, cPrevOffset), u, grid);
        b.zip(BinaryOp.MUL, u, grid, s, grid, dGates, block(n, hidden, 1, 4, dGatesOffset));   // dG_f = dc⊙cPrev⊙f(1 − f)
        b.zip(BinaryOp.MUL, act, g, act, g, s, grid);
        oneMinus(b, s, grid, s);                                                     // 1 − g²
        b.zip(BinaryOp.MUL, dc, grid, act, i, u, grid);
        b.zip(BinaryOp.MUL, u, grid, s, grid, dGates, block(n, hidden, 2, 4, dGatesOffset));   // dG_g = dc⊙i⊙(1 − g²)
        sigmoidSlope(b, act, o, s);
        b.zip(BinaryOp.MUL, dh, dhs, t, grid, u, grid);
        b.zip(BinaryOp.MUL, u, grid, s, grid, dGates, block(n, hidden, 3, 4, dGatesOffset));   // dG_o = dh⊙t⊙o(1 − o)
        b.zip(BinaryOp.MUL, dc, grid, act, f, dcPrev, grid(n, hidden, dcPrevOffset));                      // dcPrev = dc⊙f
    }

    /** Backend.gruCell: r and z from the summed projections, m = tanh(x_n + r⊙h_n), h = (1 − z)⊙m + z⊙hPrev. */
    public static void gruCell(Backend b, int n, int hidden, Buffer xg, int xgOffset, Buffer hg, int hgOffset,
                               Buffer hPrev, int hPrevOffset, Buffer act, int actOffset, Buffer h, int hOffset) {
        if (n == 0 || hidden == 0) return;
        Layout grid = grid(n, hidden, 0);
        Layout r = block(n, hidden, 0, 4, actOffset), z = block(n, hidden, 1, 4, actOffset);
        Layout m = block(n, hidden, 2, 4, actOffset), hn = block(n, hidden, 3, 4, actOffset);
        Buffer u = b.empty(n * hidden), v = b.empty(n * hidden);
        b.zip(BinaryOp.ADD, xg, block(n, hidden, 0, 3, xgOffset), hg, block(n, hidden, 0, 3, hgOffset), u, grid);
        b.map(UnaryOp.SIGMOID, u, grid, act, r);                                    // r = σ(x_r + h_r)
        b.zip(BinaryOp.ADD, xg, block(n, hidden, 1, 3, xgOffset), hg, block(n, hidden, 1, 3, hgOffset), u, grid);
        b.map(UnaryOp.SIGMOID, u, grid, act, z);                                    // z = σ(x_z + h_z)
        b.copy(hg, block(n, hidden, 2, 3, hgOffset), act, hn);                      // h_n, kept for the backward
        b.zip(BinaryOp.MUL, act, r, act, hn, u, grid);
        b.zip(BinaryOp.ADD, xg, block(n, hidden, 2, 3, xgOffset), u, grid, u, grid);
        b.map(UnaryOp.TANH, u, grid, act, m);                                       // m = tanh(x_n + r⊙h_n)
        oneMinus(b, act, z, u);
        b.zip(BinaryOp.MUL, u, grid, act, m, u, grid);                              // (1 − z)⊙m
        b.zip(BinaryOp.MUL, act, z, hPrev, grid(n, hidden, hPrevOffset), v, grid);  // z⊙hPrev
        b.zip(BinaryOp.ADD, u, grid, v, grid, h, grid(n, hidden, hOffset));                           // h = (1 − z)⊙m + z⊙hPrev
    }

    /**
     * Backend.gruCellBackward: the gradient at each pre-activation is the gradient at the gate times
     * the slope of its activation at the saved value; r and z enter both projections alike, and the
     * hidden projection's n part is scaled by r on its way to m.
     */
    public static void gruCellBackward(Backend b, int n, int hidden, Buffer act, int actOffset, Buffer hPrev, int hPrevOffset,
                                       Buffer dh, int dhOffset, Buffer dXg, int dXgOffset, Buffer dHg, int dHgOffset,
                                       Buffer dhPrev, int dhPrevOffset) {
        if (n == 0 || hidden == 0) return;
        Layout grid = grid(n, hidden, 0), dhs = grid(n, hidden, dhOffset);
        Layout r = block(n, hidden, 0, 4, actOffset), z = block(n, hidden, 1, 4, actOffset);
        Layout m = block(n, hidden, 2, 4, actOffset), hn = block(n, hidden, 3, 4, actOffset);
        Buffer u = b.empty(n * hidden), s = b.empty(n * hidden), dm = b.empty(n * hidden);
        oneMinus(b, act, z, u);
        b.zip(BinaryOp.MUL, dh, dhs, u, grid, dm, grid);                             // dh⊙(1 − z)
        b.zip(BinaryOp.MUL, act, m, act, m, s, grid);
        oneMinus(b, s, grid, s);                                                     // 1 − m²
        b.zip(BinaryOp.MUL, dm, grid, s, grid, dm, grid);                            // dm = dh⊙(1 − z)⊙(1 − m²)
        b.zip(BinaryOp.SUB, hPrev, grid(n, hidden, hPrevOffset), act, m, u, grid);
        b.zip(BinaryOp.MUL, dh, dhs, u, grid, u, grid);                              // dh⊙(hPrev − m)
        sigmoidSlope(b, act, z, s);
        b.zip(BinaryOp.MUL, u, grid, s, grid, dXg, block(n, hidden, 1, 3, dXgOffset));      // dz = dh⊙(hPrev − m)⊙z(1 − z)
        b.zip(BinaryOp.MUL, dm, grid, act, hn, u, grid);
        sigmoidSlope(b, act, r, s);
        b.zip(BinaryOp.MUL, u, grid, s, grid, dXg, block(n, hidden, 0, 3, dXgOffset));      // dr = dm⊙h_n⊙r(1 − r)
        b.copy(dm, grid, dXg, block(n, hidden, 2, 3, dXgOffset));                           // dXg = dr, dz, dm
        b.copy(dXg, block(n, hidden, 0, 3, dXgOffset), dHg, block(n, hidden, 0, 3, dHgOffset));
        b.copy(dXg, block(n, hidden, 1, 3, dXgOffset), dHg, block(n, hidden, 1, 3, dHgOffset));
        b.zip(BinaryOp.MUL, dm, grid, act, r, dHg, block(n, hidden, 2, 3, dHgOffset));      // dHg = dr, dz, dm⊙r
        b.zip(BinaryOp.MUL, dh, dhs, act, z, dhPrev, grid(n, hidden, dhPrevOffset));                       // dhPrev = dh⊙z
    }

    /** out = 1 − x over an [n, H] grid (out contiguous; x through its layout), against a broadcast 1. */
    private static void oneMinus(Backend b, Buffer x, Layout xLayout, Buffer out) {
        Layout grid = Layout.contiguous(xLayout.shape());
        b.zip(BinaryOp.SUB, b.upload(new float[] {1f}), new Layout(grid.shape(), new int[] {0, 0}, 0), x, xLayout, out, grid);
    }

    /** out = s(1 − s) for a saved σ output s: the sigmoid's slope (out contiguous). */
    private static void sigmoidSlope(Backend b, Buffer s, Layout sLayout, Buffer out) {
        Layout grid = Layout.contiguous(sLayout.shape());
        oneMinus(b, s, sLayout, out);
        b.zip(BinaryOp.MUL, s, sLayout, out, grid, out, grid);
    }

    /** Block k of H = hidden units in rows of {@code of} such blocks, from offset, as an [n, H] matrix. */
    private static Layout block(int n, int hidden, int k, int of, int offset) {
        return new Layout(new int[] {n, hidden}, new int[] {of * hidden, 1}, offset + k * hidden);
    }

    /** A contiguous [n, H] block from offset. */
    private static Layout grid(int n, int hidden, int offset) {
        return new Layout(new int[] {n, hidden}, new int[] {hidden, 1}, offset);
    }

    /** A [rows] buffer seen as [rows, cols]: each row's value repeated across the row. */
    private static Layout perRow(int rows, int cols) {
        return new Layout(new int[] {rows, cols}, new int[] {1, 0}, 0);
    }
}
