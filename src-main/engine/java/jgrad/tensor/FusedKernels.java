package jgrad.tensor;

import jgrad.backend.Conv2dShape;
import jgrad.backend.Pool2dShape;

/**
 * Tensor-level calls of the fused primitives (softmax, cross-entropy, convolution, pooling; the
 * recurrent cells' are in {@link RecurrentKernels}): each
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

    /** y = conv(x, w) + b (b null for none), with w's filters as the backend prepared them ({@link jgrad.backend.Backend#prepareFilters}). */
    public static Tensor conv2d(Conv2dShape g, Tensor x, jgrad.backend.PreparedFilters w, Tensor b) {
        Device d = b == null ? x.device() : Kernels.sameDevice("conv2d", x, b);
        Tensor xc = Kernels.contiguous(x), bc = b == null ? null : Kernels.contiguous(b);
        Tensor y = Kernels.empty(d, new int[] {g.n(), g.k(), g.p(), g.q()});
        d.backend().conv2d(g, xc.buffer(), xc.layout().offset(), w, bc == null ? null : bc.buffer(), bc == null ? 0 : bc.layout().offset(), y.buffer());
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

    /** Grouped convolution, g one group's geometry: x [N, G·c, H, W], w [G·k, c, R, S] → y [N, G·k, P, Q]. */
    public static Tensor groupedConv2d(Conv2dShape g, int groups, Tensor x, Tensor w) {
        Device d = Kernels.sameDevice("conv2d", x, w);
        Tensor xc = Kernels.contiguous(x), wc = Kernels.contiguous(w);
        Tensor y = Kernels.empty(d, new int[] {g.n(), groups * g.k(), g.p(), g.q()});
        d.backend().groupedConv2d(g, groups, xc.buffer(), xc.layout().offset(), wc.buffer(), wc.layout().offset(), y.buffer());
        return y;
    }

    public static Tensor groupedConv2dInputGrad(Conv2dShape g, int groups, Tensor dy, Tensor w) {
        Device d = Kernels.sameDevice("conv2d backward", dy, w);
        Tensor dyc = copyIfOffset(dy), wc = Kernels.contiguous(w);
        Tensor dx = Kernels.empty(d, new int[] {g.n(), groups * g.c(), g.h(), g.w()});
        d.backend().groupedConv2dInputGrad(g, groups, dyc.buffer(), wc.buffer(), wc.layout().offset(), dx.buffer());
        return dx;
    }

    public static Tensor groupedConv2dWeightGrad(Conv2dShape g, int groups, Tensor x, Tensor dy) {
        Device d = Kernels.sameDevice("conv2d backward", x, dy);
        Tensor xc = Kernels.contiguous(x), dyc = copyIfOffset(dy);
        Tensor dw = Kernels.empty(d, new int[] {groups * g.k(), g.c(), g.r(), g.s()});
        d.backend().groupedConv2dWeightGrad(g, groups, xc.buffer(), xc.layout().offset(), dyc.buffer(), dw.buffer());
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
}
