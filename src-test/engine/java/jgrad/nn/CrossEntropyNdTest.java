package jgrad.nn;

import java.util.stream.Stream;
import jgrad.TorchFixture;
import jgrad.autograd.GradCheck;
import jgrad.nn.Loss.Reduction;
import jgrad.tensor.Device;
import jgrad.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CrossEntropyLoss on image-shaped logits [N, C, d1, d2] (one classification per pixel, issue #18),
 * against PyTorch ({@code ce_nd_fixture.py}: every reduction, class indices and probabilities, loss
 * and gradient) and against central differences, on each CPU backend.
 */
class CrossEntropyNdTest {
    private static final TorchFixture TORCH = TorchFixture.load("ce_nd_fixture.txt");

    static Stream<Device> devices() {
        return Stream.of(Device.cpu(), Device.reference());
    }

    private static Tensor on(Device d, String key) {
        return Tensor.of(d, TORCH.values(key), TORCH.shape(key));
    }

    @ParameterizedTest
    @MethodSource("devices")
    void everyReductionMatchesPyTorchLossAndGradient(Device d) {
        Tensor y = on(d, "cend.y");
        for (Reduction r : new Reduction[] {Reduction.MEAN, Reduction.SUM, Reduction.NONE}) {
            String name = r.name().toLowerCase(java.util.Locale.ROOT);
            Tensor z = on(d, "cend.z").requiresGrad(true);
            Tensor loss = new CrossEntropyLoss(r).forward(z, y);
            TORCH.assertMatches("cend." + name + ".loss", loss);
            if (r == Reduction.NONE) loss.backward(on(d, "cend.none.dy"));
            else loss.backward();
            TORCH.assertMatches("cend." + name + ".dz", z.grad());
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void probabilitiesAsTheTargetMatchPyTorch(Device d) {
        Tensor z = on(d, "cend.z").requiresGrad(true);
        Tensor loss = new CrossEntropyLoss().forward(z, on(d, "cend.p"));
        TORCH.assertMatches("cend.prob.loss", loss);
        loss.backward();
        TORCH.assertMatches("cend.prob.dz", z.grad());
    }

    @ParameterizedTest
    @MethodSource("devices")
    void backwardMatchesCentralDifferences(Device d) {
        Tensor y = on(d, "cend.y");
        GradCheck.assertGradientsMatch(xs -> new CrossEntropyLoss().forward(xs[0], y), on(d, "cend.z").requiresGrad(true));
        GradCheck.assertGradientsMatch(xs -> new CrossEntropyLoss(Reduction.SUM).forward(xs[0], y), on(d, "cend.z").requiresGrad(true));
    }
}
