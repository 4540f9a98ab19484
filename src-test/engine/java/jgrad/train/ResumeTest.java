package jgrad.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jgrad.nn.CrossEntropyLoss;
import jgrad.nn.Linear;
import jgrad.nn.Sequential;
import jgrad.optim.Adam;
import jgrad.optim.Optimizer;
import jgrad.optim.SGD;
import jgrad.tensor.Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resuming does what was asked or says why not (issue #17 group 3): no checkpoint, a damaged one, or
 * one from another optimizer, model or data set; and a checkpoint folder that cannot be written fails
 * before the first epoch (group 4).
 */
class ResumeTest {
    @TempDir Path dir;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    private Trainer.Builder run(Sequential net, Optimizer opt, int epochs) {
        return Trainer.builder(net, opt, new CrossEntropyLoss(), TrainerTest.trainLoader()).epochs(epochs).keepBest(false)
                .log(new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    private Path adamCheckpoint() {
        Sequential a = TrainerTest.net(false);
        run(a, new Adam(a.parameters(), 0.01f), 1).checkpoints(dir).runInfo("data", "blobs 120").fit();
        return Trainer.checkpointFile(dir);
    }

    @Test
    void aMissingCheckpointFolderIsRefusedNamingIt() {
        Sequential b = TrainerTest.net(false);
        Path typo = dir.resolve("chekpoint");
        assertThatThrownBy(() -> run(b, new SGD(b.parameters(), 0.05f), 2).checkpoints(typo).resume(true).fit())
                .isInstanceOf(CheckpointException.class).hasMessageContaining("the checkpoint folder " + typo + " does not exist");
        assertThat(typo).as("nothing was created for it").doesNotExist();
    }

    @Test
    void aDamagedCheckpointStopsTheResumeNamingTheFile() throws IOException {
        Path file = adamCheckpoint();
        byte[] b = Files.readAllBytes(file);
        for (byte[] damaged : List.of(new byte[0], java.util.Arrays.copyOf(b, b.length / 2), flip(b, 9))) {
            Files.write(file, damaged);
            Sequential c = TrainerTest.net(false);
            assertThatThrownBy(() -> run(c, new Adam(c.parameters(), 0.01f), 2).checkpoints(dir).resume(true).fit())
                    .isInstanceOf(CheckpointException.class).hasMessageContaining("cannot resume: " + file);
        }
    }

    private static byte[] flip(byte[] b, int at) {
        byte[] c = b.clone();
        c[at] ^= 1;
        return c;
    }

    /** An Adam checkpoint resumed with SGD: refused; continued anyway, Adam's state is dropped and said so. */
    @Test
    void anotherOptimizerIsRefusedOrWithResumeAnywayItsStateIsDropped() {
        adamCheckpoint();
        Sequential c = TrainerTest.net(false);
        assertThatThrownBy(() -> run(c, new SGD(c.parameters(), 0.05f), 2).checkpoints(dir).runInfo("data", "blobs 120").resume(true).fit())
                .isInstanceOf(CheckpointException.class).hasMessageContaining("optimizer Adam there, SGD here")
                .hasMessageContaining("--resume-anyway");
        History h = run(c, new SGD(c.parameters(), 0.05f), 2).checkpoints(dir).runInfo("data", "blobs 120").resume(true)
                .resumeAnyway(true).fit();
        assertThat(h.epochs()).as("epoch 1 from the checkpoint, epoch 2 trained").hasSize(2);
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("warning: continuing although optimizer Adam there, SGD here")
                .contains("dropped the checkpoint's Adam state").contains("SGD starts fresh at lr 0.05");
    }

    /** Issue #17 group 3: an SGD checkpoint resumed with Adam threw a NullPointerException. */
    @Test
    void anSgdCheckpointResumedWithAdamIsRefusedWithoutANullPointer() {
        Sequential a = TrainerTest.net(false);
        run(a, new SGD(a.parameters(), 0.05f, 0.9f, 0f), 1).checkpoints(dir).fit();
        Sequential c = TrainerTest.net(false);
        assertThatThrownBy(() -> run(c, new Adam(c.parameters(), 0.01f), 2).checkpoints(dir).resume(true).fit())
                .isInstanceOf(CheckpointException.class).hasMessageContaining("optimizer SGD there, Adam here");
    }

    @Test
    void anotherDataSetOrModelIsRefused() {
        adamCheckpoint();
        Sequential c = TrainerTest.net(false);
        assertThatThrownBy(() -> run(c, new Adam(c.parameters(), 0.01f), 2).checkpoints(dir).runInfo("data", "fashion 120").resume(true).fit())
                .isInstanceOf(CheckpointException.class).hasMessageContaining("data blobs 120 there, fashion 120 here");
        Sequential wider = new Sequential(new Linear(2, 32, true, new Generator(1)), new jgrad.nn.ReLU(), new Linear(32, 3, true, new Generator(2)));
        assertThatThrownBy(() -> run(wider, new Adam(wider.parameters(), 0.01f), 2).checkpoints(dir).runInfo("data", "blobs 120")
                .resume(true).resumeAnyway(true).fit())
                .isInstanceOf(CheckpointException.class).hasMessageContaining("holds a different model").hasMessageContaining("[16, 2]");
    }

    /** Issue #17 group 4: --checkpoint at a file failed after epoch 1 with a trace; now before epoch 1. */
    @Test
    void aCheckpointFolderThatIsAFileFailsBeforeTheFirstEpoch() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");
        Sequential c = TrainerTest.net(false);
        List<Integer> epochs = new ArrayList<>();
        assertThatThrownBy(() -> run(c, new SGD(c.parameters(), 0.05f), 2).checkpoints(file)
                .callback((t, e) -> epochs.add(e.epoch())).fit())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("checkpoint folder " + file).hasMessageContaining("is a file");
        assertThat(epochs).as("no epoch was trained").isEmpty();
    }

    /** A folder named like the checkpoint file made every epoch's checkpoint fail, each with a warning: now refused before epoch 1. */
    @Test
    void aCheckpointFileThatIsAFolderFailsBeforeTheFirstEpoch() throws IOException {
        Path ckpt = dir.resolve("ckpt");
        Files.createDirectories(Trainer.checkpointFile(ckpt));
        Sequential c = TrainerTest.net(false);
        List<Integer> epochs = new ArrayList<>();
        assertThatThrownBy(() -> run(c, new SGD(c.parameters(), 0.05f), 2).checkpoints(ckpt).callback((t, e) -> epochs.add(e.epoch())).fit())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("checkpoint folder " + ckpt + ": " + Trainer.checkpointFile(ckpt) + " is a folder, where the checkpoint file goes: "
                        + "move it away, or give another checkpoint folder");
        assertThat(epochs).as("no epoch was trained").isEmpty();
    }

    /** Another model is never continued, so the refusal does not suggest --resume-anyway, and --resume-anyway does not pass it. */
    @Test
    void anotherModelIsRefusedWithoutSuggestingResumeAnyway() {
        Sequential a = TrainerTest.net(false);
        run(a, new SGD(a.parameters(), 0.05f), 1).checkpoints(dir).runInfo("model", "mlp").fit();
        for (boolean anyway : new boolean[] {false, true}) {
            Sequential same = TrainerTest.net(false);  // the same shapes: only the record tells them apart
            assertThatThrownBy(() -> run(same, new SGD(same.parameters(), 0.05f), 2).checkpoints(dir).runInfo("model", "lenet")
                    .resume(true).resumeAnyway(anyway).fit())
                    .isInstanceOf(CheckpointException.class).hasMessageContaining("model mlp there, lenet here")
                    .hasMessageEndingWith("use the same model, or another checkpoint folder").hasMessageNotContaining("--resume-anyway");
        }
    }

    /** A checkpoint that cannot be written after some epoch (here its folder became a file: as a full disk would) warns; training goes on. */
    @Test
    void aCheckpointThatCannotBeWrittenLaterIsAWarningAndTrainingGoesOn() throws IOException {
        Path ckpt = dir.resolve("ckpt");
        Sequential c = TrainerTest.net(false);
        History h = run(c, new SGD(c.parameters(), 0.05f), 3).checkpoints(ckpt).callback((t, e) -> {
            if (e.epoch() != 2) return;
            try {
                Files.delete(Trainer.checkpointFile(ckpt));
                Files.delete(ckpt);
                Files.writeString(ckpt, "in the way");
            } catch (IOException x) {
                throw new java.io.UncheckedIOException(x);
            }
        }).fit();
        assertThat(h.epochs()).as("all epochs trained").hasSize(3);
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("warning: no checkpoint after epoch 2: could not write " + Trainer.checkpointFile(ckpt))
                .contains("warning: no checkpoint after epoch 3");
    }
}
