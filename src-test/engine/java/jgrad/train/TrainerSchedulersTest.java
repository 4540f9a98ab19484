package jgrad.train;

import static org.assertj.core.api.Assertions.assertThat;

import jgrad.nn.CrossEntropyLoss;
import jgrad.nn.Sequential;
import jgrad.optim.ReduceLROnPlateau;
import jgrad.optim.SGD;
import jgrad.optim.Scheduler;
import jgrad.optim.StepLR;
import org.junit.jupiter.api.Test;

/** The Trainer takes either kind of {@link Scheduler} through one {@code scheduler(...)} call. */
class TrainerSchedulersTest {

    @Test
    void reduceOnPlateauGivenAsASchedulerIsSteppedWithTheMonitoredMetric() {
        Sequential model = TrainerTest.net(false);
        SGD opt = new SGD(model.parameters(), 0.05);
        // an absolute threshold of 1e9: only the first epoch improves, so with patience 0 every later epoch halves the rate
        Scheduler plateau = new ReduceLROnPlateau(opt, ReduceLROnPlateau.Mode.MIN, 0.5, 0, 1e9, ReduceLROnPlateau.ThresholdMode.ABS, 0, 0, 1e-12);
        Trainer.builder(model, opt, new CrossEntropyLoss(), TrainerTest.trainLoader()).validation(TrainerTest.valLoader()).epochs(4)
                .scheduler(plateau).keepBest(false).fit();
        assertThat(plateau.getLastLr()).containsExactly(0.05 * 0.5 * 0.5 * 0.5);
        assertThat(plateau.lastEpoch()).isEqualTo(4);
    }

    @Test
    void anEpochScheduleGivenAsASchedulerIsSteppedOncePerEpoch() {
        Sequential model = TrainerTest.net(false);
        SGD opt = new SGD(model.parameters(), 0.05);
        Scheduler step = new StepLR(opt, 2, 0.1);
        Trainer.builder(model, opt, new CrossEntropyLoss(), TrainerTest.trainLoader()).epochs(5).scheduler(step).keepBest(false).fit();
        assertThat(step.lastEpoch()).isEqualTo(5);
        assertThat(step.getLastLr().get(0)).as("0.05·0.1² after 5 epochs").isCloseTo(0.05 * 0.1 * 0.1, org.assertj.core.data.Offset.offset(1e-17));
    }
}
