package jgrad.backend.simd;

import static jgrad.backend.simd.Simd.F;
import static jgrad.backend.simd.Simd.LANES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jgrad.backend.Pool2dShape;

/**
 * Max pooling with 3×3 windows, stride 2, padding 1: the stem of ResNet (after the 7×7 convolution).
 * The generic loop took about 37 ns an output on random activations (each comparison a branch that
 * mispredicts about half the time); here a vector of outputs reads two pairs of vectors per input row,
 * splits them into the columns 2q − 1, 2q and 2q + 1 of each output q, and keeps the first maximum
 * with compares and blends, in the generic loop's order (rows top to bottom, columns left to right,
 * a later candidate only if strictly greater). Outputs whose right column falls off the row are left
 * to the generic loop ({@link Pooling}), as is a whole plane narrower than two vectors. (The running
 * maximum starts as a −∞ vector, never a null one: a vector variable that may be null is not kept in
 * registers, and with it the kernel boxed its vectors and ran 2.7× slower.) Without an argmax
 * (inference) the maxima alone come from {@link #maxima}, a simpler kernel.
 */
final class PoolingStem {
    private PoolingStem() {}

    // the even and odd halves of 2·LANES floats, and each lane's first column: as Pooling's 2×2 windows
    private static final VectorShuffle<Float> EVEN = Pooling.EVEN, ODD = Pooling.ODD;
    private static final float[] TWICE_IOTA = Pooling.TWICE_IOTA;

    static boolean suits(Pool2dShape g) {
        return g.kh() == 3 && g.kw() == 3 && g.strideH() == 2 && g.strideW() == 2 && g.padH() == 1 && g.padW() == 1;
    }

    /** Outputs per row this class computes (columns 0 … n−1); 0 when the row is too short for a vector. */
    static int vectorColumns(int W, int Q) {
        int inside = Math.min(Q, W / 2);  // 2q + 1 ≤ W − 1
        return inside >= LANES ? inside : 0;
    }

    /** Outputs [p, 0 … qv) of every row p of one plane; true if a window held a NaN (or ±∞ that cancel). */
    static boolean threeByThree(float[] x, int in, int H, int W, int P, int qv, int Q, float[] y, float[] argmax, int out) {
        if (qv == 0) return false;
        if (argmax == null) return maxima(x, in, H, W, P, qv, Q, y, out);
        VectorMask<Float> nan = F.maskAll(false), laneZero = F.indexInRange(0, 1);
        FloatVector none = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (int p = 0; p < P; p++) {
            int r0 = Math.max(0, 2 * p - 1), r1 = Math.min(H - 1, 2 * p + 1), o = out + p * Q;
            for (int q0 = 0; q0 < qv; q0 += LANES) {
                int q = Math.min(q0, qv - LANES), c = 2 * q;  // the last vector moved back to end at qv
                FloatVector atMid = FloatVector.fromArray(F, TWICE_IOTA, 0).add(c);
                // column −1 is padding: −∞ there, at the middle column's index (so a window of −∞ names column 0, as the generic loop)
                FloatVector leftShift = c == 0 ? atMid.blend(atMid.sub(1f), laneZero.not()) : atMid.sub(1f);
                // best starts at −∞ with the first candidate's index: a first candidate of −∞ is then kept by index, as the generic loop keeps it
                FloatVector best = none, where = leftShift.add(r0 * W);
                for (int r = r0; r <= r1; r++) {
                    int row = in + r * W;
                    FloatVector lo = FloatVector.fromArray(F, x, row + c), hi = FloatVector.fromArray(F, x, row + c + LANES);
                    FloatVector mid = lo.rearrange(EVEN, hi), right = lo.rearrange(ODD, hi), left;
                    if (c == 0) {
                        left = none.slice(LANES - 1, right);
                    } else {
                        FloatVector lo1 = FloatVector.fromArray(F, x, row + c - 1), hi1 = FloatVector.fromArray(F, x, row + c - 1 + LANES);
                        left = lo1.rearrange(EVEN, hi1);
                    }
                    FloatVector at = atMid.add(r * W);
                    nan = nan.or(left.add(mid).add(right).test(VectorOperators.IS_NAN));
                    VectorMask<Float> m = left.compare(VectorOperators.GT, best);
                    best = best.blend(left, m);
                    where = where.blend(leftShift.add(r * W), m);
                    m = mid.compare(VectorOperators.GT, best);
                    best = best.blend(mid, m);
                    where = where.blend(at, m);
                    m = right.compare(VectorOperators.GT, best);
                    best = best.blend(right, m);
                    where = where.blend(at.add(1f), m);
                }
                best.intoArray(y, o + q);
                if (argmax != null) where.intoArray(argmax, o + q);
            }
        }
        return nan.anyTrue();
    }
    /** Index map of a gather that takes every second float: 0, 2, 4, … */
    private static final int[] EVERY_SECOND = java.util.stream.IntStream.range(0, LANES).map(i -> 2 * i).toArray();

