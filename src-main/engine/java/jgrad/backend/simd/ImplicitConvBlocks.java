package jgrad.backend.simd;

import static jgrad.backend.simd.Simd.F;
import static jgrad.backend.simd.Simd.LANES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * The register blocks of {@link ImplicitConv}: y[k, j] = bv[k] + Σ_t wt[t, k] · xp[base[j] + off[t]],
 * one block of output positions × channels at a time, its accumulators in registers over all taps.
 * Three shapes, chosen by {@link #product}:
 * <ul>
 *   <li>6 positions × 4 or 2 vectors of channels ({@link ImplicitConvChannelBlocks}), while that many channels are left;</li>
 *   <li>the channels left over with the lanes along the output row ({@link #spatialSix}, {@link #spatial}),
 *       or, for rows shorter than a vector, along two rows, one masked vector each ({@link #spatialShortRows});</li>
 *   <li>else 8 positions × 1 vector of channels.</li>
 * </ul>
 * Each loop is written out accumulator by accumulator, as in {@link GemmKernel}: C2 keeps vectors in
 * registers only as named locals of one method.
 */
final class ImplicitConvBlocks {
    private ImplicitConvBlocks() {}

    /**
     * y[yAt + k·J + j] = bv[k] + Σ_t wt[t·kv + k] · xp[base[j] + off[t]] for k &lt; K, j &lt; J = base.length
     * (wk[wkAt + k·taps + t] holds the same weights channel-major, for {@link #spatial}).
     * Blocks of 6 positions × 4 (AVX-512) or 2 vectors of channels ({@link ImplicitConvChannelBlocks}); the channels left over go to {@link #spatial}
     * (unit column stride, rows of at least a vector), else to blocks of any 8 positions × 1 vector.
     * A block past the last position repeats the last one (harmless reads) and stores only the real
     * positions.
     */
    static void product(float[] xp, int[] base, int Q, boolean unitStride, int[] off, int[][] range, float[] wt, int kv,
                        float[] wk, int wkAt, float[] bv, int K, float[] y, int yAt) {
        int J = base.length, last = J - 1;
        float[] tile = ImplicitConv.scratch(2, 24 * LANES);
        int kb = 0;
        if (ImplicitConvChannelBlocks.WIDE) {
            for (; kb + 4 * LANES <= kv; kb += 4 * LANES) ImplicitConvChannelBlocks.sixPositionsWide(xp, base, Q, off, range, wt, kv, bv, kb, K, y, yAt, tile);
        }
        for (; kb + 2 * LANES <= kv; kb += 2 * LANES) ImplicitConvChannelBlocks.sixPositions(xp, base, Q, off, range, wt, kv, bv, kb, K, y, yAt, tile);
        if (kb < kv && unitStride && Q < LANES && ImplicitConv.SPATIAL && shortRowsFillMore(K - kb, Q)) {
            spatialShortRows(xp, base, Q, off, range, wk, wkAt, bv, kb, K, y, yAt);
            return;
        }
        if (kb < kv && unitStride && Q >= LANES && ImplicitConv.SPATIAL) {
            int k6 = kb + (K - kb) / 6 * 6;  // whole groups of six channels, then pairs
            if (k6 > kb) spatialSix(xp, base, Q, off, range, wk, wkAt, bv, kb, k6, y, yAt);
            if (k6 < K) spatial(xp, base, Q, off, range, wk, wkAt, bv, k6, K, y, yAt);
            return;
        }
        for (; kb < kv; kb += LANES) {
            for (int j = 0; j < J; j += 8) {
                int from = from(range, j / Q, Math.min(j + 7, last) / Q), to = to(range, j / Q, Math.min(j + 7, last) / Q);
                int b0 = base[j], b1 = base[Math.min(j + 1, last)], b2 = base[Math.min(j + 2, last)], b3 = base[Math.min(j + 3, last)];
                int b4 = base[Math.min(j + 4, last)], b5 = base[Math.min(j + 5, last)], b6 = base[Math.min(j + 6, last)], b7 = base[Math.min(j + 7, last)];
                FloatVector bias = FloatVector.fromArray(F, bv, kb);
                FloatVector a0 = bias, a1 = bias, a2 = bias, a3 = bias, a4 = bias, a5 = bias, a6 = bias, a7 = bias;
                for (int t = from; t < to; t++) {
                    int o = off[t];
                    FloatVector w0 = FloatVector.fromArray(F, wt, t * kv + kb);
                    a0 = FloatVector.broadcast(F, xp[b0 + o]).fma(w0, a0);
                    a1 = FloatVector.broadcast(F, xp[b1 + o]).fma(w0, a1);
                    a2 = FloatVector.broadcast(F, xp[b2 + o]).fma(w0, a2);
                    a3 = FloatVector.broadcast(F, xp[b3 + o]).fma(w0, a3);
                    a4 = FloatVector.broadcast(F, xp[b4 + o]).fma(w0, a4);
                    a5 = FloatVector.broadcast(F, xp[b5 + o]).fma(w0, a5);
                    a6 = FloatVector.broadcast(F, xp[b6 + o]).fma(w0, a6);
                    a7 = FloatVector.broadcast(F, xp[b7 + o]).fma(w0, a7);
                }
                a0.intoArray(tile, 0);
                a1.intoArray(tile, LANES);
                a2.intoArray(tile, 2 * LANES);
                a3.intoArray(tile, 3 * LANES);
                a4.intoArray(tile, 4 * LANES);
                a5.intoArray(tile, 5 * LANES);
                a6.intoArray(tile, 6 * LANES);
                a7.intoArray(tile, 7 * LANES);
                scatter(tile, LANES, Math.min(8, J - j), Math.min(LANES, K - kb), y, yAt + kb * J + j, J);
            }
        }
    }

    /**
     * Channels kb … K−1 (fewer than two vectors' worth) with the lanes along the output row instead:
     * y[k, p, q … q + L) = Σ_t wk[k, t] · xp[base(p, q) + off[t] …], one broadcast weight per channel
     * (wk channel-major, so a block reads two short runs of weights, not every kv-th float of wt).
     * The block is 2 channels × 2 rows × 2 vectors, 8 accumulators, per tap 4 loads and 2 broadcasts
     * for 8 FMAs, against 9 loads for the 8 positions × 1 vector block, and no lanes spent on
     * channels that do not exist (LeNet's 6). A row's last vector is moved back to end at Q; odd
     * channel or row counts repeat the last one. Needs unit column stride and Q ≥ LANES.
     */
    private static void spatial(float[] xp, int[] base, int Q, int[] off, int[][] range, float[] wk, int wkAt, float[] bv, int kb, int K,
                                float[] y, int yAt) {
        int J = base.length, P = J / Q, taps = off.length, vecs = (Q + LANES - 1) / LANES;
        for (int k0 = kb; k0 < K; k0 += 2) {
            int k1 = Math.min(k0 + 1, K - 1);
            for (int p0 = 0; p0 < P; p0 += 2) {
                int p1 = Math.min(p0 + 1, P - 1), from = from(range, p0, p1), to = to(range, p0, p1);
                for (int v = 0; v < vecs; v += 2) {
                    int q0 = Math.min(v * LANES, Q - LANES), q1 = Math.min((v + 1) * LANES, Q - LANES);
                    int b00 = base[p0 * Q + q0], b01 = base[p0 * Q + q1], b10 = base[p1 * Q + q0], b11 = base[p1 * Q + q1];
                    FloatVector c0 = FloatVector.broadcast(F, bv[k0]), c1 = FloatVector.broadcast(F, bv[k1]);
                    FloatVector a000 = c0, a001 = c0, a010 = c0, a011 = c0, a100 = c1, a101 = c1, a110 = c1, a111 = c1;
                    int w0At = wkAt + k0 * taps, w1At = wkAt + k1 * taps;
                    for (int t = from; t < to; t++) {
                        int o = off[t];
                        FloatVector w0 = FloatVector.broadcast(F, wk[w0At + t]), w1 = FloatVector.broadcast(F, wk[w1At + t]);
                        FloatVector x00 = FloatVector.fromArray(F, xp, b00 + o), x01 = FloatVector.fromArray(F, xp, b01 + o);
                        FloatVector x10 = FloatVector.fromArray(F, xp, b10 + o), x11 = FloatVector.fromArray(F, xp, b11 + o);
                        a000 = x00.fma(w0, a000);
                        a001 = x01.fma(w0, a001);
                        a010 = x10.fma(w0, a010);
                        a011 = x11.fma(w0, a011);
                        a100 = x00.fma(w1, a100);
                        a101 = x01.fma(w1, a101);
                        a110 = x10.fma(w1, a110);
                        a111 = x11.fma(w1, a111);
                    }
                    int y0 = yAt + k0 * J, y1 = yAt + k1 * J;
                    a000.intoArray(y, y0 + p0 * Q + q0);
                    a001.intoArray(y, y0 + p0 * Q + q1);
                    a010.intoArray(y, y0 + p1 * Q + q0);
                    a011.intoArray(y, y0 + p1 * Q + q1);
                    a100.intoArray(y, y1 + p0 * Q + q0);
                    a101.intoArray(y, y1 + p0 * Q + q1);
                    a110.intoArray(y, y1 + p1 * Q + q0);
                    a111.intoArray(y, y1 + p1 * Q + q1);
                }
            }
        }
    }

    /**
     * The row-vector block for six channels at a time, kFrom … kTo − 1 (a multiple of six): 6 channels
     * × 1 row × 2 vectors, 12 accumulators; per tap 2 loads and 6 broadcasts feed 12 FMAs. Against the
     * 2 × 2 × 2 block of {@link #spatial}, fewer loads per FMA and more accumulators in flight: LeNet's
     * conv2 input gradient 621 → 490 µs and conv1 forward 188 → 154 µs per batch of 64 (best of 36
     * alternating runs in one JVM). Uses 15 of AVX2's 16 vector registers; C2 keeps them all (unlike
     * a 6 × 2 GEMM tile, whose packed-B loads need one more).
     */
    private static void spatialSix(float[] xp, int[] base, int Q, int[] off, int[][] range, float[] wk, int wkAt, float[] bv, int kFrom, int kTo,
                                   float[] y, int yAt) {
        int J = base.length, P = J / Q, taps = off.length, vecs = (Q + LANES - 1) / LANES;
        for (int k0 = kFrom; k0 < kTo; k0 += 6) {
            int w0 = wkAt + k0 * taps, w1 = w0 + taps, w2 = w1 + taps, w3 = w2 + taps, w4 = w3 + taps, w5 = w4 + taps;
            for (int p = 0; p < P; p++) {
                int from = range[0][p], to = range[1][p];
                for (int v = 0; v < vecs; v += 2) {
                    int q0 = Math.min(v * LANES, Q - LANES), q1 = Math.min((v + 1) * LANES, Q - LANES);
                    int b0 = base[p * Q] + q0, b1 = base[p * Q] + q1;
                    FloatVector a00 = FloatVector.broadcast(F, bv[k0]), a01 = a00;
                    FloatVector a10 = FloatVector.broadcast(F, bv[k0 + 1]), a11 = a10;
                    FloatVector a20 = FloatVector.broadcast(F, bv[k0 + 2]), a21 = a20;
                    FloatVector a30 = FloatVector.broadcast(F, bv[k0 + 3]), a31 = a30;
                    FloatVector a40 = FloatVector.broadcast(F, bv[k0 + 4]), a41 = a40;
                    FloatVector a50 = FloatVector.broadcast(F, bv[k0 + 5]), a51 = a50;
                    for (int t = from; t < to; t++) {
                        int o = off[t];
                        FloatVector x0 = FloatVector.fromArray(F, xp, b0 + o), x1 = FloatVector.fromArray(F, xp, b1 + o);
                        FloatVector w = FloatVector.broadcast(F, wk[w0 + t]);
                        a00 = x0.fma(w, a00);
                        a01 = x1.fma(w, a01);
                        w = FloatVector.broadcast(F, wk[w1 + t]);
                        a10 = x0.fma(w, a10);
                        a11 = x1.fma(w, a11);
                        w = FloatVector.broadcast(F, wk[w2 + t]);
                        a20 = x0.fma(w, a20);
                        a21 = x1.fma(w, a21);
                        w = FloatVector.broadcast(F, wk[w3 + t]);
                        a30 = x0.fma(w, a30);
                        a31 = x1.fma(w, a31);
                        w = FloatVector.broadcast(F, wk[w4 + t]);
                        a40 = x0.fma(w, a40);
                        a41 = x1.fma(w, a41);
                        w = FloatVector.broadcast(F, wk[w5 + t]);
                        a50 = x0.fma(w, a50);
                        a51 = x1.fma(w, a51);
                    }
                    // a row's last vector may overlap the one before it: the same sums, stored twice
                    int row = yAt + k0 * J + p * Q;
                    a00.intoArray(y, row + q0);
                    a01.intoArray(y, row + q1);
                    a10.intoArray(y, row + J + q0);
                    a11.intoArray(y, row + J + q1);
                    a20.intoArray(y, row + 2 * J + q0);
                    a21.intoArray(y, row + 2 * J + q1);
                    a30.intoArray(y, row + 3 * J + q0);
                    a31.intoArray(y, row + 3 * J + q1);
                    a40.intoArray(y, row + 4 * J + q0);
                    a41.intoArray(y, row + 4 * J + q1);
                    a50.intoArray(y, row + 5 * J + q0);
                    a51.intoArray(y, row + 5 * J + q1);
                }
            }
        }
    }

    /**
     * Whether rows shorter than a vector fill more lanes than channels do: the row blocks use Q of
     * LANES lanes and compute channels in sixes (a last, partial six repeats a channel), the channel
     * blocks use the leftover channels' share of one vector. At 16 lanes LeNet's conv2 input gradient
     * (6 channels of 14-wide rows) fills 14 of 16 lanes as rows against 6 as channels; its forward
     * (16 channels of 10-wide rows) stays with channels, which fill the vector.
     */
    static boolean shortRowsFillMore(int channels, int Q) {
        double asRows = (double) Q / LANES * channels / ((channels + 5) / 6 * 6);
        double asChannels = (double) Math.min(channels, LANES) / LANES;
        return asRows > asChannels;
    }

    /**
     * Channels kb … K−1 for rows shorter than a vector (Q &lt; LANES): 6 channels × 2 rows × 1 vector, 12
     * accumulators, per tap 2 loads and 6 broadcasts for 12 FMAs, as {@link #spatialSix} but with the
     * two vectors on two rows. A vector reads past its row's Q positions into the padding and the next
     * row (the scratch image has a vector of slack at its end: {@link ImplicitConv#padded}); those lanes
     * are computed and not stored (a masked store). A last, partial six repeats channel K − 1 and an
     * odd row count the last row: the same sums, stored twice.
     */
    private static void spatialShortRows(float[] xp, int[] base, int Q, int[] off, int[][] range, float[] wk, int wkAt, float[] bv, int kb, int K,
                                         float[] y, int yAt) {
        int J = base.length, P = J / Q, taps = off.length;
        VectorMask<Float> row = F.indexInRange(0, Q);
        for (int k0 = kb; k0 < K; k0 += 6) {
            int k1 = Math.min(k0 + 1, K - 1), k2 = Math.min(k0 + 2, K - 1), k3 = Math.min(k0 + 3, K - 1);
            int k4 = Math.min(k0 + 4, K - 1), k5 = Math.min(k0 + 5, K - 1);
            int w0 = wkAt + k0 * taps, w1 = wkAt + k1 * taps, w2 = wkAt + k2 * taps, w3 = wkAt + k3 * taps, w4 = wkAt + k4 * taps, w5 = wkAt + k5 * taps;
            for (int p0 = 0; p0 < P; p0 += 2) {
                int p1 = Math.min(p0 + 1, P - 1), from = from(range, p0, p1), to = to(range, p0, p1);
                int b0 = base[p0 * Q], b1 = base[p1 * Q];
                FloatVector a00 = FloatVector.broadcast(F, bv[k0]), a01 = a00;
                FloatVector a10 = FloatVector.broadcast(F, bv[k1]), a11 = a10;
                FloatVector a20 = FloatVector.broadcast(F, bv[k2]), a21 = a20;
                FloatVector a30 = FloatVector.broadcast(F, bv[k3]), a31 = a30;
                FloatVector a40 = FloatVector.broadcast(F, bv[k4]), a41 = a40;
                FloatVector a50 = FloatVector.broadcast(F, bv[k5]), a51 = a50;
                for (int t = from; t < to; t++) {
                    int o = off[t];
                    FloatVector x0 = FloatVector.fromArray(F, xp, b0 + o), x1 = FloatVector.fromArray(F, xp, b1 + o);
                    FloatVector w = FloatVector.broadcast(F, wk[w0 + t]);
                    a00 = x0.fma(w, a00);
                    a01 = x1.fma(w, a01);
                    w = FloatVector.broadcast(F, wk[w1 + t]);
                    a10 = x0.fma(w, a10);
                    a11 = x1.fma(w, a11);
                    w = FloatVector.broadcast(F, wk[w2 + t]);
                    a20 = x0.fma(w, a20);
                    a21 = x1.fma(w, a21);
                    w = FloatVector.broadcast(F, wk[w3 + t]);
                    a30 = x0.fma(w, a30);
                    a31 = x1.fma(w, a31);
                    w = FloatVector.broadcast(F, wk[w4 + t]);
                    a40 = x0.fma(w, a40);
                    a41 = x1.fma(w, a41);
                    w = FloatVector.broadcast(F, wk[w5 + t]);
                    a50 = x0.fma(w, a50);
                    a51 = x1.fma(w, a51);
                }
                int r0 = yAt + p0 * Q, r1 = yAt + p1 * Q;
                a00.intoArray(y, r0 + k0 * J, row);
                a01.intoArray(y, r1 + k0 * J, row);
                a10.intoArray(y, r0 + k1 * J, row);
                a11.intoArray(y, r1 + k1 * J, row);
                a20.intoArray(y, r0 + k2 * J, row);
                a21.intoArray(y, r1 + k2 * J, row);
                a30.intoArray(y, r0 + k3 * J, row);
                a31.intoArray(y, r1 + k3 * J, row);
                a40.intoArray(y, r0 + k4 * J, row);
                a41.intoArray(y, r1 + k4 * J, row);
                a50.intoArray(y, r0 + k5 * J, row);
                a51.intoArray(y, r1 + k5 * J, row);
            }
        }
    }

    /** The first tap any of output rows p0 … p1 needs (their ranges are nested towards the middle rows). */
    static int from(int[][] range, int p0, int p1) {
        int t = range[0][p0];
        for (int p = p0 + 1; p <= p1; p++) t = Math.min(t, range[0][p]);
        return t;
    }

    /** One past the last tap any of output rows p0 … p1 needs. */
    static int to(int[][] range, int p0, int p1) {
        int t = range[1][p0];
        for (int p = p0 + 1; p <= p1; p++) t = Math.max(t, range[1][p]);
        return t;
    }

    /** y[at + k·ld + i] = tile[i·width + k] for i &lt; positions, k &lt; channels: the block back in [K, J] order. */
    static void scatter(float[] tile, int width, int positions, int channels, float[] y, int at, int ld) {
        for (int k = 0; k < channels; k++) {
            for (int i = 0; i < positions; i++) y[at + k * ld + i] = tile[i * width + k];
        }
    }
}
