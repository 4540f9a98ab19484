package jgrad.tensor;

import java.util.Arrays;
import jgrad.backend.Backend;
import jgrad.backend.BinaryOp;
import jgrad.backend.Buffer;
import jgrad.backend.Layout;
import jgrad.backend.ReduceOp;
import jgrad.backend.UnaryOp;
import jgrad.autograd.MemoryPolicy;

/**
 * Tensor-level kernels without autograd: the translation from "tensor op" to backend calls for
 * elementwise maps, copies and reductions (choosing reduction axes). Ops in {@code jgrad.ops} call
 * these for their forward and backward arithmetic. Their neighbours: {@link Broadcasting} (shapes
 * and the reverse sum), {@link MatMulKernels} (GEMM argument marshalling), {@link FusedKernels}
 * (softmax, cross-entropy, convolution, pooling).
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

    /** A new output of {@code shape}, its contents unspecified until the backend call after it writes them all. */
    public static Tensor empty(Device d, int[] shape) {
        int n = Layout.sizeOf(shape);
        Buffer b;
        try {
            b = d.backend().empty(n);
        } catch (OutOfMemoryError e) {
            throw Memory.tooLarge("a new tensor", shape, n, e);
        }
        MemoryPolicy.made(b, n);  // an event: a backward pass or a Sequential call may be the one to give it back
        return new Tensor(d, b, Layout.contiguous(shape));
    }

    // ---- elementwise ----------------------------------------------------------------------

    public static Tensor map(UnaryOp op, Tensor x) {
        Tensor out = empty(x.device(), x.layout().shape());
        x.device().backend().map(op, x.buffer(), x.layout(), out.buffer(), out.layout());
        return out;
    }

    /** out = op(x) written into an existing tensor of x's shape (out may be x itself: in place). */
    public static void mapInto(UnaryOp op, Tensor x, Tensor out) {
        sameDevice(op.name().toLowerCase(), x, out);
        x.device().backend().map(op, x.buffer(), x.layout(), out.buffer(), out.layout());
    }

    public static Tensor zip(BinaryOp op, Tensor a, Tensor b) {
        Device d = sameDevice(op.name().toLowerCase(), a, b);
        int[] shape = Broadcasting.broadcastShapes(op.name().toLowerCase(), a.layout().shape(), b.layout().shape());
        Tensor out = empty(d, shape);
        d.backend().zip(op, a.buffer(), Broadcasting.broadcastLayout(a, shape), b.buffer(), Broadcasting.broadcastLayout(b, shape),
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
        d.backend().zip(op, a.buffer(), Broadcasting.broadcastLayout(a, shape), b.buffer(), Broadcasting.broadcastLayout(b, shape),
                out.buffer(), out.layout());
    }

    public static void zipScalarInto(BinaryOp op, Tensor a, float s, Tensor out) {
        a.device().backend().zipScalar(op, a.buffer(), a.layout(), s, out.buffer(), out.layout());
    }

    /** dst = src, src broadcast to dst's shape. */
    public static void copyInto(Tensor src, Tensor dst) {
        Device d = sameDevice("copy", src, dst);
        d.backend().copy(src.buffer(), Broadcasting.broadcastLayout(src, dst.layout().shape()), dst.buffer(), dst.layout());
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
        x.device().backend().copy(x.buffer(), Broadcasting.broadcastLayout(x, shape), out.buffer(), out.layout());
        return out;
    }

    // ---- per channel of [N, C, …] (batch norm) --------------------------------------------

    /** x as a contiguous block from offset 0 (what the per-channel primitives read). */
    private static Tensor dense(Tensor x) {
        return x.isContiguous() && x.layout().offset() == 0 ? x : copy(x);
    }

    /** [C]: Σ over every axis but 1 of (a − aMean)·(b − bMean); b null stands for 1, a null mean for 0. Means are [C] (any shape of C elements). */
    public static Tensor channelSums(Tensor a, Tensor aMean, Tensor b, Tensor bMean) {
        int n = a.size(0), c = a.size(1), hw = a.numel() / Math.max(1, n * c);
        Tensor out = empty(a.device(), new int[] {c});
        a.device().backend().channelSums(n, c, hw, dense(a).buffer(), aMean == null ? null : dense(aMean).buffer(),
                b == null ? null : dense(b).buffer(), bMean == null ? null : dense(bMean).buffer(), out.buffer());
        return out;
    }

    /** (x − mean)·scale + shift (+ zScale·z), per channel of x [N, C, …]; the per-channel tensors hold C elements. */
    public static Tensor channelAffine(Tensor x, Tensor mean, Tensor scale, Tensor shift, Tensor z, Tensor zScale) {
        int n = x.size(0), c = x.size(1), hw = x.numel() / Math.max(1, n * c);
        Tensor out = empty(x.device(), x.layout().shape());
        x.device().backend().channelAffine(n, c, hw, dense(x).buffer(), dense(mean).buffer(), dense(scale).buffer(), dense(shift).buffer(),
                z == null ? null : dense(z).buffer(), z == null ? null : dense(zScale).buffer(), out.buffer());
        return out;
    }

    /** (x − mean)·scale + shift per channel of x [N, C, …], written into out (which may be x itself): out's shape is x's. */
    public static void channelAffineInto(Tensor x, Tensor mean, Tensor scale, Tensor shift, Tensor out) {
        if (!Arrays.equals(x.shape(), out.shape()) || !out.isContiguous() || out.layout().offset() != 0) {
            throw new IllegalArgumentException("channelAffineInto: out must be contiguous from its buffer's start and of x's shape " + Arrays.toString(x.shape())
                    + ", got " + Arrays.toString(out.shape()));
        }
        int n = x.size(0), c = x.size(1), hw = x.numel() / Math.max(1, n * c);
        x.device().backend().channelAffine(n, c, hw, dense(x).buffer(), dense(mean).buffer(), dense(scale).buffer(), dense(shift).buffer(),
                null, null, out.buffer());
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

}
