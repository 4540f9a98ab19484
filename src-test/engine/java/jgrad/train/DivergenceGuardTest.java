package jgrad.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jgrad.nn.CrossEntropyLoss;
import jgrad.nn.Sequential;
import jgrad.optim.Adam;
import jgrad.optim.SGD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A loss that grows by orders of magnitude stops the run; a diverged model never becomes the best (issue #17, group 7). */
class DivergenceGuardTest {
    @TempDir Path dir;

    /** Records every batch loss, to see what the guard saw. */
    static final class Losses implements Trainer.Callback {
        final List<Float> seen = new ArrayList<>();

        @Override public void onBatchEnd(Trainer t, int epoch, int batch, float loss) { seen.add(loss); }
        @Override public void onEpochEnd(Trainer t, History.Epoch e) {}
    }

    @Test
    void adamAtAHugeLearningRateStopsNamingEpochAndBatch() {
        // the probe: Adam with --lr 1e9 finished with exit 0 and a loss of 6·10³⁰ saved as best
        Sequential model = TrainerTest.net(false);
        Losses losses = new Losses();
        Trainer trainer = Trainer.builder(model, new Adam(model.parameters(), 1e9f), new CrossEntropyLoss(), TrainerTest.trainLoader())
                .validation(TrainerTest.valLoader()).epochs(3).checkpoints(dir).callback(losses).build();
        assertThatThrownBy(trainer::fit)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the loss diverged at epoch 1, batch ")
                .hasMessageContaining("× the first batch's")
                .hasMessageContaining("the model is not saved as best")
                .hasMessageContaining("no checkpoint was written yet");
        // the guard runs before the callbacks added by the user: they saw every batch up to the one that stopped it
        float first = losses.seen.get(0);
        assertThat(losses.seen).as("batch losses let through").allSatisfy(l -> assertThat((double) l).isLessThanOrEqualTo(1e4 * first));
        assertThat(losses.seen.size()).as("stopped within epoch 1 (8 batches)").isLessThan(8);
        assertThat(trainer.history().epochs()).as("no epoch recorded, so none is best").isEmpty();
    }

    @Test
    void anOrdinaryRunIsNotStoppedAndTheFactorCanBeTurnedOff() {
        Sequential model = TrainerTest.net(false);
        History h = Trainer.builder(model, new SGD(model.parameters(), 0.1f), new CrossEntropyLoss(), TrainerTest.trainLoader())
                .epochs(3).build().fit();
        assertThat(h.epochs()).hasSize(3);
        assertThat(h.last().trainLoss()).isLessThan(h.epochs().get(0).trainLoss());

        Sequential wild = TrainerTest.net(false);
        Losses losses = new Losses();
        Trainer off = Trainer.builder(wild, new Adam(wild.parameters(), 1e9f), new CrossEntropyLoss(), TrainerTest.trainLoader())
                .epochs(1).divergenceFactor(0).callback(losses).build();
        try {
            off.fit();
        } catch (IllegalStateException e) {
            assertThat(e).as("only the NaN guard may stop it when off").hasMessageNotContaining("diverged");
        }
        assertThat(losses.seen.stream().mapToDouble(Float::doubleValue).max().orElseThrow())
                .as("the loss did blow up, and the guard let it").isGreaterThan(1e4 * losses.seen.get(0));
    }

    @Test
    void aFactorOfOneOrLessIsRefused() {
        Sequential model = TrainerTest.net(false);
        assertThatThrownBy(() -> Trainer.builder(model, new SGD(model.parameters(), 0.1f), new CrossEntropyLoss(), TrainerTest.trainLoader())
                .divergenceFactor(0.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("divergence factor must be > 1 (or 0 for off), got 0.5");
    }
}
