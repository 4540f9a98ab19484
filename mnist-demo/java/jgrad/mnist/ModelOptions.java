package jgrad.mnist;

import java.util.List;
import jgrad.data.mnist.MnistDataset;
import jgrad.models.LeNet5;
import jgrad.models.Mlp;
import jgrad.models.RowLstm;
import jgrad.models.SmallVgg;
import jgrad.nn.Module;
import jgrad.tensor.Generator;
import picocli.CommandLine.Option;

/**
 * How {@code --model} is built, the same in every command (a picocli mixin): {@code mlp} is the
 * multilayer perceptron 784-{@code --hidden}-10 with {@code --activation} between its layers (by
 * default 3Blue1Brown's 784-16-16-10 with sigmoids), {@code lenet} LeNet-5, {@code vgg} the small
 * VGG-style net, {@code lstm} an LSTM reading the image row by row (sequential MNIST, hidden 128). The commands differ only in which model they pick when {@code --model} is not given.
 */
public final class ModelOptions {
    public static final List<String> NAMES = List.of("mlp", "lenet", "vgg", "lstm");

    @Option(names = "--hidden", defaultValue = "16,16", split = ",", description = "mlp: hidden layer sizes (default: ${DEFAULT-VALUE})")
    List<Integer> hidden;
    @Option(names = "--activation", defaultValue = "sigmoid", description = "mlp: sigmoid or relu between the layers (default: ${DEFAULT-VALUE})")
    String activation;

    /** A clear error for a model name or MLP option that is not one of ours. */
    public void validate(String model) {
        if (!NAMES.contains(model)) throw new IllegalArgumentException("--model must be mlp, lenet, vgg or lstm, got '" + model + "'");
        if (!List.of("sigmoid", "relu").contains(activation)) throw new IllegalArgumentException("--activation must be sigmoid or relu, got '" + activation + "'");
        for (int h : hidden) if (h < 1) throw new IllegalArgumentException("--hidden sizes must be ≥ 1, got " + hidden);
        if (model.equals("mlp")) checkFits(mlpParameters(), Runtime.getRuntime().maxMemory());
    }

    /** The MLP's parameter count: Σ (in + 1) · out over its layers. */
    long mlpParameters() {
        long n = 0, in = MnistDataset.PIXELS;
        for (int h : hidden) {
            n += (in + 1) * h;
            in = h;
        }
        return n + (in + 1) * MnistDataset.CLASSES;
    }

    /** Refuses an MLP whose weights and gradients (2 × 4 bytes a parameter, before any optimizer state) exceed the heap. */
    void checkFits(long parameters, long heapBytes) {
        long bytes = 8 * parameters;
        if (bytes > heapBytes) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "--hidden %s: the MLP %s has %,d parameters, "
                    + "which with their gradients need %s, more than the Java heap (%s); use smaller layers, or a larger heap "
                    + "(JGRAD_JAVA_OPTS=-Xmx…)", hidden.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")),
                    describe("mlp").split(" ")[0], parameters, jgrad.tensor.Memory.describe(bytes), jgrad.tensor.Memory.describe(heapBytes)));
        }
    }

    /** The model called {@code name}, its weights drawn from {@code g}. */
    public Module build(String model, Generator g) {
        validate(model);
        return switch (model) {
            case "lenet" -> new LeNet5(g);
            case "vgg" -> new SmallVgg(g);
            case "lstm" -> new RowLstm(MnistDataset.ROWS, MnistDataset.COLS, 128, MnistDataset.CLASSES, g);
            default -> new Mlp(MnistDataset.PIXELS, hidden, MnistDataset.CLASSES, activation, g);
        };
    }

    /** "784-16-16-10 sigmoid", "lenet5" or "small-vgg": the model as summaries name it. */
    public String describe(String model) {
        if (!model.equals("mlp")) return switch (model) {
            case "lenet" -> "lenet5";
            case "lstm" -> "row-lstm-128";
            default -> "small-vgg";
        };
        StringBuilder sb = new StringBuilder(Integer.toString(MnistDataset.PIXELS));
        for (int h : hidden) sb.append('-').append(h);
        return sb.append('-').append(MnistDataset.CLASSES).append(' ').append(activation).toString();
    }
}
