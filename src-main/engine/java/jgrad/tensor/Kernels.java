package jgrad.tensor;

import java.util.Arrays;
import jgrad.backend.Backend;
import jgrad.backend.BinaryOp;
import jgrad.backend.Buffer;
import jgrad.backend.Conv2dShape;
import jgrad.backend.Pool2dShape;
import jgrad.backend.Layout;
import jgrad.backend.ReduceOp;
import jgrad.backend.UnaryOp;
import jgrad.autograd.MemoryPolicy;

/**
 * Tensor-level kernels without autograd: the translation from "tensor op" to backend calls.
 * Here live the rules that are not calculus: broadcasting, choosing reduction axes, passing
 * transposed operands to GEMM as flags instead of copies. Ops in {@code jgrad.ops} call these for
 * their forward and backward arithmetic.
 */
public final class Kernels {
    private Kernels() {}

    // ---- checks ---------------------------------------------------------------------------

    /** The common device of the arguments, or a clear error naming the op and the devices. */
    public static Device sameDevice(String op, Tensor... ts) {
        Device d = ts[0].device();
        for (Tensor t : ts) {
            if (t.device() != d) {
                throw new IllegalArgumentException(op + ": tensors are on different devices (" + d + " and "
                        + t.device() + "); move them with to(device) first");
            }
        }
        return d;
    }

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

    /** An output tensor that the backend call after it overwrites in full (contents unspecified until then). */
    private static final java.util.Map<Device, java.util.Map<Integer, Tensor>> INDICES = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * 0, 1, …, n − 1 on {@code device}, made once per device and n and then reused (never modify
     * it): one-hot rows and index comparisons use it every step, and on a GPU a fresh one would be
     * an upload per step.
     */
    public static Tensor indices(Device device, int n) {
        return INDICES.computeIfAbsent(device, d -> new java.util.concurrent.ConcurrentHashMap<>())
                .computeIfAbsent(n, k -> Tensor.arange(device, 0, k, 1));
    }

    private static Tensor empty(Device d, int[] shape) {
        int n = Layout.sizeOf(shape);
        Buffer b = d.backend().empty(n);
        MemoryPolicy.made(b, n);  // an event: a backward pass or a Sequential call may be the one to give it back
        return new Tensor(d, b, Layout.contiguous(shape));
    }

    // ---- elementwise ----------------------------------------------------------------------

    public static Tensor map(UnaryOp op, Tensor x) {
        Tensor out = empty(x.device(), x.layout().shape());
        x.device().backend().map(op, x.buffer(), x.layout(), out.buffer(), out.layout());
        return out;
    }

    public static Tensor zip(BinaryOp op, Tensor a, Tensor b) {
        Device d = sameDevice(op.name().toLowerCase(), a, b);
        int[] shape = broadcastShapes(op.name().toLowerCase(), a.layout().shape(), b.layout().shape());
        Tensor out = empty(d, shape);
        d.backend().zip(op, a.buffer(), broadcastLayout(a, shape), b.buffer(), broadcastLayout(b, shape),
                out.buffer(), out.layout());
        return out;
    }

    public static Tensor zipScalar(BinaryOp op, Tensor a, float s) {
        Tensor out = empty(a.device(), a.layout().shape());
        a.device().backend().zipScalar(op, a.buffer(), a.layout(), s, out.buffer(), out.layout());
        return out;
    }

    /** out = op(a, b) written into an existing tensor (b broadcast to out's shape). */
    public static void zipInto(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        Device d = sameDevice(op.name().toLowerCase(), a, b, out);
        int[] shape = out.layout().shape();
        d.backend().zip(op, a.buffer(), broadcastLayout(a, shape), b.buffer(), broadcastLayout(b, shape),
                out.buffer(), out.layout());
    }

    public static void zipScalarInto(BinaryOp op, Tensor a, float s, Tensor out) {
        a.device().backend().zipScalar(op, a.buffer(), a.layout(), s, out.buffer(), out.layout());
    }

