package jgrad.nn;

import jgrad.autograd.NoGrad;
import jgrad.ops.Indexing;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;

/**
 * A lookup table of learned vectors, as {@code torch.nn.Embedding}: token id j becomes row j of W.
 * It is the same as multiplying a one-hot row by W (y = onehot(j)·W picks row j), without building
 * the one-hot matrix.
 *
 * <p>Shapes: indices [...] (any shape; whole numbers 0 … N − 1 stored as floats, see
 * {@link Indexing}) · W: [N, D] (numEmbeddings, embeddingDim) · y: [..., D].
 *
 * <p>Forward: y[…, :] = W[idx[…], :]. Local derivative: ∂y[p, d]/∂W[j, d] = [idx[p] = j].
 * Backward: dW[j, :] = Σ over the positions p with idx[p] = j of dY[p, :]: a scatter-add, so a token
 * that appears twice in a batch gets both gradients. The indices get no gradient.
 *
 * <p>paddingIdx (optional, as PyTorch's padding_idx): that row starts at zero and never receives a
 * gradient, so it stays what it is (a "no token" vector for padded positions).
 *
 * <p>Initialisation as PyTorch's: W ~ N(0, 1), the padding row (if any) zero.
 *
 * <p>Checked by: {@code jgrad.nn.EmbeddingTest} (PyTorch values, repeated indices, padding row,
 * gradient check); the op itself by {@code jgrad.ops.IndexingTest}.
 */
public class Embedding extends Module {
    private final int numEmbeddings, embeddingDim;
    private final Integer paddingIdx;
    public final Parameter weight;

    public Embedding(int numEmbeddings, int embeddingDim, Generator g) {
        this(numEmbeddings, embeddingDim, null, g);
    }

    /** @param paddingIdx a row that gets no gradient (negative counts from the end), or null */
    public Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx, Generator g) {
        if (numEmbeddings <= 0 || embeddingDim <= 0) {
            throw new IllegalArgumentException("Embedding(" + numEmbeddings + ", " + embeddingDim + "): sizes must be positive");
        }
        if (paddingIdx != null && (paddingIdx < -numEmbeddings || paddingIdx >= numEmbeddings)) {
            throw new IllegalArgumentException("Embedding(" + numEmbeddings + ", " + embeddingDim + "): paddingIdx "
                    + paddingIdx + " is out of range");
        }
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.paddingIdx = paddingIdx != null && paddingIdx < 0 ? Integer.valueOf(paddingIdx + numEmbeddings) : paddingIdx;
        this.weight = registerParameter("weight", new Parameter(Tensor.randn(g, numEmbeddings, embeddingDim)));
        if (this.paddingIdx != null) {
            try (NoGrad scope = NoGrad.enter()) {
                weight.slice(0, this.paddingIdx, this.paddingIdx + 1).fillInPlace(0f);
            }
        }
    }

    /** y = W[indices]: one row of W per index, shaped [..., embeddingDim]. */
    @Override
    public Tensor forward(Tensor indices) {
        return Indexing.embedding(indices, weight, paddingIdx);
    }

    /** The functional form, as {@code torch.nn.functional.embedding(indices, weight)}. */
    public static Tensor embedding(Tensor indices, Tensor weight) {
        return Indexing.embedding(indices, weight, null);
    }

    /** The same with a padding row that receives no gradient (padding_idx; null for none). */
    public static Tensor embedding(Tensor indices, Tensor weight, Integer paddingIdx) {
        return Indexing.embedding(indices, weight, paddingIdx);
    }

    public int numEmbeddings() {
        return numEmbeddings;
    }

    public int embeddingDim() {
        return embeddingDim;
    }

    @Override
    protected String extraRepr() {
        return numEmbeddings + ", " + embeddingDim + (paddingIdx != null ? ", padding_idx=" + paddingIdx : "");
    }
}
