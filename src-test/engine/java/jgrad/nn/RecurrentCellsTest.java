package jgrad.nn;

import static jgrad.nn.LinearTest.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.function.Function;
import jgrad.autograd.GradCheck;
import jgrad.ops.CatSplit;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * RNNCell, LSTMCell and GRUCell: one step worked by hand (docs/ops/rnn.md and lstm.md use the same
 * numbers), central differences for every input, state and parameter, the cells' arithmetic alone,
 * PyTorch's parameter names, shapes and initialisation, and the errors. PyTorch values are in
 * {@link TorchParityRnnTest}.
 */
class RecurrentCellsTest {

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    /** The cell's parameters followed by the given inputs: everything GradCheck should nudge. */
    private static Tensor[] withParameters(Module m, Tensor... inputs) {
        List<Parameter> ps = m.parameters();
        Tensor[] all = new Tensor[inputs.length + ps.size()];
        System.arraycopy(inputs, 0, all, 0, inputs.length);
        for (int i = 0; i < ps.size(); i++) all[inputs.length + i] = ps.get(i);
        return all;
    }

    private static void assertGradCheck(String what, Function<Tensor[], Tensor> op, Tensor... inputs) {
        GradCheck.Result r = new GradCheck().check(op, inputs);
        assertThat(r.passed()).as("%s: %s", what, r.detail()).isTrue();
    }

    @Test
    void rnnCellStepByHand() {
        RNNCell cell = new RNNCell(2, 1, new Generator(1));
        set(cell.weightIh, 1, -2);
        set(cell.weightHh, 0.5f);
        set(cell.biasIh, 0.25f);
        set(cell.biasHh, -0.5f);
        // z = 1·3 − 2·1 + 0.25 + 0.5·0.4 − 0.5 = 0.95
        Tensor h = cell.forward(Tensor.of(new float[] {3, 1}, 1, 2), Tensor.of(new float[] {0.4f}, 1, 1));
        assertThat(h.item()).as("tanh(0.95)").isCloseTo((float) Math.tanh(0.95), within(1e-6f));
        RNNCell relu = new RNNCell(2, 1, true, RNNCell.Nonlinearity.RELU, new Generator(1));
        relu.loadStateDict(cell.stateDict());
        assertThat(relu.forward(Tensor.of(new float[] {3, 1}, 2), Tensor.of(new float[] {0.4f}, 1)).toFloatArray())
                .as("ReLU(0.95), unbatched [I] → [H]").containsExactly(0.95f);
        assertThat(relu.forward(Tensor.of(new float[] {-3, 1}, 2)).toFloatArray()).as("ReLU(−3 − 2 − 0.25) = 0").containsExactly(0f);
    }

