package jgrad.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import jgrad.TorchFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Creating tensors, reading them back, and printing them exactly as PyTorch does. */
class TensorTest {

    // ---- creation -------------------------------------------------------------------------

    @Test
    void zerosOnesAndFullFillEveryElement() {
        assertThat(Tensor.zeros(2, 3).toFloatArray()).containsExactly(0, 0, 0, 0, 0, 0);
        assertThat(Tensor.ones(2, 2).toFloatArray()).containsExactly(1, 1, 1, 1);
        Tensor f = Tensor.full(2.5f, 3, 1);
        assertThat(f.shape()).containsExactly(3, 1);
        assertThat(f.toFloatArray()).containsExactly(2.5f, 2.5f, 2.5f);
        assertThat(Tensor.zeros(2, 0).numel()).isZero();
    }

    @Test
    void arangeCountsLikeTorchArange() {
        assertThat(Tensor.arange(4).toFloatArray()).containsExactly(0, 1, 2, 3);
        assertThat(Tensor.arange(Device.cpu(), 1, 2, 0.25f).toFloatArray()).containsExactly(1, 1.25f, 1.5f, 1.75f);
        assertThat(Tensor.arange(Device.cpu(), 3, 0, -1).toFloatArray()).as("negative step").containsExactly(3, 2, 1);
        assertThat(Tensor.arange(Device.cpu(), 3, 0, 1).numel()).as("empty range").isZero();
        assertThatThrownBy(() -> Tensor.arange(Device.cpu(), 0, 1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("step");
    }

    @Test
    void ofCopiesDataAndChecksItsLength() {
        float[] data = {1, 2, 3, 4, 5, 6};
        Tensor t = Tensor.of(data, 2, 3);
        data[0] = 99;
        assertThat(t.toFloatArray()).as("of() copies its input").containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(t.shape()).containsExactly(2, 3);
        assertThat(t.dim()).isEqualTo(2);
        assertThat(t.size(-1)).isEqualTo(3);
        assertThatThrownBy(() -> Tensor.of(new float[5], 2, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[2, 3]").hasMessageContaining("needs 6 values, got 5");
    }

    @Test
    void seededRandomTensorsAreReproducibleAndSeedsDiffer() {
        float[] a = Tensor.randn(new Generator(42), 100).toFloatArray();
        float[] b = Tensor.randn(new Generator(42), 100).toFloatArray();
        float[] c = Tensor.randn(new Generator(43), 100).toFloatArray();
        assertThat(b).as("same seed, same values").containsExactly(a);
        assertThat(c).as("another seed, other values").isNotEqualTo(a);
        assertThat(Tensor.rand(new Generator(42), 50).toFloatArray()).containsExactly(Tensor.rand(new Generator(42), 50).toFloatArray());
        assertThat(Tensor.rand(new Generator(1), 50).toFloatArray()).isNotEqualTo(Tensor.rand(new Generator(2), 50).toFloatArray());
    }

    @Test
    void randIsUniformInZeroOneAndRandnIsStandardNormal() {
        float[] u = Tensor.rand(new Generator(5), 20_000).toFloatArray();
        double mean = 0;
        for (float x : u) {
            assertThat(x).isGreaterThanOrEqualTo(0f).isLessThan(1f);
            mean += x / u.length;
        }
        assertThat(mean).as("mean of U[0,1)").isCloseTo(0.5, within(0.01));
        float[] n = Tensor.randn(new Generator(6), 20_000).toFloatArray();
        double m = 0, sq = 0;
        for (float x : n) {
            m += x / (double) n.length;
            sq += x * (double) x / n.length;
        }
        assertThat(m).as("mean of N(0,1)").isCloseTo(0, within(0.03));
        assertThat(sq - m * m).as("variance of N(0,1)").isCloseTo(1, within(0.04));
    }

    @Test
    void itemReadsTheOnlyElement() {
        assertThat(Tensor.scalar(3.5f).item()).isEqualTo(3.5f);
        assertThat(Tensor.of(new float[] {-2f}, 1, 1).item()).isEqualTo(-2f);
        assertThatThrownBy(() -> Tensor.ones(2).item()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("[2]");
    }

    @Test
    void toSameDeviceIsIdentityAndToAnotherCopies() {
        Tensor t = Tensor.of(new float[] {1, 2}, 2);
        assertThat(t.to(Device.cpu())).isSameAs(t);
        Tensor r = t.to(Device.reference());
        assertThat(r.device()).isSameAs(Device.reference());
        assertThat(r.toFloatArray()).containsExactly(1, 2);
        assertThatThrownBy(() -> Device.of("gpu")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gpu");
    }

    // ---- printing, against PyTorch ----------------------------------------------------------

    @Test
    void printsLikePyTorchForTheDocumentedExamples() {
        assertThat(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2).toString()).isEqualTo("tensor([[1., 2.],\n        [3., 4.]])");
        assertThat(Tensor.of(new float[] {0.5f, 0.25f}, 2).toString()).isEqualTo("tensor([0.5000, 0.2500])");
        assertThat(Tensor.scalar(3f).toString()).isEqualTo("tensor(3.)");
        assertThat(Tensor.of(new float[] {1, 2}, 2).requiresGrad(true).toString()).isEqualTo("tensor([1., 2.], requires_grad=True)");
    }

    @Test
    void printsGradFnAsTheOpNameFollowedByBackward() {
        Tensor x = Tensor.of(new float[] {1, 2}, 2).requiresGrad(true);
        // PyTorch writes MulBackward0; jgrad has one Mul function, so no number
        assertThat(x.mul(x).toString()).isEqualTo("tensor([1., 4.], grad_fn=<MulBackward>)");
        assertThat(x.neg().toString()).isEqualTo("tensor([-1., -2.], grad_fn=<NegBackward>)");
        assertThat(x.sum().toString()).isEqualTo("tensor(3., grad_fn=<SumBackward>)");
    }

    @Test
    void printsTheDeviceWhenItIsNotTheDefault() {
        assertThat(Tensor.of(Device.reference(), new float[] {1, 2}, 2).toString())
                .isEqualTo("tensor([1., 2.], device='reference')");
    }

    @Test
    void largeTensorIsSummarizedWithEllipsis() {
        // torch.arange(2000.): only 0, 1, 2 and 1997, 1998, 1999 are shown; 1999/1 > 1000 selects
        // scientific notation; 6 elements of width 10 fit in a line of 80 after "tensor(".
        assertThat(Tensor.arange(2000).toString()).isEqualTo(
                "tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n"
                        + "        1.9990e+03])");
    }

    /** Every case of src-test/engine/resources/torch/tensor_format_fixture.txt, printed by PyTorch. */
    static Stream<Arguments> pytorchPrintouts() {
        List<Arguments> cases = new ArrayList<>();
        for (String line : TorchFixture.readLines("/torch/tensor_format_fixture.txt")) {
            if (line.startsWith("#") || line.isEmpty()) continue;
            String[] f = line.split("\t", -1);
            cases.add(Arguments.of(f[0], f[1], f[2], Boolean.parseBoolean(f[3].toLowerCase()), unescape(f[4])));
        }
        return cases.stream();
    }

    private static String unescape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char next = s.charAt(++i);
                sb.append(next == 'n' ? '\n' : next);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pytorchPrintouts")
    void printsExactlyAsPyTorch(String name, String shapeText, String valuesText, boolean requiresGrad, String expected) {
        int[] shape = TorchFixture.parseShape(shapeText);
        Tensor t = valuesText.equals("arange")
                ? Tensor.arange(jgrad.backend.Layout.sizeOf(shape)).reshape(shape)
                : Tensor.of(TorchFixture.parseValues(valuesText), shape);
        if (requiresGrad) t.requiresGrad(true);
        assertThat(t.toString()).as("%s: shape %s", name, java.util.Arrays.toString(shape)).isEqualTo(expected);
    }

    @Test
    void printsANonContiguousTensorInLogicalOrder() {
        Tensor t = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).t();
        assertThat(t.toString()).isEqualTo("tensor([[1., 4.],\n        [2., 5.],\n        [3., 6.]])");
    }

    @org.junit.jupiter.api.Test
    void indicesAreMadeOncePerDeviceAndLength() {
        Tensor a = Kernels.indices(Device.cpu(), 5), b = Kernels.indices(Device.cpu(), 5);
        org.assertj.core.api.Assertions.assertThat(a).isSameAs(b);
        org.assertj.core.api.Assertions.assertThat(a.toFloatArray()).containsExactly(0, 1, 2, 3, 4);
        org.assertj.core.api.Assertions.assertThat(Kernels.indices(Device.reference(), 5)).isNotSameAs(a);
    }

    @Test
    void indexingSugarCallsTheIndexingOps() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        assertThat(x.indexSelect(0, Tensor.of(new float[] {2, 0, 2}, 3)).toFloatArray()).containsExactly(5, 6, 1, 2, 5, 6);
        assertThat(x.gather(1, Tensor.of(new float[] {1, 0, 0}, 3, 1)).toFloatArray()).containsExactly(2, 3, 5);
        assertThat(x.maskedFill(Tensor.of(new float[] {1, 0}, 2), -1f).toFloatArray()).containsExactly(-1, 2, -1, 4, -1, 6);
        assertThat(x.split(2, 0)).extracting(t -> t.shape()[0]).containsExactly(2, 1);
        assertThat(x.chunk(2, 1)).hasSize(2);
        assertThat(x.chunk(2, 1).get(1).toFloatArray()).containsExactly(2, 4, 6);
    }
}
