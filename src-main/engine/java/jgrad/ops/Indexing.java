package jgrad.ops;

import java.util.Arrays;
import jgrad.autograd.Function;
import jgrad.backend.BinaryOp;
import jgrad.backend.Layout;
import jgrad.backend.UnaryOp;
import jgrad.tensor.Device;
import jgrad.tensor.Kernels;
import jgrad.tensor.Tensor;

/**
 * Picking elements by index: {@code indexSelect} (whole slices), {@code gather} (one element per
 * index, as {@code torch.gather}) and {@code embedding} (rows of a table). Each output element is
 * one input element, so the gradient goes back to where it came from; an input element picked
 * several times receives the <em>sum</em> of their gradients. That backward is a scatter-add:
 * <pre>
 *   forward   y[o, k, i] = x[o, idx[o, k, i], i]
 *   backward  dX[o, j, i] = Σ over k with idx[o, k, i] = j of dY[o, k, i]     (repeated j: summed)
 * </pre>
 * Both directions are one backend primitive each ({@code Backend.gatherAxis},
 * {@code Backend.scatterAddAxis}), on x seen as a contiguous [outer, n, inner] block around the
 * indexed dimension.
 *
 * <p><b>Indices are float tensors.</b> jgrad has one dtype, float32, which holds every whole number
 * exactly up to 2²⁴ = 16,777,216: class ids, token ids of any real vocabulary and row numbers fit.
 * (PyTorch takes int64 indices.) Every index is checked before use: a whole number, in 0 … n − 1,
 * and below 2²⁴ (above it, neighbouring integers round to the same float, so an index could be
 * silently another row). A bad one is an {@link IllegalArgumentException} naming the op, the
 * shapes, the position and the value. The check is counted on the device and reads back one
 * number, so on an asynchronous device (OpenCL) each call waits for its indices once.
 *
 * <p>Saved for backward: the index tensor (never its values on the host) and the shapes.
 *
 * <p>Checked by: {@code jgrad.ops.IndexingTest} (gradient checks, repeated indices, PyTorch values,
 * errors), {@code jgrad.backend.IndexingContractTest} (the primitives on every backend).
 *
 * @see <a href="../../../../../docs/ops/indexing.md">docs/ops/indexing.md</a>
 */
public final class Indexing {
    private Indexing() {}

    /** Indices must be below this: 2²⁴, the last integer up to which float32 has them all. */
    public static final int MAX_INDEX = 1 << 24;

    /**
     * The slices of x at the given positions along {@code dim}, as {@code torch.index_select}:
     * y has x's shape with size K at dim, and y[…, k, …] = x[…, index[k], …].
     * Shapes: x [..., n, ...], index [K] (or a scalar, K = 1), y [..., K, ...].
     */
    public static Tensor indexSelect(Tensor x, int dim, Tensor index) {
        return selectRows("indexSelect", x, dim, index, index.shape(), -1);
    }

    /**
     * Rows of a table: y[..., :] = W[indices[...], :], as {@code torch.nn.functional.embedding}.
     * Shapes: indices [...] (any shape), W [N, D], y [..., D]. The row {@code paddingIdx} (if not
     * null; negative counts from the end) receives no gradient, as PyTorch's padding_idx.
     */
    public static Tensor embedding(Tensor indices, Tensor weight, Integer paddingIdx) {
        if (weight.dim() != 2) {
            throw new IllegalArgumentException("embedding: weight must be [numEmbeddings, embeddingDim], got shape "
                    + Arrays.toString(weight.shape()));
        }
        int frozen = -1;
        if (paddingIdx != null) {
            int n = weight.size(0);
            if (paddingIdx < -n || paddingIdx >= n) {
                throw new IllegalArgumentException("embedding: paddingIdx " + paddingIdx + " is out of range for "
                        + n + " embeddings");
            }
            frozen = paddingIdx < 0 ? paddingIdx + n : paddingIdx;
        }
        int[] outShape = Arrays.copyOf(indices.shape(), indices.dim() + 1);
        outShape[indices.dim()] = weight.size(1);
        return selectRows("embedding", weight, 0, indices.reshape(-1), indices.shape(), frozen).reshape(outShape);
    }

