package jgrad.nn;

import static jgrad.nn.LinearTest.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import jgrad.autograd.GradCheck;
import jgrad.autograd.NoGrad;
import jgrad.ops.CatSplit;
import jgrad.optim.Adam;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * RNN, LSTM and GRU as layers: padding changes nothing (outputs, final states, gradients), a
 * padded batch equals each sequence run alone, dropout between layers, the docs' worked example,
 * central differences through a whole padded layer, a small learning task with the state carried
 * between chunks, and the errors. PyTorch values are in {@link TorchParityRnnTest}.
 */
class RecurrentLayersTest {

    /** Output, h_n and c_n (null but for LSTM) through the layer's public typed call. */
    static Tensor[] call(Recurrent m, Tensor x, Tensor h0, Tensor c0, int[] lengths) {
        return switch (m) {
            case LSTM l -> {
                LSTM.Output o = l.forward(x, h0 == null ? null : new LSTM.State(h0, c0), lengths);
                yield new Tensor[] {o.output(), o.state().h(), o.state().c()};
            }
            case GRU g -> {
                GRU.Output o = g.forward(x, h0 == null ? null : new GRU.State(h0), lengths);
                yield new Tensor[] {o.output(), o.state().h(), null};
            }
            case RNN r -> {
                RNN.Output o = r.forward(x, h0 == null ? null : new RNN.State(h0), lengths);
                yield new Tensor[] {o.output(), o.state().h(), null};
            }
            default -> throw new IllegalStateException();
        };
    }

    /** Two layers, both directions, batch-first: the case where padding has the most ways to leak. */
    static List<Recurrent> layers(Generator g) {
        return List.of(new RNN(3, 2, 2, RNNCell.Nonlinearity.TANH, true, true, 0f, true, g),
                new LSTM(3, 2, 2, true, true, 0f, true, g), new GRU(3, 2, 2, true, true, 0f, true, g));
    }

    private static Tensor withGarbage(Tensor x, int[] lengths, int steps, float garbage, Generator g) {
        int N = x.size(0), T = x.size(1), I = x.size(2);
        float[] v = x.toFloatArray(), out = new float[N * steps * I];
        for (int n = 0; n < N; n++) {
            for (int t = 0; t < steps; t++) {
                for (int i = 0; i < I; i++) {
                    boolean real = t < lengths[n];
                    out[(n * steps + t) * I + i] = real ? v[(n * T + t) * I + i] : Float.isNaN(garbage) ? garbage : 100 * g.nextGaussian();
                }
            }
        }
        return Tensor.of(out, N, steps, I).requiresGrad(true);
    }

    private record Run(Tensor y, Tensor hn, Tensor cn, Tensor dx, Tensor dh0, Map<String, float[]> grads) {}

    private static Run runAndDifferentiate(Recurrent m, Tensor x, Tensor h0, Tensor c0, int[] lengths, Tensor dy, Tensor dh) {
        m.zeroGrad();
        h0.setGrad(null);
        Tensor[] r = call(m, x, h0, c0, lengths);
        int T = r[0].size(1);
        Tensor loss = r[0].mul(dy.slice(1, 0, T)).sum().add(r[1].mul(dh).sum());
        if (r[2] != null) loss = loss.add(r[2].mul(dh).sum());
        loss.backward();
        Map<String, float[]> grads = new java.util.LinkedHashMap<>();
        m.namedParameters().forEach((k, p) -> grads.put(k, p.grad().toFloatArray()));
        return new Run(r[0], r[1], r[2], x.grad(), h0.grad(), grads);
    }

