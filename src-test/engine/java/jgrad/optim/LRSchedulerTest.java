package jgrad.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.function.Function;
import jgrad.TorchFixture;
import jgrad.nn.Parameter;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Every schedule gives PyTorch's learning rates, epoch by epoch, over 30 epochs from lr 0.1. */
class LRSchedulerTest {
    static final TorchFixture F = TorchFixture.load("schedulers_fixture.txt");

    static SGD optimizer() {
        return new SGD(List.of(new Parameter(Tensor.of(new float[] {0f}, 1))), 0.1f);
    }

    /** The optimizer's lr before any step and after each of 30 scheduler steps. */
    static void assertSchedule(String key, Function<SGD, LRScheduler> make) {
        SGD opt = optimizer();
        LRScheduler s = make.apply(opt);
        float[] expected = F.values(key);
        for (int e = 0; e < expected.length; e++) {
            assertThat(opt.lr()).as("%s: lr at epoch %d", key, e).isCloseTo(expected[e], within(1e-6 * expected[e] + 1e-12));
            s.step();
        }
    }

    @Test
    void stepLRDropsEverySevenEpochs() {
        assertSchedule("step", o -> new StepLR(o, 7, 0.1));
    }

    @Test
    void multiStepLRHalvesAtEachMilestone() {
        assertSchedule("multistep", o -> new MultiStepLR(o, new int[] {5, 12, 20}, 0.5));
    }

    @Test
    void exponentialLRShrinksEveryEpoch() {
        assertSchedule("exponential", o -> new ExponentialLR(o, 0.9));
    }

    @Test
    void cosineAnnealingGoesDownAndBackUp() {
        assertSchedule("cosine", o -> new CosineAnnealingLR(o, 10, 0.001));
    }

    @Test
    void linearWarmUpRampsToTheBaseRate() {
        assertSchedule("linear", o -> new LinearLR(o, 0.25, 1.0, 5));
    }

    @Test
    void sequentialChainsWarmUpAndCosine() {
        assertSchedule("sequential", o -> new SequentialLR(o, List.of(new LinearLR(o, 0.1, 1.0, 4), new CosineAnnealingLR(o, 20, 0)),
                new int[] {4}));
    }

    @Test
    void reduceOnPlateauFollowsPyTorchInBothModes() {
        float[] metrics = F.values("plateau.metrics");
        for (String key : new String[] {"plateau.min", "plateau.max.abs"}) {
            SGD opt = optimizer();
            ReduceLROnPlateau s = key.equals("plateau.min")
                    ? new ReduceLROnPlateau(opt, ReduceLROnPlateau.Mode.MIN, 0.5, 2, 1e-3, ReduceLROnPlateau.ThresholdMode.REL, 1, 0.01, 1e-8)
                    : new ReduceLROnPlateau(opt, ReduceLROnPlateau.Mode.MAX, 0.3, 1, 0.01, ReduceLROnPlateau.ThresholdMode.ABS, 0, 0, 1e-8);
            float[] expected = F.values(key);
            for (int e = 0; e < expected.length; e++) {
                assertThat(opt.lr()).as("%s: lr at epoch %d", key, e).isCloseTo(expected[e], within(1e-6 * expected[e]));
                if (e < metrics.length) s.step(metrics[e]);
            }
        }
    }

    @Test
    void resumingAScheduleGivesTheSameRates() {
        SGD a = optimizer(), b = optimizer();
        StepLR sa = new StepLR(a, 3, 0.5), sb = new StepLR(b, 3, 0.5);
        for (int e = 0; e < 7; e++) sa.step();
        sb.resumeAt(7);
        assertThat(b.lr()).isEqualTo(a.lr());
        assertThat(sb.lastEpoch()).isEqualTo(7);
    }

    @Test
    void badSettingsAreRefusedByName() {
        assertThatThrownBy(() -> new StepLR(optimizer(), 0, 0.1)).hasMessageContaining("step size");
        assertThatThrownBy(() -> new MultiStepLR(optimizer(), new int[] {5, 3}, 0.1)).hasMessageContaining("milestones must increase");
        assertThatThrownBy(() -> new ReduceLROnPlateau(optimizer(), ReduceLROnPlateau.Mode.MIN, 1.5, 1, 0, ReduceLROnPlateau.ThresholdMode.REL, 0, 0, 0))
                .hasMessageContaining("factor");
        assertThatThrownBy(() -> new ReduceLROnPlateau(optimizer()).step(Double.NaN)).hasMessageContaining("NaN");
        SGD o = optimizer();
        assertThatThrownBy(() -> new SequentialLR(o, List.of(new StepLR(o, 2, 0.5)), new int[] {3})).hasMessageContaining("milestones");
    }
}
