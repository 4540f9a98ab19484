package jgrad.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import jgrad.TorchFixture;
import jgrad.autograd.NoGrad;
import jgrad.nn.CrossEntropyLoss;
import jgrad.nn.Parameter;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * {@link ResNetMini} is the network that src-test/engine/resources/torch/resnet_mini_fixture.py builds
 * from torchvision's own {@code BasicBlock}: the same keys and shapes, and with {@link ZooFill}'s
 * weights on both sides the same logits (evaluation and training mode), loss, gradients and running
 * statistics on a 2×1×28×28 batch, to 1e-4 relative (plus 1e-5 of the largest value).
 */
class ResNetMiniTest {
    private static final TorchFixture FX = TorchFixture.load("resnet_mini_fixture.txt");

    @Test
    void hasTheKeysAndShapesOfTheTorchvisionBuiltNetwork() {
        ResNetMini net = Models.resnetMini(10, new Generator(1));
        Map<String, Tensor> state = net.stateDict();
        int keys = 0;
        for (String k : FX.keys()) {
            if (!k.startsWith("resnet_mini.shape.")) continue;
            String key = k.substring("resnet_mini.shape.".length());
            assertThat(state).as("jgrad has " + key).containsKey(key);
            float[] shape = FX.values(k);
            int[] expected = new int[shape.length];
            for (int i = 0; i < shape.length; i++) expected[i] = (int) shape[i];
            if (!key.endsWith("num_batches_tracked")) assertThat(state.get(key).shape()).as(key).containsExactly(expected);
            keys++;
        }
        assertThat(keys).isEqualTo(state.size()).isEqualTo(56);
        assertThat(net.parameters().stream().mapToInt(Parameter::numel).sum()).isEqualTo(77_754);
        assertThat(net.fc().weight.shape()).containsExactly(10, 64);
    }

    @Test
    void matchesPyTorchInEvaluationAndTrainingModeWithGradients() {
        ResNetMini net = Models.resnetMini(10, new Generator(1));
        ZooFill.setAll(net);
        Tensor x = ZooFill.fill("input", 2, 1, 28, 28);
        net.eval();
        try (NoGrad scope = NoGrad.enter()) {
            close("resnet_mini.logits.eval", net.forward(x));
        }
        net.train();
        Tensor logits = net.forward(x);
        close("resnet_mini.logits.train", logits);
        Tensor loss = new CrossEntropyLoss().forward(logits, Tensor.of(new float[] {3, 7}, 2));
        close("resnet_mini.loss", loss);
        loss.backward();
        Map<String, Parameter> p = net.namedParameters();
        for (String key : new String[] {"conv1.weight", "layer1.0.bn2.weight", "layer2.0.downsample.0.weight", "fc.weight", "fc.bias"}) {
            close("resnet_mini.grad." + key, p.get(key).grad());
        }
        close("resnet_mini.grad.layer3.0.conv2.weight.head", p.get("layer3.0.conv2.weight").grad().reshape(-1).slice(0, 0, 512));
        Map<String, Tensor> b = net.namedBuffers();
        for (String bn : new String[] {"bn1", "layer2.0.downsample.1", "layer3.0.bn2"}) {
            close("resnet_mini.running_mean." + bn, b.get(bn + ".running_mean"));
            close("resnet_mini.running_var." + bn, b.get(bn + ".running_var"));
        }
    }

    @Test
    void featuresAreSixtyFourPerImageAndBadSizesAreNamed() {
        ResNetMini net = new ResNetMini(3, 5, new Generator(2));
        assertThat(net.features(Tensor.rand(new Generator(3), 4, 3, 28, 28)).shape()).containsExactly(4, 64);
        assertThat(net.forward(Tensor.rand(new Generator(3), 2, 3, 9, 9)).shape()).containsExactly(2, 5);
        assertThatThrownBy(() -> new ResNetMini(1, 0, new Generator(1))).hasMessageContaining("numClasses must be at least 1, got 0");
        assertThatThrownBy(() -> new ResNetMini(0, 10, new Generator(1))).hasMessageContaining("inChannels must be at least 1, got 0");
    }

    private static void close(String key, Tensor actual) {
        float max = 0;
        for (float v : FX.values(key)) max = Math.max(max, Math.abs(v));
        FX.assertMatches(key, actual, 1e-4, 1e-5 * max);
    }
}