    /** dst = src, src broadcast to dst's shape. */
    public static void copyInto(Tensor src, Tensor dst) {
        Device d = sameDevice("copy", src, dst);
        d.backend().copy(src.buffer(), broadcastLayout(src, dst.layout().shape()), dst.buffer(), dst.layout());
    }

    /** A fresh contiguous copy. */
    public static Tensor copy(Tensor x) {
        Tensor out = empty(x.device(), x.layout().shape());
        x.device().backend().copy(x.buffer(), x.layout(), out.buffer(), out.layout());
        return out;
    }

    /** {@code x} itself if contiguous, else a contiguous copy. */
    public static Tensor contiguous(Tensor x) {
        return x.isContiguous() ? x : copy(x);
    }

    /** Reads {@code x} broadcast to {@code shape}, as a fresh contiguous tensor. */
    public static Tensor expandCopy(Tensor x, int[] shape) {
        Tensor out = empty(x.device(), shape);
        x.device().backend().copy(x.buffer(), broadcastLayout(x, shape), out.buffer(), out.layout());
        return out;
    }

    // ---- reductions -----------------------------------------------------------------------

    /** Σ over {@code dims}; keepDim leaves them as size 1. */
    public static Tensor sum(Tensor x, int[] dims, boolean keepDim) {
        return reduceDims(ReduceOp.SUM, x, dims, keepDim);
    }

    public static Tensor max(Tensor x, int dim, boolean keepDim) {
        return reduceDims(ReduceOp.MAX, x, new int[] {dim}, keepDim);
    }

    public static Tensor argmax(Tensor x, int dim, boolean keepDim) {
        return reduceDims(ReduceOp.ARGMAX, x, new int[] {dim}, keepDim);
    }

    /**
     * Reduces one axis at a time, last first: a contiguous [outer, n, inner] view of the current
     * tensor makes each axis a single backend call, without transposing.
     */
    private static Tensor reduceDims(ReduceOp op, Tensor x, int[] dims, boolean keepDim) {
        int rank = x.dim();
        boolean[] reduced = new boolean[rank];
        for (int d : dims) {
            int r = x.dimIndex(d);
            if (reduced[r]) throw new IllegalArgumentException(op + ": dimension " + d + " given twice");
            reduced[r] = true;
        }
        if (op == ReduceOp.ARGMAX || op == ReduceOp.MAX) {
            for (int d = 0; d < rank; d++) {
                if (reduced[d] && x.size(d) == 0) {
                    throw new IllegalArgumentException(op.name().toLowerCase() + " over dimension " + d
                            + " of size 0 in shape " + Arrays.toString(x.shape()));
                }
            }
        }
        Backend backend = x.device().backend();
        Tensor cur = contiguous(x);
        int[] shape = x.shape();  // shape of cur, with reduced dims set to 1 as we go
        for (int d = rank - 1; d >= 0; d--) {
            if (!reduced[d]) continue;
            // a run of adjacent reduced dimensions (e.g. H and W) is one axis of their product
            int first = d;
            while (first > 0 && reduced[first - 1]) first--;
            int outer = 1, inner = 1, n = 1;
            for (int i = 0; i < first; i++) outer *= shape[i];
            for (int i = d + 1; i < rank; i++) inner *= shape[i];
            for (int i = first; i <= d; i++) {
                n *= shape[i];
                shape[i] = 1;
            }
            if (op == ReduceOp.ARGMAX && first != d) throw new IllegalStateException("argmax over several dimensions");
            d = first;
            Tensor next = empty(x.device(), shape);
            backend.reduce(op, cur.buffer(), cur.layout().offset(), outer, n, inner, next.buffer());
            cur = next;
        }
        // No dimension reduced (a 0-dim tensor, or dims = {}): still return a fresh tensor, never x
        // itself (an op would record itself as x's own grad_fn) nor x's buffer read from offset 0.
        if (cur == x) cur = copy(x);
        if (keepDim) return cur;
        int kept = 0;
        for (boolean r : reduced) if (!r) kept++;
        int[] out = new int[kept];
        for (int d = 0, j = 0; d < rank; d++) if (!reduced[d]) out[j++] = shape[d];
        return new Tensor(cur.device(), cur.buffer(), Layout.contiguous(out));
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
        Tensor s = sum(g, Arrays.copyOf(dims, n), true);
        return new Tensor(s.device(), s.buffer(), Layout.contiguous(shape));
    }

