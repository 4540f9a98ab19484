package jgrad.tune;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TpeSamplerTest {
    @Test
    void gammaAndWeightsAreOptunasDefaults() {
        assertThat(TpeSampler.gamma(10)).isEqualTo(1);
        assertThat(TpeSampler.gamma(11)).isEqualTo(2);
        assertThat(TpeSampler.gamma(1000)).isEqualTo(25);
        assertThat(ParzenEstimator.observationWeights(3)).containsExactly(1, 1, 1);
        double[] w = ParzenEstimator.observationWeights(30);   // linspace(1/30, 1, 5) then 25 ones
        assertThat(w[0]).isEqualTo(1 / 30.0);
        assertThat(w[2]).isCloseTo((1 / 30.0 + 1) / 2, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(w[4]).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(w[29]).isEqualTo(1);
    }

    @Test
    void theParzenDensityIsADensityAndPeaksAtTheObservations() {
        Distribution.FloatRange d = new Distribution.FloatRange(0, 10, false, 5);
        ParzenEstimator pe = new ParzenEstimator(d, List.of(2.0, 2.5, 8.0), 1.0);
        double integral = 0, h = 0.001;
        for (double x = h / 2; x < 10; x += h) integral += Math.exp(pe.logPdf(x)) * h;
        assertThat(integral).as("∫ p = 1 on [0, 10]").isCloseTo(1, org.assertj.core.data.Offset.offset(1e-3));
        assertThat(pe.logPdf(2.2)).isGreaterThan(pe.logPdf(5.0));
        ParzenEstimator c = new ParzenEstimator(new Distribution.Choice(List.of("a", "b", "c")), List.of("a", "a"), 1.0);
        // each observation kernel: (1/3 + [a]) / 2 → a 2/3, b 1/6, c 1/6; the prior 1/3 each; weights 1/3 each
        assertThat(Math.exp(c.logPdf("a"))).isCloseTo((2 * 2 / 3.0 + 1 / 3.0) / 3, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(Math.exp(c.logPdf("b"))).isCloseTo((2 / 6.0 + 1 / 3.0) / 3, org.assertj.core.data.Offset.offset(1e-12));
    }

    /** A 3-D test function (minimise): a log-scale valley, an offset quadratic and a choice. */
    static double objective(Map<String, Object> c) {
        double lr = (Double) c.get("lr"), m = (Double) c.get("m");
        double d = Math.log10(lr / 0.003);
        return d * d + 4 * (m - 0.8) * (m - 0.8) + (c.get("o").equals("b") ? 0 : 0.3);
    }

    static final SearchSpace SPACE = SearchSpaceParser.parse("""
            {"lr": {"type": "loguniform", "low": 1e-6, "high": 1},
             "m": {"type": "uniform", "low": 0, "high": 1},
             "o": {"type": "choice", "values": ["a", "b", "c", "d"]}}""", null);

    /** The best value after {@code budget} trials of {@code sampler}, each trial seeing all the earlier ones. */
    static double bestAfter(Sampler sampler, int budget, long seed) {
        List<FrozenTrial> history = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        for (int n = 0; n < budget; n++) {
            Map<String, Object> c = sampler.sample(SPACE, new Sampler.Context(n, seed, history, Direction.MINIMIZE, new SplittableRandom(Seeds.mix(seed, n))));
            double v = objective(c);
            best = Math.min(best, v);
            history.add(new FrozenTrial(n, TrialState.COMPLETE, c, v, new TreeMap<>(), 1, 0));
        }
        return best;
    }

    /**
     * The measured comparison of docs/tuning.md: 40 trials, 50 seeds each. The mean best value
     * (0 is the optimum) with TPE is a third below random's (0.177 against 0.273), and TPE wins on
     * 34 of the 50 seeds. {@code -Djgrad.tpe.budget=N -Djgrad.tpe.seeds=M} measures other budgets.
     */
    @Test
    void tpeFindsBetterConfigurationsThanRandomOnAFixedBudget() {
        int seeds = Integer.getInteger("jgrad.tpe.seeds", 50), budget = Integer.getInteger("jgrad.tpe.budget", 40), tpeWins = 0;
        double tpe = 0, random = 0;
        for (long s = 0; s < seeds; s++) {
            double t = bestAfter(new TpeSampler(), budget, s), r = bestAfter(new RandomSampler(), budget, s);
            tpe += t / seeds;
            random += r / seeds;
            if (t < r) tpeWins++;
        }
        System.out.printf("TPE vs random, %d trials × %d seeds: mean best %.4f (TPE) vs %.4f (random); TPE better on %d seeds%n",
                budget, seeds, tpe, random, tpeWins);
        assertThat(tpe).isLessThan(random * 0.8);
        assertThat(tpeWins).isGreaterThan(seeds * 3 / 5);
    }
}
