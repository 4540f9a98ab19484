package jgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import jgrad.data.mnist.MnistFixtures;
import jgrad.vision.TransformSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command-line probes of issue #17, groups 5 and 7: options that would not fit or make no sense are refused in one line. */
class InputLimitsCommandTest {
    @TempDir Path dir;

    private static <T extends java.util.concurrent.Callable<Integer>> T parsed(T command, String... args) {
        new CommandLine(command).parseArgs(args);
        return command;
    }

    /** What ./jgrad prints for {@code args}: Main's handler turns the expected exceptions into one line "error: …". */
    private static String errorLine(Object command, String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(command).setErr(new PrintWriter(err));
        cli.setExecutionExceptionHandler((e, c, p) -> {
            assertThat(e).as("an exception Main prints as one line").isInstanceOfAny(IllegalArgumentException.class, IllegalStateException.class, IOException.class);
            c.getErr().println("error: " + e.getMessage());
            return 2;
        });
        assertThat(cli.execute(args)).isEqualTo(2);
        String text = err.toString().strip();
        assertThat(text.lines().count()).as("one line: %s", text).isEqualTo(1);
        return text;
    }

    @Test
    void aHugeGridCountIsRefused() {
        // the probe: transforms --count 100000 ended in OutOfMemoryError
        assertThat(errorLine(new TransformsCommand(), "--count", "100000", "--out", dir.resolve("g.png").toString()))
                .isEqualTo("error: --count 100000 --cols 3: a grid holds at most 1000 images (each drawn with its caption into one PNG)");
    }

    @Test
    void imagesWithCsvIsRefusedNotIgnored() throws IOException {
        // the probe: --images with --csv ignored the CSV
        Path csv = Files.writeString(dir.resolve("l.csv"), "file,label\n");
        assertThat(errorLine(new TransformsCommand(), "--images", dir.toString(), "--csv", csv.toString()))
                .startsWith("error: --images and --csv both name the pictures");
    }

    @Test
    void aHugeResizeAndANegativeColorJitterAreRefused() {
        // the probes: Resize(20000) ended in OutOfMemoryError; ColorJitter(-1) was accepted
        assertThatThrownBy(() -> TransformSpec.parse("Resize(20000)"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("resize: 20000×20000 = 400.0 megapixels, more than the limit of 16.0 megapixels (-Djgrad.maxImagePixels)");
        assertThatThrownBy(() -> TransformSpec.parse("Resize(100,0)")).hasMessage("resize: size 100×0 must be ≥ 1");
        assertThatThrownBy(() -> TransformSpec.parse("ColorJitter(-1)"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("colorJitter: brightness, contrast and saturation must be ≥ 0");
        assertThat(TransformSpec.parse("Resize(64),ColorJitter(0.2,0.2)")).isNotNull();
    }

    @Test
    void aResizeThatKeepsTheAspectIsCheckedWhenTheLongSideIsKnown() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("pics").resolve("thin"));
        ImageIO.write(new BufferedImage(400, 1, BufferedImage.TYPE_INT_RGB), "png", folder.resolve("a.png").toFile());
        // the shorter side 1 → 4000 makes the longer 1,600,000: 6.4 gigapixels
        assertThat(errorLine(new TransformsCommand(), "--images", dir.resolve("pics").toString(), "--transform", "Resize(4000)",
                "--count", "1", "--out", dir.resolve("g.png").toString()))
                .startsWith("error: resize: 4000×1600000 = 6400.0 megapixels, more than the limit");
    }

    /** Resize(3000) is under the picture limit, but nine of them in one grid ran out of memory, naming no size. */
    @Test
    void aGridLargerThanThePictureLimitIsRefusedAfterItsFirstImage() throws IOException {
        Path data = MnistFixtures.writeBars(dir.resolve("data"), 20, false);
        assertThat(errorLine(new TransformsCommand(), "--data", data.toString(), "--transform", "Resize(3000)",
                "--out", dir.resolve("g.png").toString()))
                .isEqualTo("error: the grid of 9 images of 3000×3000 would be 9060×9090 = 82.4 megapixels, more than the limit of 16.0 "
                        + "megapixels (-Djgrad.maxImagePixels): fewer --count / --cols, or a smaller size");
        assertThat(new CommandLine(new TransformsCommand()).execute("--data", data.toString(), "--transform", "Resize(300)",
                "--count", "2", "--out", dir.resolve("g.png").toString())).isZero();
    }

    @Test
    void aNegativeEarlyStopAndASmallDivergenceFactorAreRefused() {
        // the probe: --early-stop -1 was accepted
        assertThat(errorLine(new TrainCommand(), "--early-stop", "-1")).isEqualTo("error: --early-stop must be ≥ 0 (0: never), got -1");
        assertThat(errorLine(new TrainCommand(), "--divergence-factor", "0.5"))
                .isEqualTo("error: --divergence-factor must be > 1 (or 0: never), got 0.5");
    }

    @Test
    void hiddenLayersLargerThanTheHeapAreRefusedBeforeAllocating() throws IOException {
        // the probe: --hidden 30000,30000 ended in OutOfMemoryError; 100000,100000 is 10¹⁰ parameters, more than any test heap
        Path data = MnistFixtures.writeBars(dir.resolve("data"), 40, false);
        assertThat(errorLine(new TrainCommand(), "--data", data.toString(), "--model", "mlp", "--hidden", "100000,100000", "--epochs", "1",
                "--val-size", "10", "--out", dir.resolve("out").toString()))
                .startsWith("error: --hidden 100000,100000: the MLP 784-100000-100000-10 has 10,079,600,010 parameters, which with their "
                        + "gradients need 80.6 GB (80636800080 bytes), more than the Java heap");
    }

    @Test
    void adamAtAHugeLearningRateStopsInsteadOfSavingABestModel() throws IOException {
        // the probe: Adam with --lr 1e9 finished with exit 0 and a loss of 6·10³⁰ saved as best
        Path data = MnistFixtures.writeBars(dir.resolve("data"), 200, false);
        Path out = dir.resolve("out");
        String line = errorLine(new TrainCommand(), "--data", data.toString(), "--model", "mlp", "--optimizer", "adam", "--lr", "1e9",
                "--epochs", "2", "--val-size", "40", "--batch-size", "16", "--out", out.toString());
        assertThat(line).startsWith("error: training stopped: the loss diverged at epoch 1, batch ");
        assertThat(out.resolve("best-model.jgrad")).as("no diverged model saved").doesNotExist();
    }
}
