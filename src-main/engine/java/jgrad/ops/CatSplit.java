package jgrad.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jgrad.autograd.Function;
import jgrad.backend.Layout;
import jgrad.tensor.Device;
import jgrad.tensor.Kernels;
import jgrad.tensor.Tensor;

/**
 * Joining tensors along a dimension and cutting them apart again: {@code cat}, {@code stack},
 * {@code split}, {@code chunk}, as PyTorch's. The two directions are each other's backward:
 * <pre>
 *   y = cat(x₁, …, xₘ) along d        ⇒  dXᵢ = the slice of dY where xᵢ was put
 *   (y₁, …, yₘ) = split(x) along d    ⇒  dX = cat(dY₁, …, dYₘ)   (each piece a slice view, whose
 *                                          backward writes its dY into place; the engine adds them)
 * </pre>
 * {@code stack} is cat of the inputs with a new size-1 dimension; {@code split} and {@code chunk}
 * return {@link Views#slice} views sharing x's memory, as PyTorch's do.
 *
 * <p>Saved for backward: cat saves where each input starts along d; the slices save their bounds.
 *
 * <p>Checked by: {@code jgrad.ops.CatSplitTest}.
 *
 * @see <a href="../../../../../docs/ops/indexing.md">docs/ops/indexing.md</a>
 */
public final class CatSplit {
    private CatSplit() {}

