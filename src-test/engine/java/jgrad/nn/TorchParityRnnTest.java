package jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import jgrad.TorchFixture;
import jgrad.tensor.Device;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RNN, LSTM, GRU and their cells against PyTorch 1.13: outputs, final states and the gradient of
 * every input, initial state and parameter, for 1–2 layers, one or two directions, time-major or
 * batch-first, with and without initial states, with variable lengths (PyTorch's
 * pack_padded_sequence with enforce_sorted=False, the loss read from the padded output and from
 * h_n), without biases, and unbatched. The parameters are loaded from PyTorch's state dict under
 * PyTorch's keys, so the keys, their order and their shapes are checked too. Values from
 * src-test/engine/resources/torch/rnn_fixture.py; every case runs on the simd "cpu" backend and on
 * the reference loops.
 */
class TorchParityRnnTest {
    private static final TorchFixture TORCH = TorchFixture.load("rnn_fixture.txt");
    private static final List<String> KEYS = keys();
    /** float32 sums over a few steps in another order than PyTorch's: 1e-4 relative, 1e-5 absolute near 0. */
    private static final double RTOL = 1e-4, ATOL = 1e-5;

    private static List<String> keys() {
        List<String> out = new ArrayList<>();
        for (String line : TorchFixture.readLines("/torch/rnn_fixture.txt")) {
            if (!line.isEmpty() && !line.startsWith("#")) out.add(line.substring(0, line.indexOf('\t')));
        }
        return out;
    }

    /** The cases of rnn_fixture.py: its CASES for each mode, then the extra ones. */
    static Stream<Arguments> layerCases() {
        return Stream.of(Device.cpu(), Device.reference()).flatMap(d -> layerNames().stream().map(n -> Arguments.of(d, n)));
    }

    static List<String> layerNames() {
        List<String> names = new ArrayList<>();
        for (String mode : new String[] {"rnn", "lstm", "gru"}) {
            for (String c : new String[] {"a", "b", "c", "d", "e", "f", "g", "h"}) names.add(mode + "." + c);
        }
        names.addAll(List.of("rnn_relu.e", "lstm.nobias", "gru.nobias", "lstm.unbatched", "gru.unbatched"));
        return names;
    }

    static Stream<Arguments> cellCases() {
        return Stream.of(Device.cpu(), Device.reference())
                .flatMap(d -> Stream.of("rnn", "rnn_relu", "lstm", "gru").map(m -> Arguments.of(d, "cell." + m)));
    }

    private static Tensor tensor(Device d, String key) {
        return Tensor.of(d, TORCH.values(key), TORCH.shape(key));
    }

    private static Tensor input(Device d, String key) {
        return tensor(d, key).requiresGrad(true);
    }

    private static void assertMatches(Device d, String key, Tensor actual) {
        assertThat(actual).as("%s on %s: no value (no gradient reached it?)", key, d).isNotNull();
        try {
            TORCH.assertMatches(key, actual, RTOL, ATOL);
        } catch (AssertionError e) {
            throw new AssertionError("on device " + d + ": " + e.getMessage(), e);
        }
    }

