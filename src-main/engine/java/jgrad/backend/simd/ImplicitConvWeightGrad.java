package jgrad.backend.simd;

import static jgrad.backend.simd.Simd.F;
import static jgrad.backend.simd.Simd.LANES;

import jdk.incubator.vector.FloatVector;
import jgrad.backend.Conv2dShape;

/**
 * The weight gradient of a convolution as an implicit GEMM ({@link ImplicitConv}'s product with the
 * sum over output positions instead of taps):
 * <pre>  dw[k, t] = Σ_n Σ_j dy[n, k, j] · xp_n[base[j] + off[t]]  </pre>
 * With at least two vectors of filters the filters are the lanes (dy of one image transposed to
 * [P·Q, K]); with fewer, the lanes run along the output rows. Either way each part of the batch keeps
 * its own partial sums, added in part order, so the result does not depend on timing.
 *
 * <p>Checked by: {@code jgrad.backend.ConvPoolContractTest#convolutionMatchesReference} and
 * {@code jgrad.backend.simd.ConvPathsTest}.
 */
final class ImplicitConvWeightGrad {
    private ImplicitConvWeightGrad() {}

    /**
     * dw[k, t] = Σ_n Σ_j dy[n, k, j] · xp_n[base[j] + off[t]]: the same product with the sum over
     * positions instead of taps. dy of one image is transposed to [J, K] so the channels are the
     * lanes; the register block is 4 taps × 2 vectors of channels (or 8 taps × 1 vector). Images
     * are split across the cores, each part with its own partial sums, added in part order so the
     * result does not depend on timing.
     */
    static void weightGrad(Conv2dShape g, float[] x, int xOff, float[] dy, float[] dw) {
        int N = g.n(), C = g.c(), H = g.h(), W = g.w(), K = g.k(), P = g.p(), Q = g.q(), J = P * Q;
        int taps = C * g.r() * g.s(), kv = ImplicitConv.vectors(K);
        int hp = H + 2 * g.padH(), wp = W + 2 * g.padW();
        int[] base = ImplicitConv.bases(P, Q, g.strideH(), g.strideW(), wp), off = ImplicitConv.offsets(C, g.r(), g.s(), g.dilH(), g.dilW(), hp, wp, false);
        int parts = sumParts(2L * N * K * J * taps, N);
        int per = (N + parts - 1) / parts;
        float[][] partial = partials(parts);
        if (kv < 2 * LANES && g.strideW() == 1 && Q >= LANES && ImplicitConv.SPATIAL && Pointwise.allFinite(x, xOff, N * C * H * W)) {
            // fewer filters than two vectors: lanes along the output rows (spatialWeightGrad), rows of
            // dy padded to qv and each padded plane widened so the extra lanes stay inside it
            int qv = (Q + LANES - 1) / LANES * LANES, wq = Math.max(wp, qv + (g.s() - 1) * g.dilW());
            int[] rowBase = new int[P], offq = ImplicitConv.offsets(C, g.r(), g.s(), g.dilH(), g.dilW(), hp, wq, false);
            for (int p = 0; p < P; p++) rowBase[p] = p * g.strideH() * wq;
            Parallel.run(parts, part -> {
                float[] acc = zeroed(partial, part, K * taps * LANES);  // acc[k, t, lane]: lanes added once, at the end
                for (int n = part * per; n < Math.min(N, (part + 1) * per); n++) {
                    float[] xp = ImplicitConv.padded(x, xOff + n * C * H * W, C, H, W, hp, wq, g.padH(), g.padW());
                    float[] dyq = ImplicitConv.scratch(1, K * P * qv);
                    java.util.Arrays.fill(dyq, 0, K * P * qv, 0f);
                    for (int kp = 0; kp < K * P; kp++) System.arraycopy(dy, n * K * J + kp * Q, dyq, kp * qv, Q);
                    if (LANES >= 16) spatialWeightGrad3(xp, rowBase, qv, offq, dyq, K, acc);
                    else spatialWeightGrad(xp, rowBase, qv, offq, dyq, K, acc);
                }
            });
            for (int kt = 0; kt < K * taps; kt++) {
                float sum = 0f;
                for (int part = 0; part < parts; part++) {
                    for (int l = 0; l < LANES; l++) sum += partial[part][kt * LANES + l];
                }
                dw[kt] = sum;
            }
            return;
        }
        Parallel.run(parts, part -> {
            float[] acc = zeroed(partial, part, taps * kv);  // acc[t, k]
            for (int n = part * per; n < Math.min(N, (part + 1) * per); n++) {
                float[] xp = ImplicitConv.padded(x, xOff + n * C * H * W, C, H, W, hp, wp, g.padH(), g.padW());
                float[] dyT = ImplicitConv.scratch(1, J * kv);  // dyT[j, k] = dy[n, k, j], lanes past K zero
                if (kv != K) java.util.Arrays.fill(dyT, 0, J * kv, 0f);
                for (int k = 0; k < K; k++) {
                    int from = (n * K + k) * J;
                    for (int j = 0; j < J; j++) dyT[j * kv + k] = dy[from + j];
                }
                sumOverPositions(xp, base, off, dyT, kv, acc);
            }
        });
        for (int k = 0; k < K; k++) {
            for (int t = 0; t < taps; t++) {
                float sum = 0f;
                for (int part = 0; part < parts; part++) sum += partial[part][t * kv + k];
                dw[k * taps + t] = sum;
            }
        }
    }

