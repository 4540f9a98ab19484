package jgrad.backend.simd;

import static jgrad.backend.simd.Simd.F;
import static jgrad.backend.simd.Simd.LANES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The three transforms of {@link Winograd}'s F(4×4, 3×3), each on {@link Simd#LANES} tiles (or
 * filters) at once, one tile per vector lane. With the interpolation points 0, ±1, ±2 and ∞ (Lavin
 * and Gray, "Fast Algorithms for Convolutional Neural Networks", 2015):
 * <pre>
 *        ⎡ 4  0 −5  0  1  0 ⎤          ⎡ 1/4    0     0  ⎤
 *        ⎢ 0 −4 −4  1  1  0 ⎥          ⎢−1/6  −1/6  −1/6 ⎥         ⎡ 1  1  1  1  1  0 ⎤
 *   Bᵀ = ⎢ 0  4 −4 −1  1  0 ⎥     G =  ⎢−1/6   1/6  −1/6 ⎥    Aᵀ = ⎢ 0  1 −1  2 −2  0 ⎥
 *        ⎢ 0 −2 −1  2  1  0 ⎥          ⎢ 1/24  1/12  1/6 ⎥         ⎢ 0  1  1  4  4  0 ⎥
 *        ⎢ 0  2 −1 −2  1  0 ⎥          ⎢ 1/24 −1/12  1/6 ⎥         ⎣ 0  1 −1  8 −8  1 ⎦
 *        ⎣ 0  4  0 −5  0  1 ⎦          ⎣ 0      0     1  ⎦
 * </pre>
 * A 6×6 input tile d becomes Bᵀ·d·B, a 3×3 filter g becomes G·g·Gᵀ, and a 6×6 product m becomes
 * the 4×4 output Aᵀ·m·A. Each 2-D transform is the 1-D one down the columns, then along the rows.
 * Tiles are read with gathers and written with scatters through index maps (one offset per tile),
 * so that the 36 transformed values of a tile land in 36 separate matrices, tiles side by side.
 */
final class WinogradTiles {
    private WinogradTiles() {}

    /** Per-thread intermediate values: 36 vectors of gathered or transformed tiles, then 36 more. */
    private static final ThreadLocal<float[]> TEMP = ThreadLocal.withInitial(() -> new float[72 * LANES]);

    // Each step below takes arrays and offsets, never vectors: a step that C2 does not inline then
    // costs a call, where a vector argument would be boxed on the heap.

    /**
     * Bᵀ·d·B for the tiles t0 … t0 + LANES − 1 of one channel: tile t's 6×6 input starts at
     * {@code x[at + offsets[t]]} with rows {@code ld} apart; value (i, j) of its transform goes to
     * {@code v[vAt + (i·6 + j)·vStride + t − t0]}.
     */
    static void input(float[] x, int at, int ld, int[] offsets, int t0, float[] v, int vAt, int vStride) {
        float[] tmp = TEMP.get();
        for (int r = 0; r < 6; r++) {
            for (int s = 0; s < 6; s++) FloatVector.fromArray(F, x, at + r * ld + s, offsets, t0).intoArray(tmp, (r * 6 + s) * LANES);
        }
        int down = 36 * LANES;
        for (int s = 0; s < 6; s++) bt(tmp, s * LANES, 6 * LANES, tmp, down + s * LANES, 6 * LANES);  // down column s: Bᵀ·d
        for (int i = 0; i < 6; i++) bt(tmp, down + i * 6 * LANES, LANES, v, vAt + i * 6 * vStride, vStride);  // along row i: ·B
    }

    /** Bᵀ's six rows applied to the six vectors src[from + j·stride], written to dst[to + i·dstStride]. */
    private static void bt(float[] src, int from, int stride, float[] dst, int to, int dstStride) {
        FloatVector d0 = FloatVector.fromArray(F, src, from), d1 = FloatVector.fromArray(F, src, from + stride);
        FloatVector d2 = FloatVector.fromArray(F, src, from + 2 * stride), d3 = FloatVector.fromArray(F, src, from + 3 * stride);
        FloatVector d4 = FloatVector.fromArray(F, src, from + 4 * stride), d5 = FloatVector.fromArray(F, src, from + 5 * stride);
        FloatVector sum12 = d1.add(d2), diff12 = d1.sub(d2), d34 = d3.add(d4), e43 = d4.sub(d3);
        FloatVector d42 = d4.sub(d2), twice31 = d3.sub(d1).mul(2f);
        d0.mul(4f).add(d4).sub(d2.mul(5f)).intoArray(dst, to);             // 4d0 − 5d2 + d4
        d34.sub(sum12.mul(4f)).intoArray(dst, to + dstStride);            // −4(d1 + d2) + d3 + d4
        e43.add(diff12.mul(4f)).intoArray(dst, to + 2 * dstStride);       // 4(d1 − d2) − d3 + d4
        d42.add(twice31).intoArray(dst, to + 3 * dstStride);              // −2d1 − d2 + 2d3 + d4
        d42.sub(twice31).intoArray(dst, to + 4 * dstStride);              // 2d1 − d2 − 2d3 + d4
        d1.mul(4f).add(d5).sub(d3.mul(5f)).intoArray(dst, to + 5 * dstStride);  // 4d1 − 5d3 + d5
    }