    /** docs/ops/lstm.md's worked example: x = 1, h = 0.5, c = 2, one hidden unit. */
    @Test
    void lstmCellStepOfTheDocsWorkedExample() {
        LSTMCell cell = new LSTMCell(1, 1, new Generator(1));
        set(cell.weightIh, 0.5f, -1, 1, 2);    // rows i, f, g, o
        set(cell.weightHh, 1, 0, -1, 0.5f);
        set(cell.biasIh, 0, 1, 0.25f, 0);
        set(cell.biasHh, 0.1f, 0, 0, -0.5f);
        Tensor c = Tensor.of(new float[] {2}, 1, 1).requiresGrad(true);
        LSTMCell.State s = cell.forward(Tensor.of(new float[] {1}, 1, 1), new LSTMCell.State(Tensor.of(new float[] {0.5f}, 1, 1), c));
        // zᵢ = 0.5 + 0.5 + 0.1 = 1.1, z_f = −1 + 0 + 1 = 0, z_g = 1 − 0.5 + 0.25 = 0.75, z_o = 2 + 0.25 − 0.5 = 1.75
        double i = sigmoid(1.1), f = 0.5, g = Math.tanh(0.75), o = sigmoid(1.75);
        double cNext = f * 2 + i * g, hNext = o * Math.tanh(cNext);
        assertThat(s.c().item()).as("c′ = f·c + i·g = 1.4765").isCloseTo((float) cNext, within(1e-6f));
        assertThat(s.h().item()).as("h′ = o·tanh(c′) = 0.7675").isCloseTo((float) hNext, within(1e-6f));
        assertThat(s.c().item()).isCloseTo(1.4765f, within(1e-4f));
        assertThat(s.h().item()).isCloseTo(0.7675f, within(1e-4f));
        s.h().backward();
        // ∂h′/∂c = o·(1 − tanh²(c′))·f: the cell state's own path
        assertThat(c.grad().item()).as("∂h′/∂c").isCloseTo((float) (o * (1 - Math.pow(Math.tanh(cNext), 2)) * f), within(1e-6f));
        double dC = o * (1 - Math.pow(Math.tanh(cNext), 2));  // ∂h′/∂c′
        float[] dZ = {(float) (dC * g * i * (1 - i)), (float) (dC * 2 * f * (1 - f)), (float) (dC * i * (1 - g * g)),
                      (float) (Math.tanh(cNext) * o * (1 - o))};
        assertThat(cell.weightIh.grad().toFloatArray()).as("dW_ih = dZ·x = dZ = (dZᵢ, dZ_f, dZ_g, dZ_o)").containsExactly(dZ, within(1e-6f));
        assertThat(dZ).as("the docs' numbers").containsExactly(new float[] {0.0191f, 0.0803f, 0.0719f, 0.1136f}, within(1e-4f));
    }

    /** b_hn = 1 makes the place of the reset gate visible: r·(W_hn h + b_hn), PyTorch's, not W_hn(r·h) + b_hn. */
    @Test
    void gruCellStepByHandWithTheResetGateAfterTheProduct() {
        GRUCell cell = new GRUCell(1, 1, new Generator(1));
        set(cell.weightIh, 1, -1, 0.5f);  // rows r, z, n
        set(cell.weightHh, 0.5f, 1, 2);
        set(cell.biasIh, 0, 0.5f, 0);
        set(cell.biasHh, 0, 0, 1);
        double x = 1, h = -0.5;
        double r = sigmoid(1 * x + 0.5 * h), z = sigmoid(-1 * x + 0.5 + 1 * h);
        double n = Math.tanh(0.5 * x + r * (2 * h + 1));
        double expected = (1 - z) * n + z * h;
        double resetBeforeTheProduct = (1 - z) * Math.tanh(0.5 * x + 2 * (r * h) + 1) + z * h;
        Tensor out = cell.forward(Tensor.of(new float[] {(float) x}, 1, 1), Tensor.of(new float[] {(float) h}, 1, 1));
        assertThat(out.item()).as("h′ = (1 − z)·n + z·h").isCloseTo((float) expected, within(1e-6f));
        assertThat(Math.abs(expected - resetBeforeTheProduct)).as("the two placements differ here").isGreaterThan(0.05);
    }

    @Test
    void rnnCellBackwardMatchesCentralDifferences() {
        for (RNNCell.Nonlinearity nl : RNNCell.Nonlinearity.values()) {
            Generator g = new Generator(2);
            RNNCell cell = new RNNCell(3, 4, true, nl, g);
            Tensor x = Tensor.randn(g, 2, 3).requiresGrad(true), h = Tensor.randn(g, 2, 4).requiresGrad(true);
            assertGradCheck("RNNCell " + nl, in -> cell.forward(in[0], in[1]), withParameters(cell, x, h));
        }
    }

    @Test
    void lstmCellBackwardMatchesCentralDifferences() {
        Generator g = new Generator(3);
        LSTMCell cell = new LSTMCell(3, 4, g);
        Tensor x = Tensor.randn(g, 2, 3).requiresGrad(true), h = Tensor.randn(g, 2, 4).requiresGrad(true);
        Tensor c = Tensor.randn(g, 2, 4).requiresGrad(true);
        assertGradCheck("LSTMCell", in -> {
            LSTMCell.State s = cell.forward(in[0], new LSTMCell.State(in[1], in[2]));
            return CatSplit.cat(List.of(s.h(), s.c()), 1);  // both outputs: every path is checked
        }, withParameters(cell, x, h, c));
    }

