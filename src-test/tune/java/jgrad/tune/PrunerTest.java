package jgrad.tune;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PrunerTest {
    private static NavigableMap<Integer, Double> values(double... v) {
        NavigableMap<Integer, Double> m = new TreeMap<>();
        for (int i = 0; i < v.length; i++) m.put(i + 1, v[i]);
        return m;
    }

    private static FrozenTrial trial(int n, TrialState s, double... v) {
        return new FrozenTrial(n, s, Map.of("x", 1.0), v.length == 0 ? Double.NaN : v[v.length - 1], values(v), 1, 0);
    }

    @Test
    void medianPrunesAtTheMedianOfCompleteTrialsAtTheSameStep() {
        // complete trials at step 2: 0.4, 0.6, 0.8, 0.9 → median 0.7 (numpy: mean of the middle two)
        List<FrozenTrial> h = List.of(trial(0, TrialState.COMPLETE, 0.1, 0.4), trial(1, TrialState.COMPLETE, 0.2, 0.6),
                trial(2, TrialState.COMPLETE, 0.3, 0.8), trial(3, TrialState.COMPLETE, 0.3, 0.9), trial(4, TrialState.PRUNED, 0.0, 0.0));
        MedianPruner p = new MedianPruner(4, 0);
        assertThat(p.prune(values(0.3, 0.69), h, Direction.MAXIMIZE)).as("0.69 < 0.7").isTrue();
        assertThat(p.prune(values(0.3, 0.71), h, Direction.MAXIMIZE)).as("0.71 > 0.7").isFalse();
        assertThat(p.prune(values(0.75, 0.6), h, Direction.MAXIMIZE)).as("its best so far, 0.75, counts").isFalse();
        assertThat(p.prune(values(0.3, 0.69), h, Direction.MINIMIZE)).as("minimising: 0.3 < 0.7 is good").isFalse();
        assertThat(p.prune(values(0.3, 0.2, 0.1), h, Direction.MAXIMIZE)).as("nobody reported step 3").isFalse();
        assertThat(new MedianPruner(5, 0).prune(values(0.3, 0.0), h, Direction.MAXIMIZE)).as("only 4 complete trials < 5 startup").isFalse();
        assertThat(new MedianPruner(4, 3).prune(values(0.3, 0.0), h, Direction.MAXIMIZE)).as("step 2 < 3 warm-up steps").isFalse();
        assertThat(MedianPruner.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
    }

    @Test
    void ashaKeepsTheTopOneOverEtaAtEachRung() {
        // min resource 1, η 2: rungs at steps 1, 2, 4
        SuccessiveHalvingPruner p = new SuccessiveHalvingPruner(1, 2);
        assertThat(p.rungStep(0)).isEqualTo(1);
        assertThat(p.rungStep(2)).isEqualTo(4);
        List<FrozenTrial> h = List.of(trial(0, TrialState.COMPLETE, 0.5, 0.6, 0.7, 0.8), trial(1, TrialState.PRUNED, 0.2),
                trial(2, TrialState.COMPLETE, 0.9, 0.95, 0.96, 0.97));
        // at step 1 the competitors are 0.5, 0.2, 0.9 and itself: 4 / 2 = 2 promoted, so ≥ the second best
        assertThat(p.prune(values(0.6), h, Direction.MAXIMIZE)).as("0.6 is second of 0.9, 0.6, 0.5, 0.2").isFalse();
        assertThat(p.prune(values(0.4), h, Direction.MAXIMIZE)).as("0.4 is third").isTrue();
        assertThat(p.prune(values(0.4), h, Direction.MINIMIZE)).as("minimising, 0.4 is second").isFalse();
        assertThat(p.prune(values(0.6, 0.1, 0.1), h, Direction.MAXIMIZE)).as("step 3 is no rung").isFalse();
        // at step 2: 0.6, 0.95 and itself: 3 / 2 = 1 promoted, the best
        assertThat(p.prune(values(0.6, 0.94), h, Direction.MAXIMIZE)).isTrue();
        assertThat(p.prune(values(0.6, 0.99), h, Direction.MAXIMIZE)).isFalse();
        assertThat(p.prune(values(0.6), List.of(), Direction.MAXIMIZE)).as("alone it is the best").isFalse();
    }
}