    /**
     * Aᵀ·m·A for the tiles t0 … t0 + LANES − 1 (those below {@code tiles}) of one output channel:
     * value (i, j) of tile t's product is {@code m[mAt + (i·6 + j)·mStride + t]}; output (a, b) goes
     * to {@code y[at + offsets[t] + a·ld + b]}.
     */
    static void output(float[] m, int mAt, int mStride, int t0, int tiles, float[] y, int at, int ld, int[] offsets) {
        float[] tmp = TEMP.get();
        for (int s = 0; s < 6; s++) at(m, mAt + s * mStride + t0, 6 * mStride, tmp, s * LANES, 6 * LANES);  // down column s: Aᵀ·m
        for (int a = 0; a < 4; a++) at(tmp, a * 6 * LANES, LANES, tmp, (24 + a * 4) * LANES, LANES);         // along row a: ·A
        // each tile's 4×4 outputs as four rows of four floats: one masked scatter per output value
        // (16 a block of tiles) took 21% of ResNet-18's 64 → 64 layer at 56×56 on AMD's cores; these
        // plain stores, one thread, forward 9.1–10.0 → 8.5–8.7 ms (ThreadCpuTime conv3 8 64 56 64)
        for (int t = 0, n = Math.min(LANES, tiles - t0); t < n; t++) {
            int o = at + offsets[t0 + t], from = 24 * LANES + t;
            for (int a = 0; a < 4; a++, o += ld) {
                y[o] = tmp[from + a * 4 * LANES];
                y[o + 1] = tmp[from + (a * 4 + 1) * LANES];
                y[o + 2] = tmp[from + (a * 4 + 2) * LANES];
                y[o + 3] = tmp[from + (a * 4 + 3) * LANES];
            }
        }
    }

    /** Aᵀ's four rows applied to the six vectors src[from + j·stride], written to dst[to + i·dstStride]. */
    private static void at(float[] src, int from, int stride, float[] dst, int to, int dstStride) {
        FloatVector m0 = FloatVector.fromArray(F, src, from), m1 = FloatVector.fromArray(F, src, from + stride);
        FloatVector m2 = FloatVector.fromArray(F, src, from + 2 * stride), m3 = FloatVector.fromArray(F, src, from + 3 * stride);
        FloatVector m4 = FloatVector.fromArray(F, src, from + 4 * stride), m5 = FloatVector.fromArray(F, src, from + 5 * stride);
        FloatVector sum12 = m1.add(m2), diff12 = m1.sub(m2), sum34 = m3.add(m4), diff34 = m3.sub(m4);
        sum12.add(sum34).add(m0).intoArray(dst, to);                          // m0 + m1 + m2 + m3 + m4
        diff12.add(diff34.mul(2f)).intoArray(dst, to + dstStride);            // m1 − m2 + 2(m3 − m4)
        sum12.add(sum34.mul(4f)).intoArray(dst, to + 2 * dstStride);          // m1 + m2 + 4(m3 + m4)
        diff12.add(diff34.mul(8f)).add(m5).intoArray(dst, to + 3 * dstStride); // m1 − m2 + 8(m3 − m4) + m5
    }

    /**
     * G·g·Gᵀ for the filters (o, i0 … i0 + LANES − 1), those with i below {@code inner}: filter
     * (o, i)'s nine taps start at {@code w[at + o·outerStride + innerOffsets[i]]}, row by row, read
     * back to front when {@code flip} (the filter turned by 180°); value (i', j') of its transform
     * goes to {@code u[uAt + (i'·6 + j')·uStride + i − i0]}.
     */
    static void filter(float[] w, int at, int outerStride, int[] innerOffsets, int o, int i0, int inner, boolean flip,
                       float[] u, int uAt, int uStride) {
        float[] tmp = TEMP.get();
        VectorMask<Float> live = F.indexInRange(i0, inner);
        int base = at + o * outerStride, taps = 36 * LANES;
        for (int tap = 0; tap < 9; tap++) {
            FloatVector.fromArray(F, w, base + tap, innerOffsets, i0, live).intoArray(tmp, taps + (flip ? 8 - tap : tap) * LANES);
        }
        transformTaps(tmp);
        for (int p = 0; p < 36; p++) FloatVector.fromArray(F, tmp, p * LANES).intoArray(u, uAt + p * uStride, live);
    }