    private static void assertClose(String what, float[] expected, float[] actual) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("%s[%d]: expected %s, actual %s", what, i, java.util.Arrays.toString(expected),
                    java.util.Arrays.toString(actual)).isCloseTo(expected[i], within(1e-5f + 1e-5f * Math.abs(expected[i])));
        }
    }

    /** The steps of x [N, T', ·] (batch-first) at t &lt; T, as [N, T, ·] values. */
    private static float[] firstSteps(Tensor x, int T) {
        return x.slice(1, 0, T).contiguous().toFloatArray();
    }

    @Test
    void paddedStepsChangeNeitherOutputsNorFinalStatesNorGradients() {
        Generator g = new Generator(1);
        int[] lengths = {4, 2, 3};
        for (Recurrent m : layers(g)) {
            Tensor x = Tensor.randn(g, 3, 4, 3);
            Tensor h0 = Tensor.randn(g, 4, 3, 2).requiresGrad(true), c0 = Tensor.randn(g, 4, 3, 2);
            Tensor dy = Tensor.randn(g, 3, 6, 4), dh = Tensor.randn(g, 4, 3, 2);
            Run clean = runAndDifferentiate(m, withGarbage(x, lengths, 4, 0f, g), h0, c0, lengths, dy, dh);
            for (float garbage : new float[] {1f, Float.NaN}) {
                for (int steps : new int[] {4, 6}) {  // garbage in the padding, and two more steps of it
                    String what = m.describe() + " with " + steps + " steps, garbage " + (Float.isNaN(garbage) ? "NaN" : "random");
                    Run dirty = runAndDifferentiate(m, withGarbage(x, lengths, steps, garbage, g), h0, c0, lengths, dy, dh);
                    assertThat(dirty.y.shape()).as(what).containsExactly(3, steps, 4);
                    assertClose(what + ": output", clean.y.toFloatArray(), firstSteps(dirty.y, 4));
                    assertClose(what + ": h_n", clean.hn.toFloatArray(), dirty.hn.toFloatArray());
                    if (clean.cn != null) assertClose(what + ": c_n", clean.cn.toFloatArray(), dirty.cn.toFloatArray());
                    assertClose(what + ": dX", clean.dx.toFloatArray(), firstSteps(dirty.dx, 4));
                    assertClose(what + ": dh0", clean.dh0.toFloatArray(), dirty.dh0.toFloatArray());
                    clean.grads.forEach((k, v) -> assertClose(what + ": d" + k, v, dirty.grads.get(k)));
                    for (int n = 0; n < 3; n++) {
                        Tensor padOut = dirty.y.slice(0, n, n + 1).slice(1, lengths[n], steps);
                        Tensor padDx = dirty.dx.slice(0, n, n + 1).slice(1, lengths[n], steps);
                        assertThat(padOut.toFloatArray()).as("%s: output past sequence %d's end", what, n).isEqualTo(new float[padOut.numel()]);
                        assertThat(padDx.toFloatArray()).as("%s: dX past sequence %d's end", what, n).isEqualTo(new float[padDx.numel()]);
                    }
                }
            }
        }
    }

    /** h_n is each sequence's state at its own last step; the reverse direction starts there. */
    @Test
    void aPaddedBatchGivesWhatEachSequenceGivesAlone() {
        Generator g = new Generator(2);
        int[] lengths = {2, 5, 3};
        for (Recurrent m : layers(g)) {
            Tensor x = Tensor.randn(g, 3, 5, 3), h0 = Tensor.randn(g, 4, 3, 2), c0 = Tensor.randn(g, 4, 3, 2);
            Tensor[] batch = call(m, x, h0, c0, lengths);
            for (int n = 0; n < 3; n++) {
                Tensor xn = x.slice(0, n, n + 1).slice(1, 0, lengths[n]).contiguous();
                Tensor[] alone = call(m, xn, h0.slice(1, n, n + 1).contiguous(), c0.slice(1, n, n + 1).contiguous(), null);
                String what = m.describe() + ", sequence " + n + " of length " + lengths[n];
                assertClose(what + ": output", alone[0].toFloatArray(), batch[0].slice(0, n, n + 1).slice(1, 0, lengths[n]).contiguous().toFloatArray());
                assertClose(what + ": h_n", alone[1].toFloatArray(), batch[1].slice(1, n, n + 1).contiguous().toFloatArray());
                if (alone[2] != null) assertClose(what + ": c_n", alone[2].toFloatArray(), batch[2].slice(1, n, n + 1).contiguous().toFloatArray());
            }
        }
    }

    @Test
    void centralDifferencesThroughAPaddedTwoLayerBidirectionalLayer() {
        Generator g = new Generator(3);
        int[] lengths = {3, 1};
        for (Recurrent m : List.of(new LSTM(2, 2, 2, true, false, 0f, true, g), new GRU(2, 2, 2, true, false, 0f, true, g))) {
            Tensor x = Tensor.randn(g, 3, 2, 2).requiresGrad(true), h0 = Tensor.randn(g, 4, 2, 2).requiresGrad(true);
            Tensor c0 = Tensor.randn(g, 4, 2, 2).requiresGrad(true);
            Tensor[] inputs = new Tensor[3 + m.parameters().size()];
            inputs[0] = x;
            inputs[1] = h0;
            inputs[2] = c0;
            for (int i = 0; i < m.parameters().size(); i++) inputs[3 + i] = m.parameters().get(i);
            GradCheck.Result r = new GradCheck().check(in -> {
                Tensor[] out = call(m, in[0], in[1], in[2], lengths);
                List<Tensor> all = out[2] == null ? List.of(out[0].reshape(-1), out[1].reshape(-1))
                        : List.of(out[0].reshape(-1), out[1].reshape(-1), out[2].reshape(-1));
                return CatSplit.cat(all, 0);
            }, inputs);
            assertThat(r.passed()).as("%s: %s", m.describe(), r.detail()).isTrue();
        }
    }

    /** docs/ops/rnn.md's worked example: one unit, three steps, C = Σₜ (h⁽ᵗ⁾ − y⁽ᵗ⁾)². */
    @Test
    void threeStepsOfTheDocsWorkedExample() {
        RNN rnn = new RNN(1, 1, new Generator(4));
        set(rnn.namedParameters().get("weight_ih_l0"), 1);
        set(rnn.namedParameters().get("weight_hh_l0"), 0.5f);
        set(rnn.namedParameters().get("bias_ih_l0"), 0);
        set(rnn.namedParameters().get("bias_hh_l0"), 0);
        Tensor x = Tensor.of(new float[] {1, 0.5f, -1}, 3, 1, 1).requiresGrad(true);
        Tensor h = rnn.forward(x);
        assertThat(h.toFloatArray()).as("h⁽¹⁾ = tanh(1), h⁽²⁾ = tanh(0.5 + 0.5·h⁽¹⁾), h⁽³⁾ = tanh(−1 + 0.5·h⁽²⁾)")
                .containsExactly(new float[] {0.76159416f, 0.70681841f, -0.56937044f}, within(1e-6f));
        h.sub(Tensor.of(new float[] {0.5f, 0.5f, 0}, 3, 1, 1)).square().sum().backward();
        // δ⁽ᵗ⁾ = (2(h⁽ᵗ⁾ − y⁽ᵗ⁾) + w_hh·δ⁽ᵗ⁺¹⁾)(1 − h⁽ᵗ⁾²), and dx⁽ᵗ⁾ = w_ih·δ⁽ᵗ⁾ = δ⁽ᵗ⁾
        assertThat(x.grad().toFloatArray()).as("δ").containsExactly(new float[] {0.22275683f, 0.01443497f, -0.76958079f}, within(1e-6f));
        assertThat(rnn.namedParameters().get("weight_hh_l0").grad().item()).as("Σₜ δ⁽ᵗ⁾h⁽ᵗ⁻¹⁾").isCloseTo(-0.53296028f, within(1e-6f));
        assertThat(rnn.namedParameters().get("bias_hh_l0").grad().item()).as("Σₜ δ⁽ᵗ⁾").isCloseTo(-0.53238899f, within(1e-6f));
    }

    /** Dropout acts on what layer 0 hands to layer 1, in training only, with the layer's generator. */
    @Test
    void dropoutBetweenLayersInTrainingOnly() {
        LSTM two = new LSTM(3, 4, 2, true, false, 0.5f, false, new Generator(5));
        assertThat(two.generators()).as("registered, so the Trainer reseeds it").hasSize(1);
        LSTM bottom = new LSTM(3, 4, new Generator(0)), top = new LSTM(4, 4, new Generator(0));
        Map<String, Parameter> p = two.namedParameters();
        for (String k : List.of("weight_ih", "weight_hh", "bias_ih", "bias_hh")) {
            set(bottom.namedParameters().get(k + "_l0"), p.get(k + "_l0").toFloatArray());
            set(top.namedParameters().get(k + "_l0"), p.get(k + "_l1").toFloatArray());
        }
        Tensor x = Tensor.randn(new Generator(6), 5, 2, 3);
        two.generators().get(0).reseed(42);
        float[] trained = two.forward(x).toFloatArray();
        float[] byHand = top.forward(new Dropout(0.5f, new Generator(42)).forward(bottom.forward(x))).toFloatArray();
        assertThat(trained).as("layer 1 reads dropout(layer 0)").containsExactly(byHand, within(1e-6f));
        two.eval();
        assertThat(two.forward(x).toFloatArray()).as("no dropout in evaluation")
                .containsExactly(top.forward(bottom.forward(x)).toFloatArray(), within(1e-6f));
        assertThat(new LSTM(3, 4, 1, true, false, 0.5f, false, new Generator(5)).generators())
                .as("one layer: nothing between layers, no generator").isEmpty();
    }

    /** Remember the first of five inputs, over chunks of the sequence with the state carried and detached. */
    @Test
    void learnsToRecallTheFirstInputWithTheStateCarriedBetweenChunks() {
        Generator g = new Generator(7);
        LSTM lstm = new LSTM(1, 8, g);
        Linear head = new Linear(8, 1, true, g);
        Tensor xs = Tensor.randn(g, 6, 16, 1);
        Tensor target = xs.slice(0, 0, 1).reshape(16, 1);
        List<Parameter> params = new java.util.ArrayList<>(lstm.parameters());
        params.addAll(head.parameters());
        Adam opt = new Adam(params, 0.03f);
        float first = 0, last = 0;
        for (int step = 0; step < 150; step++) {
            LSTM.Output a = lstm.forward(xs.slice(0, 0, 3), null);
            LSTM.Output b = lstm.forward(xs.slice(0, 3, 6), a.state().detach());  // truncated backpropagation through time
            assertThat(a.state().detach().h().requiresGrad()).isFalse();
            Tensor loss = head.forward(b.state().h().reshape(16, 8)).sub(target).square().mean();
            lstm.zeroGrad();
            head.zeroGrad();
            loss.backward();
            opt.step();
            if (step == 0) first = loss.item();
            last = loss.item();
        }
        // the gradient stops at the chunk boundary, yet the forward state still carries x⁽⁰⁾ there
        assertThat(last).as("loss after 150 steps (first %s)", first).isLessThan(first / 4);
    }

    @Test
    void theOneTensorCallFitsInASequential() {
        Generator g = new Generator(8);
        GRU gru = new GRU(3, 4, 1, true, true, 0f, false, g);
        Sequential net = new Sequential(gru, new Tanh());
        Tensor x = Tensor.randn(g, 2, 5, 3);
        assertThat(net.forward(x).toFloatArray()).isEqualTo(gru.forward(x, null).output().tanh().toFloatArray());
        assertThat(net.namedParameters().keySet()).containsExactly("0.weight_ih_l0", "0.weight_hh_l0", "0.bias_ih_l0", "0.bias_hh_l0");
        assertThat(new LSTM(28, 128, 2, false, true, 0.25f, true, g).toString())
                .startsWith("LSTM(28, 128, num_layers=2, bias=False, batch_first=True, dropout=0.25, bidirectional=True)");
        try (NoGrad scope = NoGrad.enter()) {
            assertThat(new RNN(3, 2, g).forward(Tensor.randn(g, 4, 3)).shape()).as("unbatched [T, I] → [T, H]").containsExactly(4, 2);
        }
    }

    @Test
    void badInputsStatesAndLengthsAreRefusedWithTheLayerAndTheShapes() {
        Generator g = new Generator(9);
        LSTM lstm = new LSTM(4, 3, 2, true, false, 0f, true, g);
        Tensor x = Tensor.zeros(5, 2, 4);
        assertThatThrownBy(() -> lstm.forward(Tensor.zeros(5, 2, 3))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("LSTM(4, 3, num_layers=2, bidirectional=True): input of shape [5, 2, 3] must be [T, N, 4] "
                        + "(or [T, 4] unbatched), with at least one step");
        assertThatThrownBy(() -> lstm.forward(Tensor.zeros(1, 5, 2, 4))).hasMessageContaining("input of shape [1, 5, 2, 4]");
        assertThatThrownBy(() -> lstm.forward(Tensor.zeros(0, 2, 4))).hasMessageContaining("at least one step");
        assertThatCode(() -> new GRU(4, 3, 1, true, true, 0f, false, g).forward(Tensor.zeros(2, 4)))
                .as("batch-first, but [2, 4] is an unbatched sequence of 2 steps: fine").doesNotThrowAnyException();
        assertThatThrownBy(() -> new GRU(4, 3, 1, true, true, 0f, false, g).forward(Tensor.zeros(2, 5, 3)))
                .hasMessageContaining("must be [N, T, 4]");
        assertThatThrownBy(() -> lstm.forward(x, new LSTM.State(Tensor.zeros(2, 2, 3), Tensor.zeros(4, 2, 3))))
                .hasMessage("LSTM(4, 3, num_layers=2, bidirectional=True): h0 of shape [2, 2, 3] must be [4, 2, 3] "
                        + "(num_layers·directions, N, hidden_size)");
        assertThatThrownBy(() -> lstm.forward(x, new LSTM.State(Tensor.zeros(4, 2, 3), Tensor.zeros(4, 3, 3))))
                .hasMessageContaining("c0 of shape [4, 3, 3] must be [4, 2, 3]");
        assertThatThrownBy(() -> lstm.forward(Tensor.zeros(5, 4), new LSTM.State(Tensor.zeros(4, 2, 3), null)))
                .hasMessageContaining("h0 of shape [4, 2, 3] must be [4, 3] (num_layers·directions, hidden_size)");
        assertThatThrownBy(() -> lstm.forward(x, null, new int[] {5}))
                .hasMessage("LSTM(4, 3, num_layers=2, bidirectional=True): 1 lengths [5] for a batch of 2 sequences");
        assertThatThrownBy(() -> lstm.forward(x, null, new int[] {5, 6}))
                .hasMessage("LSTM(4, 3, num_layers=2, bidirectional=True): length 6 of sequence 1 in [5, 6] must be in 1 … 5 "
                        + "(the input has 5 steps)");
        assertThatThrownBy(() -> lstm.forward(x, null, new int[] {0, 5})).hasMessageContaining("length 0 of sequence 0");
        assertThatThrownBy(() -> lstm.forward(x, null, new int[] {3, -1})).hasMessageContaining("length -1 of sequence 1");
        assertThatThrownBy(() -> new RNN(4, 3, 0, RNNCell.Nonlinearity.TANH, true, false, 0f, false, g))
                .hasMessage("RNN: numLayers must be at least 1, got 0");
        assertThatThrownBy(() -> new GRU(4, 3, 2, true, false, 1f, false, g)).hasMessage("GRU: dropout must be in [0, 1), got 1.0");
        assertThatThrownBy(() -> new LSTM(4, 0, g)).hasMessage("LSTM(4, 0): sizes must be positive");
    }
}
