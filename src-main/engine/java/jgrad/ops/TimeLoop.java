package jgrad.ops;

import jgrad.backend.Layout;
import jgrad.tensor.Kernels;
import jgrad.tensor.MatMulKernels;
import jgrad.tensor.Tensor;

/**
 * The bookkeeping that {@link LstmSequence} and {@link GruSequence} share: T steps of n sequences,
 * run forward in time or in reverse, each step's rows a block of a [T·n, ·] buffer.
 */
record TimeLoop(int steps, int n, boolean reverse) {

    /** The k-th step forward runs: t = k, or T−1−k in reverse. */
    int forward(int k) {
        return reverse ? steps - 1 - k : k;
    }

    /** The k-th step backward runs: the forward order turned round. */
    int backward(int k) {
        return forward(steps - 1 - k);
    }

    /** Whether step t is the first forward runs (the one that reads the initial state). */
    boolean first(int t) {
        return t == forward(0);
    }

    /** The step forward ran just before t (whose state t read). */
    int before(int t) {
        return reverse ? t + 1 : t - 1;
    }

    /** Step t's rows of a contiguous [T·n, F] (or [T, n, F]) buffer, as an [n, F] view (no graph). */
    Tensor at(Tensor x, int t) {
        return rows(x, t * n, n);
    }

    /**
     * ∂C/∂W_hh = Σₜ δg⁽ᵗ⁾ᵀ·h⁽ᵗ⁻¹⁾ as one GEMM, for δg [T·n, G·H] (the gradient at each step's hidden
     * product) and hs the output's h rows in time order: every step but the first reads h⁽ᵗ⁻¹⁾
     * from hs, whose rows lie in the same order as δg's shifted by one step, so the sum over t and
     * n is one product with k = (T − 1)·n; the first step reads h₀ (nothing when it is zeros).
     */
    Tensor weightGradient(Tensor dg, Tensor hs, Tensor h0) {
        int rest = (steps - 1) * n;
        Tensor dW = Kernels.empty(dg.device(), new int[] {dg.size(1), hs.size(-1)});
        // forward: δg of steps 1 … T−1 with h of steps 0 … T−2; reverse: δg of 0 … T−2 with h of 1 … T−1
        MatMulKernels.mm(rows(dg, reverse ? 0 : n, rest).t(), rows(hs, reverse ? n : 0, rest), 0f, dW);
        if (h0 != null) MatMulKernels.mm(at(dg, forward(0)).t(), h0, 1f, dW);
        return dW;
    }

    /** A contiguous [T·N, F] seen as [T, N, F], sharing its memory (no graph). */
    static Tensor blocks(Tensor x, int steps, int n) {
        int width = x.size(-1);
        Layout l = new Layout(new int[] {steps, n, width}, new int[] {n * width, width, 1}, x.layout().offset());
        return new Tensor(x.device(), x.buffer(), l);
    }

    /** Rows from … from + count of a contiguous tensor seen as [rows, F], as a [count, F] view (no graph). */
    static Tensor rows(Tensor x, int from, int count) {
        int width = x.size(-1);
        Layout l = new Layout(new int[] {count, width}, new int[] {width, 1}, x.layout().offset() + from * width);
        return new Tensor(x.device(), x.buffer(), l);
    }
}
