package jgrad.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jgrad.models.ResNetMini;

/**
 * How a backbone that jgrad pretrains itself is made: the architecture, the data set, the seed, the
 * epochs and how many training images (0: all). The recipe names the file in the cache
 * ({@link #fileName}), is written into the file's metadata, and is checked against it when the
 * cached file is used again ({@link #mismatch}), so a file is only ever reused for the recipe that
 * made it. Training is fixed: Adam at {@value #LR}, batches of {@value #BATCH}, shuffled from the
 * seed; the network's weights also start from the seed.
 *
 * <p>Checked by: {@code jgrad.cli.PretrainingTest}.
 */
record BackboneRecipe(String arch, String dataset, long seed, int epochs, int limit) {
    static final double LR = 1e-3;
    static final int BATCH = 64;
    static final List<String> DATASETS = List.of("fashion-mnist", "mnist");

    BackboneRecipe {
        if (!arch.equals(ResNetMini.NAME)) {
            throw new IllegalArgumentException("--model " + arch + ": jgrad pretrains " + ResNetMini.NAME + " (a small ResNet for 28×28 grey images)");
        }
        if (!DATASETS.contains(dataset)) throw new IllegalArgumentException("--dataset " + dataset + ": expected one of " + DATASETS);
        if (epochs < 1) throw new IllegalArgumentException("--epochs must be ≥ 1, got " + epochs);
        if (limit < 0) throw new IllegalArgumentException("--limit must be ≥ 0 (0: every training image), got " + limit);
    }

    /** The default: the backbone of the README's transfer demo. */
    static BackboneRecipe fashionMnist(long seed, int epochs) {
        return new BackboneRecipe(ResNetMini.NAME, "fashion-mnist", seed, epochs, 0);
    }

    /** The cache's name for it, e.g. {@code resnet_mini-fashion-mnist-seed1-e2.safetensors}. */
    String fileName() {
        return arch + "-" + dataset + "-seed" + seed + "-e" + epochs + (limit > 0 ? "-n" + limit : "") + ".safetensors";
    }

    /** The command that makes it. */
    String command() {
        return "./jgrad pretrain --model " + arch + " --dataset " + dataset + " --seed " + seed + " --epochs " + epochs
                + (limit > 0 ? " --limit " + limit : "");
    }

    /** The metadata a file made by this recipe carries, with what training measured. */
    Map<String, String> metadata(int trainImages, int testImages, double testAccuracy, double seconds) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("arch", arch);
        m.put("in_channels", "1");
        m.put("num_classes", "10");
        m.put("dataset", dataset);
        m.put("seed", Long.toString(seed));
        m.put("epochs", Integer.toString(epochs));
        m.put("limit", Integer.toString(limit));
        m.put("train_images", Integer.toString(trainImages));
        m.put("test_images", Integer.toString(testImages));
        m.put("test_accuracy", String.format(java.util.Locale.ROOT, "%.4f", testAccuracy));
        m.put("optimizer", "adam lr " + LR + ", batch " + BATCH);
        m.put("train_seconds", String.format(java.util.Locale.ROOT, "%.1f", seconds));
        m.put("command", command());
        return m;
    }

    /** Null when {@code meta} says this recipe made the file; otherwise the first key that differs, in words. */
    String mismatch(Map<String, String> meta) {
        Map<String, String> want = Map.of("arch", arch, "dataset", dataset, "seed", Long.toString(seed), "epochs", Integer.toString(epochs),
                "limit", Integer.toString(limit));
        for (String k : List.of("arch", "dataset", "seed", "epochs", "limit")) {
            if (!want.get(k).equals(meta.get(k))) {
                return "was not made by '" + command() + "' (its metadata has " + k + " = " + meta.get(k) + ", expected " + want.get(k) + ")";
            }
        }
        return null;
    }
}