    // ---- fused row-wise ops ----------------------------------------------------------------

    /** Softmax (or log-softmax) along the last dimension of a tensor viewed as [rows, cols]. */
    public static Tensor softmaxLastDim(Tensor x, boolean log) {
        Tensor c = contiguous(x);
        int cols = c.dim() == 0 ? 1 : c.size(-1);
        int rows = cols == 0 ? 0 : c.numel() / cols;
        Tensor out = empty(c.device(), c.shape());
        if (rows > 0) c.device().backend().softmax(log, c.buffer(), c.layout().offset(), rows, cols, out.buffer());
        return out;
    }

    /** Per-row softmax cross-entropy of logits [N, C] against class indices [N]: returns {loss [N], probs [N, C]}. */
    public static Tensor[] crossEntropy(Tensor logits, Tensor targets) {
        Device d = sameDevice("cross_entropy", logits, targets);
        Tensor x = contiguous(logits), t = contiguous(targets);
        int rows = x.size(0), cols = x.size(1);
        Tensor loss = empty(d, new int[] {rows}), probs = empty(d, x.shape());
        if (rows > 0) {
            d.backend().crossEntropy(x.buffer(), x.layout().offset(), rows, cols, t.buffer(), t.layout().offset(),
                    loss.buffer(), probs.buffer());
        }
        return new Tensor[] {loss, probs};
    }

    // ---- convolution and pooling (NCHW) --------------------------------------------------------

    /** y = conv(x, w) for x [N, C, H, W] and w [K, C, R, S] (no bias). */
    public static Tensor conv2d(Conv2dShape g, Tensor x, Tensor w) {
        Device d = sameDevice("conv2d", x, w);
        Tensor xc = contiguous(x), wc = contiguous(w);
        Tensor y = empty(d, new int[] {g.n(), g.k(), g.p(), g.q()});
        d.backend().conv2d(g, xc.buffer(), xc.layout().offset(), wc.buffer(), wc.layout().offset(), y.buffer());
        return y;
    }

    /** y = conv(x, w) + b, one bias per filter (b [K]). */
    public static Tensor conv2d(Conv2dShape g, Tensor x, Tensor w, Tensor b) {
        Device d = sameDevice("conv2d", x, w, b);
        Tensor xc = contiguous(x), wc = contiguous(w), bc = contiguous(b);
        Tensor y = empty(d, new int[] {g.n(), g.k(), g.p(), g.q()});
        d.backend().conv2d(g, xc.buffer(), xc.layout().offset(), wc.buffer(), wc.layout().offset(),
                bc.buffer(), bc.layout().offset(), y.buffer());
        return y;
    }

    public static Tensor conv2dInputGrad(Conv2dShape g, Tensor dy, Tensor w) {
        Device d = sameDevice("conv2d backward", dy, w);
        Tensor dyc = copyIfOffset(dy), wc = contiguous(w);
        Tensor dx = empty(d, new int[] {g.n(), g.c(), g.h(), g.w()});
        d.backend().conv2dInputGrad(g, dyc.buffer(), wc.buffer(), wc.layout().offset(), dx.buffer());
        return dx;
    }