    /** Parts of the batch with sums of their own: fixed by the work alone, never by the thread count. */
    static final int SUM_PARTS = Integer.getInteger("jgrad.conv.sumParts", 8);

    /**
     * How many parts the batch's sums are split into: {@link #SUM_PARTS} (at most one per image) for
     * any job worth splitting, however many threads there are to run them, so the weight gradient
     * has the same bits on 1 thread as on 2 or 16 (a study's trials give the same results at any
     * concurrency, a run the same on a laptop as on a server). They were split by the threads before:
     * a LeNet epoch ended at 93.40% validation accuracy on 1 thread and 94.25% on 2.
     */
    static int sumParts(long work, int images) {
        return work < Parallel.MIN_WORK ? 1 : Math.max(1, Math.min(SUM_PARTS, images));
    }

    /** The calling thread's per-part sums, kept between calls (a part's array is zeroed by the part that uses it). */
    private static final ThreadLocal<float[][][]> PARTIALS = ThreadLocal.withInitial(() -> new float[1][0][]);

    private static float[][] partials(int parts) {
        float[][][] held = PARTIALS.get();
        if (held[0].length < parts) held[0] = java.util.Arrays.copyOf(held[0], parts);
        return held[0];
    }

    private static float[] zeroed(float[][] partial, int part, int size) {
        if (partial[part] == null || partial[part].length < size) partial[part] = new float[size];
        java.util.Arrays.fill(partial[part], 0, size, 0f);
        return partial[part];
    }

