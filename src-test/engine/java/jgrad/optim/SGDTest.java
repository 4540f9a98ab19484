package jgrad.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import jgrad.TorchFixture;
import jgrad.autograd.NoGrad;
import jgrad.nn.Linear;
import jgrad.nn.MSELoss;
import jgrad.nn.Parameter;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** SGD's update rule by hand, and five steps against torch.optim.SGD. */
class SGDTest {

    private static Parameter param(float... v) {
        return new Parameter(Tensor.of(v, v.length));
    }

    private static void grad(Parameter p, float... g) {
        p.setGrad(Tensor.of(g, g.length));
    }

    @Test
    void plainStepMovesAgainstTheGradient() {
        Parameter theta = param(1f, -2f);
        grad(theta, 0.5f, 0.25f);
        new SGD(List.of(theta), 0.1f).step();
        // θ ← θ − η·g = [1 − 0.05, −2 − 0.025]
        assertThat(theta.toFloatArray()).as("θ=[1,-2], g=[0.5,0.25], η=0.1").containsExactly(new float[] {0.95f, -2.025f}, within(1e-6f));
        assertThat(theta.grad().toFloatArray()).as("the gradient is left as it was").containsExactly(0.5f, 0.25f);
    }

    @Test
    void momentumAccumulatesVelocityOverThreeSteps() {
        Parameter theta = param(1f, -2f);
        SGD opt = new SGD(List.of(theta), 0.1f, 0.9f, 0f);
        float[][] gs = {{1f, 2f}, {0.5f, -1f}, {-1f, 0f}};
        double[] expected = {1, -2}, v = null;
        for (int step = 0; step < 3; step++) {
            grad(theta, gs[step]);
            opt.step();
            // v ← g on the first step, v ← μ·v + g after; θ ← θ − η·v
            if (v == null) {
                v = new double[] {gs[0][0], gs[0][1]};
            } else {
                for (int i = 0; i < 2; i++) v[i] = 0.9 * v[i] + gs[step][i];
            }
            for (int i = 0; i < 2; i++) expected[i] -= 0.1 * v[i];
            assertThat(theta.toFloatArray()).as("θ after step %d", step + 1)
                    .containsExactly(new float[] {(float) expected[0], (float) expected[1]}, within(1e-6f));
        }
        // by hand: v = [1,2], [1.4,0.8], [0.26,0.72]; θ = [0.9,-2.2], [0.76,-2.28], [0.734,-2.352]
        assertThat(theta.toFloatArray()).containsExactly(new float[] {0.734f, -2.352f}, within(1e-6f));
    }

    @Test
    void weightDecayAddsLambdaThetaToTheGradient() {
        Parameter theta = param(1f, -2f);
        grad(theta, 0.5f, 0.5f);
        new SGD(List.of(theta), 0.1f, 0f, 0.1f).step();
        // g + λθ = [0.6, 0.3]; θ − 0.1·[0.6, 0.3]
        assertThat(theta.toFloatArray()).containsExactly(new float[] {0.94f, -2.03f}, within(1e-6f));
    }

    @Test
    void frozenAndGradientlessParametersAreUntouched() {
        Parameter frozen = param(1f, 2f), noGrad = param(3f), live = param(4f);
        grad(frozen, 1f, 1f);
        frozen.requiresGrad(false);
        grad(live, 1f);
        new SGD(List.of(frozen, noGrad, live), 0.5f, 0.9f, 0.1f).step();
        assertThat(frozen.toFloatArray()).as("requiresGrad false").containsExactly(1f, 2f);
        assertThat(noGrad.toFloatArray()).as("grad null").containsExactly(3f);
        // 4 − 0.5·(1 + 0.1·4)
        assertThat(live.toFloatArray()).as("trainable").containsExactly(new float[] {3.3f}, within(1e-6f));
    }

    @Test
    void zeroGradAndLearningRateChanges() {
        Parameter theta = param(1f);
        grad(theta, 1f);
        SGD opt = new SGD(List.of(theta), 0.1f);
        opt.setLr(0.5f);
        assertThat(opt.lr()).isEqualTo(0.5f);
        opt.step();
        assertThat(theta.item()).isEqualTo(0.5f);
        opt.zeroGrad();
        assertThat(theta.grad()).isNull();
    }

    @Test
    void invalidSettingsAreRefused() {
        List<Parameter> ps = List.of(param(1f));
        assertThatThrownBy(() -> new SGD(ps, -0.1f)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("learning rate");
        assertThatThrownBy(() -> new SGD(ps, Float.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SGD(List.of(), 0.1f)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> new SGD(ps, 0.1f, -1f, 0f)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("momentum");
        assertThatThrownBy(() -> new SGD(ps, 0.1f, 0f, -1f)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("weight decay");
    }

    @Test
    void fiveStepsWithMomentumAndWeightDecayMatchPyTorch() {
        TorchFixture f = TorchFixture.load("losses_fixture.txt");
        Linear model = new Linear(3, 2, true, new Generator(0));
        try (NoGrad scope = NoGrad.enter()) {
            model.weight.copyFrom(f.tensor("sgd.weight.0"));
            model.bias.copyFrom(f.tensor("sgd.bias.0"));
        }
        Tensor x = f.tensor("sgd.x"), y = f.tensor("sgd.y");
        SGD opt = new SGD(model.parameters(), 0.1f, 0.9f, 0.01f);
        for (int step = 1; step <= 5; step++) {
            opt.zeroGrad();
            Tensor loss = new MSELoss().forward(model.forward(x), y);
            loss.backward();
            opt.step();
            f.assertMatches("sgd.loss." + step, loss);
            f.assertMatches("sgd.weight." + step, model.weight);
            f.assertMatches("sgd.bias." + step, model.bias);
        }
    }
}