    /** Per-thread row of column maxima: [−∞, m(0), …, m(W − 1)], m(c) the largest of column c in the window's rows. */
    private static final ThreadLocal<float[]> ROW = ThreadLocal.withInitial(() -> new float[0]);

    /**
     * The maxima alone, without where they were (inference): first down the window's rows, the
     * largest of each column into a row m with −∞ in front for the padding column; then along it,
     * output q the largest of m's entries 2q, 2q + 1 and 2q + 2 (input columns 2q − 1 … 2q + 1), read
     * with gathers. Only loads, compares, blends and gathers of one species: the argmax kernel above
     * (two-vector shuffles, slices, index vectors) was compiled by C2 in some runs with its vectors
     * boxed, and the whole inference pass then ran 25% slower and made 73 MB of garbage a call.
     */
    private static boolean maxima(float[] x, int in, int H, int W, int P, int qv, int Q, float[] y, int out) {
        float[] m = ROW.get();
        if (m.length < W + 1 + LANES) ROW.set(m = new float[W + 1 + LANES]);
        m[0] = Float.NEGATIVE_INFINITY;
        int wv = F.loopBound(W);
        VectorMask<Float> nan = F.maskAll(false);
        boolean nanInTail = false;
        for (int p = 0; p < P; p++) {
            int r0 = Math.max(0, 2 * p - 1), r1 = Math.min(H - 1, 2 * p + 1);
            for (int c = 0; c < wv; c += LANES) {
                FloatVector best = FloatVector.fromArray(F, x, in + r0 * W + c), sum = best;
                for (int r = r0 + 1; r <= r1; r++) {
                    FloatVector v = FloatVector.fromArray(F, x, in + r * W + c);
                    sum = sum.add(v);
                    best = best.blend(v, v.compare(VectorOperators.GT, best));
                }
                nan = nan.or(sum.test(VectorOperators.IS_NAN));
                best.intoArray(m, 1 + c);
            }
            for (int c = wv; c < W; c++) {
                float best = x[in + r0 * W + c], sum = best;
                for (int r = r0 + 1; r <= r1; r++) {
                    float v = x[in + r * W + c];
                    sum += v;
                    if (v > best) best = v;
                }
                nanInTail |= Float.isNaN(sum);
                m[1 + c] = best;
            }
            for (int q0 = 0; q0 < qv; q0 += LANES) {
                int q = Math.min(q0, qv - LANES);  // the last vector moved back to end at qv
                FloatVector best = FloatVector.fromArray(F, m, 2 * q, EVERY_SECOND, 0);
                FloatVector mid = FloatVector.fromArray(F, m, 2 * q + 1, EVERY_SECOND, 0);
                best = best.blend(mid, mid.compare(VectorOperators.GT, best));
                FloatVector right = FloatVector.fromArray(F, m, 2 * q + 2, EVERY_SECOND, 0);
                best.blend(right, right.compare(VectorOperators.GT, best)).intoArray(y, out + p * Q + q);
            }
        }
        return nanInTail || nan.anyTrue();
    }
}
