package jgrad.metrics;

import java.util.Arrays;
import jgrad.autograd.NoGrad;
import jgrad.backend.BinaryOp;
import jgrad.nn.Functional;
import jgrad.tensor.Kernels;
import jgrad.tensor.Tensor;

/**
 * Classification metrics computed on the device, one number back: accuracy and top-k accuracy of
 * scores [N, C] against class indices [N]. Checked by: {@code jgrad.metrics.MetricsTest}.
 */
public final class Metrics {
    private Metrics() {}

    /** The share of rows whose highest score is the target class (the first highest on a tie). */
    public static float accuracy(Tensor scores, Tensor targets) {
        check("accuracy", scores, targets);
        try (NoGrad scope = NoGrad.enter()) {
            return Kernels.zip(BinaryOp.EQ, scores.argmax(1, false), targets).mean().item();
        }
    }

    /**
     * The share of rows whose target class is among the k highest scores: fewer than k classes score
     * strictly higher than the target (so ties are counted in the target's favour).
     */
    public static float topK(Tensor scores, Tensor targets, int k) {
        check("topK", scores, targets);
        if (k < 1) throw new IllegalArgumentException("topK: k must be ≥ 1, got " + k);
        try (NoGrad scope = NoGrad.enter()) {
            Tensor targetScore = scores.mul(Functional.oneHot(targets, scores.size(1))).sum(1, true);   // [N, 1]
            Tensor higher = Kernels.zip(BinaryOp.GT, scores, targetScore).sum(1, false);                   // [N]
            return Kernels.zipScalar(BinaryOp.LT, higher, k).mean().item();
        }
    }

    private static void check(String what, Tensor scores, Tensor targets) {
        if (scores.dim() != 2 || targets.dim() != 1 || targets.size(0) != scores.size(0)) {
            throw new IllegalArgumentException(what + ": expected scores [N, C] and class indices [N], got "
                    + Arrays.toString(scores.shape()) + " and " + Arrays.toString(targets.shape()));
        }
    }
}
