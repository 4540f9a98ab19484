package jgrad.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import jgrad.TorchFixture;
import jgrad.nn.Parameter;
import jgrad.tensor.Device;
import jgrad.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Adam's first step by hand, and six steps against torch.optim.Adam on both CPU backends. */
class AdamTest {

    @Test
    void firstStepMovesEachWeightByTheLearningRate() {
        // after one step m̂ = g and v̂ = g², so θ moves by η·g/(|g| + ε) ≈ η·sign(g), whatever |g| is
        Parameter theta = new Parameter(Tensor.of(new float[] {1f, -2f, 3f}, 3));
        theta.setGrad(Tensor.of(new float[] {100f, -0.001f, 0f}, 3));
        new Adam(List.of(theta), 0.1f).step();
        assertThat(theta.toFloatArray()).as("θ=[1,-2,3], g=[100,-0.001,0], η=0.1")
                .containsExactly(new float[] {0.9f, -1.9f, 3f}, within(1e-5f));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "reference"})
    void sixStepsMatchPyTorch(String device) {
        Device d = Device.of(device);
        TorchFixture f = TorchFixture.load("optim_fixture.txt");
        for (String setting : new String[] {"default", "decay"}) {
            Parameter theta = new Parameter(f.tensor("adam.theta0").to(d));
            Adam adam = setting.equals("default") ? new Adam(List.of(theta), 0.01f)
                    : new Adam(List.of(theta), 0.05f, 0.8f, 0.99f, 1e-6f, 0.1f);
            for (int k = 0; k < 6; k++) {
                theta.setGrad(f.tensor("adam.grad" + k).to(d));
                adam.step();
                f.assertMatches("adam." + setting + ".step" + k, theta, 1e-5, 1e-6);
            }
        }
    }

    @Test
    void badHyperparametersAreRefusedByName() {
        Parameter theta = new Parameter(Tensor.of(new float[] {1f}, 1));
        assertThatThrownBy(() -> new Adam(List.of(theta), 0.1f, 1f, 0.999f, 1e-8f, 0f)).hasMessageContaining("betas");
        assertThatThrownBy(() -> new Adam(List.of(theta), 0.1f, 0.9f, 0.999f, -1f, 0f)).hasMessageContaining("eps");
        assertThatThrownBy(() -> new Adam(List.of(theta), -0.1f)).hasMessageContaining("learning rate");
    }
}
