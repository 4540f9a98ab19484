package jgrad.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParamImportanceTest {
    @TempDir Path dir;

    private static FrozenTrial trial(int n, TrialState state, double value, Map<String, Object> params) {
        return new FrozenTrial(n, state, params, value, new TreeMap<>(), 1, 1);
    }

    /**
     * By hand: values 1, 2, 3 under a and 4, 5, 6 under b; mean 3.5, SS_total 17.5, SS_between
     * 6 · 1.5² = 13.5, SS_within 4 over n − k = 4, so ε² = (13.5 − 1 · 1) / 17.5 = 5/7.
     */
    @Test
    void epsilonSquaredOfAChoiceByHand() {
        SearchSpace s = SearchSpaceParser.parse("{\"o\": {\"type\": \"choice\", \"values\": [\"a\", \"b\"]}}", null);
        List<FrozenTrial> ts = new ArrayList<>();
        double[] v = {1, 4, 2, 5, 3, 6};
        for (int i = 0; i < 6; i++) ts.add(trial(i, TrialState.COMPLETE, v[i], Map.of("o", i % 2 == 0 ? "a" : "b")));
        // a pruned trial's value is from fewer epochs: left out
        ts.add(trial(6, TrialState.PRUNED, 100, Map.of("o", "a")));
        ParamImportance.Importance imp = ParamImportance.of(s, ts).getFirst();
        assertThat(imp.epsilonSquared()).isCloseTo(5.0 / 7, within(1e-12));
        assertThat(imp.trials()).isEqualTo(6);
        assertThat(imp.groups()).isEqualTo(2);
    }

    @Test
    void ranksShareTiesAndOneOutlierWeighsNoMoreThanARank() {
        assertThat(ParamImportance.ranks(List.of(0.9, 0.1, 0.5, 0.5))).containsExactly(4.0, 1.0, 2.5, 2.5);
        // a choice whose 'b' trials are all better, one of its 'a' trials diverged to 0.1: on values the
        // outlier makes a's spread the story; on ranks a and b separate fully
        SearchSpace s = SearchSpaceParser.parse("{\"o\": {\"type\": \"choice\", \"values\": [\"a\", \"b\"]}}", null);
        double[] v = {0.95, 0.96, 0.94, 0.1, 0.97, 0.98, 0.975, 0.985};
        List<FrozenTrial> ts = new ArrayList<>();
        for (int i = 0; i < 8; i++) ts.add(trial(i, TrialState.COMPLETE, v[i], Map.of("o", i < 4 ? "a" : "b")));
        // ranks a: 3, 4, 2, 1 (mean 2.5), b: 5, 7, 6, 8 (6.5): SS_total 42, SS_between 32, ε² = (32 − 10/6) / 42
        assertThat(ParamImportance.of(s, ts).getFirst().epsilonSquared()).isCloseTo((32 - 10.0 / 6) / 42, within(1e-9));
    }

    @Test
    void aRangeIsCutIntoAboutEquallyFullGroupsWithoutSplittingEqualValues() {
        Distribution d = new Distribution.FloatRange(0, 1, false, 5);
        // 8 values: 2 groups (8 / 4), four each; 0.5 twice at the boundary stays together
        List<Object> xs = List.of(0.9, 0.1, 0.5, 0.5, 0.2, 0.8, 0.3, 0.7);
        assertThat(ParamImportance.groups(d, xs)).containsExactly(1, 0, 0, 0, 0, 1, 0, 1);
        // a grid's 5 values, 4 trials each: one group per value
        List<Object> grid = new ArrayList<>();
        for (int i = 0; i < 20; i++) grid.add((double) (i % 5));
        int[] g = ParamImportance.groups(d, grid);
        for (int i = 0; i < 20; i++) assertThat(g[i]).isEqualTo(i % 5);
    }

    /**
     * A study where x matters most, the choice c less and y not at all: value = 3x + (c = a ? 1 : 0)
     * over the grid x, y ∈ {0, ¼, ½, ¾, 1}, c ∈ {a, b} (50 trials, a balanced design, so the
     * effects are not confounded by chance as with random draws). By hand, on ranks: the 10
     * values 0, 0.75, 1, 1.5, ..., 4 of (x, c) are 5 trials each (one per y), mean ranks 3, 8, ..., 48,
     * mean 25.5, SS_total = 10 · (22.5² + 17.5² + 12.5² + 7.5² + 2.5²) = 10312.5. x's groups have mean
     * ranks 8, 15.5, 25.5, 35.5, 43: SS_between 8125, SS_within 2187.5 over 45, ε² = (8125 − 4 ·
     * 2187.5/45) / 10312.5; c's 32 and 19: SS_between 2112.5, ε² = (2112.5 − 8200/48) / 10312.5;
     * y's groups hold the same ranks: 0.
     */
    @Test
    void onASyntheticStudyTheParameterThatMattersRanksFirstAndTheOneThatDoesNotScoresZero() {
        SearchSpace space = SearchSpaceParser.parse("""
                {"x": {"type": "uniform", "low": 0, "high": 1, "grid": 5},
                 "y": {"type": "uniform", "low": 0, "high": 1, "grid": 5},
                 "c": {"type": "choice", "values": ["a", "b"]}}""", null);
        try (StudyStorage db = new SqliteStorage(dir.resolve("s.db"))) {
            Study study = Study.builder(db, "synthetic", space).direction(Direction.MAXIMIZE).seed(3).sampler(new GridSampler()).pruner(Pruner.NONE).create();
            study.optimize(t -> 3 * t.suggestFloat("x", 0, 1, false) + (t.suggestCategorical("c", List.of("a", "b")).equals("a") ? 1 : 0)
                    + 0 * t.suggestFloat("y", 0, 1, false), 100, null, 1);
            List<ParamImportance.Importance> imp = ParamImportance.of(space, study.trials());
            assertThat(imp).extracting(ParamImportance.Importance::name).containsExactly("x", "c", "y");
            assertThat(imp.get(0).epsilonSquared()).isCloseTo((8125 - 4 * 2187.5 / 45) / 10312.5, within(1e-9));
            assertThat(imp.get(1).epsilonSquared()).isCloseTo((2112.5 - 8200.0 / 48) / 10312.5, within(1e-9));
            assertThat(imp.get(2).epsilonSquared()).isZero();
            assertThat(imp).extracting(ParamImportance.Importance::trials).containsOnly(50);
            assertThat(imp).extracting(ParamImportance.Importance::groups).containsExactly(5, 2, 5);
        }
    }

    @Test
    void aConditionalParameterIsJudgedWhereItExistsAndTooFewTrialsGiveNaN() {
        SearchSpace s = Spaces.trainLike();
        List<FrozenTrial> ts = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            boolean sgd = i < 8;
            Map<String, Object> p = new java.util.HashMap<>(Map.of("lr", 0.01, "optimizer", sgd ? "sgd" : "adam", "epochs", 2L));
            if (sgd) p.put("momentum", 0.1 * i);
            ts.add(trial(i, TrialState.COMPLETE, sgd ? 0.1 * i : 0.5, p));  // the value follows momentum exactly: ranks 1..8
        }
        Map<String, ParamImportance.Importance> by = new TreeMap<>();
        for (ParamImportance.Importance i : ParamImportance.of(s, ts)) by.put(i.name(), i);
        assertThat(by.get("momentum").trials()).isEqualTo(8);
        // ranks 1..8 in 2 groups of 4: SS_total 42, SS_between 8 · 2² = 32, SS_within 10, ε² = (32 − 10/6) / 42
        assertThat(by.get("momentum").epsilonSquared()).isCloseTo((32 - 10.0 / 6) / 42, within(1e-9));
        assertThat(by.get("lr").epsilonSquared()).as("one value: one group").isNaN();
        assertThat(ParamImportance.of(s, ts).getLast().epsilonSquared()).isNaN();
    }
}
