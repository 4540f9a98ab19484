package jgrad.bench;

import jgrad.models.CharLm;
import jgrad.models.RowLstm;
import jgrad.nn.CrossEntropyLoss;
import jgrad.nn.Module;
import jgrad.optim.SGD;
import jgrad.tensor.Device;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;

/**
 * One training step of a recurrent model on batches held in memory (forward, cross-entropy,
 * backward, SGD with momentum, reading the loss), as the PyTorch peer's {@code lstm_train} and
 * {@code charlm_train} cases do:
 * <ul>
 *   <li>{@link #lstm}: sequential MNIST, an LSTM reading 28 rows of 28 pixels, hidden 128, then a
 *       Linear to 10 classes, batch 64;</li>
 *   <li>{@link #charLm}: the char-LM, vocabulary 96, embedding 64, LSTM hidden 256, 100 characters,
 *       batch 32, the cross-entropy at every position.</li>
 * </ul>
 */
public final class SequenceStep {
    private final Module model;
    private final SGD optimizer;
    private final CrossEntropyLoss loss = new CrossEntropyLoss();
    private final Tensor[] inputs, targets;
    private final int classes;
    private int next;
    public final int batch;

    private SequenceStep(Device device, Module model, Tensor[] inputs, Tensor[] targets, int classes) {
        this.model = model;
        this.optimizer = new SGD(model.parameters(), 0.01f, 0.9f, 0f);
        this.inputs = inputs;
        this.targets = targets;
        this.classes = classes;
        this.batch = inputs[0].size(0);
    }

    private static <M extends Module> M on(Device device, java.util.function.Supplier<M> make) {
        Device previous = Device.getDefault();
        Device.setDefault(device);  // parameters are created on the default device
        try {
            return make.get();
        } finally {
            Device.setDefault(previous);
        }
    }

    public static SequenceStep lstm(Device device) {
        Generator g = new Generator(1);
        RowLstm model = on(device, () -> new RowLstm(28, 28, 128, 10, g));
        Tensor[] x = new Tensor[16], y = new Tensor[16];
        for (int i = 0; i < 16; i++) {
            x[i] = Tensor.rand(g, 64, 1, 28, 28).to(device);
            y[i] = ids(g, device, 10, 64);
        }
        return new SequenceStep(device, model, x, y, 10);
    }

    public static SequenceStep charLm(Device device) {
        Generator g = new Generator(1);
        CharLm model = on(device, () -> new CharLm(96, 64, 256, 1, 0f, g));
        Tensor[] x = new Tensor[16], y = new Tensor[16];
        for (int i = 0; i < 16; i++) {
            x[i] = ids(g, device, 96, 32, 100);
            y[i] = ids(g, device, 96, 32, 100);
        }
        return new SequenceStep(device, model, x, y, 96);
    }

    private static Tensor ids(Generator g, Device device, int bound, int... shape) {
        float[] v = new float[jgrad.backend.Layout.sizeOf(shape)];
        for (int i = 0; i < v.length; i++) v[i] = g.nextInt(bound);
        return Tensor.of(device, v, shape);
    }

    /** One step; returns the loss value (so nothing can be optimised away). */
    public float step() {
        int i = next++ % inputs.length;
        Tensor scores = model.forward(inputs[i]);
        Tensor cost = loss.forward(scores.reshape(-1, classes), targets[i].reshape(-1));
        optimizer.zeroGrad();
        cost.backward();
        optimizer.step();
        return cost.item();
    }
}
