package jgrad.mnist;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import jgrad.data.mnist.MnistFiles;
import jgrad.nn.Module;
import jgrad.tensor.Generator;
import picocli.CommandLine.Option;

/** The dataset options the commands share (a picocli mixin), and the built-in models of train and transforms. */
public final class DataOptions {
    @Option(names = "--dataset", defaultValue = "mnist", description = "mnist or fashion-mnist (default: ${DEFAULT-VALUE})")
    String dataset;
    @Option(names = "--data", paramLabel = "DIR", description = "folder with the four IDX files, raw or .gz (default: ~/.cache/jgrad/<dataset>)")
    Path data;

    /** The folder holding the dataset's files, fetched on first use. */
    Path dir(PrintStream log) throws IOException {
        return MnistFiles.ensure(dataset, data, log);
    }

    /** mlp (784-128-64-10 ReLU), lenet (LeNet-5) or vgg (the small VGG-style net), initialized from {@code g}. */
    static Module model(String name, Generator g) {
        return switch (name) {
            case "mlp" -> new jgrad.models.Mlp(jgrad.data.mnist.MnistDataset.PIXELS, List.of(128, 64), jgrad.data.mnist.MnistDataset.CLASSES, "relu", g);
            case "lenet" -> new jgrad.models.LeNet5(g);
            case "vgg" -> new jgrad.models.SmallVgg(g);
            default -> throw new IllegalArgumentException("--model must be mlp, lenet or vgg, got '" + name + "'");
        };
    }
}
