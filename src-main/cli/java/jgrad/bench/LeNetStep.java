package jgrad.bench;

import jgrad.autograd.NoGrad;
import jgrad.models.LeNet5;
import jgrad.nn.CrossEntropyLoss;
import jgrad.optim.SGD;
import jgrad.tensor.Device;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;

/**
 * LeNet-5 on random 28×28 batches held in memory: a training step (forward, cross-entropy,
 * backward, SGD with momentum, loss.item()) or an inference pass (no grad, predictions read back).
 * The PyTorch peer (jmh/peers/torch_peer.py, lenet_steps) does exactly the same.
 */
public final class LeNetStep {
    private final LeNet5 model;
    private final SGD optimizer;
    private final CrossEntropyLoss loss = new CrossEntropyLoss();
    private final Tensor[] inputs, targets;
    private int next;
    public final int batch;

    public LeNetStep(Device device, int batch) {
        this.batch = batch;
        Generator g = new Generator(1);
        Device previous = Device.getDefault();
        Device.setDefault(device);
        try {
            model = new LeNet5(g);
        } finally {
            Device.setDefault(previous);
        }
        optimizer = new SGD(model.parameters(), 0.01f, 0.9f, 0f);
        inputs = new Tensor[16];
        targets = new Tensor[16];
        for (int i = 0; i < 16; i++) {
            inputs[i] = Tensor.rand(g, batch, 1, 28, 28).to(device);
            float[] y = new float[batch];
            for (int j = 0; j < batch; j++) y[j] = g.nextInt(10);
            targets[i] = Tensor.of(device, y, batch);
        }
    }

    public float train() {
        int i = next++ % inputs.length;
        model.train();
        Tensor cost = loss.forward(model.forward(inputs[i]), targets[i]);
        optimizer.zeroGrad();
        cost.backward();
        optimizer.step();
        return cost.item();
    }

    /** Predicted classes of one batch (read back to the host, as evaluation does). */
    public float[] infer() {
        int i = next++ % inputs.length;
        model.eval();
        try (NoGrad scope = NoGrad.enter()) {
            return model.forward(inputs[i]).argmax(1, false).toFloatArray();
        }
    }
}
