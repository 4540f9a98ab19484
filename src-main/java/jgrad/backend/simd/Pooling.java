package jgrad.backend.simd;

import static jgrad.backend.simd.Simd.F;
import static jgrad.backend.simd.Simd.LANES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jgrad.backend.Pool2dShape;

/**
 * Max pooling without the reference loop's per-element NaN bookkeeping: the window maximum with a
 * plain {@code >}. If any window held a NaN it returns true and the caller redoes the whole pooling
 * with the reference rule (the first NaN wins), which is rare enough not to matter. Planes are split
 * across the cores.
 */
final class Pooling {
    private Pooling() {}

    /** y = the window maxima, argmax (unless null) = where each was; true if some window held a NaN. */
    static boolean maxPool2d(Pool2dShape g, float[] x, int xOff, float[] y, float[] argmax) {
        int P = g.p(), Q = g.q(), H = g.h(), W = g.w(), planes = g.n() * g.c();
        int parts = Parallel.partsFor((long) planes * P * Q * g.kh() * g.kw(), planes);
        int per = (planes + parts - 1) / Math.max(1, parts);
        boolean[] sawNaN = new boolean[Math.max(1, parts)];
        boolean twoByTwo = g.kh() == 2 && g.kw() == 2 && g.strideH() == 2 && g.strideW() == 2 && g.padH() == 0 && g.padW() == 0;
        Parallel.run(parts, part -> {
            for (int plane = part * per; plane < Math.min(planes, (part + 1) * per); plane++) {
                int in = xOff + plane * H * W, out = plane * P * Q;
                if (twoByTwo) {
                    sawNaN[part] |= twoByTwo(x, in, W, P, Q, y, argmax, out);
                    continue;
                }
                for (int p = 0; p < P; p++) {
                    int h0 = p * g.strideH() - g.padH(), i0 = Math.max(0, -h0), i1 = Math.min(g.kh(), H - h0);
                    for (int q = 0; q < Q; q++) {
                        int w0 = q * g.strideW() - g.padW(), j0 = Math.max(0, -w0), j1 = Math.min(g.kw(), W - w0);
                        float best = Float.NEGATIVE_INFINITY;
                        int at = (h0 + i0) * W + w0 + j0;
                        boolean nan = false;
                        for (int i = i0; i < i1; i++) {
                            int row = in + (h0 + i) * W + w0;
                            for (int j = j0; j < j1; j++) {
                                float v = x[row + j];
                                if (v > best) {
                                    best = v;
                                    at = (h0 + i) * W + w0 + j;
                                }
                                nan |= v != v;
                            }
                        }
                        sawNaN[part] |= nan;
                        y[out + p * Q + q] = best;
                        if (argmax != null) argmax[out + p * Q + q] = at;
                    }
                }
            }
        });
        for (boolean b : sawNaN) if (b) return true;
        return false;
    }

    /**
     * dx = 0, then dx[plane, argmax] += dy for every output: the reference loop, with the planes
     * split across the cores (each plane's sums stay in order, so the result is the reference's).
     */
    static void maxPool2dBackward(Pool2dShape g, float[] dy, float[] argmax, float[] dx) {
        int PQ = g.p() * g.q(), plane = g.h() * g.w(), planes = g.n() * g.c();
        int parts = Parallel.partsFor(4L * planes * plane, planes);
        int per = (planes + parts - 1) / Math.max(1, parts);
        Parallel.run(parts, part -> {
            int from = part * per, to = Math.min(planes, from + per);
            if (from >= to) return;
            java.util.Arrays.fill(dx, from * plane, to * plane, 0f);
            for (int pl = from; pl < to; pl++) {
                for (int i = 0; i < PQ; i++) {
                    int o = pl * PQ + i;
                    dx[pl * plane + (int) argmax[o]] += dy[o];
                }
            }
        });
    }

