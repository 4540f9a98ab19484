package jgrad.backend.opencl;

/**
 * The launches of the recurrent cells' kernels (kernels-opencl/rnn.cl) for {@link OpenClBackend}:
 * one work-item per (row, unit) pair, n·hidden in all. The kernels take their buffers contiguous,
 * inputs and outputs from their offsets, as the Backend methods of the same names; they have
 * no preconditions beyond that, so there is no variant to choose.
 */
final class ClRecurrent {
    /** Work-group size: any will do (each work-item is independent); 128 as the elementwise kernels. */
    private static final long WG = 128;

    private final ClContext cl;

    ClRecurrent(ClContext cl) {
        this.cl = cl;
    }

    private static long[] units(int n, int hidden) {
        return new long[] {(long) n * hidden};
    }

    void lstmCell(int n, int hidden, ClBuffer gates, int gOffset, ClBuffer cPrev, int cPrevOffset, ClBuffer act, int actOffset,
                  ClBuffer c, int cOffset, ClBuffer h, int hOffset) {
        cl.launch("rnn", "lstm_cell_forward", units(n, hidden), new long[] {WG}, n, hidden, gates, gOffset, cPrev, cPrevOffset,
                act, actOffset, c, cOffset, h, hOffset);
    }

    void lstmCellBackward(int n, int hidden, ClBuffer act, int actOffset, ClBuffer cPrev, int cPrevOffset, ClBuffer c, int cOffset,
                          ClBuffer dh, int dhOffset, ClBuffer dcNext, int dcNextOffset, ClBuffer dGates, int dGatesOffset,
                          ClBuffer dcPrev, int dcPrevOffset) {
        cl.launch("rnn", "lstm_cell_backward", units(n, hidden), new long[] {WG}, n, hidden, act, actOffset, cPrev, cPrevOffset,
                c, cOffset, dh, dhOffset, dcNext, dcNextOffset, dGates, dGatesOffset, dcPrev, dcPrevOffset);
    }

    void gruCell(int n, int hidden, ClBuffer xg, int xgOffset, ClBuffer hg, int hgOffset, ClBuffer hPrev, int hPrevOffset,
                 ClBuffer act, int actOffset, ClBuffer h, int hOffset) {
        cl.launch("rnn", "gru_cell_forward", units(n, hidden), new long[] {WG}, n, hidden, xg, xgOffset, hg, hgOffset, hPrev, hPrevOffset,
                act, actOffset, h, hOffset);
    }

    void gruCellBackward(int n, int hidden, ClBuffer act, int actOffset, ClBuffer hPrev, int hPrevOffset, ClBuffer dh, int dhOffset,
                         ClBuffer dXg, int dXgOffset, ClBuffer dHg, int dHgOffset, ClBuffer dhPrev, int dhPrevOffset) {
        cl.launch("rnn", "gru_cell_backward", units(n, hidden), new long[] {WG}, n, hidden, act, actOffset, hPrev, hPrevOffset,
                dh, dhOffset, dXg, dXgOffset, dHg, dHgOffset, dhPrev, dhPrevOffset);
    }
}