    /**
     * Concatenation along {@code dim}: shapes [a₁, …, nᵢ, …] (equal but for dim) give
     * [a₁, …, Σ nᵢ, …]; the inputs follow each other in list order.
     */
    public static Tensor cat(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) throw new IllegalArgumentException("cat: needs at least one tensor");
        Tensor[] xs = tensors.toArray(Tensor[]::new);
        Device dev = Kernels.sameDevice("cat", xs);
        int[] first = xs[0].shape();
        if (first.length == 0) throw new IllegalArgumentException("cat: zero-dimensional tensors cannot be concatenated (unsqueeze or stack them)");
        int d = Indexing.dimOf("cat", xs[0], dim);
        int[] starts = new int[xs.length];
        int total = 0;
        for (int t = 0; t < xs.length; t++) {
            int[] s = xs[t].shape();
            boolean fits = s.length == first.length;
            for (int i = 0; fits && i < s.length; i++) fits = i == d || s[i] == first[i];
            if (!fits) {
                throw new IllegalArgumentException("cat: tensor " + t + " has shape " + Arrays.toString(s) + ", tensor 0 "
                        + Arrays.toString(first) + ": shapes must match except in dimension " + d);
            }
            starts[t] = total;
            total += s[d];
        }
        int[] outShape = first.clone();
        outShape[d] = total;
        Tensor out = Kernels.empty(dev, outShape);
        int[] strides = out.layout().strides();
        for (int t = 0; t < xs.length; t++) {
            // input t goes to the block of out that starts at starts[t] along d
            Layout block = new Layout(xs[t].shape(), strides, starts[t] * strides[d]);
            Kernels.copyInto(xs[t], new Tensor(dev, out.buffer(), block));
        }
        return new Cat(xs, d, starts).record(out);
    }

    /** y = cat(x₁, …, xₘ) along d. ∂y/∂xᵢ picks xᵢ's block, so dXᵢ = dY sliced to that block (a view). */
    static final class Cat extends Function {
        private final int dim;
        private final int[] starts, sizes;

        Cat(Tensor[] xs, int dim, int[] starts) {
            super(xs);
            this.dim = dim;
            this.starts = starts;
            this.sizes = new int[xs.length];
            for (int t = 0; t < xs.length; t++) sizes[t] = xs[t].size(dim);
        }

        @Override
        protected Tensor[] backward(Tensor dY) {
            Tensor[] dX = new Tensor[starts.length];
            for (int t = 0; t < dX.length; t++) {
                if (needsGrad(t)) dX[t] = dY.slice(dim, starts[t], starts[t] + sizes[t]);
            }
            return grads(dX);
        }
    }

    /**
     * Joins tensors of one shape [a, b, …] along a new dimension {@code dim} (−1 is the new last):
     * with dim 0 the result is [m, a, b, …] and y[t] = xₜ. It is cat of the inputs unsqueezed at dim.
     */
    public static Tensor stack(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) throw new IllegalArgumentException("stack: needs at least one tensor");
        int[] first = tensors.get(0).shape();
        int rank = first.length + 1;
        int d = dim < 0 ? dim + rank : dim;
        if (d < 0 || d >= rank) {
            throw new IllegalArgumentException("stack: dimension " + dim + " is out of range for tensors of shape "
                    + Arrays.toString(first) + " (the result has " + rank + " dimensions)");
        }
        List<Tensor> lifted = new ArrayList<>(tensors.size());
        for (int t = 0; t < tensors.size(); t++) {
            Tensor x = tensors.get(t);
            if (!Arrays.equals(x.shape(), first)) {
                throw new IllegalArgumentException("stack: tensor " + t + " has shape " + Arrays.toString(x.shape())
                        + ", tensor 0 " + Arrays.toString(first) + ": all must have the same shape");
            }
            lifted.add(x.unsqueeze(d));
        }
        return cat(lifted, d);
    }

    /**
     * Pieces of {@code splitSize} along {@code dim} (the last one smaller when the size does not
     * divide), as {@code torch.split}: views of x.
     */
    public static List<Tensor> split(Tensor x, int splitSize, int dim) {
        int d = Indexing.dimOf("split", x, dim), n = x.size(d);
        if (splitSize < 0 || splitSize == 0 && n > 0) {
            throw new IllegalArgumentException("split: size " + splitSize + " must be positive, for dimension " + d
                    + " of shape " + Arrays.toString(x.shape()));
        }
        List<Tensor> pieces = new ArrayList<>();
        if (n == 0) pieces.add(Views.slice(x, d, 0, 0, 1));
        for (int start = 0; start < n; start += splitSize) pieces.add(Views.slice(x, d, start, Math.min(n, start + splitSize), 1));
        return pieces;
    }

    /** Pieces of the given sizes along {@code dim}, which must add up to x's size there (torch.split with a list). */
    public static List<Tensor> split(Tensor x, int[] sizes, int dim) {
        int d = Indexing.dimOf("split", x, dim), n = x.size(d), sum = 0;
        for (int s : sizes) {
            if (s < 0) throw new IllegalArgumentException("split: negative size in " + Arrays.toString(sizes));
            sum += s;
        }
        if (sum != n) {
            throw new IllegalArgumentException("split: sizes " + Arrays.toString(sizes) + " add up to " + sum + ", but dimension "
                    + d + " of shape " + Arrays.toString(x.shape()) + " has size " + n);
        }
        List<Tensor> pieces = new ArrayList<>(sizes.length);
        int start = 0;
        for (int s : sizes) {
            pieces.add(Views.slice(x, d, start, start + s, 1));
            start += s;
        }
        return pieces;
    }

    /**
     * At most {@code chunks} pieces of ⌈n / chunks⌉ along {@code dim} (fewer when they run out), as
     * {@code torch.chunk}: 5 rows in 3 chunks are 2, 2, 1; 6 rows in 4 chunks are 2, 2, 2.
     */
    public static List<Tensor> chunk(Tensor x, int chunks, int dim) {
        int d = Indexing.dimOf("chunk", x, dim), n = x.size(d);
        if (chunks <= 0) throw new IllegalArgumentException("chunk: chunks must be positive, got " + chunks);
        if (n == 0) {
            List<Tensor> empty = new ArrayList<>(chunks);
            for (int c = 0; c < chunks; c++) empty.add(Views.slice(x, d, 0, 0, 1));
            return empty;
        }
        return split(x, (n + chunks - 1) / chunks, d);
    }
}