    /** Lane i takes lane 2i of the pair (v, next): the even elements of 2·LANES consecutive floats. */
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(F, i -> 2 * i);
    /** Lane i takes lane 2i + 1: the odd elements. */
    private static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(F, i -> 2 * i + 1);
    /** 0, 2, 4, …: each lane's offset of its window's first column (an array: no vectors in fields). */
    private static final float[] TWICE_IOTA = iota2();

    private static float[] iota2() {
        float[] v = new float[LANES];
        for (int i = 0; i < LANES; i++) v[i] = 2 * i;
        return v;
    }

    /**
     * The common 2×2, stride 2 case: four candidates per output, first maximum wins. A vector of
     * outputs reads two vectors per input row and splits them into even and odd columns; the last
     * vector of a row is moved back to end at Q (it recomputes a few outputs, which is harmless), so
     * only rows shorter than a vector take the scalar loop. Branch-free: random activations made the
     * scalar loop's comparisons mispredict about half the time.
     */
    private static boolean twoByTwo(float[] x, int in, int W, int P, int Q, float[] y, float[] argmax, int out) {
        if (Q < LANES || 2 * Q > W) return twoByTwoScalar(x, in, W, P, Q, y, argmax, out);
        VectorMask<Float> nan = F.maskAll(false);
        for (int p = 0; p < P; p++) {
            int r0 = in + 2 * p * W, r1 = r0 + W, o = out + p * Q;
            for (int q0 = 0; q0 < Q; q0 += LANES) {
                int q = Math.min(q0, Q - LANES), c = 2 * q;
                // the pair of vectors covers columns c … c + 2·LANES − 1; a row of odd width W = 2Q + 1 keeps it inside
                FloatVector lo0 = FloatVector.fromArray(F, x, r0 + c), hi0 = FloatVector.fromArray(F, x, r0 + c + LANES);
                FloatVector lo1 = FloatVector.fromArray(F, x, r1 + c), hi1 = FloatVector.fromArray(F, x, r1 + c + LANES);
                FloatVector a = lo0.rearrange(EVEN, hi0), b = lo0.rearrange(ODD, hi0);
                FloatVector d = lo1.rearrange(EVEN, hi1), e = lo1.rearrange(ODD, hi1);
                FloatVector at = FloatVector.fromArray(F, TWICE_IOTA, 0).add(2 * p * W + c);
                FloatVector best = a;
                VectorMask<Float> m = b.compare(VectorOperators.GT, best);
                best = best.blend(b, m);
                FloatVector where = at.blend(at.add(1f), m);
                m = d.compare(VectorOperators.GT, best);
                best = best.blend(d, m);
                where = where.blend(at.add(W), m);
                m = e.compare(VectorOperators.GT, best);
                best = best.blend(e, m);
                where = where.blend(at.add(W + 1), m);
                nan = nan.or(a.add(b).add(d).add(e).test(VectorOperators.IS_NAN));  // also ∞ − ∞: then the exact path runs
                best.intoArray(y, o + q);
                if (argmax != null) where.intoArray(argmax, o + q);
            }
        }
        return nan.anyTrue();
    }

    private static boolean twoByTwoScalar(float[] x, int in, int W, int P, int Q, float[] y, float[] argmax, int out) {
        boolean nan = false;
        for (int p = 0; p < P; p++) {
            int r0 = in + 2 * p * W, r1 = r0 + W, o = out + p * Q;
            for (int q = 0; q < Q; q++) {
                int c = 2 * q;
                float a = x[r0 + c], b = x[r0 + c + 1], d = x[r1 + c], e = x[r1 + c + 1];
                float best = a;
                int at = 2 * p * W + c;
                if (b > best) { best = b; at = 2 * p * W + c + 1; }
                if (d > best) { best = d; at = (2 * p + 1) * W + c; }
                if (e > best) { best = e; at = (2 * p + 1) * W + c + 1; }
                nan |= a != a || b != b || d != d || e != e;
                y[o + q] = best;
                if (argmax != null) argmax[o + q] = at;
            }
        }
        return nan;
    }
}
