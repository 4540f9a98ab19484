package jgrad.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import jgrad.nn.Module;
import jgrad.nn.Parameter;
import jgrad.tensor.Generator;
import org.junit.jupiter.api.Test;

/**
 * The zoo starts from torchvision's initialisation ({@link TorchvisionInit}), checked by statistics:
 * every convolution weight with at least 4,096 values has mean ≈ 0 and standard deviation ≈
 * √(2 / fan_out), fan_out = K·R·S (within 5%: for n ≥ 4,096 normal draws the sample standard deviation
 * is within 5% with probability above 0.999); batch norm γ all ones, β all zeros (or γ zeros for the
 * last norm of each residual branch with zero_init_residual); VGG's and MobileNetV2's Linear
 * weights N(0, 0.01²) with zero biases, ResNet's fc PyTorch's uniform default.
 */
class TorchvisionInitTest {
    private static double[] meanStd(Parameter p) {
        float[] v = p.toFloatArray();
        double sum = 0, sq = 0;
        for (float x : v) sum += x;
        double mean = sum / v.length;
        for (float x : v) sq += (x - mean) * (x - mean);
        return new double[] {mean, Math.sqrt(sq / v.length)};
    }

    private static boolean all(Parameter p, float value) {
        for (float x : p.toFloatArray()) if (x != value) return false;
        return true;
    }

    /** Checks every convolution (names ending in a 4-D weight) and batch norm of {@code m}; returns how many convolutions were checked. */
    private static int checkConvsAndNorms(Module m, String name, java.util.function.Predicate<String> zeroGamma) {
        int checked = 0;
        for (Map.Entry<String, Parameter> e : m.namedParameters().entrySet()) {
            Parameter p = e.getValue();
            String key = e.getKey();
            if (p.dim() == 4 && p.numel() >= 4096) {
                int[] s = p.shape();
                double expected = Math.sqrt(2.0 / (s[0] * s[2] * s[3]));
                double[] ms = meanStd(p);
                assertThat(ms[1]).as("%s %s std (fan_out %d)", name, key, s[0] * s[2] * s[3]).isCloseTo(expected, within(0.05 * expected));
                assertThat(ms[0]).as("%s %s mean", name, key).isCloseTo(0.0, within(5 * expected / Math.sqrt(p.numel())));
                checked++;
            } else if (p.dim() == 1 && !key.startsWith("fc.") && !key.startsWith("classifier.")) {  // batch norm γ and β (no conv has a bias here)
                boolean gamma = key.endsWith(".weight");
                float want = gamma && !zeroGamma.test(key) ? 1f : 0f;
                assertThat(all(p, want)).as("%s %s all %s", name, key, want).isTrue();
            }
        }
        return checked;
    }

    @Test
    void resnetConvolutionsAreKaimingNormalFanOutAndNormsOnesAndZeros() {
        ResNet net = Models.resnet18(1000, new Generator(7));
        assertThat(checkConvsAndNorms(net, "resnet18", k -> false)).isEqualTo(20);  // 17 convs ≥ 4,096 values + 3 downsample
        // fc keeps PyTorch's Linear default, uniform in ±1/√512: standard deviation 1/√(3·512)
        assertThat(meanStd(net.fc().weight)[1]).isCloseTo(1 / Math.sqrt(3 * 512), within(0.02 / Math.sqrt(3 * 512)));
    }

    @Test
    void zeroInitResidualZeroesTheLastNormOfEveryBranch() {
        ResNet net = Models.resnet18(10, true, new Generator(7));
        int zeros = 0;
        for (var e : net.namedParameters().entrySet()) {
            if (e.getKey().matches("layer\\d\\.\\d\\.bn2\\.weight")) {
                assertThat(all(e.getValue(), 0f)).as(e.getKey()).isTrue();
                zeros++;
            }
        }
        assertThat(zeros).isEqualTo(8);
        checkConvsAndNorms(net, "resnet18 zero_init_residual", k -> k.matches("layer\\d\\.\\d\\.bn2\\.weight"));
        ResNet r50 = new ResNet(ResNet.Depth.RESNET50, 10, true, new Generator(7));
        checkConvsAndNorms(r50, "resnet50 zero_init_residual", k -> k.matches("layer\\d\\.\\d+\\.bn3\\.weight"));
        assertThat(r50.namedParameters().get("layer3.5.bn3.weight").toFloatArray()).containsOnly(0f);
        assertThat(r50.namedParameters().get("layer3.5.bn2.weight").toFloatArray()).containsOnly(1f);
    }

    @Test
    void mobilenetV2DepthwiseFanOutCountsOutputChannelsAndLinearIsNarrowNormal() {
        MobileNetV2 net = new MobileNetV2(1000, new Generator(7));
        assertThat(checkConvsAndNorms(net, "mobilenet_v2", k -> false)).isGreaterThan(30);
        // a depthwise 3×3 on 960 channels: w [960, 1, 3, 3], fan_out 8,640 (not fan_in 9)
        Parameter dw = net.namedParameters().get("features.17.conv.1.0.weight");
        assertThat(dw.shape()).containsExactly(960, 1, 3, 3);
        assertThat(meanStd(dw)[1]).isCloseTo(Math.sqrt(2.0 / 8640), within(0.05 * Math.sqrt(2.0 / 8640)));
        Parameter fc = net.namedParameters().get("classifier.1.weight");
        assertThat(meanStd(fc)[1]).isCloseTo(0.01, within(0.0005));
        assertThat(all(net.namedParameters().get("classifier.1.bias"), 0f)).isTrue();
    }

    @Test
    void vggConvolutionsAndLinearsAsTorchvisionsInitWeights() {
        Vgg net = new Vgg(Vgg.VGG11, true, 10, new Generator(7));
        // 7 of the 8 convolutions (the first, 64·3·3·3 = 1,728 values, is too small for the statistics); conv biases 0
        assertThat(checkConvsAndNorms(net, "vgg11_bn", k -> false)).isEqualTo(7);
        assertThat(all(net.namedParameters().get("features.0.bias"), 0f)).isTrue();
        for (var e : net.namedParameters().entrySet()) {
            String k = e.getKey();
            if (k.startsWith("classifier.") && k.endsWith(".weight")) {
                assertThat(meanStd(e.getValue())[1]).as(k).isCloseTo(0.01, within(0.0005));
            }
            if (k.startsWith("classifier.") && k.endsWith(".bias")) assertThat(all(e.getValue(), 0f)).as(k).isTrue();
        }
    }
}
