package jgrad.mnist;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import jgrad.data.mnist.MnistFiles;
import picocli.CommandLine.Option;

/** The dataset options that {@code mnist}, {@code train} and {@code transforms} share (a picocli mixin). */
public final class DataOptions {
    @Option(names = "--dataset", defaultValue = "mnist", description = "mnist or fashion-mnist (default: ${DEFAULT-VALUE})")
    String dataset;
    @Option(names = "--data", paramLabel = "DIR", description = "folder with the four IDX files, raw or .gz (default: ~/.cache/jgrad/<dataset>)")
    Path data;

    /** mnist or fashion-mnist. */
    public String dataset() {
        return dataset;
    }

    /** The --data folder as given, or null. */
    public Path data() {
        return data;
    }

    /** The folder holding the dataset's files, fetched on first use. */
    public Path dir(PrintStream log) throws IOException {
        return MnistFiles.ensure(dataset, data, log);
    }
}
