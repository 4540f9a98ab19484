package jgrad.cli;

import static jgrad.cli.MainTest.jgrad;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import jgrad.data.mnist.MnistFixtures;
import jgrad.train.Trainer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./jgrad train --resume does what the user asked or says why not, in one line (issue #17 groups 1 and 3). */
class ResumeCommandTest {
    @TempDir Path dir;
    Path data, ckpt;

    @BeforeEach
    void bars() throws IOException {
        data = MnistFixtures.writeBars(dir.resolve("data"), 120, false);
        ckpt = dir.resolve("ckpt");
    }

    private MainTest.Run train(String... more) {
        String[] common = {"train", "--data", data.toString(), "--model", "mlp", "--val-size", "20", "--batch-size", "16",
            "--out", dir.resolve("out").toString(), "--checkpoint", ckpt.toString()};
        String[] all = java.util.Arrays.copyOf(common, common.length + more.length);
        System.arraycopy(more, 0, all, common.length, more.length);
        return jgrad(false, all);
    }

    @Test
    void aMistypedCheckpointFolderIsRefusedNotTrainedFromScratch() {
        MainTest.Run r = jgrad(false, "train", "--data", data.toString(), "--model", "mlp", "--val-size", "20", "--epochs", "2",
                "--checkpoint", dir.resolve("ckpt-typo").toString(), "--resume", "--out", dir.resolve("out").toString());
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").contains("the checkpoint folder " + dir.resolve("ckpt-typo") + " does not exist");
        assertThat(r.out()).doesNotContain("epoch 1");
    }

    @Test
    void lrWithResumeIsRefusedNotPrintedAndIgnored() {
        assertThat(train("--epochs", "1").rc()).isZero();
        MainTest.Run r = train("--epochs", "2", "--resume", "--lr", "0.001");
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("error: --lr cannot change a resumed run");
        MainTest.Run resumed = train("--epochs", "2", "--resume");
        assertThat(resumed.rc()).as(resumed.err()).isZero();
        assertThat(resumed.out()).as("the lr the run goes on with is printed").contains("after epoch 1, lr 0.05");
    }

    /** The header printed the --lr default (0.05) for a run that goes on at the checkpoint's rate. */
    @Test
    void theHeaderOfAResumedRunPrintsNoLearningRateItDoesNotUse() {
        assertThat(train("--epochs", "1", "--optimizer", "adam", "--lr", "0.01").rc()).isZero();
        MainTest.Run r = train("--epochs", "2", "--optimizer", "adam", "--resume");
        assertThat(r.rc()).as(r.err()).isZero();
        assertThat(r.out()).contains("; adam lr from the checkpoint, none schedule").doesNotContain("adam lr 0.05")
                .contains("after epoch 1, lr 0.0099999");
    }

    @Test
    void adamResumedWithSgdIsRefusedAndWithResumeAnywayDropsAdamsStateSayingSo() {
        assertThat(train("--epochs", "1", "--optimizer", "adam", "--lr", "0.01").rc()).isZero();
        MainTest.Run r = train("--epochs", "2", "--optimizer", "sgd", "--resume");
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").contains("optimizer Adam there, SGD here").contains("--resume-anyway");
        MainTest.Run anyway = train("--epochs", "2", "--optimizer", "sgd", "--resume-anyway");
        assertThat(anyway.rc()).as(anyway.err()).isZero();
        assertThat(anyway.out()).contains("dropped the checkpoint's Adam state");
    }

    @Test
    void sgdResumedWithAdamIsOneLineNotANullPointer() {
        assertThat(train("--epochs", "1").rc()).isZero();
        MainTest.Run r = train("--epochs", "2", "--optimizer", "adam", "--resume");
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").doesNotContain("NullPointer").contains("optimizer SGD there, Adam here");
    }

    @Test
    void anotherDataSplitIsRefused() {
        assertThat(train("--epochs", "1").rc()).isZero();
        MainTest.Run r = jgrad(false, "train", "--data", data.toString(), "--model", "mlp", "--val-size", "40", "--epochs", "2",
                "--checkpoint", ckpt.toString(), "--resume", "--out", dir.resolve("out").toString());
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err()).contains("data mnist 100 training / 20 validation there, mnist 80 training / 40 validation here");
    }

    /** Issue #17 group 1: a truncated, empty or random checkpoint gave an UncheckedIOException trace. */
    @Test
    void aTruncatedEmptyOrRandomCheckpointIsOneLineNamingIt() throws IOException {
        assertThat(train("--epochs", "1").rc()).isZero();
        Path file = Trainer.checkpointFile(ckpt);
        byte[] good = Files.readAllBytes(file);
        byte[] random = new byte[1000];
        new java.util.Random(3).nextBytes(random);
        byte[] flipped = good.clone();
        flipped[13] ^= 0x10;  // a header byte: the first tensor's name
        for (byte[] bad : new byte[][] {java.util.Arrays.copyOf(good, good.length / 3), new byte[0], random, flipped}) {
            Files.write(file, bad);
            MainTest.Run r = train("--epochs", "2", "--resume");
            assertThat(r.rc()).isEqualTo(2);
            assertThat(r.err().strip()).as(r.err()).doesNotContain("\n").startsWith("error: cannot resume: " + file);
        }
    }
}
