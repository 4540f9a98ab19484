package jgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import jgrad.models.Models;
import jgrad.tensor.Generator;
import jgrad.tensor.Safetensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code --feature-extract} (features computed once, only the head trained on them) against
 * {@code --freeze backbone} (the whole model run every batch, the frozen backbone in evaluation
 * mode): the same losses and the same head, within float tolerance. And bad input: a labels CSV
 * naming a missing picture, a head-less or foreign weights file, a bad --freeze.
 */
class FeatureExtractTest {
    @TempDir Path dir;

    private Path folder() throws IOException {
        Generator g = new Generator(9);
        for (int c = 0; c < 2; c++) {
            Path sub = Files.createDirectories(dir.resolve("pics").resolve(c == 0 ? "dark" : "light"));
            for (int i = 0; i < 7; i++) {
                BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 16; y++) {
                    for (int x = 0; x < 16; x++) {
                        int v = Math.max(0, Math.min(255, (c == 0 ? 60 : 190) + (int) (g.nextFloat() * 80) - 40));
                        img.setRGB(x, y, (v << 16) | ((255 - v) << 8) | (v / 2));
                    }
                }
                ImageIO.write(img, "png", sub.resolve(i + ".png").toFile());
            }
        }
        return dir.resolve("pics");
    }

    private static int train(String... args) {
        return new CommandLine(new TrainCommand()).execute(args);
    }

    /** epoch 1's train and validation loss from history.csv. */
    private static double[] losses(Path out) throws IOException {
        String[] f = Files.readAllLines(out.resolve("history.csv")).get(1).split(",");
        return new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[3])};
    }

    @Test
    void featureExtractionEqualsTrainingTheHeadOnTheFrozenBackbone() throws IOException {
        Path pics = folder(), w = dir.resolve("pre.safetensors");
        Safetensors.save(Models.resnet18(4, new Generator(3)).stateDict(), w);
        Path fe = dir.resolve("fe"), frozen = dir.resolve("frozen");
        List<String> common = List.of("--images", pics.toString(), "--model", "resnet18", "--image-size", "32", "--epochs", "1",
                "--batch-size", "4", "--weights", w.toString(), "--lr", "0.05", "--val-fraction", "0.3");
        assertThat(train(concat(common, "--feature-extract", "--out", fe.toString()))).isZero();
        assertThat(train(concat(common, "--freeze", "backbone", "--out", frozen.toString()))).isZero();
        double[] a = losses(fe), b = losses(frozen);
        assertThat(a[0]).as("train loss").isCloseTo(b[0], within(1e-5 * Math.abs(b[0]) + 1e-7));
        assertThat(a[1]).as("validation loss").isCloseTo(b[1], within(1e-5 * Math.abs(b[1]) + 1e-7));
        float[] ha = Safetensors.load(fe.resolve(ImageModelFile.WEIGHTS)).get("fc.weight").toFloatArray();
        float[] hb = Safetensors.load(frozen.resolve(ImageModelFile.WEIGHTS)).get("fc.weight").toFloatArray();
        float[] h0 = Models.resnet18(2, new Generator(1)).stateDict().get("fc.weight").toFloatArray();
        double moved = 0;
        for (int i = 0; i < ha.length; i++) {
            assertThat(ha[i]).isCloseTo(hb[i], within(1e-5f));
            moved = Math.max(moved, Math.abs(ha[i] - h0[i]));
        }
        assertThat(moved).as("the head learned").isGreaterThan(1e-4);
    }

    @Test
    void mobileNetsHeadIsClassifier1AndItsBackboneStaysAsLoaded() throws IOException {
        Path pics = folder(), w = dir.resolve("mnv2.safetensors"), out = dir.resolve("mnv2");
        Safetensors.save(Models.create("mobilenet_v2", 10, new Generator(4)).stateDict(), w);
        assertThat(train("--images", pics.toString(), "--model", "mobilenet_v2", "--image-size", "32", "--epochs", "1", "--batch-size", "4",
                "--weights", w.toString(), "--feature-extract", "--out", out.toString())).isZero();
        var before = Safetensors.load(w);
        var after = Safetensors.load(out.resolve(ImageModelFile.WEIGHTS));
        assertThat(after.get("classifier.1.weight").shape()).containsExactly(2, 1280);
        List<String> changed = after.keySet().stream().filter(k -> !k.startsWith("classifier.1."))
                .filter(k -> !java.util.Arrays.equals(after.get(k).toFloatArray(), before.get(k).toFloatArray())).toList();
        assertThat(changed).as("parameters and batch-norm statistics of the frozen backbone").isEmpty();
        assertThat(after).hasSameSizeAs(before);
    }

    private static String[] concat(List<String> a, String... b) {
        return java.util.stream.Stream.concat(a.stream(), java.util.Arrays.stream(b)).toArray(String[]::new);
    }

    @Test
    void badInputIsAOneLineErrorNamingIt() throws IOException {
        Path pics = folder();
        var err = new java.io.ByteArrayOutputStream();
        java.util.function.Function<String[], String> run = args -> {
            err.reset();
            CommandLine cl = new CommandLine(new TrainCommand());
            cl.setErr(new java.io.PrintWriter(err, true));
            cl.setExecutionExceptionHandler((e, c, p) -> {
                c.getErr().println(e.getMessage());
                return 1;
            });
            assertThat(cl.execute(args)).isNotZero();
            return err.toString();
        };
        Path csv = dir.resolve("labels.csv");
        Files.writeString(csv, "file,label\ndark/0.png,dark\nlight/0.png,light\nlight/nope.png,light\n");
        assertThat(run.apply(new String[] {"--labels", csv.toString(), "--image-dir", pics.toString(), "--model", "resnet18",
                "--image-size", "32", "--val-fraction", "0.5", "--out", dir.resolve("o1").toString()}))
                .contains("names " + pics.resolve("light/nope.png") + ", which is not a file");
        assertThat(dir.resolve("o1").resolve(ImageModelFile.WEIGHTS)).as("nothing trained, nothing written").doesNotExist();
        Path vgg = dir.resolve("vgg.safetensors");
        Safetensors.save(Models.create("mobilenet_v2", 2, new Generator(1)).stateDict(), vgg);
        assertThat(run.apply(new String[] {"--images", pics.toString(), "--model", "resnet18", "--weights", vgg.toString(),
                "--out", dir.resolve("o2").toString()})).contains("is not a resnet18 backbone").contains("conv1.weight");
        assertThat(run.apply(new String[] {"--images", pics.toString(), "--model", "resnet18", "--freeze", "all",
                "--out", dir.resolve("o3").toString()})).contains("--freeze must be none, backbone or a number");
        assertThat(run.apply(new String[] {"--images", pics.toString(), "--model", "lenet", "--out", dir.resolve("o4").toString()}))
                .contains("--model lenet with --images");
    }
}
