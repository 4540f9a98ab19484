package jgrad.ops;

import jgrad.autograd.Function;
import jgrad.autograd.NoGrad;
import jgrad.tensor.RecurrentKernels;
import jgrad.tensor.Kernels;
import jgrad.tensor.Tensor;

/**
 * One time step's gate arithmetic of an LSTM or a GRU as one op each, forward and backward one
 * backend pass ({@code Backend.lstmCell} / {@code lstmCellBackward}, {@code gruCell} /
 * {@code gruCellBackward}) instead of some thirty small tensor ops. The arithmetic and every
 * derivative are written out, line by line, in their definitions {@code LSTMCell.gatesDefinition}
 * and {@code GRUCell.gatesDefinition} (docs/ops/lstm.md, docs/ops/rnn.md); these ops compute the same.
 *
 * <p>Checked by: {@code jgrad.nn.RecurrentCellsTest} (the fused ops against their definitions,
 * values and gradients; central differences), {@code jgrad.nn.TorchParityRnnTest} (PyTorch values
 * through the layers), the backend contract ({@code FusedContractTest}: every backend's passes
 * against their definition from plain primitives).
 */
public final class RecurrentCells {
    private RecurrentCells() {}

    /**
     * LSTM: z [N, 4H] (pre-activations, gates i, f, g, o) and c [N, H] give h′ and c′, returned side
     * by side as one tensor [N, 2H] (an op has one output; the caller takes the two halves as
     * views, and backward receives their gradients side by side). c may be null (zeros).
     */
    public static Tensor lstm(Tensor z, Tensor c) {
        return Lstm.apply(z, c);
    }

    /**
     * GRU: a = x·W_ihᵀ + b_ih and b = h·W_hhᵀ + b_hh, each [N, 3H] (gates r, z, n), and h [N, H]
     * give h′ [N, H]. The hidden projection b enters n only through r ⊙ b_n, so it is an input of
     * its own.
     */
    public static Tensor gru(Tensor a, Tensor b, Tensor h) {
        return Gru.apply(a, b, h);
    }

    /** h′ = o ⊙ tanh(c′), c′ = f ⊙ c + i ⊙ g; backward: dZ, dC from dH′ and dC′ (LSTMCell.gatesDefinition). */
    private static final class Lstm extends Function {
        private final Tensor c, cNext, act;

        private Lstm(Tensor z, Tensor c, Tensor cNext, Tensor act) {
            super(c == null ? new Tensor[] {z} : new Tensor[] {z, c});
            this.c = saved(c);  // read by backward (cPrev): an in-place change before it is refused
            this.cNext = cNext;
            this.act = act;
        }

        static Tensor apply(Tensor z, Tensor c) {
            Tensor[] hcAct = RecurrentKernels.lstmCell(z, c);  // {h′, c′, the gate activations}
            Tensor h = hcAct[0], cNext = hcAct[1];
            int n = h.size(0), hidden = h.size(1);
            Tensor both = Kernels.empty(h.device(), new int[] {n, 2 * hidden});
            try (NoGrad off = NoGrad.enter()) {
                Kernels.copyInto(h, both.slice(1, 0, hidden));
                Kernels.copyInto(cNext, both.slice(1, hidden, 2 * hidden));
            }
            Lstm f = new Lstm(z, c, cNext, hcAct[2]);
            f.savedForBackward(hcAct[2]);  // the activations: for backward alone
            f.savedForBackward(cNext);     // c′ itself went out through the copy
            return f.record(both);
        }

        @Override
        protected Tensor[] backward(Tensor dBoth) {
            int hidden = cNext.size(1);
            Tensor dh = dBoth.slice(1, 0, hidden), dcNext = dBoth.slice(1, hidden, 2 * hidden);
            Tensor[] g = RecurrentKernels.lstmCellBackward(act, c, cNext, dh, dcNext);  // {dZ, dC}
            return c == null ? grads(g[0]) : grads(g[0], g[1]);
        }

        @Override
        public String name() {
            return "LSTMCell";
        }
    }

    /** h′ = (1 − z) ⊙ n + z ⊙ h; backward: dA, dB and the direct part of dH (GRUCell.gatesDefinition). */
    private static final class Gru extends Function {
        private final Tensor h, act;

        private Gru(Tensor a, Tensor b, Tensor h, Tensor act) {
            super(a, b, h);
            this.h = saved(h);  // read by backward (hPrev)
            this.act = act;
        }

        static Tensor apply(Tensor a, Tensor b, Tensor h) {
            Tensor[] hAct = RecurrentKernels.gruCell(a, b, h);  // {h′, the gate activations}
            Gru f = new Gru(a, b, h, hAct[1]);
            f.savedForBackward(hAct[1]);
            return f.record(hAct[0]);
        }

        @Override
        protected Tensor[] backward(Tensor dh) {
            Tensor[] g = RecurrentKernels.gruCellBackward(act, h, dh);  // {dA, dB, dH (direct part)}
            return grads(g[0], g[1], g[2]);
        }

        @Override
        public String name() {
            return "GRUCell";
        }
    }
}