    @Test
    void gruCellBackwardMatchesCentralDifferences() {
        Generator g = new Generator(4);
        GRUCell cell = new GRUCell(3, 4, g);
        Tensor x = Tensor.randn(g, 2, 3).requiresGrad(true), h = Tensor.randn(g, 2, 4).requiresGrad(true);
        assertGradCheck("GRUCell", in -> cell.forward(in[0], in[1]), withParameters(cell, x, h));
    }

    /** The gate arithmetic alone (the fused ops the layers use), checked on its own inputs. */
    @Test
    void gateArithmeticAloneMatchesCentralDifferences() {
        Generator g = new Generator(5);
        Tensor z = Tensor.randn(g, 3, 8).requiresGrad(true), c = Tensor.randn(g, 3, 2).requiresGrad(true);
        assertGradCheck("LSTMCell.gates", in -> {
            LSTMCell.State s = LSTMCell.gates(in[0], in[1]);
            return CatSplit.cat(List.of(s.h(), s.c()), 1);
        }, z, c);
        Tensor a = Tensor.randn(g, 3, 6).requiresGrad(true), b = Tensor.randn(g, 3, 6).requiresGrad(true);
        Tensor h = Tensor.randn(g, 3, 2).requiresGrad(true);
        assertGradCheck("GRUCell.gates", in -> GRUCell.gates(in[0], in[1], in[2]), a, b, h);
        assertGradCheck("RNNCell.activation", in -> RNNCell.activation(in[0], RNNCell.Nonlinearity.TANH), a);
    }

    /** The fused gate ops (one backend pass each way) give what their definitions in plain tensor ops give. */
    @Test
    void fusedGatesEqualTheirDefinitionsInValuesAndGradients() {
        Generator g = new Generator(6);
        for (float scale : new float[] {1f, 30f}) {  // ×30: saturated gates
            Tensor z = Tensor.randn(g, 5, 4 * 9).mul(scale), c = Tensor.randn(g, 5, 9), up = Tensor.randn(g, 5, 18);
            Tensor[] fused = lstmValueAndGrads(z, c, up, true), composed = lstmValueAndGrads(z, c, up, false);
            for (int i = 0; i < fused.length; i++) {
                assertThat(fused[i].toFloatArray()).as("LSTM %s, ×%s", i == 0 ? "(h′, c′)" : i == 1 ? "dZ" : "dC", scale)
                        .containsExactly(composed[i].toFloatArray(), org.assertj.core.api.Assertions.within(2e-5f * scale));
            }
            Tensor a = Tensor.randn(g, 5, 3 * 9).mul(scale), b = Tensor.randn(g, 5, 3 * 9).mul(scale), h = Tensor.randn(g, 5, 9);
            Tensor dh = Tensor.randn(g, 5, 9);
            Tensor[] gf = gruValueAndGrads(a, b, h, dh, true), gc = gruValueAndGrads(a, b, h, dh, false);
            for (int i = 0; i < gf.length; i++) {
                assertThat(gf[i].toFloatArray()).as("GRU output/gradient %d, ×%s", i, scale)
                        .containsExactly(gc[i].toFloatArray(), org.assertj.core.api.Assertions.within(2e-5f * scale));
            }
        }
    }

    private static Tensor[] lstmValueAndGrads(Tensor z0, Tensor c0, Tensor up, boolean fused) {
        Tensor z = z0.detach().requiresGrad(true), c = c0.detach().requiresGrad(true);
        LSTMCell.State s = fused ? LSTMCell.gates(z, c) : LSTMCell.gatesDefinition(z, c);
        Tensor both = CatSplit.cat(List.of(s.h(), s.c()), 1);
        both.backward(up);
        return new Tensor[] {both, z.grad(), c.grad()};
    }

    private static Tensor[] gruValueAndGrads(Tensor a0, Tensor b0, Tensor h0, Tensor dh, boolean fused) {
        Tensor a = a0.detach().requiresGrad(true), b = b0.detach().requiresGrad(true), h = h0.detach().requiresGrad(true);
        Tensor out = fused ? GRUCell.gates(a, b, h) : GRUCell.gatesDefinition(a, b, h);
        out.backward(dh);
        return new Tensor[] {out, a.grad(), b.grad(), h.grad()};
    }

