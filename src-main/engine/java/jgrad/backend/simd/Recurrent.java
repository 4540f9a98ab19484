package jgrad.backend.simd;

import static jgrad.backend.simd.Simd.F;
import static jgrad.backend.simd.Simd.LANES;

import jdk.incubator.vector.FloatVector;
import jgrad.backend.reference.RecurrentLoops;

/**
 * Vector loops for the recurrent cells' gate arithmetic ({@code Backend.lstmCell}, {@code gruCell}
 * and their backward passes): for each row, whole vectors of units up to {@code loopBound(hidden)},
 * the tail finished by {@link RecurrentLoops}, the reference's scalar loop. σ and tanh are
 * {@link Pointwise}'s deterministic polynomials, as in the simd backend's {@code map}.
 *
 * <p>Rows of H = hidden units: an LSTM's gates and act hold [i | f | g | o], a GRU's xg, hg hold
 * [r | z | n] and its act [r | z | m | h_n]; states and their gradients hold H. Inputs start at
 * their offsets, outputs at 0, all contiguous.
 *
 * <p>Single-threaded: one step of the sizes the layers use (batch 64, hidden 128: 8,192 units) is
 * a few microseconds, far below the work at which the simd backend splits elementwise loops
 * between cores ({@code jgrad.elementwise.splitAt}, 2¹⁷ elements).
 */
final class Recurrent {
    private Recurrent() {}

    private static FloatVector in(float[] x, int at) {
        return FloatVector.fromArray(F, x, at);
    }

    /** σ(x) = 1 / (1 + e⁻ˣ), as the simd backend's map(SIGMOID). */
    private static FloatVector sigmoid(FloatVector x) {
        FloatVector e = Pointwise.exp(x.neg());
        return e.broadcast(1f).div(e.add(1f));
    }

    /** s(1 − s): the slope of σ at a saved output s. */
    private static FloatVector slope(FloatVector s) {
        return s.mul(s.broadcast(1f).sub(s));
    }

    /** 1 − x². */
    private static FloatVector oneMinusSquare(FloatVector x) {
        return x.broadcast(1f).sub(x.mul(x));
    }

    /** Backend.lstmCell: act = σ(G_i), σ(G_f), tanh(G_g), σ(G_o); c = f⊙cPrev + i⊙g; h = o⊙tanh(c). */
    static void lstmCell(int n, int hidden, float[] gates, int gOffset, float[] cPrev, int cPrevOffset, float[] act, float[] c, float[] h) {
        int bound = F.loopBound(hidden);
        for (int r = 0; r < n; r++) {
            int gAt = gOffset + 4 * r * hidden, aAt = 4 * r * hidden, cpAt = cPrevOffset + r * hidden, at = r * hidden;
            int j = 0;
            for (; j < bound; j += LANES) {
                FloatVector i = sigmoid(in(gates, gAt + j)), f = sigmoid(in(gates, gAt + hidden + j));
                FloatVector g = Pointwise.tanh(in(gates, gAt + 2 * hidden + j)), o = sigmoid(in(gates, gAt + 3 * hidden + j));
                i.intoArray(act, aAt + j);
                f.intoArray(act, aAt + hidden + j);
                g.intoArray(act, aAt + 2 * hidden + j);
                o.intoArray(act, aAt + 3 * hidden + j);
                FloatVector cj = i.fma(g, f.mul(in(cPrev, cpAt + j)));  // c = f⊙cPrev + i⊙g
                cj.intoArray(c, at + j);
                o.mul(Pointwise.tanh(cj)).intoArray(h, at + j);          // h = o⊙tanh(c)
            }
            RecurrentLoops.lstmCell(hidden, gates, gAt, cPrev, cpAt, act, aAt, c, at, h, at, j, hidden);
        }
    }

    /**
     * Backend.lstmCellBackward, with t = tanh(c): dc = dcNext + dh⊙o⊙(1 − t²); dG = dc⊙g⊙i(1 − i),
     * dc⊙cPrev⊙f(1 − f), dc⊙i⊙(1 − g²), dh⊙t⊙o(1 − o); dcPrev = dc⊙f.
     */
    static void lstmCellBackward(int n, int hidden, float[] act, int actOffset, float[] cPrev, int cPrevOffset, float[] c, int cOffset,
                                 float[] dh, int dhOffset, float[] dcNext, int dcNextOffset, float[] dGates, float[] dcPrev) {
        int bound = F.loopBound(hidden);
        for (int r = 0; r < n; r++) {
            int row = r * hidden, aAt = actOffset + 4 * row, cpAt = cPrevOffset + row, cAt = cOffset + row;
            int dhAt = dhOffset + row, dnAt = dcNextOffset + row, dgAt = 4 * row;
            int j = 0;
            for (; j < bound; j += LANES) {
                FloatVector i = in(act, aAt + j), f = in(act, aAt + hidden + j);
                FloatVector g = in(act, aAt + 2 * hidden + j), o = in(act, aAt + 3 * hidden + j);
                FloatVector t = Pointwise.tanh(in(c, cAt + j)), dhj = in(dh, dhAt + j);
                FloatVector dc = dhj.mul(o).fma(oneMinusSquare(t), in(dcNext, dnAt + j));  // dc = dcNext + dh⊙o⊙(1 − t²)
                dc.mul(g).mul(slope(i)).intoArray(dGates, dgAt + j);                      // dG_i = dc⊙g⊙i(1 − i)
                dc.mul(in(cPrev, cpAt + j)).mul(slope(f)).intoArray(dGates, dgAt + hidden + j);  // dG_f = dc⊙cPrev⊙f(1 − f)
                dc.mul(i).mul(oneMinusSquare(g)).intoArray(dGates, dgAt + 2 * hidden + j);     // dG_g = dc⊙i⊙(1 − g²)
                dhj.mul(t).mul(slope(o)).intoArray(dGates, dgAt + 3 * hidden + j);            // dG_o = dh⊙t⊙o(1 − o)
                dc.mul(f).intoArray(dcPrev, row + j);                                         // dcPrev = dc⊙f
            }
            RecurrentLoops.lstmCellBackward(hidden, act, aAt, cPrev, cpAt, c, cAt, dh, dhAt, dcNext, dnAt, dGates, dgAt, dcPrev, row,
                    j, hidden);
        }
    }