    /** PyTorch's state dict of case c: its keys in PyTorch's order, its values on d. */
    static Map<String, Tensor> stateDict(Device d, String c) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        String prefix = c + ".p.";
        for (String k : KEYS) if (k.startsWith(prefix)) out.put(k.substring(prefix.length()), tensor(d, k));
        return out;
    }

    /** Checks that m's parameters have PyTorch's keys in PyTorch's order and shapes, then loads them. */
    private static void loadPyTorchWeights(Device d, String c, Module m) {
        Map<String, Tensor> torch = stateDict(d, c);
        assertThat(m.namedParameters().keySet()).as("%s: parameter names and order = PyTorch's state_dict()", c)
                .containsExactlyElementsOf(torch.keySet());
        m.namedParameters().forEach((k, p) -> assertThat(p.shape()).as("%s: shape of %s", c, k).containsExactly(torch.get(k).shape()));
        m.loadStateDict(torch);
    }

    private static Recurrent make(String mode, int[] cfg) {
        int layers = cfg[0];
        boolean bi = cfg[1] == 1, batchFirst = cfg[2] == 1, bias = cfg[4] == 1;
        Generator g = new Generator(7);
        return switch (mode) {
            case "rnn" -> new RNN(4, 3, layers, RNNCell.Nonlinearity.TANH, bias, batchFirst, 0f, bi, g);
            case "rnn_relu" -> new RNN(4, 3, layers, RNNCell.Nonlinearity.RELU, bias, batchFirst, 0f, bi, g);
            case "lstm" -> new LSTM(4, 3, layers, bias, batchFirst, 0f, bi, g);
            case "gru" -> new GRU(4, 3, layers, bias, batchFirst, 0f, bi, g);
            default -> throw new IllegalArgumentException(mode);
        };
    }

    private static int[] ints(String key) {
        float[] v = TORCH.values(key);
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) out[i] = Math.round(v[i]);
        return out;
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("layerCases")
    void layerMatchesPyTorch(Device d, String c) {
        String mode = c.substring(0, c.indexOf('.'));
        int[] cfg = ints(c + ".config");
        Recurrent m = CnnLayersTest.on(d, () -> make(mode, cfg));
        loadPyTorchWeights(d, c, m);
        boolean withState = cfg[3] == 1, lstm = mode.equals("lstm");
        Tensor x = input(d, c + ".x");
        Tensor h0 = withState ? input(d, c + ".h0") : null, c0 = withState && lstm ? input(d, c + ".c0") : null;
        int[] lengths = KEYS.contains(c + ".lengths") ? ints(c + ".lengths") : null;

        Tensor y, hn, cn = null;
        switch (m) {
            case LSTM l -> {
                LSTM.Output o = l.forward(x, withState ? new LSTM.State(h0, c0) : null, lengths);
                y = o.output();
                hn = o.state().h();
                cn = o.state().c();
            }
            case GRU gru -> {
                GRU.Output o = gru.forward(x, withState ? new GRU.State(h0) : null, lengths);
                y = o.output();
                hn = o.state().h();
            }
            case RNN rnn -> {
                RNN.Output o = rnn.forward(x, withState ? new RNN.State(h0) : null, lengths);
                y = o.output();
                hn = o.state().h();
            }
            default -> throw new IllegalStateException();
        }
        Tensor loss = y.mul(tensor(d, c + ".dy")).sum().add(hn.mul(tensor(d, c + ".dh")).sum());
        if (lstm) loss = loss.add(cn.mul(tensor(d, c + ".dc")).sum());
        loss.backward();

        assertMatches(d, c + ".y", y);
        assertMatches(d, c + ".h_n", hn);
        if (lstm) assertMatches(d, c + ".c_n", cn);
        assertMatches(d, c + ".dx", x.grad());
        if (withState) assertMatches(d, c + ".dh0", h0.grad());
        if (withState && lstm) assertMatches(d, c + ".dc0", c0.grad());
        m.namedParameters().forEach((k, p) -> assertMatches(d, c + ".g." + k, p.grad()));
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("cellCases")
    void cellMatchesPyTorch(Device d, String c) {
        String mode = c.substring("cell.".length());
        Generator g = new Generator(8);
        Module m = CnnLayersTest.on(d, () -> switch (mode) {
            case "rnn" -> new RNNCell(4, 3, g);
            case "rnn_relu" -> new RNNCell(4, 3, true, RNNCell.Nonlinearity.RELU, g);
            case "lstm" -> new LSTMCell(4, 3, g);
            case "gru" -> new GRUCell(4, 3, g);
            default -> throw new IllegalArgumentException(mode);
        });
        loadPyTorchWeights(d, c, m);
        Tensor x = input(d, c + ".x"), h = input(d, c + ".h");
        Tensor loss;
        if (m instanceof LSTMCell cell) {
            Tensor cPrev = input(d, c + ".c");
            LSTMCell.State s = cell.forward(x, new LSTMCell.State(h, cPrev));
            loss = s.h().mul(tensor(d, c + ".dh")).sum().add(s.c().mul(tensor(d, c + ".dc")).sum());
            loss.backward();
            assertMatches(d, c + ".h1", s.h());
            assertMatches(d, c + ".c1", s.c());
            assertMatches(d, c + ".dcp", cPrev.grad());
        } else {
            Tensor h1 = m instanceof GRUCell cell ? cell.forward(x, h) : ((RNNCell) m).forward(x, h);
            h1.mul(tensor(d, c + ".dh")).sum().backward();
            assertMatches(d, c + ".h1", h1);
        }
        assertMatches(d, c + ".dx", x.grad());
        assertMatches(d, c + ".dhp", h.grad());
        m.namedParameters().forEach((k, p) -> assertMatches(d, c + ".g." + k, p.grad()));
    }
}
