package jgrad.ops;

import java.util.Arrays;
import jgrad.autograd.Function;
import jgrad.backend.Layout;
import jgrad.tensor.Kernels;
import jgrad.tensor.Broadcasting;
import jgrad.tensor.Tensor;

/**
 * Ops that only rearrange elements: reshape, permute/transpose, expand, slice, copy. Most are views
 * (same buffer, new {@link Layout}). Each output element is one input element, so the gradient is
 * moved back to where the element came from, unchanged: the inverse rearrangement. Expand is the one
 * that sends one input element to many outputs; its gradient sums them (done by the engine's
 * sum-to-shape rule).
 *
 * <p>Checked by: {@code jgrad.ops.ViewsTest}.
 */
public final class Views {
    private Views() {}

    /** New shape, same row-major order of elements. dX = dY reshaped back. */
    public static Tensor reshape(Tensor x, int... shape) {
        int[] target = inferShape(x, shape);
        Tensor src = Kernels.contiguous(x);
        Layout l = new Layout(target, Layout.contiguousStrides(target), src.layout().offset());
        return new Reshape(x).record(src.aliasWith(l));
    }

    private static int[] inferShape(Tensor x, int[] shape) {
        int[] target = shape.clone();
        int unknown = -1, known = 1;
        for (int i = 0; i < target.length; i++) {
            if (target[i] == -1) {
                if (unknown >= 0) throw new IllegalArgumentException("reshape" + Arrays.toString(shape) + ": only one dimension can be -1");
                unknown = i;
            } else if (target[i] < 0) {
                throw new IllegalArgumentException("reshape" + Arrays.toString(shape) + ": negative size");
            } else {
                known *= target[i];
            }
        }
        if (unknown >= 0) {
            if (known == 0 || x.numel() % known != 0) {
                throw new IllegalArgumentException("reshape: cannot infer -1 in " + Arrays.toString(shape)
                        + " for " + x.numel() + " elements of shape " + Arrays.toString(x.shape()));
            }
            target[unknown] = x.numel() / known;
        }
        if (Layout.sizeOf(target) != x.numel()) {
            throw new IllegalArgumentException("reshape: shape " + Arrays.toString(x.shape()) + " ("
                    + x.numel() + " elements) cannot become " + Arrays.toString(shape));
        }
        return target;
    }

    static final class Reshape extends Function {
        private final int[] inputShape;

        Reshape(Tensor x) { super(x); inputShape = x.shape(); }

        @Override
        protected Tensor[] backward(Tensor dY) {
            return grads(dY.reshape(inputShape));
        }
    }

    /** Output dimension i is input dimension dims[i]. dX = dY permuted by the inverse permutation. */
    public static Tensor permute(Tensor x, int... dims) {
        int r = x.dim();
        if (dims.length != r) {
            throw new IllegalArgumentException("permute" + Arrays.toString(dims) + ": needs " + r
                    + " dimensions for shape " + Arrays.toString(x.shape()));
        }
        int[] shape = new int[r], strides = new int[r], inverse = new int[r];
        boolean[] used = new boolean[r];
        for (int i = 0; i < r; i++) {
            int d = x.dimIndex(dims[i]);
            if (used[d]) throw new IllegalArgumentException("permute" + Arrays.toString(dims) + ": dimension repeated");
            used[d] = true;
            shape[i] = x.layout().shape()[d];
            strides[i] = x.layout().strides()[d];
            inverse[d] = i;
        }
        Tensor view = x.aliasWith(new Layout(shape, strides, x.layout().offset()));
        return new Permute(x, inverse).record(view);
    }

    public static Tensor transpose(Tensor x, int d0, int d1) {
        int[] dims = new int[x.dim()];
        for (int i = 0; i < dims.length; i++) dims[i] = i;
        int a = x.dimIndex(d0), b = x.dimIndex(d1);
        dims[a] = b;
        dims[b] = a;
        return permute(x, dims);
    }

    static final class Permute extends Function {
        private final int[] inverse;

        Permute(Tensor x, int[] inverse) { super(x); this.inverse = inverse; }

        @Override
        protected Tensor[] backward(Tensor dY) {
            return grads(dY.permute(inverse));
        }
    }

