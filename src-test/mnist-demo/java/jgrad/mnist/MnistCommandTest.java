package jgrad.mnist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jgrad.data.mnist.MnistFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs the demo end to end on a tiny synthetic MNIST (ten bar patterns), as a user would. */
class MnistCommandTest {
    @TempDir Path dir;

    private int run(String... args) {
        return new CommandLine(new MnistCommand()).execute(args);
    }

    private static double number(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\": ([-0-9.Ee]+)").matcher(json);
        assertThat(m.find()).as("field %s in %s", field, json).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void learnsTheBarsAndWritesTheSummary() throws IOException {
        Path data = MnistFixtures.writeBars(dir.resolve("data"), 400, true);
        Path json = dir.resolve("out/summary.json");
        int rc = run("--data", data.toString(), "--epochs", "4", "--hidden", "32", "--batch-size", "16",
                "--show", "2", "--json", json.toString());
        assertThat(rc).isZero();
        String s = Files.readString(json);
        assertThat(s).contains("\"model\": \"784-32-10 sigmoid\"", "\"dataset\": \"mnist\"", "\"epochs\": 4",
                "\"batch_size\": 16", "\"seed\": 1");
        assertThat(number(s, "test_accuracy")).as("accuracy on trivially separable bars").isGreaterThan(0.9);
        assertThat(number(s, "train_seconds")).isPositive();
        assertThat(number(s, "images_per_second")).isPositive();
    }

    @Test
    void sameSeedGivesTheSameNumbers() throws IOException {
        Path data = MnistFixtures.writeBars(dir.resolve("data"), 100, false);
        String[] common = {"--data", data.toString(), "--epochs", "2", "--show", "0", "--loss", "cost", "--lr", "0.5"};
        Path a = dir.resolve("a.json"), b = dir.resolve("b.json"), c = dir.resolve("c.json");
        assertThat(run(concat(common, "--json", a.toString()))).isZero();
        assertThat(run(concat(common, "--json", b.toString()))).isZero();
        assertThat(run(concat(common, "--json", c.toString(), "--seed", "2"))).isZero();
        String sa = Files.readString(a), sb = Files.readString(b), sc = Files.readString(c);
        assertThat(number(sa, "final_train_loss")).isEqualTo(number(sb, "final_train_loss"));
        assertThat(number(sa, "test_accuracy")).isEqualTo(number(sb, "test_accuracy"));
        assertThat(number(sa, "final_train_loss")).isNotEqualTo(number(sc, "final_train_loss"));
    }

    @Test
    void referenceDeviceGivesTheSameNumbersAsTheCpuBackend() throws IOException {
        Path data = MnistFixtures.writeBars(dir.resolve("data"), 100, false);
        String[] common = {"--data", data.toString(), "--epochs", "2", "--show", "1"};
        Path cpu = dir.resolve("cpu.json"), ref = dir.resolve("ref.json");
        try {
            assertThat(run(concat(common, "--json", cpu.toString()))).isZero();
            assertThat(run(concat(common, "--json", ref.toString(), "--device", "reference"))).isZero();
        } finally {
            jgrad.tensor.Device.setDefault(jgrad.tensor.Device.cpu());
        }
        String sc = Files.readString(cpu), sr = Files.readString(ref);
        assertThat(sr).contains("\"device\": \"reference\"");
        assertThat(number(sr, "test_accuracy")).isEqualTo(number(sc, "test_accuracy"));
        assertThat(number(sr, "final_train_loss")).isCloseTo(number(sc, "final_train_loss"), org.assertj.core.api.Assertions.within(1e-4));
    }

    @Test
    void badOptionValuesAreRejected() {
        assertThat(run("--activation", "softplus", "--data", dir.toString())).isNotZero();
        assertThat(run("--epochs", "0", "--data", dir.toString())).isNotZero();
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
