package jgrad.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import jgrad.models.ResNetMini;
import jgrad.models.WeightsCache;
import jgrad.vision.ImageClassification;

/**
 * Pretrained weights known by name, as torchvision's weight enums are
 * ({@code resnet18(weights="IMAGENET1K_V1")}): {@code ./jgrad train --images DIR --model resnet_mini --weights fashion-mnist}.
 * Each is a backbone that jgrad pretrains itself ({@link BackboneRecipe}: built on first use into
 * the weights cache by {@link Pretraining}, taken from it afterwards) and carries the preprocessing
 * it was trained with, as torchvision's {@code weights.transforms()} does, so that your pictures
 * are fed the way the backbone saw its own: {@code fashion-mnist} and {@code mnist} want
 * 28 × 28 grey pictures with values in [0, 1] ({@link ImageClassification#mnist()}).
 *
 * <p>Checked by: {@code jgrad.cli.NamedWeightsTrainTest}.
 */
record NamedWeights(String name, String arch, BackboneRecipe recipe, ImageClassification preprocessing, String description) {
    /** Every named weight; {@code fashion-mnist} is the backbone of {@code ./jgrad transfer-demo} (the same file in the cache). */
    static final List<NamedWeights> ALL = List.of(
            new NamedWeights("fashion-mnist", ResNetMini.NAME, BackboneRecipe.fashionMnist(1, 1), ImageClassification.mnist(),
                    "resnet_mini pretrained by jgrad on Fashion-MNIST"),
            new NamedWeights("mnist", ResNetMini.NAME, new BackboneRecipe(ResNetMini.NAME, "mnist", 1, 1, 0), ImageClassification.mnist(),
                    "resnet_mini pretrained by jgrad on MNIST"));

    /** The named weight {@code weights} (exactly as spelled), or null. */
    static NamedWeights find(String weights) {
        return ALL.stream().filter(w -> w.name.equals(weights)).findFirst().orElse(null);
    }

    /** One line: each name with its architecture. */
    static String known() {
        return ALL.stream().map(w -> w.name + " (" + w.description + ", --model " + w.arch + ")").collect(Collectors.joining(", "));
    }

    /**
     * What {@code --weights} names: a named weight, or null for a URL or a file that exists. Anything
     * else is a one-line error that lists the names.
     */
    static NamedWeights of(String weights) {
        if (isUrl(weights)) return null;
        NamedWeights w = find(weights);
        if (w != null || Files.isRegularFile(Path.of(weights))) return w;
        throw new IllegalArgumentException("--weights " + weights + ": no such file, and no weights of that name; give a safetensors FILE, "
                + "an http(s) URL with --weights-sha256, or one of the names: " + known());
    }

    static boolean isUrl(String weights) {
        return weights.startsWith("http://") || weights.startsWith("https://");
    }

    /** Refuses a {@code --model} these weights were not made for. */
    void checkModel(String model) {
        if (!model.equals(arch)) {
            throw new IllegalArgumentException("--weights " + name + " is a " + arch + " (" + description + "), not a " + model
                    + ": use --model " + arch + " with it");
        }
    }

    /**
     * The safetensors file that {@code --weights} names: a named weight built on first use
     * (Fashion-MNIST or MNIST from {@code dataDir}, null: their usual places) or taken from the cache;
     * a URL fetched once through {@link WeightsCache} and checked against {@code sha256}; or the file.
     */
    static Path file(String weights, String sha256, Path dataDir, PrintStream log) throws IOException {
        if (isUrl(weights)) {
            if (sha256 == null) throw new IllegalArgumentException("--weights " + weights + ": a URL needs --weights-sha256 (64 hex digits)");
            return WeightsCache.defaultCache().fetch(URI.create(weights), sha256, log);
        }
        if (sha256 != null) throw new IllegalArgumentException("--weights-sha256 goes with a --weights URL, not a file or a name");
        NamedWeights w = of(weights);
        if (w == null) return Path.of(weights);
        return new Pretraining(WeightsCache.defaultCache().folder(), dataDir, log).ensure(w.recipe);
    }
}