    /**
     * acc[(k·taps + t)·L + lane] += the products dyq[k, p, q] · xp[base(p, q) + off[t]] of one image,
     * lanes along q. dyq is dy with its rows padded by zeros to qv, a whole number of vectors, and xp
     * is wide enough that the extra lanes read zeros or pixels they multiply by 0 (the caller has
     * checked that every pixel is finite, so 0 · x is 0). Block: 2 filters × 4 taps, 8 accumulators;
     * per vector of positions 2 loads of dy and 4 of xp feed 8 FMAs. Lanes are kept apart until the
     * end, so the order of the sums is fixed. (A version that read dy in place and masked each row's
     * last vector ran 2.5–10× slower: the mask kept C2 from keeping the vectors in registers.)
     */
    private static void spatialWeightGrad(float[] xp, int[] rowBase, int qv, int[] off, float[] dyq, int K, float[] acc) {
        int P = rowBase.length, taps = off.length, lastT = taps - 1, plane = P * qv;
        for (int k0 = 0; k0 < K; k0 += 2) {
            int k1 = Math.min(k0 + 1, K - 1);
            for (int t = 0; t < taps; t += 4) {
                int o0 = off[t], o1 = off[Math.min(t + 1, lastT)], o2 = off[Math.min(t + 2, lastT)], o3 = off[Math.min(t + 3, lastT)];
                FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F), a02 = FloatVector.zero(F), a03 = FloatVector.zero(F);
                FloatVector a10 = FloatVector.zero(F), a11 = FloatVector.zero(F), a12 = FloatVector.zero(F), a13 = FloatVector.zero(F);
                for (int p = 0; p < P; p++) {
                    int d0 = k0 * plane + p * qv, d1 = k1 * plane + p * qv, b = rowBase[p];
                    for (int q = 0; q < qv; q += LANES) {
                        FloatVector e0 = FloatVector.fromArray(F, dyq, d0 + q), e1 = FloatVector.fromArray(F, dyq, d1 + q);
                        FloatVector x0 = FloatVector.fromArray(F, xp, b + q + o0), x1 = FloatVector.fromArray(F, xp, b + q + o1);
                        FloatVector x2 = FloatVector.fromArray(F, xp, b + q + o2), x3 = FloatVector.fromArray(F, xp, b + q + o3);
                        a00 = x0.fma(e0, a00);
                        a01 = x1.fma(e0, a01);
                        a02 = x2.fma(e0, a02);
                        a03 = x3.fma(e0, a03);
                        a10 = x0.fma(e1, a10);
                        a11 = x1.fma(e1, a11);
                        a12 = x2.fma(e1, a12);
                        a13 = x3.fma(e1, a13);
                    }
                }
                // a repeated filter or tap (odd K, taps not a multiple of 4) is computed but not added
                int count = Math.min(4, taps - t);
                addTaps(acc, (k0 * taps + t) * LANES, count, a00, a01, a02, a03);
                if (k1 != k0) addTaps(acc, (k1 * taps + t) * LANES, count, a10, a11, a12, a13);
            }
        }
    }

    /**
     * {@link #spatialWeightGrad} for the 32 vector registers of AVX-512: 3 filters × 4 taps, 12
     * accumulators, per vector of positions 3 loads of dy and 4 of xp feed 12 FMAs (7 loads, against
     * 6 for 8). LeNet's conv1 weight gradient (6 filters, 25 taps, 28-wide rows) at 16 lanes:
     * 400 → 365 µs per batch of 64 (one thread, best thread-CPU time). With 16 registers (AVX2) the
     * 12 accumulators and the 3 loads of dy would not fit.
     */
    private static void spatialWeightGrad3(float[] xp, int[] rowBase, int qv, int[] off, float[] dyq, int K, float[] acc) {
        int P = rowBase.length, taps = off.length, lastT = taps - 1, plane = P * qv;
        for (int k0 = 0; k0 < K; k0 += 3) {
            int k1 = Math.min(k0 + 1, K - 1), k2 = Math.min(k0 + 2, K - 1);
            for (int t = 0; t < taps; t += 4) {
                int o0 = off[t], o1 = off[Math.min(t + 1, lastT)], o2 = off[Math.min(t + 2, lastT)], o3 = off[Math.min(t + 3, lastT)];
                FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F), a02 = FloatVector.zero(F), a03 = FloatVector.zero(F);
                FloatVector a10 = FloatVector.zero(F), a11 = FloatVector.zero(F), a12 = FloatVector.zero(F), a13 = FloatVector.zero(F);
                FloatVector a20 = FloatVector.zero(F), a21 = FloatVector.zero(F), a22 = FloatVector.zero(F), a23 = FloatVector.zero(F);
                for (int p = 0; p < P; p++) {
                    int d0 = k0 * plane + p * qv, d1 = k1 * plane + p * qv, d2 = k2 * plane + p * qv, b = rowBase[p];
                    for (int q = 0; q < qv; q += LANES) {
                        FloatVector e0 = FloatVector.fromArray(F, dyq, d0 + q), e1 = FloatVector.fromArray(F, dyq, d1 + q);
                        FloatVector e2 = FloatVector.fromArray(F, dyq, d2 + q);
                        FloatVector x = FloatVector.fromArray(F, xp, b + q + o0);
                        a00 = x.fma(e0, a00);
                        a10 = x.fma(e1, a10);
                        a20 = x.fma(e2, a20);
                        x = FloatVector.fromArray(F, xp, b + q + o1);
                        a01 = x.fma(e0, a01);
                        a11 = x.fma(e1, a11);
                        a21 = x.fma(e2, a21);
                        x = FloatVector.fromArray(F, xp, b + q + o2);
                        a02 = x.fma(e0, a02);
                        a12 = x.fma(e1, a12);
                        a22 = x.fma(e2, a22);
                        x = FloatVector.fromArray(F, xp, b + q + o3);
                        a03 = x.fma(e0, a03);
                        a13 = x.fma(e1, a13);
                        a23 = x.fma(e2, a23);
                    }
                }
                // a repeated filter or tap (K not a multiple of 3, taps not of 4) is computed but not added
                int count = Math.min(4, taps - t);
                addTaps(acc, (k0 * taps + t) * LANES, count, a00, a01, a02, a03);
                if (k1 != k0) addTaps(acc, (k1 * taps + t) * LANES, count, a10, a11, a12, a13);
                if (k2 != k1) addTaps(acc, (k2 * taps + t) * LANES, count, a20, a21, a22, a23);
            }
        }
    }

    private static void addTaps(float[] acc, int at, int count, FloatVector v0, FloatVector v1, FloatVector v2, FloatVector v3) {
        addInto(acc, at, v0);
        if (count > 1) addInto(acc, at + LANES, v1);
        if (count > 2) addInto(acc, at + 2 * LANES, v2);
        if (count > 3) addInto(acc, at + 3 * LANES, v3);
    }

    /** acc[t·kv + k] += Σ_j dyT[j·kv + k] · xp[base[j] + off[t]]. */
    private static void sumOverPositions(float[] xp, int[] base, int[] off, float[] dyT, int kv, float[] acc) {
        int J = base.length, taps = off.length, last = taps - 1;
        int kb = 0;
        for (; kb + 2 * LANES <= kv; kb += 2 * LANES) {
            for (int t = 0; t < taps; t += 4) {
                int t1 = Math.min(t + 1, last), t2 = Math.min(t + 2, last), t3 = Math.min(t + 3, last);
                int o0 = off[t], o1 = off[t1], o2 = off[t2], o3 = off[t3];
                FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F), a10 = FloatVector.zero(F), a11 = FloatVector.zero(F);
                FloatVector a20 = FloatVector.zero(F), a21 = FloatVector.zero(F), a30 = FloatVector.zero(F), a31 = FloatVector.zero(F);
                for (int j = 0; j < J; j++) {
                    int b = base[j], at = j * kv + kb;
                    FloatVector d0 = FloatVector.fromArray(F, dyT, at), d1 = FloatVector.fromArray(F, dyT, at + LANES);
                    FloatVector v = FloatVector.broadcast(F, xp[b + o0]);
                    a00 = v.fma(d0, a00);
                    a01 = v.fma(d1, a01);
                    v = FloatVector.broadcast(F, xp[b + o1]);
                    a10 = v.fma(d0, a10);
                    a11 = v.fma(d1, a11);
                    v = FloatVector.broadcast(F, xp[b + o2]);
                    a20 = v.fma(d0, a20);
                    a21 = v.fma(d1, a21);
                    v = FloatVector.broadcast(F, xp[b + o3]);
                    a30 = v.fma(d0, a30);
                    a31 = v.fma(d1, a31);
                }
                addInto(acc, t * kv + kb, a00, a01);
                if (t + 1 <= last) addInto(acc, t1 * kv + kb, a10, a11);
                if (t + 2 <= last) addInto(acc, t2 * kv + kb, a20, a21);
                if (t + 3 <= last) addInto(acc, t3 * kv + kb, a30, a31);
            }
        }
        for (; kb < kv; kb += LANES) {
            for (int t = 0; t < taps; t += 8) {
                int o0 = off[t], o1 = off[Math.min(t + 1, last)], o2 = off[Math.min(t + 2, last)], o3 = off[Math.min(t + 3, last)];
                int o4 = off[Math.min(t + 4, last)], o5 = off[Math.min(t + 5, last)], o6 = off[Math.min(t + 6, last)], o7 = off[Math.min(t + 7, last)];
                FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F), a2 = FloatVector.zero(F), a3 = FloatVector.zero(F);
                FloatVector a4 = FloatVector.zero(F), a5 = FloatVector.zero(F), a6 = FloatVector.zero(F), a7 = FloatVector.zero(F);
                for (int j = 0; j < J; j++) {
                    int b = base[j];
                    FloatVector d = FloatVector.fromArray(F, dyT, j * kv + kb);
                    a0 = FloatVector.broadcast(F, xp[b + o0]).fma(d, a0);
                    a1 = FloatVector.broadcast(F, xp[b + o1]).fma(d, a1);
                    a2 = FloatVector.broadcast(F, xp[b + o2]).fma(d, a2);
                    a3 = FloatVector.broadcast(F, xp[b + o3]).fma(d, a3);
                    a4 = FloatVector.broadcast(F, xp[b + o4]).fma(d, a4);
                    a5 = FloatVector.broadcast(F, xp[b + o5]).fma(d, a5);
                    a6 = FloatVector.broadcast(F, xp[b + o6]).fma(d, a6);
                    a7 = FloatVector.broadcast(F, xp[b + o7]).fma(d, a7);
                }
                addInto(acc, t * kv + kb, a0);
                if (t + 1 <= last) addInto(acc, (t + 1) * kv + kb, a1);
                if (t + 2 <= last) addInto(acc, (t + 2) * kv + kb, a2);
                if (t + 3 <= last) addInto(acc, (t + 3) * kv + kb, a3);
                if (t + 4 <= last) addInto(acc, (t + 4) * kv + kb, a4);
                if (t + 5 <= last) addInto(acc, (t + 5) * kv + kb, a5);
                if (t + 6 <= last) addInto(acc, (t + 6) * kv + kb, a6);
                if (t + 7 <= last) addInto(acc, (t + 7) * kv + kb, a7);
            }
        }
    }

    private static void addInto(float[] acc, int at, FloatVector lo, FloatVector hi) {
        addInto(acc, at, lo);
        addInto(acc, at + LANES, hi);
    }

    private static void addInto(float[] acc, int at, FloatVector v) {
        FloatVector.fromArray(F, acc, at).add(v).intoArray(acc, at);
    }
}
