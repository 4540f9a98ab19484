package jgrad.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import jgrad.models.ResNetMini;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./jgrad pretrain}: a backbone that jgrad pretrains itself ({@link Pretraining}), into the
 * weights cache (used again by later calls and by {@code ./jgrad transfer-demo}) or into a file.
 */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = "Pretrain a backbone (resnet_mini) on Fashion-MNIST or MNIST, reproducibly from a seed; safetensors with the recipe, "
                + "test accuracy and command in its metadata, kept in the weights cache (~/.cache/jgrad/weights).")
public final class PretrainCommand implements Callable<Integer> {
    @Option(names = "--model", defaultValue = ResNetMini.NAME, description = "the architecture (default: ${DEFAULT-VALUE})")
    String model;
    @Option(names = "--dataset", defaultValue = "fashion-mnist", description = "fashion-mnist or mnist (default: ${DEFAULT-VALUE})")
    String dataset;
    @Option(names = "--data", paramLabel = "DIR", description = "folder with the four IDX files (default: the data set's usual place)")
    Path data;
    @Option(names = "--seed", defaultValue = "1", description = "weights and shuffling (default: ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--epochs", defaultValue = "1", description = "(default: ${DEFAULT-VALUE})")
    int epochs;
    @Option(names = "--limit", defaultValue = "0", description = "train on the first N training images and test on the first N test images (0: all)")
    int limit;
    @Option(names = "--out", paramLabel = "FILE", description = "write here (always trains) instead of into the weights cache")
    Path out;
    @Option(names = "--force", description = "train again even if the cache has the file")
    boolean force;

    @Override
    public Integer call() throws Exception {
        BackboneRecipe r = new BackboneRecipe(model, dataset, seed, epochs, limit);
        if (out != null) {
            if (force) throw new IllegalArgumentException("--force is for the cache; --out always trains");
            new Pretraining(out.toAbsolutePath().getParent(), data, System.out).build(r, out);
        } else {
            Pretraining p = new Pretraining(jgrad.models.WeightsCache.defaultCache().folder(), data, System.out);
            if (force) p.build(r, jgrad.models.WeightsCache.defaultCache().folder().resolve(r.fileName()));
            else p.ensure(r);
        }
        return 0;
    }
}
