package jgrad.backend.reference;

import jgrad.backend.UnaryOp;

/**
 * The recurrent cells' gate arithmetic as plain loops: what {@code Backend.lstmCell},
 * {@code lstmCellBackward}, {@code gruCell} and {@code gruCellBackward} compute, for the units
 * {@code from … to − 1} of one row. The reference backend calls them for every row and the whole
 * range; the simd backend finishes each row's vector loop here, so both agree at the edges.
 *
 * <p>Layout of one row (every array contiguous, H = hidden): an LSTM's gates G and activations act
 * hold [i | f | g | o], four blocks of H; a GRU's xg, hg hold [r | z | n] (three blocks) and its act
 * [r | z | m | h_n] (four); states c, h, and their gradients hold H. {@code …At} is where the
 * row starts in its array. σ and tanh are {@link UnaryOp#apply}, the definitions every backend
 * matches; a sum of two products is formed in double and rounded once.
 */
public final class RecurrentLoops {
    private RecurrentLoops() {}

    private static float sigmoid(float x) {
        return UnaryOp.SIGMOID.apply(x);
    }

    private static float tanh(float x) {
        return UnaryOp.TANH.apply(x);
    }

    /** LSTM forward: act = σ(G_i), σ(G_f), tanh(G_g), σ(G_o); c = f⊙cPrev + i⊙g; h = o⊙tanh(c). */
    public static void lstmCell(int hidden, float[] gates, int gAt, float[] cPrev, int cPrevAt,
                                float[] act, int actAt, float[] c, int cAt, float[] h, int hAt, int from, int to) {
        for (int j = from; j < to; j++) {
            float i = sigmoid(gates[gAt + j]);
            float f = sigmoid(gates[gAt + hidden + j]);
            float g = tanh(gates[gAt + 2 * hidden + j]);
            float o = sigmoid(gates[gAt + 3 * hidden + j]);
            act[actAt + j] = i;
            act[actAt + hidden + j] = f;
            act[actAt + 2 * hidden + j] = g;
            act[actAt + 3 * hidden + j] = o;
            float cj = (float) ((double) f * cPrev[cPrevAt + j] + (double) i * g);  // c = f⊙cPrev + i⊙g
            c[cAt + j] = cj;
            h[hAt + j] = o * tanh(cj);                                             // h = o⊙tanh(c)
        }
    }

    /**
     * LSTM backward arithmetic, with t = tanh(c): dc = dcNext + dh⊙o⊙(1 − t²); dG = dc⊙g⊙i(1 − i),
     * dc⊙cPrev⊙f(1 − f), dc⊙i⊙(1 − g²), dh⊙t⊙o(1 − o); dcPrev = dc⊙f.
     */
    public static void lstmCellBackward(int hidden, float[] act, int actAt, float[] cPrev, int cPrevAt, float[] c, int cAt,
                                        float[] dh, int dhAt, float[] dcNext, int dcNextAt, float[] dGates, int dgAt,
                                        float[] dcPrev, int dcPrevAt, int from, int to) {
        for (int j = from; j < to; j++) {
            float i = act[actAt + j], f = act[actAt + hidden + j], g = act[actAt + 2 * hidden + j], o = act[actAt + 3 * hidden + j];
            float t = tanh(c[cAt + j]), dhj = dh[dhAt + j];
            float dc = (float) (dcNext[dcNextAt + j] + (double) (dhj * o) * (1 - t * t));
            dGates[dgAt + j] = dc * g * (i * (1 - i));
            dGates[dgAt + hidden + j] = dc * cPrev[cPrevAt + j] * (f * (1 - f));
            dGates[dgAt + 2 * hidden + j] = dc * i * (1 - g * g);
            dGates[dgAt + 3 * hidden + j] = dhj * t * (o * (1 - o));
            dcPrev[dcPrevAt + j] = dc * f;
        }
    }

    /**
     * GRU forward (PyTorch's): r = σ(x_r + h_r), z = σ(x_z + h_z), m = tanh(x_n + r⊙h_n),
     * h = (1 − z)⊙m + z⊙hPrev; act = r, z, m, h_n.
     */
    public static void gruCell(int hidden, float[] xg, int xgAt, float[] hg, int hgAt, float[] hPrev, int hPrevAt,
                               float[] act, int actAt, float[] h, int hAt, int from, int to) {
        for (int j = from; j < to; j++) {
            float r = sigmoid(xg[xgAt + j] + hg[hgAt + j]);
            float z = sigmoid(xg[xgAt + hidden + j] + hg[hgAt + hidden + j]);
            float hn = hg[hgAt + 2 * hidden + j];
            float m = tanh(xg[xgAt + 2 * hidden + j] + r * hn);
            act[actAt + j] = r;
            act[actAt + hidden + j] = z;
            act[actAt + 2 * hidden + j] = m;
            act[actAt + 3 * hidden + j] = hn;
            h[hAt + j] = (float) ((double) (1 - z) * m + (double) z * hPrev[hPrevAt + j]);  // h = (1 − z)⊙m + z⊙hPrev
        }
    }

    /**
     * GRU backward arithmetic: dm = dh⊙(1 − z)⊙(1 − m²), dz = dh⊙(hPrev − m)⊙z(1 − z),
     * dr = dm⊙h_n⊙r(1 − r); dXg = dr, dz, dm; dHg = dr, dz, dm⊙r; dhPrev = dh⊙z.
     */
    public static void gruCellBackward(int hidden, float[] act, int actAt, float[] hPrev, int hPrevAt, float[] dh, int dhAt,
                                       float[] dXg, int dxAt, float[] dHg, int dhgAt, float[] dhPrev, int dhPrevAt, int from, int to) {
        for (int j = from; j < to; j++) {
            float r = act[actAt + j], z = act[actAt + hidden + j], m = act[actAt + 2 * hidden + j], hn = act[actAt + 3 * hidden + j];
            float dhj = dh[dhAt + j];
            float dm = dhj * (1 - z) * (1 - m * m);
            float dz = dhj * (hPrev[hPrevAt + j] - m) * (z * (1 - z));
            float dr = dm * hn * (r * (1 - r));
            dXg[dxAt + j] = dr;
            dXg[dxAt + hidden + j] = dz;
            dXg[dxAt + 2 * hidden + j] = dm;
            dHg[dhgAt + j] = dr;
            dHg[dhgAt + hidden + j] = dz;
            dHg[dhgAt + 2 * hidden + j] = dm * r;
            dhPrev[dhPrevAt + j] = dhj * z;
        }
    }
}
