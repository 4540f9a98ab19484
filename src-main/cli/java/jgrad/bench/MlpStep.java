package jgrad.bench;

import jgrad.nn.CrossEntropyLoss;
import jgrad.nn.Linear;
import jgrad.nn.ReLU;
import jgrad.nn.Sequential;
import jgrad.nn.Sigmoid;
import jgrad.optim.SGD;
import jgrad.tensor.Device;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;

/**
 * One training step of an MLP on a mini-batch held in memory: forward, cross-entropy, backward,
 * SGD with momentum, and reading the loss value, exactly as a training loop does. The batches
 * cycle through a fixed set of random "images" so the data costs nothing.
 */
public final class MlpStep {
    private final Sequential model = new Sequential();
    private final SGD optimizer;
    private final CrossEntropyLoss loss = new CrossEntropyLoss();
    private final Tensor[] inputs, targets;
    private int next;
    public final int batch;
    public final String name;

    /** sizes e.g. {784, 16, 16, 10}; activation "sigmoid" or "relu". */
    public MlpStep(Device device, int[] sizes, String activation, int batch) {
        this.batch = batch;
        StringBuilder n = new StringBuilder();
        for (int s : sizes) n.append(n.isEmpty() ? "" : "-").append(s);
        this.name = n + " " + activation;
        Generator g = new Generator(1);
        Device previous = Device.getDefault();
        Device.setDefault(device);  // parameters are created on the default device
        try {
            for (int i = 0; i < sizes.length - 1; i++) {
                model.add(new Linear(sizes[i], sizes[i + 1], true, g));
                if (i < sizes.length - 2) model.add(activation.equals("relu") ? new ReLU() : new Sigmoid());
            }
        } finally {
            Device.setDefault(previous);
        }
        optimizer = new SGD(model.parameters(), 0.01f, 0.9f, 0f);
        int sets = 16;
        inputs = new Tensor[sets];
        targets = new Tensor[sets];
        for (int i = 0; i < sets; i++) {
            inputs[i] = Tensor.rand(g, batch, sizes[0]).to(device);
            float[] y = new float[batch];
            for (int j = 0; j < batch; j++) y[j] = g.nextInt(sizes[sizes.length - 1]);
            targets[i] = Tensor.of(device, y, batch);
        }
    }

    /** One step; returns the loss value (so nothing can be optimised away). */
    public float step() {
        int i = next++ % inputs.length;
        Tensor cost = loss.forward(model.forward(inputs[i]), targets[i]);
        optimizer.zeroGrad();
        cost.backward();
        optimizer.step();
        return cost.item();
    }
}
