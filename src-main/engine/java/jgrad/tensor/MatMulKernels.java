package jgrad.tensor;

import java.util.Arrays;
import jgrad.backend.Layout;

/**
 * The matrix product's argument marshalling: {@code torch.matmul}'s rules (1-D operands, batch
 * dimensions broadcast) turned into GEMM calls, with transposed views passed as flags (and leading
 * dimensions) instead of copies. The calculus is in {@code jgrad.ops.MatMul}.
 */
public final class MatMulKernels {
    private MatMulKernels() {}

    // ---- matrix product -------------------------------------------------------------------

    /**
     * torch.matmul: a is [..., m, k], b is [..., k, n], batch dimensions broadcast; 1-D operands are
     * treated as a row (a) or a column (b) and that dimension is removed from the result.
     */
    public static Tensor matmul(Tensor a, Tensor b) {
        Device dev = Kernels.sameDevice("matmul", a, b);
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
        int[] batch = Broadcasting.broadcastShapes("matmul",
                Arrays.copyOf(as, as.length - 2), Arrays.copyOf(bs, bs.length - 2));
        int batchCount = Layout.sizeOf(batch);
        int[] outShape = Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        Tensor c = Kernels.empty(dev, outShape);

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

    /**
     * out = a·b + beta·out for matrices: a [m, k] and b [k, n] (either may be a transposed view: a
     * flag, not a copy), out a contiguous [m, n] (a row block of a bigger tensor will do) that is
     * written in place, and read only when beta ≠ 0. What a loop over time steps needs: each step's
     * product added to, or written into, its own rows of the sequence's buffers.
     */
    public static void mm(Tensor a, Tensor b, float beta, Tensor out) {
        Device dev = Kernels.sameDevice("mm", a, b, out);
        boolean ok = a.dim() == 2 && b.dim() == 2 && out.dim() == 2 && a.size(1) == b.size(0)
                && out.size(0) == a.size(0) && out.size(1) == b.size(1) && out.isContiguous();
        if (!ok) {
            throw new IllegalArgumentException("mm: expected a [m, k], b [k, n] and a contiguous out [m, n]; got a "
                    + Arrays.toString(a.shape()) + ", b " + Arrays.toString(b.shape()) + ", out " + Arrays.toString(out.shape())
                    + (out.isContiguous() ? "" : " (not contiguous)"));
        }
        int m = a.size(0), k = a.size(1), n = b.size(1);
        if (m == 0 || n == 0) return;
        Operand A = Operand.of(a, new int[0], m, k), B = Operand.of(b, new int[0], k, n);
        dev.backend().gemm(A.trans, B.trans, 1, m, n, k, 1f, A.t.buffer(), A.offset, A.ld, 0, B.t.buffer(), B.offset, B.ld, 0,
                beta, out.buffer(), out.layout().offset(), n, 0);
    }

    /** A right operand made ready for many products ({@link #prepare}): its device, shape [k, n] and the backend's copy. */
    public record Prepared(Device device, int k, int n, jgrad.backend.PreparedB b) {}

    /**
     * b [k, n] (a transposed view will do) made ready for many products {@link #mm(Tensor, Prepared,
     * float, Tensor)}: a recurrent layer's W_hh, packed once per sequence instead of at every step.
     * b must not change while the result is in use.
     */
    public static Prepared prepare(Tensor b) {
        if (b.dim() != 2) throw new IllegalArgumentException("prepare: expected a matrix [k, n], got " + Arrays.toString(b.shape()));
        int k = b.size(0), n = b.size(1);
        Operand B = Operand.of(b, new int[0], k, n);
        return new Prepared(b.device(), k, n, b.device().backend().prepareB(B.trans, k, n, B.t.buffer(), B.offset, B.ld));
    }

    /** out = a·b + beta·out, as {@link #mm(Tensor, Tensor, float, Tensor)}, for a b made ready by {@link #prepare}. */
    public static void mm(Tensor a, Prepared b, float beta, Tensor out) {
        Device dev = Kernels.sameDevice("mm", a, out);
        boolean ok = dev == b.device() && a.dim() == 2 && out.dim() == 2 && a.size(1) == b.k() && out.size(0) == a.size(0)
                && out.size(1) == b.n() && out.isContiguous();
        if (!ok) {
            throw new IllegalArgumentException("mm: expected a [m, " + b.k() + "] and a contiguous out [m, " + b.n() + "] on " + b.device()
                    + "; got a " + Arrays.toString(a.shape()) + ", out " + Arrays.toString(out.shape()) + " on " + dev);
        }
        int m = a.size(0);
        if (m == 0 || b.n() == 0) return;
        Operand A = Operand.of(a, new int[0], m, b.k());
        dev.backend().gemm(A.trans, m, 1f, A.t.buffer(), A.offset, A.ld, b.b(), beta, out.buffer(), out.layout().offset(), b.n());
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
            Layout l = Broadcasting.broadcastLayout(x, target);
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
            Tensor c = Kernels.expandCopy(x, target);
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