    /** indexShape: the indices' shape as the caller gave them (embedding's are flattened here), for messages. */
    private static Tensor selectRows(String op, Tensor x, int dim, Tensor index, int[] indexShape, int frozenRow) {
        Kernels.sameDevice(op, x, index);
        if (index.dim() > 1) {
            throw new IllegalArgumentException(op + ": index must be 1-D (or a scalar), got shape "
                    + Arrays.toString(index.shape()) + " for x of shape " + Arrays.toString(x.shape()));
        }
        int d = dimOf(op, x, dim);
        int[] shape = x.shape();
        checkIndices(op, index, indexShape, shape[d], d, shape);
        int k = index.numel();
        Block b = Block.around(shape, d);
        // index_select repeats one list of indices for every (o, i): strides 0 on outer and inner
        Layout il = new Layout(new int[] {b.outer, k, b.inner},
                new int[] {0, index.dim() == 0 ? 0 : index.layout().strides()[0], 0}, index.layout().offset());
        int[] outShape = shape.clone();
        outShape[d] = k;
        return new IndexSelect(x, b, index, il, frozenRow).record(gatherAxis(x, b, index, il, outShape));
    }

    /**
     * y = x[..., idx[..., k, ...], ...] along {@code dim}, as {@code torch.gather}: for dim = 1,
     * y[a][k][c] = x[a][idx[a][k][c]][c]. Shapes: idx has x's rank and, in every other dimension, a
     * size no larger than x's; y has idx's shape.
     */
    public static Tensor gather(Tensor x, int dim, Tensor index) {
        Kernels.sameDevice("gather", x, index);
        int d = dimOf("gather", x, dim);
        int[] xs = x.shape(), is = index.shape();
        if (is.length != xs.length) {
            throw new IllegalArgumentException("gather: index of shape " + Arrays.toString(is) + " must have the rank of x "
                    + Arrays.toString(xs));
        }
        // x cut to the index's extent in every dimension but dim: a view, no copy
        int[] cut = xs.clone();
        for (int i = 0; i < xs.length; i++) {
            if (i == d) continue;
            if (is[i] > xs[i]) {
                throw new IllegalArgumentException("gather: index of shape " + Arrays.toString(is) + " is larger than x "
                        + Arrays.toString(xs) + " in dimension " + i + " (only dimension " + d + " may differ)");
            }
            cut[i] = is[i];
        }
        checkIndices("gather", index, index.shape(), xs[d], d, xs);
        Block b = Block.around(cut, d);
        Tensor idx = Kernels.contiguous(index);
        Layout il = new Layout(new int[] {b.outer, is[d], b.inner}, Layout.contiguousStrides(new int[] {b.outer, is[d], b.inner}),
                idx.layout().offset());
        Tensor xCut = x.aliasWith(new Layout(cut, x.layout().strides(), x.layout().offset()));
        return new Gather(x, cut, b, idx, il).record(gatherAxis(xCut, b, idx, il, is));
    }

    /** x's shape seen as [outer, n, inner] around dimension d. */
    private record Block(int outer, int n, int inner) {
        static Block around(int[] shape, int d) {
            int outer = 1, inner = 1;
            for (int i = 0; i < d; i++) outer *= shape[i];
            for (int i = d + 1; i < shape.length; i++) inner *= shape[i];
            return new Block(outer, shape[d], inner);
        }
    }

    /**
     * y = x[o, idx[o, k, i], i] (x at the indices); dX = Σ dY over the positions that picked each
     * element (a scatter-add). Saves the index; the row {@code frozenRow} (≥ 0: embedding's
     * padding row) gets a zero gradient.
     */
    static final class IndexSelect extends Function {
        private final int[] inputShape;
        private final Block block;
        private final Tensor index;
        private final Layout indexLayout;
        private final int frozenRow;

        IndexSelect(Tensor x, Block block, Tensor index, Layout indexLayout, int frozenRow) {
            super(x);
            this.inputShape = x.shape();
            this.block = block;
            this.index = saved(index);
            this.indexLayout = indexLayout;
            this.frozenRow = frozenRow;
        }

        // forward: y[o, k, i] = x[o, idx[k], i]  ⇒  ∂y[o,k,i]/∂x[o,j,i] = [idx[k] = j]
        // so dX[o, j, i] = Σₖ [idx[k] = j] · dY[o, k, i]
        @Override
        protected Tensor[] backward(Tensor dY) {
            Tensor dX = scatterAddAxis(dY, block, index, indexLayout, inputShape);
            if (frozenRow >= 0) dX.slice(0, frozenRow, frozenRow + 1).fillInPlace(0f);
            return grads(dX);
        }
    }

    /** As IndexSelect, with one index per output element; elements of x outside the index's extent get 0. */
    static final class Gather extends Function {
        private final int[] inputShape, cutShape;
        private final Block block;
        private final Tensor index;
        private final Layout indexLayout;