    public static Tensor conv2dWeightGrad(Conv2dShape g, Tensor x, Tensor dy) {
        Device d = sameDevice("conv2d backward", x, dy);
        Tensor xc = contiguous(x), dyc = copyIfOffset(dy);
        Tensor dw = empty(d, new int[] {g.k(), g.c(), g.r(), g.s()});
        d.backend().conv2dWeightGrad(g, xc.buffer(), xc.layout().offset(), dyc.buffer(), dw.buffer());
        return dw;
    }

    /** Returns {y, argmax}. */
    /** The maxima without their positions (inference: nothing will route a gradient back). */
    public static Tensor maxPool2dValues(Pool2dShape g, Tensor x) {
        Tensor xc = contiguous(x);
        Tensor y = empty(x.device(), new int[] {g.n(), g.c(), g.p(), g.q()});
        x.device().backend().maxPool2d(g, xc.buffer(), xc.layout().offset(), y.buffer());
        return y;
    }

    public static Tensor[] maxPool2d(Pool2dShape g, Tensor x) {
        Tensor xc = contiguous(x);
        int[] out = {g.n(), g.c(), g.p(), g.q()};
        Tensor y = empty(x.device(), out), argmax = empty(x.device(), out);
        x.device().backend().maxPool2d(g, xc.buffer(), xc.layout().offset(), y.buffer(), argmax.buffer());
        return new Tensor[] {y, argmax};
    }

    public static Tensor maxPool2dBackward(Pool2dShape g, Tensor dy, Tensor argmax) {
        Tensor dx = empty(dy.device(), new int[] {g.n(), g.c(), g.h(), g.w()});
        dy.device().backend().maxPool2dBackward(g, copyIfOffset(dy).buffer(), argmax.buffer(), dx.buffer());
        return dx;
    }

    public static Tensor avgPool2d(Pool2dShape g, Tensor x) {
        Tensor xc = contiguous(x);
        Tensor y = empty(x.device(), new int[] {g.n(), g.c(), g.p(), g.q()});
        x.device().backend().avgPool2d(g, xc.buffer(), xc.layout().offset(), y.buffer());
        return y;
    }

    public static Tensor avgPool2dBackward(Pool2dShape g, Tensor dy) {
        Tensor dx = empty(dy.device(), new int[] {g.n(), g.c(), g.h(), g.w()});
        dy.device().backend().avgPool2dBackward(g, copyIfOffset(dy).buffer(), dx.buffer());
        return dx;
    }

