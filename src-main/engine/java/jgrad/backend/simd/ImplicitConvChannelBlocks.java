package jgrad.backend.simd;

import static jgrad.backend.simd.Simd.F;
import static jgrad.backend.simd.Simd.LANES;

import jdk.incubator.vector.FloatVector;

/**
 * {@link ImplicitConvBlocks}' blocks with the lanes along the channels: 6 output positions × 4 or 2
 * vectors of channels, accumulators in registers over all taps, each position's input broadcast once
 * per tap to every vector of channels.
 */
final class ImplicitConvChannelBlocks {
    private ImplicitConvChannelBlocks() {}

    /** With 32 vector registers (AVX-512), blocks of 6 positions × 4 vectors ({@link #sixPositionsWide}) first. */
    static final boolean WIDE = LANES >= 16 && !Boolean.getBoolean("jgrad.conv.implicitNarrow");

    /**
     * Channels kb … kb + 4·LANES − 1 for every position: 6 positions × 4 vectors of channels, 24
     * accumulators, per tap 4 loads of wt and 6 broadcasts of xp for 24 FMAs (29 of AVX-512's 32
     * vector registers), half the broadcasts per FMA of {@link #sixPositions}.
     */
    static void sixPositionsWide(float[] xp, int[] base, int Q, int[] off, int[][] range, float[] wt, int kv, float[] bv, int kb, int K,
                                         float[] y, int yAt, float[] tile) {
        int J = base.length, last = J - 1;
        for (int j = 0; j < J; j += 6) {
            int from = ImplicitConvBlocks.from(range, j / Q, Math.min(j + 5, last) / Q), to = ImplicitConvBlocks.to(range, j / Q, Math.min(j + 5, last) / Q);
            int b0 = base[j], b1 = base[Math.min(j + 1, last)], b2 = base[Math.min(j + 2, last)], b3 = base[Math.min(j + 3, last)];
            int b4 = base[Math.min(j + 4, last)], b5 = base[Math.min(j + 5, last)];
            FloatVector c0 = FloatVector.fromArray(F, bv, kb), c1 = FloatVector.fromArray(F, bv, kb + LANES);
            FloatVector c2 = FloatVector.fromArray(F, bv, kb + 2 * LANES), c3 = FloatVector.fromArray(F, bv, kb + 3 * LANES);
            FloatVector a00 = c0, a01 = c1, a02 = c2, a03 = c3, a10 = c0, a11 = c1, a12 = c2, a13 = c3, a20 = c0, a21 = c1, a22 = c2, a23 = c3;
            FloatVector a30 = c0, a31 = c1, a32 = c2, a33 = c3, a40 = c0, a41 = c1, a42 = c2, a43 = c3, a50 = c0, a51 = c1, a52 = c2, a53 = c3;
            for (int t = from; t < to; t++) {
                int o = off[t], at = t * kv + kb;
                FloatVector w0 = FloatVector.fromArray(F, wt, at), w1 = FloatVector.fromArray(F, wt, at + LANES);
                FloatVector w2 = FloatVector.fromArray(F, wt, at + 2 * LANES), w3 = FloatVector.fromArray(F, wt, at + 3 * LANES);
                FloatVector v = FloatVector.broadcast(F, xp[b0 + o]);
                a00 = v.fma(w0, a00);
                a01 = v.fma(w1, a01);
                a02 = v.fma(w2, a02);
                a03 = v.fma(w3, a03);
                v = FloatVector.broadcast(F, xp[b1 + o]);
                a10 = v.fma(w0, a10);
                a11 = v.fma(w1, a11);
                a12 = v.fma(w2, a12);
                a13 = v.fma(w3, a13);
                v = FloatVector.broadcast(F, xp[b2 + o]);
                a20 = v.fma(w0, a20);
                a21 = v.fma(w1, a21);
                a22 = v.fma(w2, a22);
                a23 = v.fma(w3, a23);
                v = FloatVector.broadcast(F, xp[b3 + o]);
                a30 = v.fma(w0, a30);
                a31 = v.fma(w1, a31);
                a32 = v.fma(w2, a32);
                a33 = v.fma(w3, a33);
                v = FloatVector.broadcast(F, xp[b4 + o]);
                a40 = v.fma(w0, a40);
                a41 = v.fma(w1, a41);
                a42 = v.fma(w2, a42);
                a43 = v.fma(w3, a43);
                v = FloatVector.broadcast(F, xp[b5 + o]);
                a50 = v.fma(w0, a50);
                a51 = v.fma(w1, a51);
                a52 = v.fma(w2, a52);
                a53 = v.fma(w3, a53);
            }
            int w = 4 * LANES;
            a00.intoArray(tile, 0);
            a01.intoArray(tile, LANES);
            a02.intoArray(tile, 2 * LANES);
            a03.intoArray(tile, 3 * LANES);
            a10.intoArray(tile, w);
            a11.intoArray(tile, w + LANES);
            a12.intoArray(tile, w + 2 * LANES);
            a13.intoArray(tile, w + 3 * LANES);
            a20.intoArray(tile, 2 * w);
            a21.intoArray(tile, 2 * w + LANES);
            a22.intoArray(tile, 2 * w + 2 * LANES);
            a23.intoArray(tile, 2 * w + 3 * LANES);
            a30.intoArray(tile, 3 * w);
            a31.intoArray(tile, 3 * w + LANES);
            a32.intoArray(tile, 3 * w + 2 * LANES);
            a33.intoArray(tile, 3 * w + 3 * LANES);
            a40.intoArray(tile, 4 * w);
            a41.intoArray(tile, 4 * w + LANES);
            a42.intoArray(tile, 4 * w + 2 * LANES);
            a43.intoArray(tile, 4 * w + 3 * LANES);
            a50.intoArray(tile, 5 * w);
            a51.intoArray(tile, 5 * w + LANES);
            a52.intoArray(tile, 5 * w + 2 * LANES);
            a53.intoArray(tile, 5 * w + 3 * LANES);
            ImplicitConvBlocks.scatter(tile, w, Math.min(6, J - j), Math.min(w, K - kb), y, yAt + kb * J + j, J);
        }
    }

