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
        // the 2×2 paths read whole windows: not for a ceil-mode last window that hangs over the edge
        boolean twoByTwo = g.kh() == 2 && g.kw() == 2 && g.strideH() == 2 && g.strideW() == 2 && g.padH() == 0 && g.padW() == 0
                && 2 * P <= H && 2 * Q <= W;
        boolean narrow = twoByTwo && W == 2 * Q && Q < LANES;
        boolean stem = PoolingStem.suits(g);
        Parallel.run(parts, part -> {
            if (narrow) {
                int from = part * per, to = Math.min(planes, from + per);
                if (from < to) sawNaN[part] |= twoByTwoNarrow(x, xOff + from * H * W, to - from, H, W, P, Q, y, argmax, from * P * Q);
                return;
            }
            for (int plane = part * per; plane < Math.min(planes, (part + 1) * per); plane++) {
                int in = xOff + plane * H * W, out = plane * P * Q;
                if (twoByTwo) {
                    sawNaN[part] |= twoByTwo(x, in, W, P, Q, y, argmax, out);
                    continue;
                }
                int q0 = 0;
                if (stem) {
                    q0 = PoolingStem.vectorColumns(W, Q);
                    sawNaN[part] |= PoolingStem.threeByThree(x, in, H, W, P, q0, Q, y, argmax, out);
                }
                for (int p = 0; p < P; p++) {
                    for (int q = q0; q < Q; q++) sawNaN[part] |= window(g, x, in, p, q, y, argmax, out);
                }
            }
        });
        for (boolean b : sawNaN) if (b) return true;
        return false;
    }

    /** One output by the generic loop (first maximum wins); true if its window held a NaN. */
    private static boolean window(Pool2dShape g, float[] x, int in, int p, int q, float[] y, float[] argmax, int out) {
        int H = g.h(), W = g.w(), Q = g.q();
        int h0 = p * g.strideH() - g.padH(), i0 = Math.max(0, -h0), i1 = Math.min(g.kh(), H - h0);
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
        y[out + p * Q + q] = best;
        if (argmax != null) argmax[out + p * Q + q] = at;
        return nan;
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
    static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(F, i -> 2 * i);
    /** Lane i takes lane 2i + 1: the odd elements. */
    static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(F, i -> 2 * i + 1);
    /** 0, 2, 4, …: each lane's offset of its window's first column (an array: no vectors in fields). */
    static final float[] TWICE_IOTA = iota2();

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

    /** Scratch of the calling thread for {@link #twoByTwoNarrow}: 0 the pair maxima, 1 which of each pair won. */
    private static final ThreadLocal<float[][]> PAIRS = ThreadLocal.withInitial(() -> new float[2][0]);

    /**
     * 2×2, stride 2 on rows shorter than two vectors (W = 2Q, Q &lt; LANES: LeNet's 10×10 maps), for
     * {@code planes} consecutive planes, in two branch-free vector passes instead of the scalar loop
     * (whose comparisons mispredict on random activations):
     * <ol>
     *   <li>across each row: since W is even, the pairs (2i, 2i + 1) of the planes' floats are the
     *       windows' halves; m = max of the pair (the right one only if strictly greater) and which
     *       one won;</li>
     *   <li>down: output (p, q) takes the top half's winner, or the bottom half's if strictly greater,
     *       which is the first-maximum-wins order a, b, d, e of the reference (a tie keeps the earlier).
     *       One vector per row pair, Q lanes used; its extra lanes spill onto the next outputs,
     *       which are written after, and the last row pairs of the range take the scalar loop.</li>
     * </ol>
     */
    private static boolean twoByTwoNarrow(float[] x, int in, int planes, int H, int W, int P, int Q, float[] y, float[] argmax, int out) {
        int n = planes * H * W, half = n / 2;
        float[][] scratch = PAIRS.get();
        if (scratch[0].length < half + LANES) {
            scratch[0] = new float[half + LANES];
            scratch[1] = new float[half + LANES];
        }
        float[] m = scratch[0], right = scratch[1];
        FloatVector zero = FloatVector.zero(F), one = FloatVector.broadcast(F, 1f);
        VectorMask<Float> nan = F.maskAll(false);
        int i = 0;
        for (; i + 2 * LANES <= n; i += 2 * LANES) {
            FloatVector lo = FloatVector.fromArray(F, x, in + i), hi = FloatVector.fromArray(F, x, in + i + LANES);
            FloatVector a = lo.rearrange(EVEN, hi), b = lo.rearrange(ODD, hi);
            VectorMask<Float> gt = b.compare(VectorOperators.GT, a);
            a.blend(b, gt).intoArray(m, i / 2);
            zero.blend(one, gt).intoArray(right, i / 2);
            nan = nan.or(lo.add(hi).test(VectorOperators.IS_NAN));
        }
        boolean sawNaN = nan.anyTrue();
        for (; i < n; i += 2) {
            float a = x[in + i], b = x[in + i + 1];
            m[i / 2] = b > a ? b : a;
            right[i / 2] = b > a ? 1f : 0f;
            sawNaN |= a != a || b != b;
        }
        FloatVector twiceIota = FloatVector.fromArray(F, TWICE_IOTA, 0);
        int end = out + planes * P * Q;
        for (int plane = 0; plane < planes; plane++) {
            for (int p = 0; p < P; p++) {
                int top = (plane * H + 2 * p) * Q, o = out + (plane * P + p) * Q;
                float rowTop = 2 * p * W, rowBottom = rowTop + W;
                if (o + LANES <= end) {
                    FloatVector t = FloatVector.fromArray(F, m, top), b = FloatVector.fromArray(F, m, top + Q);
                    VectorMask<Float> gt = b.compare(VectorOperators.GT, t);
                    t.blend(b, gt).intoArray(y, o);
                    if (argmax != null) {
                        FloatVector atTop = twiceIota.add(rowTop).add(FloatVector.fromArray(F, right, top));
                        FloatVector atBottom = twiceIota.add(rowBottom).add(FloatVector.fromArray(F, right, top + Q));
                        atTop.blend(atBottom, gt).intoArray(argmax, o);
                    }
                } else {
                    for (int q = 0; q < Q; q++) {
                        float t = m[top + q], b = m[top + Q + q];
                        y[o + q] = b > t ? b : t;
                        if (argmax != null) argmax[o + q] = b > t ? rowBottom + 2 * q + right[top + Q + q] : rowTop + 2 * q + right[top + q];
                    }
                }
            }
        }
        return sawNaN;
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
