package jgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jgrad.data.mnist.MnistFixtures;
import jgrad.tensor.Tensor;
import jgrad.tensor.TensorFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** ./jgrad train end to end on the tiny synthetic MNIST: outputs, and an interrupted run resumed. */
class TrainCommandTest {
    @TempDir Path dir;

    private static int run(String... args) {
        return new CommandLine(new TrainCommand()).execute(args);
    }

    @Test
    void writesHistoryPlotsConfusionMatrixAndTheBestModel() throws IOException {
        Path data = MnistFixtures.writeBars(dir.resolve("data"), 300, false);
        Path out = dir.resolve("out"), json = dir.resolve("s.json");
        int rc = run("--data", data.toString(), "--model", "mlp", "--optimizer", "adam", "--lr", "0.01", "--scheduler", "cosine",
                "--epochs", "3", "--batch-size", "16", "--val-size", "60", "--out", out.toString(), "--json", json.toString());
        assertThat(rc).isZero();
        for (String f : List.of("history.csv", "history.json", "loss.png", "accuracy.png", "confusion.png", "best-model.jgrad")) {
            assertThat(out.resolve(f)).as(f).exists().isNotEmptyFile();
        }
        assertThat(Files.readAllLines(out.resolve("history.csv"))).hasSize(4);
        assertThat(Files.readAllBytes(out.resolve("loss.png"))).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        String s = Files.readString(json);
        assertThat(s).contains("\"optimizer\": \"adam\"", "\"scheduler\": \"cosine\"", "\"best_epoch\"");
        assertThat(Double.parseDouble(s.replaceAll("(?s).*\"test_accuracy\": ([0-9.]+).*", "$1"))).as("bars are easy").isGreaterThan(0.9);
    }

    @Test
    void aRunStoppedAfterOneEpochAndResumedEndsWithTheSameModel() throws IOException {
        Path data = MnistFixtures.writeBars(dir.resolve("data"), 200, false);
        String[] common = {"--data", data.toString(), "--model", "mlp", "--batch-size", "16", "--val-size", "40", "--scheduler", "step",
                "--step-size", "1"};
        assertThat(run(concat(common, "--epochs", "3", "--out", dir.resolve("whole").toString()))).isZero();
        Path ckpt = dir.resolve("ckpt");
        assertThat(run(concat(common, "--epochs", "1", "--checkpoint", ckpt.toString(), "--out", dir.resolve("part").toString()))).isZero();
        assertThat(run(concat(common, "--epochs", "3", "--checkpoint", ckpt.toString(), "--resume", "--out", dir.resolve("resumed").toString())))
                .isZero();
        Map<String, Tensor> whole = TensorFile.load(dir.resolve("whole/best-model.jgrad")), resumed = TensorFile.load(dir.resolve("resumed/best-model.jgrad"));
        assertThat(resumed.keySet()).isEqualTo(whole.keySet());
        for (String k : whole.keySet()) assertThat(resumed.get(k).toFloatArray()).as(k).containsExactly(whole.get(k).toFloatArray());
        assertThat(Files.readAllLines(dir.resolve("resumed/history.csv"))).as("the resumed history has all 3 epochs").hasSize(4);
    }

    @Test
    void resumeWithoutACheckpointFolderIsRefused() {
        assertThat(run("--resume")).isNotZero();
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** --model lstm: sequential MNIST's model (an LSTM reading the image row by row) learns the bars. */
    @Test
    void anLstmReadingTheRowsLearnsTheBars() throws IOException {
        Path data = MnistFixtures.writeBars(dir.resolve("data"), 300, false);
        Path out = dir.resolve("lstm"), json = dir.resolve("lstm.json");
        int rc = run("--data", data.toString(), "--model", "lstm", "--optimizer", "adam", "--lr", "0.01", "--epochs", "8",
                "--batch-size", "16", "--val-size", "60", "--out", out.toString(), "--json", json.toString());
        assertThat(rc).isZero();
        String s = Files.readString(json);
        assertThat(s).contains("\"model\": \"lstm\"");
        assertThat(Double.parseDouble(s.replaceAll("(?s).*\"test_accuracy\": ([0-9.]+).*", "$1"))).as("bars are easy, row by row too").isGreaterThan(0.9);
    }
}