    /** Broadcast view (stride 0). The gradient is summed back over the repeated copies by the engine. */
    public static Tensor expand(Tensor x, int... shape) {
        int[] target = shape.clone();
        int lead = target.length - x.dim();
        for (int i = 0; i < target.length; i++) {
            if (target[i] == -1) {
                if (i < lead) throw new IllegalArgumentException("expand: -1 not allowed for a new leading dimension");
                target[i] = x.size(i - lead);
            }
        }
        Layout l = Broadcasting.broadcastLayout(x, target);
        return new Expand(x).record(x.aliasWith(l));
    }

    static final class Expand extends Function {
        Expand(Tensor x) { super(x); }

        @Override
        protected Tensor[] backward(Tensor dY) {
            return grads(dY);  // the engine sums dY down to the input's shape
        }
    }

    /** Elements start, start+step, … (below end) along dim. dX is zero except in the slice, where it is dY. */
    public static Tensor slice(Tensor x, int dim, int start, int end, int step) {
        int d = x.dimIndex(dim);
        int n = x.size(d);
        if (step <= 0) throw new IllegalArgumentException("slice: step must be positive, got " + step);
        int s = Math.clamp(start < 0 ? start + n : start, 0, n);
        int e = Math.clamp(end < 0 ? end + n : end, 0, n);
        int count = e > s ? (e - s + step - 1) / step : 0;
        int[] shape = x.shape(), strides = x.layout().strides().clone();
        shape[d] = count;
        int offset = x.layout().offset() + s * strides[d];
        strides[d] *= step;
        Tensor view = x.aliasWith(new Layout(shape, strides, offset));
        return new Slice(x, d, s, e, step).record(view);
    }

    static final class Slice extends Function {
        private final int[] inputShape;
        private final int dim, start, end, step;

        Slice(Tensor x, int dim, int start, int end, int step) {
            super(x);
            this.inputShape = x.shape();
            this.dim = dim;
            this.start = start;
            this.end = end;
            this.step = step;
        }

        @Override
        protected Tensor[] backward(Tensor dY) {
            Tensor dX = Tensor.zeros(dY.device(), inputShape);
            Kernels.copyInto(dY, dX.slice(dim, start, end, step));
            return grads(dX);
        }
    }

    /** A size-1 dimension inserted at {@code dim} (negative counts from the end of the result). */
    public static Tensor unsqueeze(Tensor x, int dim) {
        int r = x.dim() + 1;
        int d = dim < 0 ? dim + r : dim;
        if (d < 0 || d >= r) throw new IllegalArgumentException("unsqueeze: dimension " + dim + " out of range for rank " + x.dim());
        int[] s = x.shape();
        int[] out = new int[r];
        for (int i = 0, j = 0; i < r; i++) out[i] = i == d ? 1 : s[j++];
        return reshapeView(x, out);
    }

    /** Removes dimension {@code dim}, which must have size 1. */
    public static Tensor squeeze(Tensor x, int dim) {
        int d = x.dimIndex(dim);
        if (x.size(d) != 1) {
            throw new IllegalArgumentException("squeeze: dimension " + dim + " has size " + x.size(d)
                    + " in shape " + Arrays.toString(x.shape()));
        }
        int[] s = x.shape();
        int[] out = new int[s.length - 1];
        for (int i = 0, j = 0; i < s.length; i++) if (i != d) out[j++] = s[i];
        return reshapeView(x, out);
    }

    /** Adding or removing size-1 dimensions never needs a copy: keep the strides of the others. */
    private static Tensor reshapeView(Tensor x, int[] target) {
        int[] src = x.layout().shape(), srcStrides = x.layout().strides();
        int[] strides = new int[target.length];
        int j = 0;
        for (int i = 0; i < target.length; i++) {
            while (j < src.length && src[j] == 1 && target[i] != 1) j++;
            if (j < src.length && src[j] == target[i]) {
                strides[i] = srcStrides[j++];
            } else {
                strides[i] = 0;  // a new size-1 dimension: its stride is never used
            }
        }
        Tensor view = x.aliasWith(new Layout(target, strides, x.layout().offset()));
        return new Reshape(x).record(view);
    }

    /** A contiguous copy. dX = dY. */
    public static Tensor copy(Tensor x) {
        return new Copy(x).record(Kernels.copy(x));
    }

    static final class Copy extends Function {
        Copy(Tensor x) { super(x); }

        @Override
        protected Tensor[] backward(Tensor dY) {
            return grads(dY);
        }
    }
}
