package jgrad.autograd;

import static jgrad.backend.simd.RecyclingBackends.fresh;
import static jgrad.backend.simd.RecyclingBackends.reusing;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import jgrad.backend.simd.SimdBackend;
import jgrad.models.LeNet5;
import jgrad.nn.Dropout;
import jgrad.nn.Linear;
import jgrad.nn.Module;
import jgrad.nn.Sequential;
import jgrad.nn.CrossEntropyLoss;
import jgrad.nn.Parameter;
import jgrad.optim.SGD;
import jgrad.tensor.Device;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The engine gives each gradient buffer back to the backend once the gradient is used
 * ({@code Backend.recycle}), and the next outputs reuse it. A buffer given back while something
 * still reads it would change the numbers, so training with reuse must give the same bits as
 * training without it; the reusing backend also fills every buffer it hands out with NaN, so a
 * stale read cannot go unnoticed.
 */
class RecyclingTest {

    /** A model whose parameters are made on {@code device}. */
    private static <M> M built(Device device, java.util.function.Supplier<M> make) {
        Device previous = Device.getDefault();
        Device.setDefault(device);
        try {
            return make.get();
        } finally {
            Device.setDefault(previous);
        }
    }

    /** ReLU and a reshape in one layer: the reshape's output shares the ReLU's buffer, which ReLU's backward still reads. */
    private static final class ReluThenView extends Module {
        @Override
        public Tensor forward(Tensor x) {
            return x.relu().reshape(x.size(0), 2, 5).reshape(x.size(0), 10);
        }
    }

    /** Returns its input as it is: the next layer's input is then not this layer's own. */
    private static final class Identity extends Module {
        @Override
        public Tensor forward(Tensor x) {
            return x;
        }
    }

    /**
     * LeNet-5 (a Sequential inside a Sequential) with awkward layers after it, then a graph with a
     * tensor used twice, add's pass-through gradient and a shared leaf; the logits are read after
     * backward, as the Trainer does.
     */
    private static float[][] train(SimdBackend backend, int steps) {
        Device device = new Device("cpu", backend);
        Generator g = new Generator(7);
        Sequential model = built(device, () -> new Sequential(new LeNet5(g), new ReluThenView(), new Identity(),
                new Linear(10, 10, true, g), new Dropout(0.25f, new Generator(5)), new Identity()));
        Tensor scale = Tensor.randn(g, 10).to(device).requiresGrad(true);
        List<Parameter> params = model.parameters();
        SGD sgd = new SGD(params, 0.05f, 0.9f, 0f);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        float[][] out = new float[params.size() + 1 + steps][];
        for (int step = 0; step < steps; step++) {
            Tensor x = Tensor.rand(g, 32, 1, 28, 28).to(device);
            float[] labels = new float[32];
            for (int i = 0; i < labels.length; i++) labels[i] = g.nextInt(10);
            Tensor logits = model.forward(x);
            Tensor mixed = logits.add(logits.mul(scale)).add(logits.reshape(32, 10).mul(0.5f));
            Tensor cost = loss.forward(mixed, Tensor.of(device, labels, 32)).add(scale.square().sum().mul(1e-3f));
            sgd.zeroGrad();
            scale.setGrad(null);
            cost.backward();
            sgd.step();
            try (NoGrad off = NoGrad.enter()) {
                scale.addInPlace(scale.grad(), -0.05f);
            }
            out[params.size() + 1 + step] = logits.toFloatArray();
        }
        for (int i = 0; i < params.size(); i++) out[i] = params.get(i).toFloatArray();
        out[params.size()] = scale.toFloatArray();
        return out;
    }

    @Test
    void trainingWithReusedBuffersGivesTheSameBitsAsWithout() {
        SimdBackend reusing = reusing(), fresh = fresh();

        float[][] a = train(reusing, 4), b = train(fresh, 4);

        for (int i = 0; i < a.length; i++) assertThat(a[i]).as("parameter %d", i).containsExactly(b[i]);
        for (float[] p : a) {
            for (float v : p) assertThat(v).isFinite();
        }
        long[] counts = reusing.emptyCounts();
        assertThat(counts[0]).as("outputs made from given-back buffers").isGreaterThan(20);
        assertThat(fresh.emptyCounts()[0]).isZero();
    }

    @Test
    void aSteadyTrainingStepReusesItsGradientBuffers() {
        SimdBackend backend = new SimdBackend();
        train(backend, 2);
        long[] before = backend.emptyCounts();
        train(backend, 3);  // a new model on the same backend: its sizes are already in the pool
        long[] after = backend.emptyCounts();
        long reused = after[0] - before[0], made = after[1] - before[1];
        // each LeNet step gives back its big gradients ([32, 6, 28, 28] and smaller); fewer new arrays than reused ones
        assertThat(reused).isGreaterThan(made / 2);
        assertThat(after[2]).as("floats held").isPositive();
    }

