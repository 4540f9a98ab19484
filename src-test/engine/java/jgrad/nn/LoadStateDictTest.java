package jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * {@link Module#loadStateDict(Map, boolean)} on a module tree named like torchvision's ResNet
 * ({@code layer2.0.downsample.1.running_var}): strict and non-strict loads, shape mismatches, buffers.
 */
class LoadStateDictTest {
    /** conv1, then layer2 = Sequential(block), block.downsample = Sequential(conv, bn): PyTorch's keys. */
    private static final class Net extends Module {
        Net(int seed, int width) {
            Generator g = new Generator(seed);
            registerModule("conv1", new Conv2d(1, 2, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, false, g));
            registerModule("layer2", new Sequential(new Block(g, width)));
        }

        @Override
        public Tensor forward(Tensor x) {
            return x;
        }
    }

    private static final class Block extends Module {
        Block(Generator g, int width) {
            registerModule("bn1", new BatchNorm2d(width));
            registerModule("downsample", new Sequential(
                    new Conv2d(2, width, new int[] {1, 1}, new int[] {2, 2}, new int[] {0, 0}, new int[] {1, 1}, false, g),
                    new BatchNorm2d(width)));
        }

        @Override
        public Tensor forward(Tensor x) {
            return x;
        }
    }

    /** A state dict of {@code net} whose every value is its position + 0.5 (distinct from any init). */
    private static Map<String, Tensor> numbered(Module net) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        int[] i = {0};
        net.stateDict().forEach((k, v) -> {
            float[] values = new float[v.numel()];
            for (int j = 0; j < values.length; j++) values[j] = i[0]++ + 0.5f;
            out.put(k, Tensor.of(values, v.shape()));
        });
        return out;
    }

    @Test
    void keysAreTorchvisionsDottedPathsWithBuffersIncluded() {
        assertThat(new Net(1, 3).stateDict().keySet()).containsExactly(
                "conv1.weight", "layer2.0.bn1.weight", "layer2.0.bn1.bias", "layer2.0.downsample.0.weight",
                "layer2.0.downsample.1.weight", "layer2.0.downsample.1.bias",
                "layer2.0.bn1.running_mean", "layer2.0.bn1.running_var", "layer2.0.bn1.num_batches_tracked",
                "layer2.0.downsample.1.running_mean", "layer2.0.downsample.1.running_var",
                "layer2.0.downsample.1.num_batches_tracked");
        assertThat(new Net(1, 3).stateDict().get("layer2.0.bn1.num_batches_tracked").shape()).as("a count, shape [] as torch's").isEmpty();
    }

    @Test
    void strictLoadCopiesEveryParameterAndBuffer() {
        Net a = new Net(1, 3), b = new Net(2, 3);
        Map<String, Tensor> state = numbered(a);
        IncompatibleKeys result = b.loadStateDict(state);
        assertThat(result.isEmpty()).isTrue();
        b.stateDict().forEach((k, v) -> assertThat(v.toFloatArray()).as(k).containsExactly(state.get(k).toFloatArray()));
    }

    @Test
    void strictLoadNamesMissingAndUnexpectedKeysAndChangesNothing() {
        Net net = new Net(1, 3);
        Map<String, Tensor> before = net.stateDict();
        Map<String, Tensor> state = numbered(net);
        state.remove("layer2.0.downsample.1.running_var");
        state.put("fc.weight", Tensor.zeros(2, 2));
        assertThatThrownBy(() -> net.loadStateDict(state)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing [layer2.0.downsample.1.running_var]").hasMessageContaining("unexpected [fc.weight]");
        net.stateDict().forEach((k, v) -> assertThat(v.toFloatArray()).as("%s untouched", k).containsExactly(before.get(k).toFloatArray()));
    }

    @Test
    void nonStrictLoadLoadsWhatMatchesAndReturnsTheRest() {
        Net net = new Net(1, 3);
        Map<String, Tensor> before = net.stateDict();
        Map<String, Tensor> state = numbered(net);
        state.remove("conv1.weight");
        state.remove("layer2.0.bn1.running_mean");
        state.put("fc.weight", Tensor.zeros(10, 2));
        state.put("fc.bias", Tensor.zeros(10));
        IncompatibleKeys result = net.loadStateDict(state, false);
        assertThat(result.missing()).containsExactly("conv1.weight", "layer2.0.bn1.running_mean");
        assertThat(result.unexpected()).containsExactly("fc.weight", "fc.bias");
        Map<String, Tensor> after = net.stateDict();
        assertThat(after.get("conv1.weight").toFloatArray()).as("missing: kept").containsExactly(before.get("conv1.weight").toFloatArray());
        assertThat(after.get("layer2.0.bn1.running_mean").toFloatArray()).containsExactly(0, 0, 0);
        assertThat(after.get("layer2.0.downsample.1.running_var").toFloatArray()).as("matching buffer loaded")
                .containsExactly(state.get("layer2.0.downsample.1.running_var").toFloatArray());
        assertThat(after.get("layer2.0.bn1.num_batches_tracked").item()).isEqualTo(state.get("layer2.0.bn1.num_batches_tracked").item());
    }

    @Test
    void aShapeMismatchNamesTheKeyAndBothShapesEvenWhenNotStrictAndLoadsNothing() {
        Net narrow = new Net(1, 3), wide = new Net(2, 4);
        Map<String, Tensor> before = narrow.stateDict();
        for (boolean strict : new boolean[] {true, false}) {
            assertThatThrownBy(() -> narrow.loadStateDict(numbered(wide), strict)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'layer2.0.bn1.weight'").hasMessageContaining("[4]").hasMessageContaining("[3]");
        }
        narrow.stateDict().forEach((k, v) -> assertThat(v.toFloatArray()).as("%s untouched", k).containsExactly(before.get(k).toFloatArray()));
    }

    @Test
    void aStateDictWithoutNumBatchesTrackedStillLoadsStrictly() {
        Net net = new Net(1, 3);
        Map<String, Tensor> state = numbered(net);
        state.keySet().removeIf(k -> k.endsWith("num_batches_tracked"));
        assertThat(net.loadStateDict(state).isEmpty()).as("as PyTorch loads version-1 batch norm checkpoints").isTrue();
        assertThat(net.stateDict().get("layer2.0.bn1.running_var").toFloatArray()).containsExactly(state.get("layer2.0.bn1.running_var").toFloatArray());
        assertThat(net.stateDict().get("layer2.0.bn1.num_batches_tracked").item()).as("count kept").isZero();
    }
}
