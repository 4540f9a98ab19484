package jgrad.ops;

import java.util.Arrays;
import jgrad.autograd.Function;
import jgrad.backend.BinaryOp;
import jgrad.tensor.Broadcasting;
import jgrad.tensor.Kernels;
import jgrad.tensor.Tensor;

/**
 * Choosing elementwise between two sources: {@code where(condition, a, b)} and
 * {@code maskedFill(x, mask, value)}, as PyTorch's. A condition is a float tensor read as a
 * boolean: nonzero (NaN included) is true.
 * <pre>
 *   y = where(c, a, b):   yᵢ = aᵢ if cᵢ ≠ 0, else bᵢ
 *                         ∂yᵢ/∂aᵢ = [cᵢ ≠ 0],  ∂yᵢ/∂bᵢ = [cᵢ = 0]
 *                         dA = dY where c ≠ 0 (0 elsewhere),  dB = dY where c = 0
 * </pre>
 * The condition gets no gradient (it is a choice, not a quantity). c, a and b broadcast together
 * like PyTorch's; the engine sums dA and dB back to a's and b's shapes.
 *
 * <p>The choice is made with {@code BinaryOp.GATE} (a where m &gt; 0, else exactly 0), never as
 * m·a + (1 − m)·b, which would turn an unchosen ∞ or NaN into NaN (0·∞ = NaN). Saves the two
 * masks [c ≠ 0] and [c = 0] (c's shape) for backward.
 *
 * <p>Checked by: {@code jgrad.ops.WhereTest}.
 *
 * @see <a href="../../../../../docs/ops/indexing.md">docs/ops/indexing.md</a>
 */
public final class Where {
    private Where() {}

    /** yᵢ = aᵢ where conditionᵢ ≠ 0, else bᵢ; the three broadcast to one shape. */
    public static Tensor where(Tensor condition, Tensor a, Tensor b) {
        Kernels.sameDevice("where", condition, a, b);
        int[] shape = Broadcasting.broadcastShapes("where", condition.shape(), a.shape());
        Broadcasting.broadcastShapes("where", shape, b.shape());  // fails with the shapes named when they do not fit
        Tensor isFalse = Kernels.zipScalar(BinaryOp.EQ, condition, 0f);     // [c = 0]
        Tensor isTrue = Kernels.zipScalar(BinaryOp.LT, isFalse, 0.5f);     // [c ≠ 0], NaN included
        Tensor y = Kernels.zip(BinaryOp.ADD, Kernels.zip(BinaryOp.GATE, a, isTrue), Kernels.zip(BinaryOp.GATE, b, isFalse));
        return new Select(a, b, isTrue, isFalse).record(y);
    }

    /**
     * y = x with {@code value} where mask ≠ 0, as {@code Tensor.masked_fill}: mask broadcasts to
     * x's shape, and y has x's shape. dX = dY where mask = 0, and 0 where it was filled.
     */
    public static Tensor maskedFill(Tensor x, Tensor mask, float value) {
        Kernels.sameDevice("maskedFill", x, mask);
        int[] shape = Broadcasting.broadcastShapes("maskedFill", x.shape(), mask.shape());
        if (!Arrays.equals(shape, x.shape())) {
            throw new IllegalArgumentException("maskedFill: mask of shape " + Arrays.toString(mask.shape())
                    + " does not broadcast to x's shape " + Arrays.toString(x.shape()) + " (it would make "
                    + Arrays.toString(shape) + ")");
        }
        Tensor keep = Kernels.zipScalar(BinaryOp.EQ, mask, 0f);        // [mask = 0]
        Tensor fill = Kernels.zipScalar(BinaryOp.LT, keep, 0.5f);      // [mask ≠ 0]
        Tensor filler = Tensor.full(x.device(), value);               // a scalar, broadcast by GATE
        Tensor y = Kernels.zip(BinaryOp.ADD, Kernels.zip(BinaryOp.GATE, x, keep), Kernels.zip(BinaryOp.GATE, filler, fill));
        return new Select(x, null, keep, null).record(y);
    }

    /** y = a where m, else b (b may be a constant: then only a is an input). dA = dY·[m], dB = dY·[not m]. */
    static final class Select extends Function {
        private final Tensor toA, toB;

        Select(Tensor a, Tensor b, Tensor toA, Tensor toB) {
            super(b == null ? new Tensor[] {a} : new Tensor[] {a, b});
            this.toA = toA;
            this.toB = toB;
        }

        @Override
        protected Tensor[] backward(Tensor dY) {
            Tensor dA = needsGrad(0) ? Kernels.zip(BinaryOp.GATE, dY, toA) : null;
            if (toB == null) return grads(dA);
            return grads(dA, needsGrad(1) ? Kernels.zip(BinaryOp.GATE, dY, toB) : null);
        }
    }
}
