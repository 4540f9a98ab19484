package jgrad.nn;

import static jgrad.nn.LinearTest.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Module and Sequential: names, counts, modes, printing and saving. */
class ModuleTest {

    /** 3Blue1Brown's digit network: 784 → 16 → 16 → 10 with sigmoids. */
    private static Sequential digitNetwork(long seed) {
        Generator g = new Generator(seed);
        return new Sequential(new Linear(784, 16, true, g), new Sigmoid(), new Linear(16, 16, true, g), new Sigmoid(),
                new Linear(16, 10, true, g));
    }

    @Test
    void namedParametersUseDottedChildIndices() {
        Sequential net = digitNetwork(1);
        assertThat(net.namedParameters().keySet())
                .containsExactly("0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias");
        assertThat(net.namedParameters().get("2.weight")).isSameAs(((Linear) net.get(2)).weight);
        assertThat(net.parameters()).hasSize(6);
        assertThat(net.size()).isEqualTo(5);
        assertThat(net.children().keySet()).containsExactly("0", "1", "2", "3", "4");
    }

    @Test
    void parameterCountOfTheDigitNetwork() {
        Sequential net = digitNetwork(1);
        // 784·16 + 16 + 16·16 + 16 + 16·10 + 10 = 12544 + 16 + 256 + 16 + 160 + 10
        assertThat(net.parameterCount(false)).isEqualTo(13_002);
        net.get(0).parameters().forEach(p -> p.requiresGrad(false));
        assertThat(net.parameterCount(true)).as("with the first layer frozen").isEqualTo(13_002 - 12_560);
    }

    @Test
    void printsLikePyTorchWithTheParameterCount() {
        assertThat(digitNetwork(1).toString()).isEqualTo("""
                Sequential(
                  (0): Linear(in_features=784, out_features=16, bias=True)
                  (1): Sigmoid()
                  (2): Linear(in_features=16, out_features=16, bias=True)
                  (3): Sigmoid()
                  (4): Linear(in_features=16, out_features=10, bias=True)
                )
                Parameters: 13,002 (13,002 trainable)""");
        assertThat(new Linear(3, 2, false, new Generator(0)).toString())
                .startsWith("Linear(in_features=3, out_features=2, bias=False)");
    }

