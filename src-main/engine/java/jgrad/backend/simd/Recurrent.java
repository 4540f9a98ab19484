package jgrad.backend.simd;

import static jgrad.backend.simd.Simd.F;
import static jgrad.backend.simd.Simd.LANES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jgrad.backend.BinaryOp;
import jgrad.backend.UnaryOp;
import jgrad.backend.reference.RecurrentLoops;

/**
 * Vector loops for the recurrent cells' gate arithmetic ({@code Backend.lstmCell}, {@code gruCell}
 * and their backward passes): for each row, whole vectors of units up to {@code loopBound(hidden)},
 * the tail finished by {@link RecurrentLoops}, the reference's scalar loop. σ and tanh are
 * {@link Pointwise}'s deterministic polynomials (written out in {@code activate}, see there why),
 * so they give the same bits as the simd backend's {@code map}.
 *
 * <p>Rows of H = hidden units: an LSTM's gates and act hold [i | f | g | o], a GRU's xg, hg hold
 * [r | z | n] and its act [r | z | m | h_n]; states and their gradients hold H. Inputs and
 * outputs start at their offsets, all contiguous.
 *
 * <p>Each call runs on one core; SimdBackend splits the rows between the cores when a step has
 * enough units (an LSTM step at batch 64, hidden 128, 8,192 units, took about 28 µs forward and
 * 10 µs backward on one core: RecurrentCellBenchmark, AVX-512).
 */
final class Recurrent {
    private Recurrent() {}

    private static FloatVector in(float[] x, int at) {
        return FloatVector.fromArray(F, x, at);
    }

    /*
     * σ and tanh are written out below, Pointwise.exp's and Pointwise.tanh's operations in the same
     * order (so the same bits as the simd backend's map), instead of calling them. A helper that
     * returns a vector is fast only where C2 inlines it; where it does not, every vector that crosses
     * the call is boxed. A recurrent step needs σ and tanh together, and C2 stopped inlining at its
     * node budget (NodeCountInliningCutoff) after the first exp or two: measured on this loop and on
     * Pointwise.map once both its SIGMOID and TANH cases were hot, 3.4 ns and 18 bytes of garbage per
     * element instead of 0.8 ns and none. The loop below calls only Vector API methods, which are
     * always inlined (@ForceInline), so none can miss; at 584 bytes of bytecode it is above what C2
     * inlines into a caller (FreqInlineSize, 325), so it is compiled on its own, and the callers hand
     * it arrays, never vectors.
     */
    private static final float LOG2E = 1.44269504088896341f, LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    private static final float ROUND = 12582912f;  // 1.5·2²³: adding and subtracting it rounds to an integer

