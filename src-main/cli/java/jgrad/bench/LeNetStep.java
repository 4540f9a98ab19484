package jgrad.bench;

import jgrad.models.LeNet5;
import jgrad.tensor.Device;
import jgrad.tensor.Generator;

/**
 * LeNet-5 on random 28×28 batches held in memory: a training step (forward, cross-entropy,
 * backward, SGD with momentum, loss.item()) or an inference pass (no grad, predictions read back).
 * The PyTorch peer (jmh/peers/torch_peer.py, lenet_steps) does exactly the same.
 */
public final class LeNetStep {
    private final ClassifierSteps steps;
    public final int batch;

    public LeNetStep(Device device, int batch) {
        this.batch = batch;
        Generator g = new Generator(1);
        LeNet5 model = ClassifierSteps.onDevice(device, () -> new LeNet5(g));
        steps = new ClassifierSteps(device, g, model, model.parameters(), 16, 10, batch, 1, 28, 28);
    }

    public float train() {
        return steps.train();
    }

    /** Predicted classes of one batch (read back to the host, as evaluation does). */
    public float[] infer() {
        return steps.infer();
    }
}
