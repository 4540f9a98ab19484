package jgrad.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import jgrad.TorchFixture;
import jgrad.autograd.GradCheck;
import jgrad.nn.Functional;
import jgrad.nn.ReLU6;
import jgrad.tensor.Device;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** ReLU6 = min(max(0, z), 6): by hand, against central differences away from the kinks, and against PyTorch. */
class Relu6Test {
    private static final TorchFixture TORCH = TorchFixture.load("layers18_fixture.txt");

    static Stream<Device> devices() {
        return Stream.of(Device.cpu(), Device.reference());
    }

    @ParameterizedTest
    @MethodSource("devices")
    void clampsToZeroAndSixAndLetsTheGradientThroughOnlyBetween(Device d) {
        Tensor z = Tensor.of(d, new float[] {-2, 0, 0.5f, 5.5f, 6, 7, 1e8f, -0f}, 8).requiresGrad(true);
        Tensor a = new ReLU6().forward(z);
        assertThat(a.toFloatArray()).containsExactly(0, 0, 0.5f, 5.5f, 6, 6, 6, 0);
        a.backward(Tensor.of(d, new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 8));
        assertThat(z.grad().toFloatArray()).as("1 only for 0 < z < 6; 0 at both kinks, as PyTorch")
                .containsExactly(0, 0, 3, 4, 0, 0, 0, 0);
    }

    @ParameterizedTest
    @MethodSource("devices")
    void backwardMatchesCentralDifferenceAwayFromTheKinks(Device d) {
        // every value at least 0.1 from 0 and 6, so GradCheck's step 0.01 never crosses a kink
        Tensor z = Tensor.of(d, new float[] {-3, -0.4f, 0.2f, 1.7f, 3, 5.8f, 6.3f, 9, 4.4f, -1.1f, 2.5f, 0.9f}, 3, 4).requiresGrad(true);
        GradCheck.Result r = new GradCheck().check(t -> Functional.relu6(t[0]), z);
        assertThat(r.passed()).as(r.detail()).isTrue();
    }

    @ParameterizedTest
    @MethodSource("devices")
    void matchesPyTorch(Device d) {
        Tensor x = Tensor.of(d, TORCH.values("relu6.x"), TORCH.shape("relu6.x")).requiresGrad(true);
        Tensor y = new ReLU6().forward(x);
        TORCH.assertMatches("relu6.y", y, 0, 0);
        y.backward(Tensor.of(d, TORCH.values("relu6.dy"), TORCH.shape("relu6.dy")));
        TORCH.assertMatches("relu6.dx", x.grad(), 0, 0);
    }

    @Test
    void printsLikePyTorch() {
        assertThat(new jgrad.nn.Sequential(new ReLU6()).toString()).contains("(0): ReLU6()");
    }
}
