package jgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import jgrad.data.mnist.MnistFixtures;
import jgrad.tensor.Generator;
import jgrad.tensor.Safetensors;
import jgrad.tensor.Tensor;
import jgrad.tensor.JsonText;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./jgrad train --images DIR --model resnet_mini --weights fashion-mnist}, end to end through
 * the command line: the named weight is built on first use (from {@code --data}: 256 images of
 * {@link MnistFixtures#writeBars}, standing in for Fashion-MNIST, so that the build takes a second)
 * into a weights cache of this test's own, and taken from the cache the second time; a folder of
 * RGB PNGs at 36×36 is fed as the backbone was trained, 28×28 grey; frozen, the backbone stays
 * bit-identical to the cached file; frozen or fine-tuned, the three easy classes are learned well
 * above chance. And the errors: an unknown name lists the known ones, a name that does not fit
 * {@code --model} says so.
 */
class NamedWeightsTrainTest {
    private static final String[] CLASSES = {"night", "day", "stripes"};
    @TempDir Path dir;
    private String oldCache;

    @BeforeEach
    void ownCache() {
        oldCache = System.getProperty("jgrad.weights.cache");
        System.setProperty("jgrad.weights.cache", dir.resolve("cache").toString());
    }

    @AfterEach
    void restoreCache() {
        if (oldCache == null) System.clearProperty("jgrad.weights.cache");
        else System.setProperty("jgrad.weights.cache", oldCache);
    }

    /**
     * 16 RGB pictures per class, 36×36, easy to tell apart: dark noise, bright noise, or coloured
     * horizontal stripes (2 rows on, 2 off) on a dark ground.
     */
    private Path folder() throws IOException {
        Generator g = new Generator(21);
        for (int c = 0; c < CLASSES.length; c++) {
            Path sub = Files.createDirectories(dir.resolve("pics").resolve(CLASSES[c]));
            for (int i = 0; i < 16; i++) {
                BufferedImage img = new BufferedImage(36, 36, BufferedImage.TYPE_INT_RGB);
                int colour = i % 2 == 0 ? 0xF0C040 : 0x60E0F0, phase = g.nextInt(4);
                for (int y = 0; y < 36; y++) {
                    for (int x = 0; x < 36; x++) {
                        int dark = 0x010101 * g.nextInt(60), bright = 0x010101 * (180 + g.nextInt(76));
                        img.setRGB(x, y, c == 0 ? dark : c == 1 ? bright : (y + phase) % 4 < 2 ? colour : dark);
                    }
                }
                ImageIO.write(img, "png", sub.resolve(i + ".png").toFile());
            }
        }
        return dir.resolve("pics");
    }

    private MainTest.Run train(Path pics, Path data, String name, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--images", pics.toString(), "--model", "resnet_mini", "--weights", "fashion-mnist",
                "--data", data.toString(), "--epochs", "6", "--batch-size", "8", "--val-fraction", "0.25", "--optimizer", "adam",
                "--out", dir.resolve(name).toString(), "--json", dir.resolve(name + ".json").toString()));
        args.addAll(List.of(more));
        return MainTest.jgrad(false, args.toArray(String[]::new));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(Path file) throws IOException {
        try {
            return (Map<String, Object>) JsonText.parse(Files.readString(file));
        } catch (JsonText.Malformed e) {
            throw new AssertionError(file + ": " + e.getMessage());
        }
    }

    private double accuracy(String name) throws IOException {
        return ((Number) json(dir.resolve(name + ".json")).get("val_accuracy")).doubleValue();
    }

    @Test
    void theNamedWeightIsBuiltOnceAndFeedsGreyPicturesOfItsSizeFrozenOrFineTuned() throws IOException {
        Path pics = folder(), data = MnistFixtures.writeBars(dir.resolve("fashion"), 256, false);
        Path cached = dir.resolve("cache").resolve(BackboneRecipe.fashionMnist(1, 1).fileName());

        MainTest.Run frozen = train(pics, data, "frozen", "--freeze", "backbone", "--lr", "0.01");
        assertThat(frozen.rc()).as(frozen.err()).isZero();
        assertThat(frozen.out()).contains("building it once with './jgrad pretrain --model resnet_mini --dataset fashion-mnist --seed 1 --epochs 1'")
                .contains("36 training, 12 validation pictures at 28×28, 1 channel, mean [0.0], std [1.0]")
                .as("the report names the classes").containsPattern("\\n  stripes     \\d\\.\\d{4}");
        assertThat(cached).isRegularFile();
        Map<String, Tensor> backbone = Safetensors.load(cached), after = Safetensors.load(dir.resolve("frozen").resolve(ImageModelFile.WEIGHTS));
        assertThat(after.get("conv1.weight").shape()).as("the first conv sees one channel").containsExactly(16, 1, 3, 3);
        assertThat(after.get("fc.weight").shape()).containsExactly(3, 64);
        List<String> moved = new ArrayList<>();
        for (var e : backbone.entrySet()) {
            if (e.getKey().startsWith("fc.")) continue;
            if (!Arrays.equals(e.getValue().toFloatArray(), after.get(e.getKey()).toFloatArray())) moved.add(e.getKey());
        }
        assertThat(moved).as("frozen: every parameter and batch-norm statistic bit for bit the cached file's").isEmpty();
        assertThat(after.size()).isEqualTo(backbone.size());
        assertThat(accuracy("frozen")).as("3 classes, chance 1/3").isGreaterThanOrEqualTo(0.75);
        assertThat(json(dir.resolve("frozen").resolve(ImageModelFile.META))).containsEntry("arch", "resnet_mini").containsEntry("channels", 1L).containsEntry("image_size", 28L)
                .containsEntry("mean", List.of(0.0)).containsEntry("std", List.of(1.0));

        MainTest.Run tuned = train(pics, data, "tuned", "--backbone-lr-scale", "0.1", "--lr", "0.01");
        assertThat(tuned.rc()).as(tuned.err()).isZero();
        assertThat(tuned.out()).as("the second run takes it from the cache").contains("(cached)").doesNotContain("building");
        Map<String, Tensor> tunedW = Safetensors.load(dir.resolve("tuned").resolve(ImageModelFile.WEIGHTS));
        assertThat(Arrays.equals(tunedW.get("layer1.0.conv1.weight").toFloatArray(), backbone.get("layer1.0.conv1.weight").toFloatArray()))
                .as("fine-tuned: the backbone moved").isFalse();
        assertThat(accuracy("tuned")).isGreaterThanOrEqualTo(0.75);

        MainTest.Run grid = MainTest.jgrad(false, "transforms", "--images", pics.toString(), "--predictions",
                dir.resolve("tuned").resolve(ImageModelFile.WEIGHTS).toString(), "--count", "4", "--out", dir.resolve("grid.png").toString());
        assertThat(grid.rc()).as("the saved grey model predicts again, prepared by its model.json: " + grid.err()).isZero();

        MainTest.Run rgb = train(pics, data, "rgb", "--channels", "3");
        assertThat(rgb.rc()).isNotZero();
        assertThat(rgb.err().strip()).as("overriding the channels: the weights do not fit, named")
                .contains("conv1.weight").contains("[16, 1, 3, 3]").contains("[16, 3, 3, 3]").doesNotContain("\n").doesNotContain("Exception");
        assertThat(dir.resolve("rgb").resolve(ImageModelFile.WEIGHTS)).doesNotExist();
    }

    @Test
    void anUnknownNameListsTheKnownOnesAndANameThatDoesNotFitTheModelSaysSo() throws IOException {
        Path pics = folder();
        MainTest.Run unknown = MainTest.jgrad(false, "train", "--images", pics.toString(), "--model", "resnet_mini", "--weights", "fashion",
                "--out", dir.resolve("u").toString());
        assertThat(unknown.rc()).isNotZero();
        assertThat(unknown.err().strip()).doesNotContain("\n")
                .contains("--weights fashion: no such file, and no weights of that name")
                .contains("fashion-mnist (resnet_mini pretrained by jgrad on Fashion-MNIST, --model resnet_mini)")
                .contains("mnist (resnet_mini pretrained by jgrad on MNIST, --model resnet_mini)");

        MainTest.Run other = MainTest.jgrad(false, "train", "--images", pics.toString(), "--model", "resnet18", "--weights", "fashion-mnist",
                "--out", dir.resolve("o").toString());
        assertThat(other.rc()).isNotZero();
        assertThat(other.err().strip()).doesNotContain("\n")
                .contains("--weights fashion-mnist is a resnet_mini (resnet_mini pretrained by jgrad on Fashion-MNIST), not a resnet18: use --model resnet_mini");

        MainTest.Run sha = MainTest.jgrad(false, "train", "--images", pics.toString(), "--weights", "fashion-mnist", "--weights-sha256",
                "00".repeat(32), "--out", dir.resolve("s").toString());
        assertThat(sha.err()).contains("--weights-sha256 goes with a --weights URL, not a file or a name");
        assertThat(dir.resolve("cache")).as("nothing was built for runs that stopped").doesNotExist();
    }

    @Test
    void theNamedWeightsPreprocessingIsUsedUnlessTheCommandLineOverridesIt() {
        NamedWeights fm = NamedWeights.find("fashion-mnist");
        assertThat(fm.preprocessing()).hasToString("28×28, 1 channel, mean [0.0], std [1.0]");
        assertThat(options().preprocessing(fm.preprocessing())).isEqualTo(fm.preprocessing());
        assertThat(options("--image-size", "32").preprocessing(fm.preprocessing())).hasToString("32×32, 1 channel, mean [0.0], std [1.0]");
        assertThat(options("--channels", "3").preprocessing(fm.preprocessing()))
                .as("one mean and std repeated for three channels").hasToString("28×28, 3 channels, mean [0.0, 0.0, 0.0], std [1.0, 1.0, 1.0]");
        assertThat(options("--mean", "0.2860", "--std", "0.3530").preprocessing(fm.preprocessing()))
                .hasToString("28×28, 1 channel, mean [0.286], std [0.353]");
        assertThat(options().preprocessing(TransferModel.defaultPreprocessing("resnet18")))
                .hasToString("64×64, 3 channels, mean [0.485, 0.456, 0.406], std [0.229, 0.224, 0.225]");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> options("--channels", "1").preprocessing(TransferModel.defaultPreprocessing("resnet18")))
                .hasMessage("--channels 1: the normalisation has 3 means and standard deviations, for 3 channels: give 1 of each for 1");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> options("--mean", "0.5").preprocessing(fm.preprocessing()))
                .hasMessage("--mean and --std go together: give both, one value per channel");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> options("--channels", "2").preprocessing(fm.preprocessing()))
                .hasMessage("--channels must be 1 (grey) or 3 (RGB), got 2");
    }

    private static ImageFolderOptions options(String... args) {
        TrainCommand c = new TrainCommand();
        List<String> all = new ArrayList<>(List.of("--images", "x"));
        all.addAll(List.of(args));
        new picocli.CommandLine(c).parseArgs(all.toArray(String[]::new));
        return c.imageOptions;
    }
}
