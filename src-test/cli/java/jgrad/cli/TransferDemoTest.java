package jgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jgrad.data.Dataset;
import jgrad.data.Subset;
import jgrad.data.TensorDataset;
import jgrad.models.Models;
import jgrad.models.ResNetMini;
import jgrad.tensor.Generator;
import jgrad.tensor.Safetensors;
import jgrad.tensor.Tensor;
import jgrad.train.History;
import jgrad.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transfer demo on tiny data written here: a frozen backbone is bit-identical to the pretrained
 * file (batch norm statistics included) until it is unfrozen, and moves after; feature extraction
 * trains the head alone; a file of another architecture is refused naming the keys; the 8×8 digits
 * are read and framed like MNIST's; the command prints the table.
 */
class TransferDemoTest {
    @TempDir Path dir;
    private final PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    /** A "pretrained" file: a resnet_mini whose running statistics are not the defaults. */
    private Path pretrained() throws IOException {
        ResNetMini net = Models.resnetMini(10, new Generator(77));
        net.forward(images(8, 5).batch(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, jgrad.tensor.Device.getDefault()).inputs());  // training mode: the running statistics move
        Path w = dir.resolve("pre.safetensors");
        Safetensors.save(net.stateDict(), Map.of("arch", "resnet_mini", "dataset", "fashion-mnist", "epochs", "1", "test_accuracy", "0.5"), w);
        return w;
    }

    /** n random 28×28 images, labels 0–9 in turn. */
    private static TensorDataset images(int n, long seed) {
        Generator g = new Generator(seed);
        float[] x = new float[n * 784];
        for (int i = 0; i < x.length; i++) x[i] = g.nextFloat();
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = i % 10;
        return new TensorDataset(x, new int[] {1, 28, 28}, y);
    }

    private static Map<String, float[]> backbone(Map<String, Tensor> state) {
        Map<String, float[]> out = new LinkedHashMap<>();
        state.forEach((k, t) -> {
            if (!k.startsWith("fc.")) out.put(k, t.toFloatArray());
        });
        return out;
    }

    private static void assertBitIdentical(Map<String, float[]> a, Map<String, float[]> b) {
        assertThat(a.keySet()).isEqualTo(b.keySet());
        a.forEach((k, v) -> assertThat(Arrays.equals(v, b.get(k))).as(k + " bit-identical").isTrue());
    }

    @Test
    void aFrozenBackboneIsBitIdenticalToTheFileUntilUnfrozenAndMovesAfter() throws IOException {
        Path w = pretrained();
        Map<String, float[]> file = backbone(Safetensors.load(w));
        TransferDemo demo = new TransferDemo(w, images(20, 1), images(10, 2), new TransferDemo.Settings(2, 2, 5, 0.01, 0.1, 2, 1), quiet);
        List<Map<String, float[]>> afterEpoch = new ArrayList<>();
        List<float[]> heads = new ArrayList<>();
        demo.callbacks.add(new Trainer.Callback() {
            @Override
            public void onEpochEnd(Trainer t, History.Epoch e) {
                afterEpoch.add(backbone(t.model().stateDict()));
                heads.add(t.model().stateDict().get("fc.weight").toFloatArray());
            }
        });
        TransferDemo.Row row = demo.run(TransferDemo.Mode.UNFREEZE);
        assertThat(afterEpoch).hasSize(2);
        assertBitIdentical(afterEpoch.get(0), file);  // epoch 1: frozen, in evaluation mode
        assertThat(heads.get(0)).isNotEqualTo(demo.last.fc().weight.toFloatArray()).as("the head learned in epoch 2 too");
        assertThat(afterEpoch.get(1).get("layer2.0.conv1.weight")).as("unfrozen at epoch 2").isNotEqualTo(file.get("layer2.0.conv1.weight"));
        assertThat(afterEpoch.get(1).get("bn1.running_mean")).as("batch norm in training mode again").isNotEqualTo(file.get("bn1.running_mean"));
        assertThat(row.trainedParameters()).isEqualTo(77_754);
        assertThat(row.testAccuracy()).isBetween(0.0, 1.0);
    }

    @Test
    void featureExtractionTrainsTheHeadAloneOnTheFrozenBackbone() throws IOException {
        Path w = pretrained();
        TransferDemo demo = new TransferDemo(w, images(20, 1), images(10, 2), new TransferDemo.Settings(1, 3, 5, 0.05, 0.1, 1, 1), quiet);
        float[] head0 = Models.resnetMini(10, new Generator(1)).fc().weight.toFloatArray();
        List<Integer> epochs = new ArrayList<>();
        demo.callbacks.add((Trainer.Callback) (t, e) -> epochs.add(e.epoch()));
        TransferDemo.Row row = demo.run(TransferDemo.Mode.FEATURE_EXTRACT);
        assertThat(epochs).as("the head trains for --feature-epochs").containsExactly(1, 2, 3);
        assertBitIdentical(backbone(demo.last.stateDict()), backbone(Safetensors.load(w)));
        assertThat(demo.last.fc().weight.toFloatArray()).isNotEqualTo(head0);
        assertThat(row.trainedParameters()).isEqualTo(64 * 10 + 10);
    }

