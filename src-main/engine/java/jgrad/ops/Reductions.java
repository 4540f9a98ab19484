package jgrad.ops;

import jgrad.autograd.Function;
import jgrad.backend.BinaryOp;
import jgrad.tensor.Kernels;
import jgrad.tensor.Tensor;

/**
 * Reductions along dimensions: sum, mean, max.
 *
 * <p>Checked by: {@code jgrad.ops.ReductionsTest}.
 */
public final class Reductions {
    private Reductions() {}

    public static Tensor sum(Tensor x, int[] dims, boolean keepDim) { return Sum.apply(x, dims, keepDim); }

    /** mean = sum / (number of elements reduced). */
    public static Tensor mean(Tensor x, int[] dims, boolean keepDim) {
        int count = 1;
        for (int d : dims) count *= x.size(d);
        return Sum.apply(x, dims, keepDim).mul(1f / count);
    }

    public static Tensor max(Tensor x, int dim, boolean keepDim) { return Max.apply(x, dim, keepDim); }

    /**
     * s = Σᵢ xᵢ over the reduced dimensions. ∂s/∂xᵢ = 1 for every i, so each input element gets the
     * gradient of the sum it fed: dX = dS broadcast back over the reduced dimensions.
     */
    static final class Sum extends Function {
        private final int[] inputShape;
        private final int[] keptShape;

        private Sum(Tensor x, int[] keptShape) {
            super(x);
            this.inputShape = x.shape();
            this.keptShape = keptShape;
        }

        static Tensor apply(Tensor x, int[] dims, boolean keepDim) {
            Tensor kept = Kernels.sum(x, dims, true);
            Tensor out = keepDim ? kept : new Tensor(kept.device(), kept.buffer(),
                    jgrad.backend.Layout.contiguous(droppedShape(x, dims)));
            return new Sum(x, kept.shape()).record(out);
        }

        @Override
        protected Tensor[] backward(Tensor dS) {
            return grads(dS.reshape(keptShape).expand(inputShape));
        }

        /** The input shape without the reduced dimensions. */
        private static int[] droppedShape(Tensor x, int[] dims) {
            boolean[] drop = new boolean[x.dim()];
            for (int d : dims) drop[x.dimIndex(d)] = true;
            int kept = 0;
            for (boolean b : drop) if (!b) kept++;
            int[] out = new int[kept];
            for (int d = 0, j = 0; d < drop.length; d++) if (!drop[d]) out[j++] = x.size(d);
            return out;
        }
    }

    /**
     * m = maxᵢ xᵢ along one dimension. ∂m/∂xᵢ = 1 for the (first) index that holds the maximum and 0
     * elsewhere, so the gradient is routed to the argmax. Saves the argmax indices.
     */
    static final class Max extends Function {
        private final int dim;
        private final int[] inputShape;
        private final Tensor argmax;  // keepDim shape

        private Max(Tensor x, int dim, Tensor argmax) {
            super(x);
            this.dim = dim;
            this.inputShape = x.shape();
            this.argmax = argmax;
        }

        static Tensor apply(Tensor x, int dim, boolean keepDim) {
            int d = x.dimIndex(dim);
            Tensor argmax = Kernels.argmax(x, d, true);
            return new Max(x, d, argmax).record(Kernels.max(x, d, keepDim));
        }

        @Override
        protected Tensor[] backward(Tensor dM) {
            // one-hot mask of the argmax along dim: position index j == argmax
            int[] positionsShape = new int[inputShape.length];
            java.util.Arrays.fill(positionsShape, 1);
            positionsShape[dim] = inputShape[dim];
            Tensor positions = Kernels.indices(argmax.device(), inputShape[dim]).reshape(positionsShape);
            Tensor mask = Kernels.zip(BinaryOp.EQ, positions.expand(inputShape), argmax);
            return grads(mask.mul(dM.reshape(argmax.shape())));
        }
    }
}