    @Test
    void parametersHavePyTorchsNamesShapesAndInitialisation() {
        Generator g = new Generator(6);
        Module[] cells = {new RNNCell(5, 16, g), new LSTMCell(5, 16, g), new GRUCell(5, 16, g)};
        int[] gates = {1, 4, 3};
        for (int k = 0; k < cells.length; k++) {
            var ps = cells[k].namedParameters();
            assertThat(ps.keySet()).containsExactly("weight_ih", "weight_hh", "bias_ih", "bias_hh");
            int rows = gates[k] * 16;
            assertThat(ps.get("weight_ih").shape()).containsExactly(rows, 5);
            assertThat(ps.get("weight_hh").shape()).containsExactly(rows, 16);
            assertThat(ps.get("bias_ih").shape()).containsExactly(rows);
            for (var e : ps.entrySet()) {
                float[] v = e.getValue().toFloatArray();
                float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
                for (float f : v) {
                    min = Math.min(min, f);
                    max = Math.max(max, f);
                }
                assertThat(max).as("%s %s: within 1/√16", cells[k], e.getKey()).isLessThanOrEqualTo(0.25f);
                assertThat(min).as("%s %s: within −1/√16", cells[k], e.getKey()).isGreaterThanOrEqualTo(-0.25f);
                if (e.getKey().startsWith("weight")) {  // 80 or more draws: they fill the range
                    assertThat(max).as("%s %s: spread", cells[k], e.getKey()).isGreaterThan(0.2f);
                    assertThat(min).as("%s %s: spread", cells[k], e.getKey()).isLessThan(-0.2f);
                }
            }
        }
        assertThat(new LSTMCell(5, 16, false, g).namedParameters().keySet()).containsExactly("weight_ih", "weight_hh");
        assertThat(new RNNCell(5, 16, false, RNNCell.Nonlinearity.RELU, g).toString())
                .startsWith("RNNCell(5, 16, bias=False, nonlinearity=relu)");
    }

    @Test
    void aZeroStateIsTheDefault() {
        Generator g = new Generator(7);
        LSTMCell cell = new LSTMCell(3, 2, g);
        Tensor x = Tensor.randn(g, 4, 3);
        Tensor zeros = Tensor.zeros(4, 2);
        assertThat(cell.forward(x).toFloatArray()).isEqualTo(cell.forward(x, new LSTMCell.State(zeros, zeros)).h().toFloatArray());
        GRUCell gru = new GRUCell(3, 2, g);
        assertThat(gru.forward(x).toFloatArray()).isEqualTo(gru.forward(x, zeros).toFloatArray());
    }

    @Test
    void badShapesAreRefusedWithTheCellAndTheShapes() {
        Generator g = new Generator(8);
        LSTMCell lstm = new LSTMCell(3, 2, g);
        assertThatThrownBy(() -> lstm.forward(Tensor.zeros(4, 5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("LSTMCell(3, 2): input of shape [4, 5] must be [N, 3] or [3]");
        assertThatThrownBy(() -> lstm.forward(Tensor.zeros(2, 4, 3))).hasMessageContaining("[2, 4, 3]");
        assertThatThrownBy(() -> lstm.forward(Tensor.zeros(4, 3), new LSTMCell.State(Tensor.zeros(4, 2), Tensor.zeros(3, 2))))
                .hasMessage("LSTMCell(3, 2): c of shape [3, 2] must be [4, 2] for an input of shape [4, 3]");
        GRUCell gru = new GRUCell(3, 2, g);
        assertThatThrownBy(() -> gru.forward(Tensor.zeros(3), Tensor.zeros(1, 2)))
                .hasMessage("GRUCell(3, 2): h of shape [1, 2] must be [2] for an input of shape [3]");
        assertThatThrownBy(() -> new RNNCell(0, 2, g)).hasMessage("RNNCell(0, 2): sizes must be positive");
    }
}