    /**
     * Channels kb … kb + 2·LANES − 1 for every position: blocks of 6 positions × 2 vectors of
     * channels, 12 accumulators, per tap 2 loads of wt and 6 broadcasts of xp for 12 FMAs (15 of
     * AVX2's 16 vector registers). Measured against 4 × 2 (8 accumulators) in one JVM, alternating:
     * LeNet's conv2 forward 308–325 against 330–355 µs, the 64→64 3×3 layer at batch 32 22–24 against
     * 27–29 ms.
     */
    static void sixPositions(float[] xp, int[] base, int Q, int[] off, int[][] range, float[] wt, int kv, float[] bv, int kb, int K,
                                     float[] y, int yAt, float[] tile) {
        int J = base.length, last = J - 1;
        for (int j = 0; j < J; j += 6) {
            int from = ImplicitConvBlocks.from(range, j / Q, Math.min(j + 5, last) / Q), to = ImplicitConvBlocks.to(range, j / Q, Math.min(j + 5, last) / Q);
            int b0 = base[j], b1 = base[Math.min(j + 1, last)], b2 = base[Math.min(j + 2, last)], b3 = base[Math.min(j + 3, last)];
            int b4 = base[Math.min(j + 4, last)], b5 = base[Math.min(j + 5, last)];
            FloatVector lo = FloatVector.fromArray(F, bv, kb), hi = FloatVector.fromArray(F, bv, kb + LANES);
            FloatVector a00 = lo, a01 = hi, a10 = lo, a11 = hi, a20 = lo, a21 = hi, a30 = lo, a31 = hi, a40 = lo, a41 = hi, a50 = lo, a51 = hi;
            for (int t = from; t < to; t++) {
                int o = off[t], at = t * kv + kb;
                FloatVector w0 = FloatVector.fromArray(F, wt, at), w1 = FloatVector.fromArray(F, wt, at + LANES);
                FloatVector v = FloatVector.broadcast(F, xp[b0 + o]);
                a00 = v.fma(w0, a00);
                a01 = v.fma(w1, a01);
                v = FloatVector.broadcast(F, xp[b1 + o]);
                a10 = v.fma(w0, a10);
                a11 = v.fma(w1, a11);
                v = FloatVector.broadcast(F, xp[b2 + o]);
                a20 = v.fma(w0, a20);
                a21 = v.fma(w1, a21);
                v = FloatVector.broadcast(F, xp[b3 + o]);
                a30 = v.fma(w0, a30);
                a31 = v.fma(w1, a31);
                v = FloatVector.broadcast(F, xp[b4 + o]);
                a40 = v.fma(w0, a40);
                a41 = v.fma(w1, a41);
                v = FloatVector.broadcast(F, xp[b5 + o]);
                a50 = v.fma(w0, a50);
                a51 = v.fma(w1, a51);
            }
            a00.intoArray(tile, 0);
            a01.intoArray(tile, LANES);
            a10.intoArray(tile, 2 * LANES);
            a11.intoArray(tile, 3 * LANES);
            a20.intoArray(tile, 4 * LANES);
            a21.intoArray(tile, 5 * LANES);
            a30.intoArray(tile, 6 * LANES);
            a31.intoArray(tile, 7 * LANES);
            a40.intoArray(tile, 8 * LANES);
            a41.intoArray(tile, 9 * LANES);
            a50.intoArray(tile, 10 * LANES);
            a51.intoArray(tile, 11 * LANES);
            ImplicitConvBlocks.scatter(tile, 2 * LANES, Math.min(6, J - j), Math.min(2 * LANES, K - kb), y, yAt + kb * J + j, J);
        }
    }

}