    /** The 784-128-64-10 ReLU MLP of the steady-step tests, made on {@code device}. */
    private static Sequential mlp(Device device, Generator g) {
        return built(device, () -> new Sequential(new Linear(784, 128, true, g), new jgrad.nn.ReLU(),
                new Linear(128, 64, true, g), new jgrad.nn.ReLU(), new Linear(64, 10, true, g)));
    }

    /** 64 random labels of 10 classes, as a tensor on {@code device}. */
    private static Tensor labels(Generator g, Device device) {
        float[] labels = new float[64];
        for (int i = 0; i < labels.length; i++) labels[i] = g.nextInt(10);
        return Tensor.of(device, labels, 64);
    }

    /**
     * {@code warm} then {@code measured} steps of a 784-128-64-10 MLP (batch 64, SGD with momentum);
     * The first layer's weight gradient is taken out with grad() after the first {@code peeks}
     * backward passes and added to {@code kept}. Returns how many new arrays the backend made during
     * the measured steps.
     */
    private static long mlpSteps(SimdBackend backend, int warm, int measured, int peeks, List<Tensor> kept) {
        Device device = new Device("cpu", backend);
        Generator g = new Generator(11);
        Sequential model = mlp(device, g);
        SGD sgd = new SGD(model.parameters(), 0.01f, 0.9f, 0f);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        long madeBefore = 0;
        for (int step = 0; step < warm + measured; step++) {
            if (step == warm) madeBefore = backend.emptyCounts()[1];
            Tensor x = Tensor.rand(g, 64, 784).to(device), y = labels(g, device);
            Tensor cost = loss.forward(model.forward(x), y);
            sgd.zeroGrad();
            cost.backward();
            if (step < peeks) kept.add(model.parameters().get(0).grad());
            sgd.step();
        }
        return backend.emptyCounts()[1] - madeBefore;
    }

    @Test
    void aSteadyMlpStepMakesNoNewArrays() {
        // dropped parameter gradients (zeroGrad) and each Linear's product before its bias come back for reuse
        assertThat(mlpSteps(reusing(), 3, 6, 0, null)).isZero();
        // the same steps where the first layer's weight gradient is taken out with grad() each time:
        // that [128, 784] array can never be reused, so every step makes a new one
        assertThat(mlpSteps(reusing(), 3, 6, 9, new java.util.ArrayList<>())).isEqualTo(6);
    }

    /**
     * A 784-128-64-10 MLP whose first two layers are frozen (no parameter requires grad), trained for
     * {@code warm} then {@code measured} steps on the head alone. Returns the head's weights and every
     * step's logits, then (last) how many new arrays the backend made during the measured steps.
     */
    private static float[][] frozenBackboneSteps(SimdBackend backend, int warm, int measured) {
        Device device = new Device("cpu", backend);
        Generator g = new Generator(13);
        Sequential model = mlp(device, g);
        List<Parameter> all = model.parameters(), head = all.subList(4, 6);
        for (Parameter p : all.subList(0, 4)) p.requiresGrad(false);
        SGD sgd = new SGD(head, 0.05f, 0.9f, 0f);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        float[][] out = new float[warm + measured + 3][];
        long madeBefore = 0;
        for (int step = 0; step < warm + measured; step++) {
            if (step == warm) madeBefore = backend.emptyCounts()[1];
            Tensor x = Tensor.rand(g, 64, 784).to(device), y = labels(g, device);
            Tensor logits = model.forward(x);
            Tensor cost = loss.forward(logits, y);
            sgd.zeroGrad();
            cost.backward();
            sgd.step();
            out[step] = logits.toFloatArray();
        }
        out[warm + measured] = head.get(0).toFloatArray();
        out[warm + measured + 1] = head.get(1).toFloatArray();
        out[warm + measured + 2] = new float[] {backend.emptyCounts()[1] - madeBefore};
        return out;
    }

    @Test
    void aFrozenBackbonesActivationsGoBackAsInInference() {
        float[][] a = frozenBackboneSteps(reusing(), 3, 6), b = frozenBackboneSteps(fresh(), 3, 6);
        for (int i = 0; i < a.length - 1; i++) assertThat(a[i]).as("logits or head %d", i).containsExactly(b[i]);
        // No op of the frozen layers is in a graph, so each of their outputs goes back once the next
        // layer has read it: only the last one, which the head keeps for its weight gradient and
        // which nothing gives back, is a new [64, 64] array each step (without this rule, all four:
        // both layers' outputs and both ReLUs').
        assertThat(a[a.length - 1][0]).as("new arrays in 6 steady steps").isEqualTo(6f);
    }