    @Test
    void parameterCountPrintsTheSameInEveryLocale() {
        java.util.Locale saved = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.GERMANY);  // would group as 13.002
            assertThat(digitNetwork(1).toString()).endsWith("\nParameters: 13,002 (13,002 trainable)");
        } finally {
            java.util.Locale.setDefault(saved);
        }
    }

    @Test
    void nestedSequentialNamesAndPrintsItsChildren() {
        Generator g = new Generator(2);
        Sequential net = new Sequential(new Sequential(new Linear(2, 3, true, g), new ReLU()), new Linear(3, 1, false, g));
        assertThat(net.namedParameters().keySet()).containsExactly("0.0.weight", "0.0.bias", "1.weight");
        assertThat(net.toString()).startsWith("""
                Sequential(
                  (0): Sequential(
                    (0): Linear(in_features=2, out_features=3, bias=True)
                    (1): ReLU()
                  )
                  (1): Linear(in_features=3, out_features=1, bias=False)
                )""");
    }

    @Test
    void trainAndEvalReachEveryDescendant() {
        Sequential inner = new Sequential(new Linear(2, 2, true, new Generator(1)), new Tanh());
        Sequential net = new Sequential(inner, new Sigmoid());
        assertThat(net.isTraining()).as("training by default").isTrue();
        net.eval();
        assertThat(List.of(net.isTraining(), inner.isTraining(), inner.get(0).isTraining(), inner.get(1).isTraining()))
                .as("after eval()").containsOnly(false);
        net.train();
        assertThat(List.of(net.isTraining(), inner.isTraining(), inner.get(0).isTraining())).as("after train()").containsOnly(true);
    }

    @Test
    void sequentialAppliesLayersInOrder() {
        Linear first = new Linear(2, 2, true, new Generator(1)), second = new Linear(2, 1, true, new Generator(2));
        set(first.weight, 1, 0, 0, -1);
        set(first.bias, 0, 0);
        set(second.weight, 1, 1);
        set(second.bias, 0.5f);
        Sequential net = new Sequential(first, new ReLU(), second);
        // [3, 2] → [3, -2] → relu [3, 0] → 3 + 0 + 0.5
        assertThat(net.forward(Tensor.of(new float[] {3, 2}, 1, 2)).toFloatArray()).containsExactly(3.5f);
    }

    @Test
    void zeroGradForgetsEveryGradient() {
        Sequential net = new Sequential(new Linear(2, 2, true, new Generator(1)));
        net.forward(Tensor.ones(1, 2)).sum().backward();
        assertThat(net.parameters()).allSatisfy(p -> assertThat(p.grad()).isNotNull());
        net.zeroGrad();
        assertThat(net.parameters()).allSatisfy(p -> assertThat(p.grad()).isNull());
    }

    /** A module whose registrations the test drives. */
    private static final class Registrar extends Module {
        void parameter(String name) {
            registerParameter(name, new Parameter(Tensor.ones(1)));
        }

        void module(String name) {
            registerModule(name, new ReLU());
        }

        @Override
        public Tensor forward(Tensor input) {
            return input;
        }
    }

    @Test
    void registeringANameTwiceIsAnError() {
        Registrar m = new Registrar();
        m.parameter("w");
        assertThatThrownBy(() -> m.parameter("w")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'w'");
        assertThatThrownBy(() -> m.module("w")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'w'");
        m.module("act");
        assertThatThrownBy(() -> m.parameter("act")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'act'");
    }

    // ---- state dict and files --------------------------------------------------------------

    @Test
    void stateDictIsACopyNotAView() {
        Linear layer = new Linear(2, 1, true, new Generator(1));
        set(layer.weight, 1, 2);
        Map<String, Tensor> saved = layer.stateDict();
        set(layer.weight, 5, 6);
        assertThat(saved.get("weight").toFloatArray()).as("state dict taken before the update").containsExactly(1, 2);
        layer.loadStateDict(saved);
        assertThat(layer.weight.toFloatArray()).as("restored").containsExactly(1, 2);
    }

    @Test
    void saveAndLoadRestoreExactValues(@TempDir Path dir) throws IOException {
        Sequential a = digitNetwork(1), b = digitNetwork(2);
        Path file = dir.resolve("sub/model.jgrad");
        a.save(file);
        assertThat(b.parameters().get(0).toFloatArray()).isNotEqualTo(a.parameters().get(0).toFloatArray());
        b.load(file);
        for (String name : a.namedParameters().keySet()) {
            assertThat(b.namedParameters().get(name).toFloatArray()).as("parameter %s after load", name)
                    .containsExactly(a.namedParameters().get(name).toFloatArray());
        }
        try (var files = Files.list(file.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).as("no temporary file left").containsExactly("model.jgrad");
        }
    }

    @Test
    void loadWithWrongShapesNamesTheEntryAndBothShapes(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("small.jgrad");
        new Sequential(new Linear(3, 2, true, new Generator(1))).save(file);
        Sequential wider = new Sequential(new Linear(4, 2, true, new Generator(1)));
        float[] before = wider.parameters().get(0).toFloatArray();
        assertThatThrownBy(() -> wider.load(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0.weight").hasMessageContaining("[2, 3]").hasMessageContaining("[2, 4]");
        assertThat(wider.parameters().get(0).toFloatArray()).as("nothing loaded").containsExactly(before);
        Sequential other = new Sequential(new Linear(3, 2, false, new Generator(1)));
        assertThatThrownBy(() -> other.load(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unexpected [0.bias]");
    }

    @Test
    void truncatedFileIsReportedAsTruncated(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("model.jgrad");
        Sequential net = new Sequential(new Linear(3, 2, true, new Generator(1)));
        net.save(file);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 5));
        assertThatThrownBy(() -> net.load(file)).isInstanceOf(IOException.class).hasMessageContaining("truncated");
    }

    @Test
    void fileOfAnotherKindIsRejected(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("notes.txt");
        Files.writeString(file, "hello, world");
        assertThatThrownBy(() -> new Linear(1, 1).load(file)).isInstanceOf(IOException.class).hasMessageContaining("magic");
    }
}