    /** Backend.gruCell: r = σ(x_r + h_r), z = σ(x_z + h_z), m = tanh(x_n + r⊙h_n), h = (1 − z)⊙m + z⊙hPrev. */
    static void gruCell(int n, int hidden, float[] xg, int xgOffset, float[] hg, int hgOffset, float[] hPrev, int hPrevOffset,
                        float[] act, float[] h) {
        int bound = F.loopBound(hidden);
        for (int row = 0; row < n * hidden; row += hidden) {
            int xAt = xgOffset + 3 * row, hgAt = hgOffset + 3 * row, hpAt = hPrevOffset + row, aAt = 4 * row;
            int j = 0;
            for (; j < bound; j += LANES) {
                FloatVector r = sigmoid(in(xg, xAt + j).add(in(hg, hgAt + j)));
                FloatVector z = sigmoid(in(xg, xAt + hidden + j).add(in(hg, hgAt + hidden + j)));
                FloatVector hn = in(hg, hgAt + 2 * hidden + j);
                FloatVector m = Pointwise.tanh(in(xg, xAt + 2 * hidden + j).add(r.mul(hn)));
                r.intoArray(act, aAt + j);
                z.intoArray(act, aAt + hidden + j);
                m.intoArray(act, aAt + 2 * hidden + j);
                hn.intoArray(act, aAt + 3 * hidden + j);
                z.broadcast(1f).sub(z).fma(m, z.mul(in(hPrev, hpAt + j))).intoArray(h, row + j);  // h = (1 − z)⊙m + z⊙hPrev
            }
            RecurrentLoops.gruCell(hidden, xg, xAt, hg, hgAt, hPrev, hpAt, act, aAt, h, row, j, hidden);
        }
    }

    /**
     * Backend.gruCellBackward: dm = dh⊙(1 − z)⊙(1 − m²), dz = dh⊙(hPrev − m)⊙z(1 − z),
     * dr = dm⊙h_n⊙r(1 − r); dXg = dr, dz, dm; dHg = dr, dz, dm⊙r; dhPrev = dh⊙z.
     */
    static void gruCellBackward(int n, int hidden, float[] act, int actOffset, float[] hPrev, int hPrevOffset, float[] dh, int dhOffset,
                                float[] dXg, float[] dHg, float[] dhPrev) {
        int bound = F.loopBound(hidden);
        for (int row = 0; row < n * hidden; row += hidden) {
            int aAt = actOffset + 4 * row, hpAt = hPrevOffset + row, dhAt = dhOffset + row, gAt = 3 * row;
            int j = 0;
            for (; j < bound; j += LANES) {
                FloatVector r = in(act, aAt + j), z = in(act, aAt + hidden + j);
                FloatVector m = in(act, aAt + 2 * hidden + j), hn = in(act, aAt + 3 * hidden + j);
                FloatVector dhj = in(dh, dhAt + j);
                FloatVector dm = dhj.mul(z.broadcast(1f).sub(z)).mul(oneMinusSquare(m));  // dm = dh⊙(1 − z)⊙(1 − m²)
                FloatVector dz = dhj.mul(in(hPrev, hpAt + j).sub(m)).mul(slope(z));      // dz = dh⊙(hPrev − m)⊙z(1 − z)
                FloatVector dr = dm.mul(hn).mul(slope(r));                               // dr = dm⊙h_n⊙r(1 − r)
                dr.intoArray(dXg, gAt + j);
                dz.intoArray(dXg, gAt + hidden + j);
                dm.intoArray(dXg, gAt + 2 * hidden + j);
                dr.intoArray(dHg, gAt + j);
                dz.intoArray(dHg, gAt + hidden + j);
                dm.mul(r).intoArray(dHg, gAt + 2 * hidden + j);
                dhj.mul(z).intoArray(dhPrev, row + j);                                   // dhPrev = dh⊙z
            }
            RecurrentLoops.gruCellBackward(hidden, act, aAt, hPrev, hpAt, dh, dhAt, dXg, gAt, dHg, gAt, dhPrev, row, j, hidden);
        }
    }
}
