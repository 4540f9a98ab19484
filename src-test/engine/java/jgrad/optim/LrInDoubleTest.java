package jgrad.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import jgrad.TorchFixture;
import jgrad.nn.Parameter;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Learning rates are doubles, as PyTorch keeps them: schedules and ReduceLROnPlateau give PyTorch
 * 1.13's sequences (layers18_fixture.py, "lr.*", written with 17 digits) to 1e-13 relative, where a
 * float32 rate is ~1e-8 off, for every parameter group, through {@code getLastLr()}.
 */
class LrInDoubleTest {
    /** A relative error a double sequence meets and a float32 one (≥ 2⁻²⁵ ≈ 3e-8 off, typically) does not. */
    private static final double RTOL = 1e-13;

    /** The doubles of entry {@code key} (TorchFixture reads float32; these lines hold 17 digits). */
    static double[] doubles(String key) {
        for (String line : TorchFixture.readLines("/torch/layers18_fixture.txt")) {
            String[] f = line.split("\t");
            if (f[0].equals(key)) return Arrays.stream(f[2].trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
        }
        throw new IllegalArgumentException("layers18_fixture.txt has no entry " + key);
    }

    /** SGD with {@code groups} groups, group i at rate lr·(i + 1), as the script. */
    static SGD optimizer(double lr, int groups) {
        SGD opt = new SGD(List.of(new Parameter(Tensor.zeros(1))), lr);
        for (int i = 1; i < groups; i++) opt.addParamGroup(List.of(new Parameter(Tensor.zeros(1))), lr * (i + 1));
        return opt;
    }

    private static void assertRates(String key, List<List<Double>> actual) {
        for (int g = 0; g < actual.size(); g++) {
            double[] expected = doubles(key + "." + g);
            assertThat(actual.get(g)).as("%s group %d: number of rates", key, g).hasSize(expected.length);
            for (int e = 0; e < expected.length; e++) {
                assertThat(actual.get(g).get(e)).as("%s group %d at epoch %d", key, g, e)
                        .isCloseTo(expected[e], org.assertj.core.data.Offset.offset(RTOL * expected[e]));
            }
        }
    }

    /** getLastLr() before any step and after each of 25 steps, per group. */
    private static List<List<Double>> run(LRScheduler s, int groups) {
        List<List<Double>> seq = new ArrayList<>();
        for (int g = 0; g < groups; g++) seq.add(new ArrayList<>());
        for (int e = 0; e <= 25; e++) {
            if (e > 0) s.step();
            List<Double> now = s.getLastLr();
            for (int g = 0; g < groups; g++) seq.get(g).add(now.get(g));
        }
        return seq;
    }

    @Test
    void schedulesGivePyTorchsRatesInDouble() {
        Map<String, Function<SGD, LRScheduler>> cases = Map.of(
                "exponential", o -> new ExponentialLR(o, 0.9),
                "step", o -> new StepLR(o, 3, 0.7),
                "cosine", o -> new CosineAnnealingLR(o, 9, 1e-4));
        double[] base = {0.3, 0.03, 0.1};
        int[] groups = {1, 1, 2};
        String[] keys = {"exponential", "step", "cosine"};
        for (int i = 0; i < keys.length; i++) {
            SGD opt = optimizer(base[i], groups[i]);
            assertRates("lr." + keys[i], run(cases.get(keys[i]).apply(opt), groups[i]));
        }
    }

    @Test
    void aFloat32RateWouldMissTheSequence() {
        double[] expected = doubles("lr.exponential.0");
        assertThat(Math.abs((float) expected[7] - expected[7])).as("the float32 rounding the doubles avoid")
                .isGreaterThan(RTOL * expected[7] * 1000);
    }

    @Test
    void reduceOnPlateauGivesPyTorchsRatesPerGroupWithItsOwnMinimum() {
        double[] metrics = doubles("lr.plateau.metrics");
        SGD two = optimizer(0.3, 2), one = optimizer(0.1, 1);
        ReduceLROnPlateau min = new ReduceLROnPlateau(two, ReduceLROnPlateau.Mode.MIN, 0.3, 1, 1e-3,
                ReduceLROnPlateau.ThresholdMode.REL, 1, new double[] {1e-4, 3e-4}, 1e-8);
        ReduceLROnPlateau max = new ReduceLROnPlateau(one, ReduceLROnPlateau.Mode.MAX, 0.7, 0, 0.01,
                ReduceLROnPlateau.ThresholdMode.ABS, 0, 0, 1e-3);
        List<List<Double>> a = List.of(new ArrayList<>(), new ArrayList<>()), b = List.of(new ArrayList<>());
        for (int e = 0; e <= metrics.length; e++) {
            if (e > 0) {
                min.step(metrics[e - 1]);
                max.step(metrics[e - 1]);
            }
            for (int g = 0; g < 2; g++) a.get(g).add(min.getLastLr().get(g));
            b.get(0).add(max.getLastLr().get(0));
        }
        assertRates("lr.plateau.min", a);
        assertRates("lr.plateau.max.abs", b);
        assertThat(min.lastEpoch()).isEqualTo(metrics.length);
        assertThatThrownBy(() -> new ReduceLROnPlateau(two, ReduceLROnPlateau.Mode.MIN, 0.5, 1, 0, ReduceLROnPlateau.ThresholdMode.REL, 0,
                new double[] {0}, 0)).hasMessageContaining("1 minimum rates for 2 parameter groups");
    }

    @Test
    void aCheckpointKeepsTheDoubleRate() {
        SGD a = optimizer(0.3, 2);
        ExponentialLR s = new ExponentialLR(a, 0.9);
        for (int e = 0; e < 7; e++) s.step();
        SGD b = optimizer(0.5, 2);
        b.loadStateDict(a.stateDict());
        for (int g = 0; g < 2; g++) {
            double want = a.paramGroups().get(g).lr(), got = b.paramGroups().get(g).lr();
            assertThat(got).as("group %d, saved as three floats", g).isEqualTo(want);
            assertThat(b.paramGroups().get(g).initialLr()).isEqualTo(a.paramGroups().get(g).initialLr());
        }
    }
}
