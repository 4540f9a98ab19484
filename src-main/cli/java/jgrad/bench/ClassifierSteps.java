package jgrad.bench;

import java.util.List;
import java.util.function.Supplier;
import jgrad.autograd.NoGrad;
import jgrad.nn.CrossEntropyLoss;
import jgrad.nn.Module;
import jgrad.nn.Parameter;
import jgrad.optim.SGD;
import jgrad.tensor.Device;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;

/**
 * What {@link LeNetStep} and {@link ZooStep} share: random labelled batches held in memory, cycled,
 * and over them a classifier's training step (train mode, forward, cross-entropy, backward, SGD
 * with momentum 0.9 at lr 0.01, loss.item()) or inference pass (eval mode, no grad, predictions read
 * back), as the PyTorch peer (jmh/peers/torch_peer.py) does them.
 */
final class ClassifierSteps {
    private final Module model;
    private final SGD optimizer;
    private final CrossEntropyLoss loss = new CrossEntropyLoss();
    private final Tensor[] inputs, targets;
    private int next;

    /** {@code batches} batches of shape {@code image} (batch first) with labels below {@code classes}, drawn from g after the model. */
    ClassifierSteps(Device device, Generator g, Module model, List<Parameter> trained, int batches, int classes, int... image) {
        this.model = model;
        optimizer = new SGD(trained, 0.01f, 0.9f, 0f);
        inputs = new Tensor[batches];
        targets = new Tensor[batches];
        int batch = image[0];
        for (int i = 0; i < batches; i++) {
            inputs[i] = Tensor.rand(g, image).to(device);
            float[] y = new float[batch];
            for (int j = 0; j < batch; j++) y[j] = g.nextInt(classes);
            targets[i] = Tensor.of(device, y, batch);
        }
    }

    /** The model made with its parameters on {@code device} (they are created on the default device). */
    static <M extends Module> M onDevice(Device device, Supplier<M> make) {
        Device previous = Device.getDefault();
        Device.setDefault(device);
        try {
            return make.get();
        } finally {
            Device.setDefault(previous);
        }
    }

    float train() {
        int i = next++ % inputs.length;
        model.train();
        Tensor cost = loss.forward(model.forward(inputs[i]), targets[i]);
        optimizer.zeroGrad();
        cost.backward();
        optimizer.step();
        return cost.item();
    }

    /** Predicted classes of one batch (read back to the host, as evaluation does). */
    float[] infer() {
        int i = next++ % inputs.length;
        model.eval();
        try (NoGrad scope = NoGrad.enter()) {
            return model.forward(inputs[i]).argmax(1, false).toFloatArray();
        }
    }
}
