package jgrad.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import jgrad.TorchFixture;
import jgrad.nn.Module;
import jgrad.tensor.Generator;
import jgrad.tensor.Safetensors;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zoo's models have torchvision's state dicts: the same keys with the same shapes, every one of
 * them (src-test/engine/resources/torch/zoo_keys.txt, written from torchvision by zoo_fixture.py);
 * and weights load from safetensors strictly, with errors that name the file and the keys.
 */
class ZooStructureTest {
    @TempDir Path dir;

    /** torchvision's keys and shapes per model, in its order. */
    private static Map<String, Map<String, String>> torchvisionKeys() {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (String line : TorchFixture.readLines("/torch/zoo_keys.txt")) {
            if (line.startsWith("#") || line.isEmpty()) continue;
            String[] f = line.split("\t", -1);
            out.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put(f[1], f[2]);
        }
        return out;
    }

    private static Map<String, String> keysOf(Module m) {
        Map<String, String> out = new LinkedHashMap<>();
        m.namedParameters().forEach((k, p) -> out.put(k, shape(p)));
        m.namedBuffers().forEach((k, b) -> out.put(k, shape(b)));
        return out;
    }

    private static String shape(Tensor t) {
        return String.join(",", Arrays.stream(t.shape()).mapToObj(Integer::toString).toList());
    }

    @Test
    void everyZooModelHasTorchvisionsKeysAndShapes() {
        Map<String, Map<String, String>> expected = torchvisionKeys();
        assertThat(expected.keySet()).containsExactlyElementsOf(Models.NAMES);
        for (var e : expected.entrySet()) {
            int classes = e.getKey().equals("resnet18") ? 1000 : 10;
            Map<String, String> mine = keysOf(Models.create(e.getKey(), classes, new Generator(1)));
            assertThat(mine).as(e.getKey()).containsExactlyInAnyOrderEntriesOf(e.getValue());
        }
        assertThat(expected.get("resnet18")).containsEntry("fc.weight", "1000,512").containsEntry("layer2.0.downsample.1.running_var", "128");
    }

    /**
     * A model saved as safetensors loads back bit for bit. With {@code JGRAD_ZOO_EXPORT=DIR} the file and
     * a check file (input and logits) are also copied to DIR, for scripts/check_jgrad_safetensors.py to
     * load into torchvision (the reverse direction; docs/transfer-learning.md records the result).
     */
    @Test
    void weightsRoundTripThroughSafetensors() throws IOException {
        ResNet a = Models.resnet18(10, new Generator(3));
        a.train();
        a.forward(ZooFill.fill("input7", 2, 3, 32, 32));  // running statistics and num_batches_tracked that are not the defaults
        Path f = dir.resolve("resnet18.safetensors");
        Safetensors.save(a.stateDict(), Map.of("arch", "resnet18", "num_classes", "10"), f);
        ResNet b = Models.resnet18(10, f);
        Tensor x = ZooFill.fill("input", 2, 3, 64, 64);
        a.eval();
        b.eval();
        Tensor logits = a.forward(x);
        assertThat(b.forward(x).toFloatArray()).containsExactly(logits.toFloatArray());
        assertThat(b.namedBuffers().get("bn1.num_batches_tracked").item()).isEqualTo(1f);
        Path check = dir.resolve("resnet18.check.safetensors");
        Safetensors.save(Map.of("input", x, "logits", logits), check);
        String export = System.getenv("JGRAD_ZOO_EXPORT");
        if (export != null) {
            Files.createDirectories(Path.of(export));
            Files.copy(f, Path.of(export, f.getFileName().toString()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.copy(check, Path.of(export, check.getFileName().toString()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void weightsOfAnotherArchitectureOrHeadAreRefusedNamingFileAndKeys() throws IOException {
        Path f = dir.resolve("r18.safetensors");
        Safetensors.save(Models.resnet18(10, new Generator(3)).stateDict(), f);
        assertThatThrownBy(() -> Models.mobilenetV2(10, f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(f.toString()).hasMessageContainingAll("missing", "features.0.0.weight", "unexpected", "layer1.0.conv1.weight");
        assertThatThrownBy(() -> Models.resnet18(1000, f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll(f.toString(), "fc.weight", "[10, 512]", "[1000, 512]");
        assertThatThrownBy(() -> Models.resnet18(10, dir.resolve("none.safetensors"))).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("none.safetensors");
        Files.write(f, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> Models.resnet18(10, f)).isInstanceOf(jgrad.tensor.DamagedFileException.class);
        assertThatThrownBy(() -> Models.create("resnet19", 10, new Generator(1))).hasMessageContainingAll("resnet19", "resnet18", "mobilenet_v2");
    }

    @Test
    void torchvisionsNumBatchesTrackedAsI64Loads() throws IOException {
        // PyTorch stores num_batches_tracked as an int64 scalar; a state dict with it loads and sets the counter
        Map<String, Tensor> sd = new LinkedHashMap<>(Models.resnet18(10, new Generator(3)).stateDict());
        sd.put("bn1.num_batches_tracked", Tensor.scalar(41f));
        Path f = dir.resolve("r18.safetensors");
        Safetensors.save(sd, f);
        ResNet r = Models.resnet18(10, f);
        assertThat(r.namedBuffers().get("bn1.num_batches_tracked").item()).isEqualTo(41f);
    }
}