        Gather(Tensor x, int[] cutShape, Block block, Tensor index, Layout indexLayout) {
            super(x);
            this.inputShape = x.shape();
            this.cutShape = cutShape;
            this.block = block;
            this.index = saved(index);
            this.indexLayout = indexLayout;
        }

        // forward: y[o, k, i] = x[o, idx[o,k,i], i]  ⇒  dX[o, j, i] = Σₖ [idx[o,k,i] = j] · dY[o, k, i]
        @Override
        protected Tensor[] backward(Tensor dY) {
            Tensor dCut = scatterAddAxis(dY, block, index, indexLayout, cutShape);
            if (Arrays.equals(cutShape, inputShape)) return grads(dCut);
            Tensor dX = Tensor.zeros(dY.device(), inputShape);
            Layout part = new Layout(cutShape, dX.layout().strides(), 0);
            Kernels.copyInto(dCut, new Tensor(dX.device(), dX.buffer(), part));
            return grads(dX);
        }
    }

    // ---- the two primitives, on tensors -------------------------------------------------------

    private static Tensor gatherAxis(Tensor x, Block b, Tensor index, Layout il, int[] outShape) {
        Device dev = x.device();
        Tensor xc = Kernels.contiguous(x);
        Tensor out = Kernels.empty(dev, outShape);
        if (out.numel() > 0) {
            dev.backend().gatherAxis(xc.buffer(), xc.layout().offset(), b.outer, b.n, b.inner, index.buffer(), il, out.buffer());
        }
        return out;
    }

    private static Tensor scatterAddAxis(Tensor src, Block b, Tensor index, Layout il, int[] dstShape) {
        Device dev = src.device();
        Tensor s = Kernels.contiguous(src);
        Tensor dst = Kernels.empty(dev, dstShape);
        if (dst.numel() > 0) {
            dev.backend().scatterAddAxis(s.buffer(), s.layout().offset(), b.outer, b.n, b.inner, index.buffer(), il, dst.buffer());
        }
        return dst;
    }

    // ---- checks -------------------------------------------------------------------------------

    /** dim resolved (negative counts from the end), or an error naming the op and x's shape. */
    static int dimOf(String op, Tensor x, int dim) {
        int r = x.dim(), d = dim < 0 ? dim + r : dim;
        if (d < 0 || d >= r) {
            throw new IllegalArgumentException(op + ": dimension " + dim + " is out of range for x of shape "
                    + Arrays.toString(x.shape()));
        }
        return d;
    }

    /**
     * Every index must be a whole number in 0 … size − 1 and below 2²⁴. Counted on the device
     * (one number comes back); only when one is bad are the indices read, to name the first.
     */
    static void checkIndices(String op, Tensor index, int[] indexShape, int size, int dim, int[] xShape) {
        int count = index.numel();
        if (count == 0) return;
        int limit = Math.min(size, MAX_INDEX);
        // valid = (t ≥ 0)·(t < limit)·(t = ⌊t⌋): every comparison is false for NaN
        Tensor valid = Kernels.zipScalar(BinaryOp.GE, index, 0f)
                .mul(Kernels.zipScalar(BinaryOp.LT, index, limit))
                .mul(Kernels.zip(BinaryOp.EQ, index, Kernels.map(UnaryOp.FLOOR, index)));
        int[] all = new int[valid.dim()];
        for (int i = 0; i < all.length; i++) all[i] = i;
        if (Kernels.sum(valid, all, false).item() >= count) return;
        float[] t = index.toFloatArray();
        for (int i = 0; i < t.length; i++) {
            float v = t[i];
            String where = op + ": index " + v + " at " + position(i, indexShape) + " of indices of shape " + Arrays.toString(indexShape);
            String against = " for dimension " + dim + " of size " + size + " (x of shape " + Arrays.toString(xShape) + ")";
            if (v != Math.floor(v)) throw new IllegalArgumentException(where + " is not a whole number" + against);
            if (v >= MAX_INDEX) {
                throw new IllegalArgumentException(where + " is 2^24 = 16777216 or more: float32 holds whole numbers "
                        + "exactly only below that, so indices must be smaller" + against);
            }
            if (v < 0 || v >= size) throw new IllegalArgumentException(where + " is out of range" + against);
        }
    }

    /** Element i of a row-major tensor of this shape, as its indices: [1, 0]. */
    private static String position(int i, int[] shape) {
        int[] at = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            at[d] = shape[d] == 0 ? 0 : i % shape[d];
            i = shape[d] == 0 ? i : i / shape[d];
        }
        return Arrays.toString(at);
    }
}
