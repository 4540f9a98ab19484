package jgrad.tensor;

import java.util.Arrays;
import jgrad.backend.Layout;

/**
 * PyTorch's broadcasting, in both directions: the shape two operands broadcast to and the layout
 * that reads a tensor as if it had that shape (stride 0 on the broadcast dimensions), used by every
 * elementwise forward; and its reverse, {@link #sumTo}, which every backward applies through the
 * engine when an input was broadcast. No arithmetic of its own but the sum.
 */
public final class Broadcasting {
    private Broadcasting() {}

    /** PyTorch's broadcasting: align from the right; sizes must match or be 1. */
    public static int[] broadcastShapes(String op, int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + Arrays.toString(a) + " and "
                        + Arrays.toString(b) + " cannot be broadcast (dimension " + i + ": " + da + " vs " + db + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** The layout that reads {@code t} as if it had {@code shape} (stride 0 on broadcast dimensions). */
    public static Layout broadcastLayout(Tensor t, int[] shape) {
        Layout l = t.layout();
        int[] src = l.shape();
        int lead = shape.length - src.length;
        if (lead < 0) {
            throw new IllegalArgumentException("cannot broadcast shape " + Arrays.toString(src) + " to "
                    + Arrays.toString(shape));
        }
        int[] strides = new int[shape.length];
        for (int d = 0; d < shape.length; d++) {
            if (d < lead) continue;
            int s = src[d - lead];
            if (s == shape[d]) {
                strides[d] = l.strides()[d - lead];
            } else if (s != 1) {
                throw new IllegalArgumentException("cannot broadcast shape " + Arrays.toString(src) + " to "
                        + Arrays.toString(shape));
            }
        }
        return new Layout(shape.clone(), strides, l.offset());
    }

    /** Sums {@code g} down to {@code shape}: the reverse of broadcasting (used by every backward). */
    public static Tensor sumTo(Tensor g, int[] shape) {
        int[] gs = g.layout().shape();
        if (Arrays.equals(gs, shape)) return g;
        int lead = gs.length - shape.length;
        if (lead < 0) {
            throw new IllegalArgumentException("cannot reduce gradient of shape " + Arrays.toString(gs)
                    + " to larger shape " + Arrays.toString(shape));
        }
        int[] dims = new int[gs.length];
        int n = 0;
        for (int d = 0; d < gs.length; d++) {
            if (d < lead) {
                dims[n++] = d;
            } else if (shape[d - lead] == 1 && gs[d] != 1) {
                dims[n++] = d;
            } else if (shape[d - lead] != gs[d]) {
                throw new IllegalArgumentException("gradient of shape " + Arrays.toString(gs)
                        + " does not broadcast to input shape " + Arrays.toString(shape));
            }
        }
        Tensor s = Kernels.sum(g, Arrays.copyOf(dims, n), true);
        return new Tensor(s.device(), s.buffer(), Layout.contiguous(shape));
    }
}
