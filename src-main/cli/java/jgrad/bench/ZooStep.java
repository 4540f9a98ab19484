package jgrad.bench;

import jgrad.models.Models;
import jgrad.nn.Module;
import jgrad.nn.Parameter;
import jgrad.tensor.Device;
import jgrad.tensor.Generator;

/**
 * A zoo model (ResNet-18, MobileNetV2; 1,000 classes, as torchvision builds them) on random
 * [batch, 3, size, size] images held in memory: a training step (train mode, forward,
 * cross-entropy, backward, SGD with momentum 0.9, loss.item()) or an inference pass (eval mode, no
 * grad, predictions read back). The PyTorch peer (jmh/peers/torch_peer.py, {@code zoo_stepper})
 * does exactly the same with torchvision's model.
 *
 * <p>{@code frozenBackbone}: every parameter but the head's is frozen ({@code requiresGrad(false)},
 * not given to the optimizer), the backbone still in train mode: what fine-tuning the head alone
 * costs, next to the whole network's step (issue #18's "frozen costs no weight-gradient work").
 */
public final class ZooStep {
    private final ClassifierSteps steps;
    public final int batch;
    private final boolean infer;

    /** Batches cycled: few, since a 224×224 batch of 8 is 4.8 MB (the peer keeps the same number). */
    static final int BATCHES = 4;

    public ZooStep(Device device, String model, int batch, int size, boolean frozenBackbone, boolean infer) {
        this.batch = batch;
        this.infer = infer;
        Generator g = new Generator(1);
        Module net = ClassifierSteps.onDevice(device, () -> Models.create(model, 1000, g));
        if (frozenBackbone) {
            String head = model.startsWith("resnet") ? "fc." : "classifier.";
            net.namedParameters().forEach((name, p) -> p.requiresGrad(name.startsWith(head)));
        }
        steps = new ClassifierSteps(device, g, net, net.parameters().stream().filter(Parameter::requiresGrad).toList(),
                BATCHES, 1000, batch, 3, size, size);
    }

    /** The cases {@code ./jgrad bench --only resnet18} (or mobilenet_v2) times: issue #18's sizes. */
    public static final java.util.List<String> BENCH_CASES = java.util.List.of("train 224x8", "infer 224x8", "train 64x32", "infer 64x32",
            "frozen 224x8");

    /**
     * The case a name such as {@code resnet18_train 224x8} or {@code mobilenet_v2_infer 64x32} stands
     * for ({@code MODEL_train|infer|frozen SIZExBATCH}, MODEL resnet18 or mobilenet_v2, SIZE 32 to
     * 1024, BATCH 1 to 1024), or null when the name has another form (another kind of case).
     */
    public static ZooStep of(Device device, String name) {
        var m = java.util.regex.Pattern.compile("(resnet18|mobilenet_v2)_(train|infer|frozen) ([0-9]{1,4})x([0-9]{1,4})").matcher(name);
        if (!m.matches()) return null;
        int size = Integer.parseInt(m.group(3)), batch = Integer.parseInt(m.group(4));
        if (size < 32 || size > 1024 || batch < 1 || batch > 1024) {
            throw new IllegalArgumentException("'" + name + "': image size must be 32 to 1024 and batch 1 to 1024, got " + size + " and " + batch);
        }
        return new ZooStep(device, m.group(1), batch, size, m.group(2).equals("frozen"), m.group(2).equals("infer"));
    }

    /** One call of this case's work: a training step, or an inference pass. */
    public java.util.function.Supplier<?> work() {
        return infer ? this::infer : this::train;
    }

    public float train() {
        return steps.train();
    }

    /** Predicted classes of one batch (read back to the host, as evaluation does). */
    public float[] infer() {
        return steps.infer();
    }
}