    /**
     * o[oAt + k] = tanh(x[xAt + k]) (with {@code tanh}) or σ(x[xAt + k]) for k &lt; len: whole vectors,
     * then the tail by the scalar definitions, UnaryOp.TANH and SIGMOID. σ = 1 / (1 + e⁻ˣ); tanh as
     * Pointwise.tanh: 1 − 2/(e^{2|x|} + 1) with the sign put back, or x + x·z·P(z), z = x², for
     * |x| &lt; 0.625; eʸ as Pointwise.exp (Cephes' expf), y = −x or 2|x|.
     */
    private static void activate(boolean tanh, float[] x, int xAt, float[] o, int oAt, int len) {
        int bound = F.loopBound(len), k = 0;
        for (; k < bound; k += LANES) {
            FloatVector v = FloatVector.fromArray(F, x, xAt + k), ax = v.abs();
            FloatVector y = (tanh ? ax.add(ax) : v.neg()).max(-104f).min(89f);
            FloatVector n = y.mul(LOG2E).add(ROUND).sub(ROUND);
            FloatVector r = n.fma(n.broadcast(-LN2_HI), y);
            r = n.fma(n.broadcast(-LN2_LO), r);
            FloatVector p = r.broadcast(1.9875691500e-4f);
            p = p.fma(r, r.broadcast(1.3981999507e-3f));
            p = p.fma(r, r.broadcast(8.3334519073e-3f));
            p = p.fma(r, r.broadcast(4.1665795894e-2f));
            p = p.fma(r, r.broadcast(1.6666665459e-1f));
            p = p.fma(r, r.broadcast(5.0000001201e-1f));
            p = p.fma(r.mul(r), r).add(1f);
            IntVector e2 = (IntVector) n.convert(VectorOperators.F2I, 0);
            IntVector k1 = e2.lanewise(VectorOperators.ASHR, 1), k2 = e2.sub(k1);
            FloatVector e = p.mul(k1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .mul(k2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());  // eʸ
            FloatVector out;
            if (tanh) {
                FloatVector big = e.broadcast(1f).sub(e.broadcast(2f).div(e.add(1f)));
                big = big.blend(big.neg(), v.compare(VectorOperators.LT, 0f));
                FloatVector z = v.mul(v);
                FloatVector q = z.broadcast(-5.70498872745e-3f);
                q = q.fma(z, z.broadcast(2.06390887954e-2f));
                q = q.fma(z, z.broadcast(-5.37397155531e-2f));
                q = q.fma(z, z.broadcast(1.33314422036e-1f));
                q = q.fma(z, z.broadcast(-3.33332819422e-1f));
                FloatVector small = q.mul(z).fma(v, v);
                out = big.blend(small, ax.compare(VectorOperators.LT, 0.625f)).blend(v, v.compare(VectorOperators.EQ, 0f));
            } else {
                out = e.broadcast(1f).div(e.add(1f));
            }
            out.intoArray(o, oAt + k);
        }
        UnaryOp op = tanh ? UnaryOp.TANH : UnaryOp.SIGMOID;
        for (; k < len; k++) o[oAt + k] = op.apply(x[xAt + k]);
    }

    private static void sigmoid(float[] x, int xAt, float[] o, int oAt, int len) {
        activate(false, x, xAt, o, oAt, len);
    }

    private static void tanh(float[] x, int xAt, float[] o, int oAt, int len) {
        activate(true, x, xAt, o, oAt, len);
    }

    /** s(1 − s): the slope of σ at a saved output s. */
    private static FloatVector slope(FloatVector s) {
        return s.mul(s.broadcast(1f).sub(s));
    }

    /** 1 − x². */
    private static FloatVector oneMinusSquare(FloatVector x) {
        return x.broadcast(1f).sub(x.mul(x));
    }

    /**
     * Backend.lstmCell: act = σ(G_i), σ(G_f), tanh(G_g), σ(G_o); c = f⊙cPrev + i⊙g; h = o⊙tanh(c).
     * Row by row: the activations, then c and h; the row's 4H + 3H floats stay in the L1 cache
     * between these passes. The vector passes stop at the last whole vector of each gate and the
     * scalar tail reads its units' gates afterwards, so act may be gates itself (Backend.lstmCell).
     */
    static void lstmCell(int n, int hidden, float[] gates, int gOffset, float[] cPrev, int cPrevOffset, float[] act, int actOffset,
                         float[] c, int cOffset, float[] h, int hOffset) {
        int bound = F.loopBound(hidden);
        for (int r = 0; r < n; r++) {
            int gAt = gOffset + 4 * r * hidden, aAt = actOffset + 4 * r * hidden, cpAt = cPrevOffset + r * hidden;
            int cAt = cOffset + r * hidden, hAt = hOffset + r * hidden;
            sigmoid(gates, gAt, act, aAt, bound);                                         // i
            sigmoid(gates, gAt + hidden, act, aAt + hidden, bound);                       // f
            tanh(gates, gAt + 2 * hidden, act, aAt + 2 * hidden, bound);                  // g
            sigmoid(gates, gAt + 3 * hidden, act, aAt + 3 * hidden, bound);               // o
            for (int j = 0; j < bound; j += LANES) {
                FloatVector i = in(act, aAt + j), f = in(act, aAt + hidden + j), g = in(act, aAt + 2 * hidden + j);
                i.fma(g, f.mul(in(cPrev, cpAt + j))).intoArray(c, cAt + j);                              // c = f⊙cPrev + i⊙g
            }
            tanh(c, cAt, h, hAt, bound);                                                  // tanh(c)
            for (int j = 0; j < bound; j += LANES) in(act, aAt + 3 * hidden + j).mul(in(h, hAt + j)).intoArray(h, hAt + j);  // h = o⊙tanh(c)
            RecurrentLoops.lstmCell(hidden, gates, gAt, cPrev, cpAt, act, aAt, c, cAt, h, hAt, bound, hidden);  // the tail, from G
        }
    }

    /**
     * Backend.lstmCellBackward, with t = tanh(c): dc = dcNext + dh⊙o⊙(1 − t²); dG = dc⊙g⊙i(1 − i),
     * dc⊙cPrev⊙f(1 − f), dc⊙i⊙(1 − g²), dh⊙t⊙o(1 − o); dcPrev = dc⊙f.
     */
    static void lstmCellBackward(int n, int hidden, float[] act, int actOffset, float[] cPrev, int cPrevOffset, float[] c, int cOffset,
                                 float[] dh, int dhOffset, float[] dcNext, int dcNextOffset, float[] dGates, int dGatesOffset,
                                 float[] dcPrev, int dcPrevOffset) {
        int bound = F.loopBound(hidden);
        for (int r = 0; r < n; r++) {
            int row = r * hidden, aAt = actOffset + 4 * row, cpAt = cPrevOffset + row, cAt = cOffset + row;
            int dhAt = dhOffset + row, dnAt = dcNextOffset + row, dgAt = dGatesOffset + 4 * row, dpAt = dcPrevOffset + row;
            tanh(c, cAt, dcPrev, dpAt, bound);  // t = tanh(c), parked in dcPrev until dcPrev is written
            int j = 0;
            for (; j < bound; j += LANES) {
                FloatVector i = in(act, aAt + j), f = in(act, aAt + hidden + j);
                FloatVector g = in(act, aAt + 2 * hidden + j), o = in(act, aAt + 3 * hidden + j);
                FloatVector t = in(dcPrev, dpAt + j), dhj = in(dh, dhAt + j);
                FloatVector dc = dhj.mul(o).fma(oneMinusSquare(t), in(dcNext, dnAt + j));  // dc = dcNext + dh⊙o⊙(1 − t²)
                dc.mul(g).mul(slope(i)).intoArray(dGates, dgAt + j);                      // dG_i = dc⊙g⊙i(1 − i)
                dc.mul(in(cPrev, cpAt + j)).mul(slope(f)).intoArray(dGates, dgAt + hidden + j);  // dG_f = dc⊙cPrev⊙f(1 − f)
                dc.mul(i).mul(oneMinusSquare(g)).intoArray(dGates, dgAt + 2 * hidden + j);     // dG_g = dc⊙i⊙(1 − g²)
                dhj.mul(t).mul(slope(o)).intoArray(dGates, dgAt + 3 * hidden + j);            // dG_o = dh⊙t⊙o(1 − o)
                dc.mul(f).intoArray(dcPrev, dpAt + j);                                        // dcPrev = dc⊙f
            }
            RecurrentLoops.lstmCellBackward(hidden, act, aAt, cPrev, cpAt, c, cAt, dh, dhAt, dcNext, dnAt, dGates, dgAt, dcPrev, dpAt,
                    j, hidden);
        }
    }

    /**
     * Backend.gruCell: r = σ(x_r + h_r), z = σ(x_z + h_z), m = tanh(x_n + r⊙h_n), h = (1 − z)⊙m + z⊙hPrev.
     * Row by row, as lstmCell: the pre-activations into act, σ and tanh there in place, then h.
     */
    static void gruCell(int n, int hidden, float[] xg, int xgOffset, float[] hg, int hgOffset, float[] hPrev, int hPrevOffset,
                        float[] act, int actOffset, float[] h, int hOffset) {
        int bound = F.loopBound(hidden);
        for (int row = 0; row < n * hidden; row += hidden) {
            int xAt = xgOffset + 3 * row, hgAt = hgOffset + 3 * row, hpAt = hPrevOffset + row, aAt = actOffset + 4 * row, hAt = hOffset + row;
            Pointwise.zip(BinaryOp.ADD, xg, xAt, 1, hg, hgAt, 1, act, aAt, 2 * hidden);          // x_r + h_r, x_z + h_z
            sigmoid(act, aAt, act, aAt, 2 * hidden);                                            // r, z
            System.arraycopy(hg, hgAt + 2 * hidden, act, aAt + 3 * hidden, hidden);             // h_n
            for (int j = 0; j < bound; j += LANES) {
                FloatVector r = in(act, aAt + j), hn = in(act, aAt + 3 * hidden + j);
                in(xg, xAt + 2 * hidden + j).add(r.mul(hn)).intoArray(act, aAt + 2 * hidden + j);  // x_n + r⊙h_n
            }
            tanh(act, aAt + 2 * hidden, act, aAt + 2 * hidden, bound);                          // m
            for (int j = 0; j < bound; j += LANES) {
                FloatVector z = in(act, aAt + hidden + j), m = in(act, aAt + 2 * hidden + j);
                z.broadcast(1f).sub(z).fma(m, z.mul(in(hPrev, hpAt + j))).intoArray(h, hAt + j);  // h = (1 − z)⊙m + z⊙hPrev
            }
            RecurrentLoops.gruCell(hidden, xg, xAt, hg, hgAt, hPrev, hpAt, act, aAt, h, hAt, bound, hidden);  // the tail, from xg, hg
        }
    }

    /**
     * Backend.gruCellBackward: dm = dh⊙(1 − z)⊙(1 − m²), dz = dh⊙(hPrev − m)⊙z(1 − z),
     * dr = dm⊙h_n⊙r(1 − r); dXg = dr, dz, dm; dHg = dr, dz, dm⊙r; dhPrev = dh⊙z.
     */
    static void gruCellBackward(int n, int hidden, float[] act, int actOffset, float[] hPrev, int hPrevOffset, float[] dh, int dhOffset,
                                float[] dXg, int dXgOffset, float[] dHg, int dHgOffset, float[] dhPrev, int dhPrevOffset) {
        int bound = F.loopBound(hidden);
        for (int row = 0; row < n * hidden; row += hidden) {
            int aAt = actOffset + 4 * row, hpAt = hPrevOffset + row, dhAt = dhOffset + row;
            int xAt = dXgOffset + 3 * row, hgAt = dHgOffset + 3 * row, dpAt = dhPrevOffset + row;
            int j = 0;
            for (; j < bound; j += LANES) {
                FloatVector r = in(act, aAt + j), z = in(act, aAt + hidden + j);
                FloatVector m = in(act, aAt + 2 * hidden + j), hn = in(act, aAt + 3 * hidden + j);
                FloatVector dhj = in(dh, dhAt + j);
                FloatVector dm = dhj.mul(z.broadcast(1f).sub(z)).mul(oneMinusSquare(m));  // dm = dh⊙(1 − z)⊙(1 − m²)
                FloatVector dz = dhj.mul(in(hPrev, hpAt + j).sub(m)).mul(slope(z));      // dz = dh⊙(hPrev − m)⊙z(1 − z)
                FloatVector dr = dm.mul(hn).mul(slope(r));                               // dr = dm⊙h_n⊙r(1 − r)
                dr.intoArray(dXg, xAt + j);
                dz.intoArray(dXg, xAt + hidden + j);
                dm.intoArray(dXg, xAt + 2 * hidden + j);
                dr.intoArray(dHg, hgAt + j);
                dz.intoArray(dHg, hgAt + hidden + j);
                dm.mul(r).intoArray(dHg, hgAt + 2 * hidden + j);
                dhj.mul(z).intoArray(dhPrev, dpAt + j);                                  // dhPrev = dh⊙z
            }
            RecurrentLoops.gruCellBackward(hidden, act, aAt, hPrev, hpAt, dh, dhAt, dXg, xAt, dHg, hgAt, dhPrev, dpAt, j, hidden);
        }
    }
}