    @Test
    void aGradientTakenOutWithGradKeepsItsValuesAfterZeroGrad() {
        // the gradient of the first step, taken out, then four more steps (each with zeroGrad) of
        // the same model on a backend that poisons what it hands out and what is given back
        List<Tensor> kept = new java.util.ArrayList<>();
        mlpSteps(reusing(), 0, 1, 1, kept);
        float[] expected = kept.get(0).toFloatArray();
        kept.clear();
        mlpSteps(reusing(), 0, 5, 1, kept);
        assertThat(kept.get(0).toFloatArray()).containsExactly(expected);
    }

    /** LeNet-5 inference, batch by batch, under NoGrad: Sequential gives back each activation once the next layer has read it. */
    private static float[][] infer(SimdBackend backend, Tensor[] kept) {
        Device device = new Device("cpu", backend);
        Generator g = new Generator(3);
        LeNet5 model = built(device, () -> new LeNet5(g));
        model.eval();
        float[][] out = new float[4][];
        try (NoGrad off = NoGrad.enter()) {
            for (int i = 0; i < out.length; i++) {
                Tensor x = Tensor.rand(g, 16, 1, 28, 28).to(device);
                if (i == 0) kept[0] = x;
                out[i] = model.forward(x).toFloatArray();
            }
        }
        return out;
    }

    @Test
    void inferenceReusesActivationsButNeverTheCallersInput() {
        SimdBackend reusing = reusing(), fresh = fresh();
        Tensor[] input = new Tensor[1], input2 = new Tensor[1];

        float[][] a = infer(reusing, input), b = infer(fresh, input2);

        for (int i = 0; i < a.length; i++) assertThat(a[i]).as("batch %d", i).containsExactly(b[i]);
        assertThat(input[0].toFloatArray()).as("the first batch's input, read after three more batches").containsExactly(input2[0].toFloatArray());
        // per batch: conv, ReLU, pool, conv, ReLU, pool outputs (the flatten is a view) and two fc layers' are given back
        assertThat(reusing.emptyCounts()[0]).isGreaterThanOrEqualTo(3 * 6);
    }

    @Test
    void aTensorUsedAfterItsBufferWasGivenBackIsRefused() {
        SimdBackend backend = new SimdBackend();
        Device device = new Device("cpu", backend);
        Tensor x = Tensor.of(device, new float[] {1f, -2f, 3f}, 3);
        Tensor y = x.relu();  // an op's output: its buffer came from empty()
        backend.recycle(y.buffer());
        org.assertj.core.api.Assertions.assertThatThrownBy(y::toFloatArray)
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("given back");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> y.add(x))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("given back");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> backend.recycle(y.buffer()))
                .as("given back twice").isInstanceOf(IllegalStateException.class);
        assertThat(x.toFloatArray()).containsExactly(1f, -2f, 3f);
    }

    /** w + (w + a·b) and a residual of a residual: a leaf reached twice in one pass, its first gradient still flowing elsewhere. */
    private static float[][] leafReachedTwice(SimdBackend backend) {
        Device device = new Device("cpu", backend);
        Generator g = new Generator(13);
        Tensor w = Tensor.randn(g, 2048).to(device).requiresGrad(true);
        Tensor a = Tensor.randn(g, 2048).to(device).requiresGrad(true), b = Tensor.randn(g, 2048).to(device).requiresGrad(true);
        Tensor c = Tensor.randn(g, 2048).to(device);
        w.add(w.add(a.mul(b))).mul(c).sum().backward();
        jgrad.nn.Residual net = built(device, () -> new jgrad.nn.Residual(new jgrad.nn.Residual(new Linear(32, 32, true, g))));
        Tensor x = Tensor.randn(g, 64, 32).to(device).requiresGrad(true);
        net.forward(x).square().sum().backward();
        return new float[][] {w.grad().toFloatArray(), a.grad().toFloatArray(), b.grad().toFloatArray(), x.grad().toFloatArray(),
            net.parameters().get(0).grad().toFloatArray()};
    }

    @Test
    void aLeafReachedTwiceInOnePassDoesNotGiveBackAGradientStillFlowing() {
        float[][] reused = leafReachedTwice(reusing()), fresh = leafReachedTwice(fresh());
        for (int i = 0; i < reused.length; i++) assertThat(reused[i]).as("gradient %d", i).containsExactly(fresh[i]);
    }
}
