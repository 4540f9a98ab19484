package jgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import jgrad.data.mnist.MnistDataset;
import jgrad.data.mnist.MnistFixtures;
import jgrad.models.Models;
import jgrad.models.ResNetMini;
import jgrad.tensor.Generator;
import jgrad.tensor.Safetensors;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pretrained weights that jgrad makes itself, on a tiny data set written here
 * ({@link MnistFixtures#writeBars}: 128 training and 64 test images, one epoch): the file has resnet_mini's keys and shapes and the recipe in its metadata, loads
 * strictly, is built once and then reused from the cache, and is built again when damaged (its
 * CRC32C) or made by another recipe; the same seed gives the same weights bit for bit.
 */
class PretrainingTest {
    @TempDir Path dir;
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

    private static final BackboneRecipe TINY = new BackboneRecipe(ResNetMini.NAME, "fashion-mnist", 3, 1, 128);

    private Pretraining pretraining() throws IOException {
        return new Pretraining(dir.resolve("cache"), MnistFixtures.writeBars(dir.resolve("data"), 128, false), log);
    }

    private String log() {
        return logBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void buildsALoadableFileWithTheRecipeInItsMetadataOnceAndThenUsesTheCache() throws IOException {
        Pretraining p = pretraining();
        Path file = p.ensure(TINY);
        assertThat(file).isEqualTo(dir.resolve("cache/resnet_mini-fashion-mnist-seed3-e1-n128.safetensors")).isRegularFile();
        assertThat(p.builds()).isEqualTo(1);

        Safetensors.Contents c = Safetensors.read(file);
        Map<String, Tensor> fresh = Models.resnetMini(10, new Generator(1)).stateDict();
        assertThat(c.tensors().keySet()).containsExactlyInAnyOrderElementsOf(fresh.keySet()).contains("layer2.0.downsample.1.running_var", "fc.weight");
        fresh.forEach((k, t) -> assertThat(c.tensors().get(k).shape()).as(k).containsExactly(t.shape()));
        assertThat(c.metadata()).containsEntry("arch", "resnet_mini").containsEntry("dataset", "fashion-mnist").containsEntry("seed", "3")
                .containsEntry("epochs", "1").containsEntry("limit", "128").containsEntry("train_images", "128").containsEntry("test_images", "64")
                .containsEntry("command", "./jgrad pretrain --model resnet_mini --dataset fashion-mnist --seed 3 --epochs 1 --limit 128");
        double accuracy = Double.parseDouble(c.metadata().get("test_accuracy"));
        assertThat(accuracy).isBetween(0.0, 1.0);
        assertThat(c.tensors().get("bn1.num_batches_tracked").item()).as("two batches of 64 were trained").isEqualTo(2f);
        ResNetMini loaded = Models.resnetMini(10, file);  // strict: every key, every shape
        assertThat(Pretraining.accuracy(loaded, MnistDataset.load(dir.resolve("data"), false))).as("the saved weights are the measured ones").isEqualTo(accuracy, org.assertj.core.api.Assertions.within(1e-4));

        FileTime written = Files.getLastModifiedTime(file);
        assertThat(p.ensure(TINY)).isEqualTo(file);
        assertThat(p.builds()).as("the second call reads the cache").isEqualTo(1);
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(written);
        assertThat(log()).contains("building it once with './jgrad pretrain", "(cached)")
                .as("no terminal here: a line per tenth of the epoch instead of a bar").contains("  epoch 1: 1/2 batches, loss ");
    }

    @Test
    void aDamagedCacheFileIsDetectedByItsChecksumAndBuiltAgain() throws IOException {
        Pretraining p = pretraining();
        Path file = p.ensure(TINY);
        byte[] b = Files.readAllBytes(file);
        b[b.length - 100] ^= 0x10;  // one bit of a weight
        Files.write(file, b);
        assertThatThrownBy(() -> Safetensors.load(file)).hasMessageContaining("checksum");

        assertThat(p.ensure(TINY)).isEqualTo(file);
        assertThat(p.builds()).isEqualTo(2);
        assertThat(log()).contains(file + " is damaged", "checksum is wrong", "building it again");
        assertThat(Safetensors.read(file).metadata()).containsEntry("seed", "3");  // whole again
    }

    @Test
    void aCachedFileFromAnotherRecipeIsBuiltAgain() throws IOException {
        Pretraining p = pretraining();
        Path file = dir.resolve("cache").resolve(TINY.fileName());
        Files.createDirectories(file.getParent());
        Map<String, String> other = new LinkedHashMap<>(TINY.metadata(128, 64, 0.5, 1));
        other.put("seed", "4");
        Safetensors.save(Models.resnetMini(10, new Generator(4)).stateDict(), other, file);

        p.ensure(TINY);
        assertThat(p.builds()).isEqualTo(1);
        assertThat(log()).contains("its metadata has seed = 4, expected 3", "building it again");
        assertThat(Safetensors.read(file).metadata()).containsEntry("seed", "3");
    }

    @Test
    void theSameSeedGivesTheSameWeightsBitForBitAndAnotherSeedOthers() throws IOException {
        Pretraining p = pretraining();
        Path a = p.build(TINY, dir.resolve("a.safetensors")).file(), b = p.build(TINY, dir.resolve("b.safetensors")).file();
        Path c = p.build(new BackboneRecipe(ResNetMini.NAME, "fashion-mnist", 4, 1, 128), dir.resolve("c.safetensors")).file();
        Map<String, Tensor> ta = Safetensors.load(a), tb = Safetensors.load(b), tc = Safetensors.load(c);
        for (String k : ta.keySet()) {
            assertThat(Arrays.equals(ta.get(k).toFloatArray(), tb.get(k).toFloatArray())).as(k).isTrue();
        }
        assertThat(ta.get("conv1.weight").toFloatArray()).isNotEqualTo(tc.get("conv1.weight").toFloatArray());
    }

    @Test
    void aBadRecipeIsAOneLineErrorNamingTheOption() {
        assertThat(MainTest.jgrad(false, "pretrain", "--dataset", "cifar10").err()).contains("error: --dataset cifar10: expected one of [fashion-mnist, mnist]");
        assertThat(MainTest.jgrad(false, "pretrain", "--model", "resnet18").err()).contains("error: --model resnet18: jgrad pretrains resnet_mini");
        assertThat(MainTest.jgrad(false, "pretrain", "--epochs", "0").err()).contains("error: --epochs must be ≥ 1, got 0");
        assertThat(MainTest.jgrad(false, "pretrain", "--limit", "-5").err()).contains("--limit must be ≥ 0");
    }
}