    /** The nine taps at tmp[36·LANES …] (one filter per lane) → their 36 transformed values at tmp[0 …]. */
    private static void transformTaps(float[] tmp) {
        int taps = 36 * LANES, gg = 45 * LANES;
        for (int s = 0; s < 3; s++) g(tmp, taps + s * LANES, 3 * LANES, tmp, gg + s * LANES, 3 * LANES);  // G·g: 6 rows × 3
        for (int r = 0; r < 6; r++) g(tmp, gg + r * 3 * LANES, LANES, tmp, r * 6 * LANES, LANES);          // (G·g)·Gᵀ
    }

    /** For {@link #filterBlock}: each lane's output channel (ℓ mod MR) and input channel (ℓ / MR) within its block. */
    private static final float[] LANE_O = new float[LANES], LANE_I = new float[LANES];

    static {
        for (int l = 0; l < LANES; l++) {
            LANE_O[l] = l % Gemm.MR;
            LANE_I[l] = l / Gemm.MR;
        }
    }

    /** Input channels a {@link #filterBlock} takes: one vector block of packed A's columns. */
    static final int BLOCK_INNER = GemmPacking.A_VECTOR_COLS;

    /**
     * {@link #filter} for a block of filters in the order of the GEMM's packed A: output channels
     * o0 … o0 + MR − 1 by input channels i0 … i0 + BLOCK_INNER − 1, lane ℓ = (i − i0)·MR + (o − o0),
     * which is how {@link GemmPacking#packedAIndex} lays them out within a slice of k. Each of the
     * 36 values is then one store of a whole vector at {@code u[uAt + p·uStride]} instead of a
     * scatter of MR-apart floats (on AMD's cores the scatters were most of the transform's time).
     * Filter (o, i) starts at {@code w[at + laneOffsets[ℓ]]}; lanes with o − o0 ≥ oLeft or
     * i − i0 ≥ iLeft are neither read nor written.
     */
    static void filterBlock(float[] w, int at, int[] laneOffsets, int oLeft, int iLeft, boolean flip, float[] u, int uAt, int uStride) {
        float[] tmp = TEMP.get();
        VectorMask<Float> live = FloatVector.fromArray(F, LANE_O, 0).compare(VectorOperators.LT, oLeft)
                .and(FloatVector.fromArray(F, LANE_I, 0).compare(VectorOperators.LT, iLeft));
        int taps = 36 * LANES;
        for (int tap = 0; tap < 9; tap++) {
            FloatVector.fromArray(F, w, at + tap, laneOffsets, 0, live).intoArray(tmp, taps + (flip ? 8 - tap : tap) * LANES);
        }
        transformTaps(tmp);
        for (int p = 0; p < 36; p++) FloatVector.fromArray(F, tmp, p * LANES).intoArray(u, uAt + p * uStride, live);
    }

    /** G's six rows applied to the three vectors src[from + j·stride], written to dst[to + i·dstStride]. */
    private static void g(float[] src, int from, int stride, float[] dst, int to, int dstStride) {
        FloatVector g0 = FloatVector.fromArray(F, src, from), g1 = FloatVector.fromArray(F, src, from + stride);
        FloatVector g2 = FloatVector.fromArray(F, src, from + 2 * stride);
        FloatVector g02 = g0.add(g2), quarter = g0.mul(1f / 24f).add(g2.mul(1f / 6f)), twelfth = g1.mul(1f / 12f);
        g0.mul(0.25f).intoArray(dst, to);                          // g0 / 4
        g02.add(g1).mul(-1f / 6f).intoArray(dst, to + dstStride);  // −(g0 + g1 + g2) / 6
        g02.sub(g1).mul(-1f / 6f).intoArray(dst, to + 2 * dstStride);  // −(g0 − g1 + g2) / 6
        quarter.add(twelfth).intoArray(dst, to + 3 * dstStride);   // g0/24 + g1/12 + g2/6
        quarter.sub(twelfth).intoArray(dst, to + 4 * dstStride);   // g0/24 − g1/12 + g2/6
        g2.intoArray(dst, to + 5 * dstStride);                     // g2
    }

    // ---- the weight gradient: the output and filter transforms backwards (their transposes) ----