    public static Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) {
        Tensor xc = contiguous(x);
        int[] s = x.shape();
        Tensor y = empty(x.device(), new int[] {s[0], s[1], outH, outW});
        x.device().backend().adaptiveAvgPool2d(s[0], s[1], s[2], s[3], outH, outW, xc.buffer(), xc.layout().offset(), y.buffer());
        return y;
    }

    public static Tensor adaptiveAvgPool2dBackward(Tensor dy, int[] inputShape) {
        int[] s = inputShape;
        Tensor dx = empty(dy.device(), s);
        dy.device().backend().adaptiveAvgPool2dBackward(s[0], s[1], s[2], s[3], dy.size(2), dy.size(3),
                copyIfOffset(dy).buffer(), dx.buffer());
        return dx;
    }

    /** A contiguous tensor starting at offset 0 (primitives that take no offset need one). */
    private static Tensor copyIfOffset(Tensor t) {
        return t.isContiguous() && t.layout().offset() == 0 ? t : copy(t);
    }

    // ---- matrix product -------------------------------------------------------------------

    /**
     * torch.matmul: a is [..., m, k], b is [..., k, n], batch dimensions broadcast; 1-D operands are
     * treated as a row (a) or a column (b) and that dimension is removed from the result.
     */
    public static Tensor matmul(Tensor a, Tensor b) {
        Device dev = sameDevice("matmul", a, b);
        if (a.dim() == 0 || b.dim() == 0) {
            throw new IllegalArgumentException("matmul: both arguments need at least 1 dimension, got shapes "
                    + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape()));
        }
        boolean aVec = a.dim() == 1, bVec = b.dim() == 1;
        Tensor a2 = aVec ? a.detach().unsqueeze(0) : a;
        Tensor b2 = bVec ? b.detach().unsqueeze(1) : b;
        int[] as = a2.shape(), bs = b2.shape();
        int m = as[as.length - 2], k = as[as.length - 1], kb = bs[bs.length - 2], n = bs[bs.length - 1];
        if (k != kb) {
            throw new IllegalArgumentException("matmul: shapes " + Arrays.toString(a.shape()) + " and "
                    + Arrays.toString(b.shape()) + " do not chain (" + k + " ≠ " + kb + ")");
        }
        int[] batch = broadcastShapes("matmul",
                Arrays.copyOf(as, as.length - 2), Arrays.copyOf(bs, bs.length - 2));
        int batchCount = Layout.sizeOf(batch);
        int[] outShape = Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        Tensor c = empty(dev, outShape);

        Operand A = Operand.of(a2, batch, m, k);
        Operand B = Operand.of(b2, batch, k, n);
        if (batchCount > 0 && m > 0 && n > 0) {
            dev.backend().gemm(A.trans, B.trans, batchCount, m, n, k, 1f,
                    A.t.buffer(), A.offset, A.ld, A.batchStride,
                    B.t.buffer(), B.offset, B.ld, B.batchStride,
                    0f, c.buffer(), 0, n, m * n);
        }
        int[] finalShape = outShape;
        if (aVec && bVec) finalShape = Arrays.copyOf(batch, batch.length);
        else if (aVec) finalShape = dropDim(outShape, outShape.length - 2);
        else if (bVec) finalShape = dropDim(outShape, outShape.length - 1);
        return new Tensor(dev, c.buffer(), Layout.contiguous(finalShape));
    }

    private static int[] dropDim(int[] shape, int d) {
        int[] out = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) if (i != d) out[j++] = shape[i];
        return out;
    }

    /**
     * One GEMM operand as the backend wants it: a row-major matrix with a leading dimension, or the
     * transpose of one (a transposed view costs a flag, not a copy), and one stride between batches.
     * Anything else (e.g. a slice with two non-unit strides) is copied to contiguous first.
     */
    private record Operand(Tensor t, boolean trans, int ld, int offset, int batchStride) {
        static Operand of(Tensor x, int[] batch, int rows, int cols) {
            int[] target = Arrays.copyOf(batch, batch.length + 2);
            target[batch.length] = rows;
            target[batch.length + 1] = cols;
            Layout l = broadcastLayout(x, target);
            int[] st = l.strides();
            int n = target.length;
            int sRow = st[n - 2], sCol = st[n - 1];
            Integer batchStride = uniformBatchStride(target, st, batch.length);
            boolean broadcastInside = (rows > 1 && sRow == 0) || (cols > 1 && sCol == 0);
            if (batchStride != null && !broadcastInside) {
                if (sCol == 1 || cols == 1) {
                    // element (i, p) at offset + i·ld + p
                    return new Operand(x, false, rows == 1 ? Math.max(cols, 1) : sRow, l.offset(), batchStride);
                }
                if (sRow == 1 || rows == 1) {
                    // a transposed view: element (i, p) at offset + p·ld + i
                    return new Operand(x, true, sCol, l.offset(), batchStride);
                }
            }
            Tensor c = expandCopy(x, target);
            return new Operand(c, false, Math.max(cols, 1), 0, rows * cols);
        }

        /** The single stride that steps through all batch dims in order, or null if there is none. */
        private static Integer uniformBatchStride(int[] shape, int[] strides, int nb) {
            Integer stride = null;
            int expectedNext = -1;
            for (int d = nb - 1; d >= 0; d--) {
                if (shape[d] == 1) continue;
                if (stride == null) {
                    stride = strides[d];
                } else if (strides[d] != expectedNext) {
                    return null;
                }
                expectedNext = strides[d] * shape[d];
            }
            return stride == null ? 0 : stride;
        }
    }
}
