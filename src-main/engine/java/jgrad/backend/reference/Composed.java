package jgrad.backend.reference;

import jgrad.backend.Backend;
import jgrad.backend.BinaryOp;
import jgrad.backend.Buffer;
import jgrad.backend.Layout;
import jgrad.backend.ReduceOp;
import jgrad.backend.UnaryOp;

/**
 * The fused row-wise primitives written from plain ones: what {@link Backend#softmax} and
 * {@link Backend#crossEntropy} mean, as a chain of {@code map}, {@code zip} and {@code reduce} calls
 * that runs on any backend. A fused primitive does the same work in one pass over each row (no
 * buffers in between); the contract test runs both on every backend and asserts that they agree to
 * a few float roundings ({@code FusedContractTest#softmaxEqualsItsComposition},
 * {@code #crossEntropyEqualsItsComposition}).
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

    /** A [rows] buffer seen as [rows, cols]: each row's value repeated across the row. */
    private static Layout perRow(int rows, int cols) {
        return new Layout(new int[] {rows, cols}, new int[] {1, 0}, 0);
    }
}