    /**
     * A·dY·Aᵀ for the tiles t0 … t0 + LANES − 1 of one output channel: tile t's 4×4 dY starts at
     * {@code dy[at + offsets[t]]}, rows {@code ld} apart; value (i, j) of the 6×6 result goes to
     * {@code d[dAt + (i·6 + j)·dStride + t]}.
     */
    static void outputBack(float[] dy, int at, int ld, int[] offsets, int t0, float[] d, int dAt, int dStride) {
        float[] tmp = TEMP.get();
        for (int a = 0; a < 4; a++) {
            for (int b = 0; b < 4; b++) FloatVector.fromArray(F, dy, at + a * ld + b, offsets, t0).intoArray(tmp, (a * 4 + b) * LANES);
        }
        int down = 16 * LANES;
        for (int b = 0; b < 4; b++) a6(tmp, b * LANES, 4 * LANES, tmp, down + b * LANES, 4 * LANES);  // down column b: A·dY
        for (int i = 0; i < 6; i++) a6(tmp, down + i * 4 * LANES, LANES, d, dAt + i * 6 * dStride + t0, dStride);  // along row i: ·Aᵀ
    }

    /** A's six rows (Aᵀ's columns) applied to the four vectors src[from + j·stride], written to dst[to + i·dstStride]. */
    private static void a6(float[] src, int from, int stride, float[] dst, int to, int dstStride) {
        FloatVector d0 = FloatVector.fromArray(F, src, from), d1 = FloatVector.fromArray(F, src, from + stride);
        FloatVector d2 = FloatVector.fromArray(F, src, from + 2 * stride), d3 = FloatVector.fromArray(F, src, from + 3 * stride);
        FloatVector even = d0.add(d2), odd = d1.add(d3), even4 = d0.add(d2.mul(4f)), odd4 = d1.mul(2f).add(d3.mul(8f));
        d0.intoArray(dst, to);                                   // d0
        even.add(odd).intoArray(dst, to + dstStride);            // d0 + d1 + d2 + d3
        even.sub(odd).intoArray(dst, to + 2 * dstStride);        // d0 − d1 + d2 − d3
        even4.add(odd4).intoArray(dst, to + 3 * dstStride);      // d0 + 2d1 + 4d2 + 8d3
        even4.sub(odd4).intoArray(dst, to + 4 * dstStride);      // d0 − 2d1 + 4d2 − 8d3
        d3.intoArray(dst, to + 5 * dstStride);                   // d3
    }

    /**
     * Gᵀ·S·G for the filters (k, c0 … c0 + LANES − 1), those with c below {@code inner}: value
     * (i, j) of filter c's 6×6 sum is {@code s[sAt + (i·6 + j)·sStride + c − c0]} (read as whole
     * vectors: s must reach LANES past its last filter); tap (r, q) of its 3×3 gradient goes to
     * {@code dw[dwAt + taps[c] + r·3 + q]}.
     */
    static void filterBack(float[] s, int sAt, int sStride, int c0, int inner, float[] dw, int dwAt, int[] taps) {
        float[] tmp = TEMP.get();
        int down = 36 * LANES;
        for (int j = 0; j < 6; j++) g3(s, sAt + j * sStride, 6 * sStride, tmp, down + j * LANES, 6 * LANES);  // down column j: Gᵀ·S
        for (int r = 0; r < 3; r++) g3(tmp, down + r * 6 * LANES, LANES, tmp, r * 3 * LANES, LANES);           // along row r: ·G
        VectorMask<Float> live = F.indexInRange(c0, inner);
        for (int tap = 0; tap < 9; tap++) FloatVector.fromArray(F, tmp, tap * LANES).intoArray(dw, dwAt + tap, taps, c0, live);
    }

    /** Gᵀ's three rows applied to the six vectors src[from + j·stride], written to dst[to + i·dstStride]. */
    private static void g3(float[] src, int from, int stride, float[] dst, int to, int dstStride) {
        FloatVector s0 = FloatVector.fromArray(F, src, from), s1 = FloatVector.fromArray(F, src, from + stride);
        FloatVector s2 = FloatVector.fromArray(F, src, from + 2 * stride), s3 = FloatVector.fromArray(F, src, from + 3 * stride);
        FloatVector s4 = FloatVector.fromArray(F, src, from + 4 * stride), s5 = FloatVector.fromArray(F, src, from + 5 * stride);
        FloatVector sum12 = s1.add(s2), sum34 = s3.add(s4);
        s0.mul(0.25f).sub(sum12.mul(1f / 6f)).add(sum34.mul(1f / 24f)).intoArray(dst, to);             // s0/4 − (s1 + s2)/6 + (s3 + s4)/24
        s2.sub(s1).mul(1f / 6f).add(s3.sub(s4).mul(1f / 12f)).intoArray(dst, to + dstStride);          // (s2 − s1)/6 + (s3 − s4)/12
        sum34.sub(sum12).mul(1f / 6f).add(s5).intoArray(dst, to + 2 * dstStride);                      // (s3 + s4 − s1 − s2)/6 + s5
    }
}
