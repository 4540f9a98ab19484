package jgrad.ops;

import java.util.Arrays;
import jgrad.autograd.Function;
import jgrad.autograd.NoGrad;
import jgrad.backend.Pool2dShape;
import jgrad.tensor.Kernels;
import jgrad.tensor.FusedKernels;
import jgrad.tensor.Tensor;

/**
 * 2-D pooling over windows of x [N, C, H, W], giving y [N, C, P, Q].
 *
 * <p>Max: y = the largest value in the window. ∂y/∂x is 1 for the (first) position that held the
 * maximum and 0 for the others, so dX routes each dY to its argmax (saved in the forward).
 *
 * <p>Average: y = (1 / d) Σ window, d = kh·kw with padding counted as zeros (count_include_pad, PyTorch's
 * default), else d = the number of input positions in the window; a ceil-mode window hanging past
 * the padding is cut there ({@link Pool2dShape#avgDivisor}). ∂y/∂x = 1/d for every input position of
 * the window, so each dY is spread evenly over its window.
 *
 * <p>{@code ceilMode}: the output size rounds up, so a last, partial window covers the rows a floor
 * division would drop (only if it starts inside the input or its top padding), as PyTorch.
 *
 * <p>Checked by: {@code jgrad.ops.ConvPoolTest}; derivation in docs/ops/pooling.md.
 */
public final class Pool2d {
    private Pool2d() {}

    static Pool2dShape shape(Tensor x, int[] kernel, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad) {
        if (x.dim() != 4) {
            throw new IllegalArgumentException("pooling expects input [N, C, H, W], got " + Arrays.toString(x.shape()));
        }
        return new Pool2dShape(x.size(0), x.size(1), x.size(2), x.size(3), kernel[0], kernel[1], stride[0], stride[1],
                padding[0], padding[1], ceilMode, countIncludePad);
    }

    /** kernel, stride, padding as {height, width}; floor mode. */
    public static Tensor max(Tensor x, int[] kernel, int[] stride, int[] padding) {
        return max(x, kernel, stride, padding, false);
    }

    public static Tensor max(Tensor x, int[] kernel, int[] stride, int[] padding, boolean ceilMode) {
        return MaxPool.apply(x, shape(x, kernel, stride, padding, ceilMode, true));
    }

    /** kernel, stride, padding as {height, width}; floor mode, padding counted. */
    public static Tensor avg(Tensor x, int[] kernel, int[] stride, int[] padding) {
        return avg(x, kernel, stride, padding, false, true);
    }

    public static Tensor avg(Tensor x, int[] kernel, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad) {
        return AvgPool.apply(x, shape(x, kernel, stride, padding, ceilMode, countIncludePad));
    }

    /** Average pooling to a fixed output size, PyTorch's adaptive windows (see Backend#adaptiveAvgPool2d). */
    public static Tensor adaptiveAvg(Tensor x, int outH, int outW) {
        if (x.dim() != 4) {
            throw new IllegalArgumentException("adaptive pooling expects input [N, C, H, W], got " + Arrays.toString(x.shape()));
        }
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException("adaptive pooling output size must be positive, got " + outH + "×" + outW);
        }
        return AdaptiveAvgPool.apply(x, outH, outW);
    }

    /** Each window's mean: dX spreads each dY evenly over its window, as for AvgPool (windows may overlap). */
    static final class AdaptiveAvgPool extends Function {
        private final int[] inputShape;

        private AdaptiveAvgPool(Tensor x) {
            super(x);
            this.inputShape = x.shape();
        }

        static Tensor apply(Tensor x, int outH, int outW) {
            return new AdaptiveAvgPool(x).record(FusedKernels.adaptiveAvgPool2d(x, outH, outW));
        }

        @Override
        public String name() {
            return "AdaptiveAvgPool2d";
        }

        // dX[window] += dY / |window|
        @Override
        protected Tensor[] backward(Tensor dY) {
            return grads(FusedKernels.adaptiveAvgPool2dBackward(dY, inputShape));
        }
    }

    static final class MaxPool extends Function {
        private final Pool2dShape g;
        private Tensor argmax;

        private MaxPool(Tensor x, Pool2dShape g) {
            super(x);
            this.g = g;
        }

        static Tensor apply(Tensor x, Pool2dShape g) {
            // no graph will be recorded (no-grad inference, or an input that needs no gradient):
            // the argmax, kept only for the backward, is not computed at all
            if (!NoGrad.isGradEnabled() || !x.requiresGrad()) return FusedKernels.maxPool2dValues(g, x);
            MaxPool f = new MaxPool(x, g);
            Tensor[] yAndArgmax = FusedKernels.maxPool2d(g, x);
            f.argmax = yAndArgmax[1];
            f.savedForBackward(f.argmax);
            return f.record(yAndArgmax[0]);
        }

        @Override
        public String name() {
            return "MaxPool2d";
        }

        // dX[n, c, argmax] += dY[n, c, p, q]
        @Override
        protected Tensor[] backward(Tensor dY) {
            return grads(FusedKernels.maxPool2dBackward(g, dY, argmax));
        }
    }

    static final class AvgPool extends Function {
        private final Pool2dShape g;

        private AvgPool(Tensor x, Pool2dShape g) {
            super(x);
            this.g = g;
        }

        static Tensor apply(Tensor x, Pool2dShape g) {
            return new AvgPool(x, g).record(FusedKernels.avgPool2d(g, x));
        }

        @Override
        public String name() {
            return "AvgPool2d";
        }

        // in the forward pass this was: y = Σ window / d  ⇒  dX[window] += dY / d (d = g.avgDivisor(p, q))
        @Override
        protected Tensor[] backward(Tensor dY) {
            return grads(FusedKernels.avgPool2dBackward(g, dY));
        }
    }
}
