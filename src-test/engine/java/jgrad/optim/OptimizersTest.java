package jgrad.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import jgrad.TorchFixture;
import jgrad.nn.Parameter;
import jgrad.tensor.Device;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every optimizer against PyTorch: the same [3, 5] parameter and ten fixed gradients (of sizes
 * 0.1, 1 and 10, so that per-weight scaling matters) give the same parameter after ten steps,
 * to 1e-5 relative, on both CPU backends. Fixture: src-test/engine/resources/torch/optim_fixture.py.
 */
class OptimizersTest {
    static final TorchFixture F = TorchFixture.load("optim_fixture.txt");

    static Stream<Arguments> settings() {
        List<Object[]> s = List.of(
                new Object[] {"sgd.momentum", (Function<List<Parameter>, Optimizer>) p -> new SGD(p, 0.05f, 0.9f, 0.1f, 0.01f, false)},
                new Object[] {"sgd.nesterov", (Function<List<Parameter>, Optimizer>) p -> new SGD(p, 0.05f, 0.9f, 0f, 0.01f, true)},
                new Object[] {"adam.amsgrad", (Function<List<Parameter>, Optimizer>) p -> new Adam(p, 0.01f, 0.9f, 0.999f, 1e-8f, 0.05f, true)},
                new Object[] {"adamw", (Function<List<Parameter>, Optimizer>) p -> new AdamW(p, 0.01f, 0.9f, 0.999f, 1e-8f, 0.1f, false)},
                new Object[] {"adamw.amsgrad", (Function<List<Parameter>, Optimizer>) p -> new AdamW(p, 0.02f, 0.8f, 0.95f, 1e-8f, 0.01f, true)},
                new Object[] {"adagrad", (Function<List<Parameter>, Optimizer>) p -> new Adagrad(p, 0.1f)},
                new Object[] {"adagrad.decay", (Function<List<Parameter>, Optimizer>) p -> new Adagrad(p, 0.1f, 0.01f, 0.05f, 0.1f, 1e-10f)},
                new Object[] {"rmsprop", (Function<List<Parameter>, Optimizer>) p -> new RMSprop(p, 0.01f, 0.9f, 1e-8f, 0f, 0f, false)},
                new Object[] {"rmsprop.centered", (Function<List<Parameter>, Optimizer>) p -> new RMSprop(p, 0.01f, 0.99f, 1e-8f, 0.05f, 0.5f, true)});
        return Stream.of("cpu", "reference").flatMap(d -> s.stream().map(o -> Arguments.of(o[0], d, o[1])));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("settings")
    void tenStepsMatchPyTorch(String setting, String device, Function<List<Parameter>, Optimizer> make) {
        Device d = Device.of(device);
        Parameter theta = new Parameter(F.tensor("adam.theta0").to(d));
        Optimizer opt = make.apply(List.of(theta));
        for (int k = 0; k < 10; k++) {
            theta.setGrad(F.tensor("opt.grad" + k).to(d));
            opt.step();
        }
        F.assertMatches("opt." + setting, theta, 1e-5, 1e-6);
    }

    @Test
    void frozenParametersAreSkipped() {
        Parameter frozen = new Parameter(Tensor.of(new float[] {1f, 2f}, 2)), live = new Parameter(Tensor.of(new float[] {1f, 2f}, 2));
        frozen.setGrad(Tensor.of(new float[] {1f, 1f}, 2));
        live.setGrad(Tensor.of(new float[] {1f, 1f}, 2));
        frozen.requiresGrad(false);
        for (Optimizer o : List.of(new Adagrad(List.of(frozen, live), 0.1f), new RMSprop(List.of(frozen, live), 0.1f),
                new AdamW(List.of(frozen, live), 0.1f))) {
            o.step();
        }
        assertThat(frozen.toFloatArray()).containsExactly(1f, 2f);
        assertThat(live.toFloatArray()[0]).isLessThan(1f);
    }

    @Test
    void badHyperparametersAreRefusedByName() {
        List<Parameter> p = List.of(new Parameter(Tensor.of(new float[] {1f}, 1)));
        assertThatThrownBy(() -> new SGD(p, 0.1f, 0.9f, 0.1f, 0f, true)).hasMessageContaining("Nesterov");
        assertThatThrownBy(() -> new RMSprop(p, 0.1f, 1.5f, 1e-8f, 0f, 0f, false)).hasMessageContaining("alpha");
        assertThatThrownBy(() -> new Adagrad(p, 0.1f, -1f, 0f, 0f, 1e-10f)).hasMessageContaining("lr decay");
    }

    /** A backbone and a head at different rates and weight decays, stepped by one schedule: PyTorch's param_groups. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"sgd", "adamw"})
    void parameterGroupsKeepTheirOwnRateAndWeightDecay(String name) {
        Parameter a = new Parameter(F.tensor("adam.theta0")), b = new Parameter(F.tensor("adam.theta0"));
        Optimizer opt = name.equals("sgd") ? new SGD(List.of(a), 0.05f, 0.9f, 0.01f) : new AdamW(List.of(a), 0.05f, 0.9f, 0.999f, 1e-8f, 0.05f, false);
        ParamGroup head = opt.addParamGroup(List.of(b), 0.001f, 0.2f);
        StepLR schedule = new StepLR(opt, 3, 0.5);
        for (int k = 0; k < 10; k++) {
            a.setGrad(F.tensor("opt.grad" + k));
            b.setGrad(F.tensor("opt.grad" + k));
            opt.step();
            schedule.step();
        }
        F.assertMatches("groups." + name + ".a", a, 1e-5, 1e-6);
        F.assertMatches("groups." + name + ".b", b, 1e-5, 1e-6);
        assertThat(head.lr()).as("0.001 halved at epochs 3, 6, 9").isCloseTo(0.000125, org.assertj.core.api.Assertions.within(1e-9));
        assertThatThrownBy(() -> opt.addParamGroup(List.of(a), 0.1f)).hasMessageContaining("appears twice");
    }

    /** Saving after 5 steps and loading into a fresh optimizer continues bit for bit (checkpoints). */
    static Stream<Arguments> cpuSettings() {
        return settings().filter(a -> a.get()[1].equals("cpu"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cpuSettings")
    void stateDictContinuesBitForBit(String setting, String device, Function<List<Parameter>, Optimizer> make) {
        Parameter a = new Parameter(F.tensor("adam.theta0"));
        Optimizer first = make.apply(List.of(a));
        for (int k = 0; k < 5; k++) {
            a.setGrad(F.tensor("opt.grad" + k));
            first.step();
        }
        java.util.Map<String, Tensor> saved = first.stateDict();
        Parameter b = new Parameter(Tensor.of(a.toFloatArray(), a.shape()));
        Optimizer resumed = make.apply(List.of(b));
        resumed.loadStateDict(saved);
        for (int k = 5; k < 10; k++) {
            a.setGrad(F.tensor("opt.grad" + k));
            b.setGrad(F.tensor("opt.grad" + k));
            first.step();
            resumed.step();
        }
        assertThat(b.toFloatArray()).as("%s resumed from its state dict", setting).containsExactly(a.toFloatArray());
        assertThatThrownBy(() -> {
            Optimizer two = make.apply(List.of(new Parameter(Tensor.zeros(3, 5))));
            two.addParamGroup(List.of(new Parameter(Tensor.zeros(3, 5))), 0.1f);
            two.loadStateDict(saved);
        }).hasMessageContaining("parameter groups");
    }
}