    @Test
    void fineTuningMovesTheBackboneAndScratchStartsFromTheSeedNotTheFile() throws IOException {
        Path w = pretrained();
        Map<String, float[]> file = backbone(Safetensors.load(w));
        TransferDemo demo = new TransferDemo(w, images(20, 1), images(10, 2), new TransferDemo.Settings(1, 1, 5, 0.01, 0.1, 1, 1), quiet);
        demo.run(TransferDemo.Mode.FINE_TUNE);
        assertThat(backbone(demo.last.stateDict()).get("conv1.weight")).isNotEqualTo(file.get("conv1.weight"));
    }

    @Test
    void aFileOfAnotherArchitectureIsRefusedNamingTheKeys() throws IOException {
        Path other = dir.resolve("resnet18.safetensors");
        Safetensors.save(Models.resnet18(10, new Generator(1)).stateDict(), other);
        assertThatThrownBy(() -> TransferDemo.loadBackbone(Models.resnetMini(10, new Generator(1)), other))
                .hasMessageContainingAll(other.toString(), "conv1.weight", "[64, 3, 7, 7]", "[16, 1, 3, 3]");
    }

    @Test
    void theDigitsAreScaledAndFramedLikeMnistAndBadRowsNamed() throws IOException {
        Path csv = dir.resolve("digits.csv");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            for (int k = 0; k < 64; k++) sb.append(k == 27 || k == 28 ? "16" : "0").append(',');  // two bright pixels in the middle
            sb.append(i % 10).append('\n');
        }
        Files.writeString(csv, sb.toString());
        TensorDataset d = TransferTargets.readDigits(csv);
        assertThat(d.size()).isEqualTo(30);
        float[] x = d.get(0).input().toFloatArray();
        assertThat(x).hasSize(784);
        for (int c = 0; c < 28; c++) assertThat(x[c]).as("the 4-pixel frame is empty").isZero();
        float max = 0;
        for (float v : x) max = Math.max(max, v);
        assertThat(max).as("16 → 1, resized").isBetween(0.5f, 1f);
        assertThat(d.label(13)).isEqualTo(3);

        List<Subset> parts = TransferTargets.balanced(d, 20, 1);
        int[] per = new int[10];
        for (int i = 0; i < parts.get(0).size(); i++) per[parts.get(0).label(i)]++;
        assertThat(per).containsOnly(2);
        assertThat(parts.get(1).size()).isEqualTo(10);
        assertThatThrownBy(() -> TransferTargets.balanced(d, 15, 1)).hasMessageContaining("--labels must be a multiple of 10");

        Files.writeString(csv, "0,0,0\n");
        assertThatThrownBy(() -> TransferTargets.readDigits(csv)).hasMessageContaining(csv + " row 1: 3 values, expected 64 pixels and a label");
    }

    @Test
    void theCommandPrintsTheTable() throws IOException {
        Path csv = dir.resolve("digits.csv");
        StringBuilder sb = new StringBuilder();
        Generator g = new Generator(3);
        for (int i = 0; i < 40; i++) {
            for (int k = 0; k < 64; k++) sb.append((int) (g.nextFloat() * 17)).append(',');
            sb.append(i % 10).append('\n');
        }
        Files.writeString(csv, sb.toString());
        Path json = dir.resolve("rows.json");
        MainTest.Run r = MainTest.jgrad(false, "transfer-demo", "--target", "digits", "--data", csv.toString(), "--labels", "20", "--weights",
                pretrained().toString(), "--epochs", "2", "--feature-epochs", "3", "--unfreeze-at", "2", "--modes", "feature-extract,unfreeze", "--json", json.toString());
        assertThat(r.rc()).as(r.err()).isZero();
        assertThat(r.out()).contains("digits, 20 labelled training images (2 per class), 20 test images; backbone pre.safetensors (resnet_mini, 1 epochs on fashion-mnist",
                "| method | trained parameters | test accuracy | wall time |", "| feature extraction (frozen backbone, features cached) | 650 |",
                "| fine-tuning, backbone frozen until epoch 2 | 77,754 |");
        assertThat(Files.readString(json)).contains("\"mode\": \"feature_extract\"", "\"labels\": 20");
        assertThat(MainTest.jgrad(false, "transfer-demo", "--modes", "linear").err()).contains("error: --modes: 'linear' is not one of");
        assertThat(MainTest.jgrad(false, "transfer-demo", "--unfreeze-at", "1").err()).contains("error: --unfreeze-at must be in 2..10");
    }
}
