package jgrad.ops;

import jgrad.autograd.Function;
import jgrad.tensor.Kernels;
import jgrad.tensor.MatMulKernels;
import jgrad.tensor.Tensor;

/**
 * Y = A·B, the heart of a fully connected layer (3Blue1Brown's W·a, with examples as rows:
 * Z = A·Wᵀ). A is [..., m, k], B is [..., k, n], Y is [..., m, n] (Y, not C: C is the cost in this project's notation).
 *
 * <p>Yᵢⱼ = Σₚ Aᵢₚ Bₚⱼ, so ∂Yᵢⱼ/∂Aᵢₚ = Bₚⱼ and ∂Yᵢⱼ/∂Bₚⱼ = Aᵢₚ. Summing over the outputs each
 * element feeds:
 * <pre>
 *   dA = dY · Bᵀ      (dAᵢₚ = Σⱼ dYᵢⱼ Bₚⱼ)
 *   dB = Aᵀ · dY      (dBₚⱼ = Σᵢ Aᵢₚ dYᵢⱼ)
 * </pre>
 * The transposes are views: the backend receives them as GEMM flags, not copies. Batch dimensions
 * that were broadcast are summed back by the engine. Saves A and B.
 *
 * <p>Checked by: {@code jgrad.ops.MatMulTest}.
 */
public final class MatMul extends Function {
    private final Tensor a, b;

    private MatMul(Tensor a, Tensor b) {
        super(a, b);
        this.a = saved(a);
        this.b = saved(b);
    }

    public static Tensor apply(Tensor a, Tensor b) {
        return new MatMul(a, b).record(MatMulKernels.matmul(a, b));
    }

    @Override
    protected Tensor[] backward(Tensor dY) {
        // Vectors are matrices with a dimension of 1: lift them, differentiate, and drop it again.
        Tensor a2 = a.dim() == 1 ? a.unsqueeze(0) : a;
        Tensor b2 = b.dim() == 1 ? b.unsqueeze(1) : b;
        Tensor dY2 = dY;
        if (a.dim() == 1 && b.dim() == 1) dY2 = dY.reshape(1, 1);
        else if (a.dim() == 1) dY2 = dY.unsqueeze(-2);
        else if (b.dim() == 1) dY2 = dY.unsqueeze(-1);
        Tensor dA = null, dB = null;
        if (needsGrad(0)) {
            dA = dY2.matmul(b2.transpose(-1, -2));
            if (a.dim() == 1) dA = dA.reshape(dropDim(dA, -2));
        }
        if (needsGrad(1)) {
            if (isTransposedMatrix(b)) {
                // Same dB = Aᵀ·dY, computed as (dYᵀ·A)ᵀ: the result then has b's memory order, so a
                // weight used as W.t() gets a gradient that is contiguous in W's own layout.
                dB = dY2.transpose(-1, -2).matmul(a2).transpose(-1, -2);
            } else {
                dB = a2.transpose(-1, -2).matmul(dY2);
            }
            if (b.dim() == 1) dB = dB.reshape(dropDim(dB, -1));
        }
        return grads(dA, dB);
    }

    /** A 2-D view whose columns are contiguous: the transpose of a row-major matrix (e.g. W.t()). */
    private static boolean isTransposedMatrix(Tensor t) {
        int[] st = t.layout().strides();
        return t.dim() == 2 && st[0] == 1 && st[1] != 1 && t.size(0) > 1;
    }

    /** The shape of a lifted gradient with its size-1 dimension {@code d} removed. */
    private static int[] dropDim(Tensor g, int d) {
        int[] s = g.shape();
        int drop = d < 0 ? s.length + d : d;
        int[] out = new int[s.length - 1];
        for (int i = 0, j = 0; i < s.length; i++) if (i != drop) out[j++] = s[i];
        return out;
    }
}
