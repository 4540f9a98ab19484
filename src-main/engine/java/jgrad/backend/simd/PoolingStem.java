package jgrad.backend.simd;

import static jgrad.backend.simd.Simd.F;
import static jgrad.backend.simd.Simd.LANES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jgrad.backend.Pool2dShape;

/**
 * Max pooling with 3×3 windows, stride 2, padding 1: the stem of ResNet (after the 7×7 convolution).
 * The generic loop took about 37 ns an output on random activations (each comparison a branch that
 * mispredicts about half the time); here each output row is two passes of vectors: down the window's
 * three input rows, the largest of each column; then along that row of column maxima, each output q
 * the largest of columns 2q − 1, 2q and 2q + 1, read with gathers. With an argmax (training) the row
 * each column maximum came from is carried along, so that ties go as in the generic loop (rows top
 * to bottom, columns left to right, a later candidate only if strictly greater). Outputs whose right
 * column falls off the row are left to the generic loop ({@link Pooling}), as is a whole plane
 * narrower than two vectors. Only loads, compares, blends and gathers of one species: an earlier
 * kernel with two-vector shuffles and slices was compiled by C2 in some runs with its vectors boxed
 * (docs/performance.md).
 */
final class PoolingStem {
    private PoolingStem() {}

    /** 0, 2, 4, …: each lane's first column, as for Pooling's 2×2 windows. */
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
        return argmax == null ? maxima(x, in, H, W, P, qv, Q, y, out) : withArgmax(x, in, H, W, P, qv, Q, y, argmax, out);
    }

    /**
     * The maxima and where they were (training), in two passes as {@link #maxima}: down the window's
     * rows, each column's largest value and its row (the first row on a tie); then along the row of
     * column maxima, output q the best of columns 2q − 1, 2q, 2q + 1, a later column winning if it is
     * larger, or equal and from an earlier row. That is the generic loop's choice (rows top to bottom,
     * columns left to right, the first strict maximum): the largest value, then the smallest row, then
     * the smallest column. The padding column −1 holds −∞ at row H, so that any real column beats it.
     * The kernel before this one split pairs of vectors with two-vector shuffles and slices; in some
     * runs C2 compiled it with its vectors boxed (70 MB of garbage a training step at 64 × 64, the
     * step 20–30% slower); this one uses the loads, compares, blends and gathers of {@link #maxima}.
     */
    private static boolean withArgmax(float[] x, int in, int H, int W, int P, int qv, int Q, float[] y, float[] argmax, int out) {
        float[][] rows = ROWS.get();
        if (rows[0].length < W + 1 + LANES) rows = new float[][] {new float[W + 1 + LANES], new float[W + 1 + LANES]};
        ROWS.set(rows);
        float[] m = rows[0], from = rows[1];  // from[1 + c]: the row of m[1 + c]
        m[0] = Float.NEGATIVE_INFINITY;
        from[0] = H;
        boolean nan = false;
        // One output row per call of each pass, no vector kept from one row to the next: a vector
        // live across this loop's back edge is boxed in an on-stack-replacement compilation.
        for (int p = 0; p < P; p++) {
            nan |= columnMaxima(x, in, W, Math.max(0, 2 * p - 1), Math.min(H - 1, 2 * p + 1), m, from);
            windowMaxima(m, from, W, qv, y, argmax, out + p * Q);
        }
        return nan;
    }

    /** m[1 + c] = the largest of column c in rows r0 … r1, from[1 + c] its row (the first on a tie); true if one held a NaN. */
    private static boolean columnMaxima(float[] x, int in, int W, int r0, int r1, float[] m, float[] from) {
        int wv = F.loopBound(W);
        VectorMask<Float> nan = F.maskAll(false);
        for (int c = 0; c < wv; c += LANES) {
            FloatVector best = FloatVector.fromArray(F, x, in + r0 * W + c), sum = best;
            FloatVector row = FloatVector.broadcast(F, r0);
            for (int r = r0 + 1; r <= r1; r++) {
                FloatVector v = FloatVector.fromArray(F, x, in + r * W + c);
                sum = sum.add(v);
                VectorMask<Float> larger = v.compare(VectorOperators.GT, best);
                best = best.blend(v, larger);
                row = row.blend(FloatVector.broadcast(F, r), larger);
            }
            nan = nan.or(sum.test(VectorOperators.IS_NAN));
            best.intoArray(m, 1 + c);
            row.intoArray(from, 1 + c);
        }
        boolean nanInTail = false;
        for (int c = wv; c < W; c++) {
            float best = x[in + r0 * W + c], sum = best;
            int row = r0;
            for (int r = r0 + 1; r <= r1; r++) {
                float v = x[in + r * W + c];
                sum += v;
                if (v > best) {
                    best = v;
                    row = r;
                }
            }
            nanInTail |= Float.isNaN(sum);
            m[1 + c] = best;
            from[1 + c] = row;
        }
        return nanInTail || nan.anyTrue();
    }

    /**
     * Outputs 0 … qv − 1 of one row (at y[o]): the best of m's columns 2q − 1, 2q, 2q + 1, a later one
     * winning if larger, or equal and from an earlier row; argmax[o + q] = its row · W + its column.
     */
    private static void windowMaxima(float[] m, float[] from, int W, int qv, float[] y, float[] argmax, int o) {
        FloatVector twiceIota = FloatVector.fromArray(F, TWICE_IOTA, 0);
        for (int q0 = 0; q0 < qv; q0 += LANES) {
            int q = Math.min(q0, qv - LANES);  // the last vector moved back to end at qv
            FloatVector col = twiceIota.add(2 * q - 1);  // the left column of each output's window
            FloatVector best = FloatVector.fromArray(F, m, 2 * q, EVERY_SECOND, 0);
            FloatVector row = FloatVector.fromArray(F, from, 2 * q, EVERY_SECOND, 0);
            for (int j = 1; j <= 2; j++) {
                FloatVector v = FloatVector.fromArray(F, m, 2 * q + j, EVERY_SECOND, 0);
                FloatVector vRow = FloatVector.fromArray(F, from, 2 * q + j, EVERY_SECOND, 0);
                VectorMask<Float> wins = v.compare(VectorOperators.GT, best)
                        .or(v.compare(VectorOperators.EQ, best).and(vRow.compare(VectorOperators.LT, row)));
                best = best.blend(v, wins);
                row = row.blend(vRow, wins);
                col = col.blend(twiceIota.add(2 * q - 1 + j), wins);
            }
            best.intoArray(y, o + q);
            row.mul(W).add(col).intoArray(argmax, o + q);  // row·W + column, exact below 2^24
        }
    }

    /** Index map of a gather that takes every second float: 0, 2, 4, … */
    private static final int[] EVERY_SECOND = java.util.stream.IntStream.range(0, LANES).map(i -> 2 * i).toArray();

    /** Per-thread row of column maxima: [−∞, m(0), …, m(W − 1)], m(c) the largest of column c in the window's rows. */
    private static final ThreadLocal<float[]> ROW = ThreadLocal.withInitial(() -> new float[0]);
    /** Per-thread rows for {@link #withArgmax}: the column maxima as in ROW, and the row each came from. */
    private static final ThreadLocal<float[][]> ROWS = ThreadLocal.withInitial(() -> new float[][] {new float[0], new float[0]});

    /**
     * The maxima alone, without where they were (inference): first down the window's rows, the
     * largest of each column into a row m with −∞ in front for the padding column; then along it,
     * output q the largest of m's entries 2q, 2q + 1 and 2q + 2 (input columns 2q − 1 … 2q + 1), read
     * with gathers. Only loads, compares, blends and gathers of one species: the argmax kernel of the
     * time (two-vector shuffles, slices, index vectors) was compiled by C2 in some runs with its vectors
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
