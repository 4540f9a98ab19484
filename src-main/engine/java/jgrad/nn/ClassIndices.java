package jgrad.nn;

import jgrad.backend.BinaryOp;
import jgrad.backend.UnaryOp;
import jgrad.tensor.Kernels;
import jgrad.tensor.Tensor;

/** Checks of class-index targets shared by the classification losses. */
final class ClassIndices {
    private ClassIndices() {}

    /**
     * Class indices must be whole numbers in 0…C−1 (or equal to {@code ignoreIndex} when one is
     * given). Counted on the device, one number comes back; only when something is wrong are the
     * targets read, to name the first bad one.
     */
    static void check(String loss, Tensor target, int classes, Integer ignoreIndex) {
        // valid = (t ≥ 0)·(t < C)·(t = ⌊t⌋): every comparison is false for NaN, so NaN counts as invalid
        Tensor valid = Kernels.zipScalar(BinaryOp.GE, target, 0f)
                .mul(Kernels.zipScalar(BinaryOp.LT, target, classes))
                .mul(Kernels.zip(BinaryOp.EQ, target, Kernels.map(UnaryOp.FLOOR, target)));
        if (ignoreIndex != null) valid = Kernels.zip(BinaryOp.MAX, valid, Kernels.zipScalar(BinaryOp.EQ, target, ignoreIndex));
        if (Kernels.sum(valid, new int[] {0}, false).item() < target.numel()) checkOnHost(loss, target.toFloatArray(), classes, ignoreIndex);
    }

    static void checkOnHost(String loss, float[] t, int classes, Integer ignoreIndex) {
        for (int i = 0; i < t.length; i++) {
            if (ignoreIndex != null && t[i] == ignoreIndex) continue;
            if (!(t[i] >= 0 && t[i] < classes && t[i] == Math.floor(t[i]))) {
                throw new IllegalArgumentException(loss + ": target " + t[i] + " at index " + i
                        + " is not a class index for " + classes + " classes (whole numbers 0.." + (classes - 1) + ")"
                        + (ignoreIndex != null ? " nor the ignore index " + ignoreIndex : ""));
            }
        }
    }
}
