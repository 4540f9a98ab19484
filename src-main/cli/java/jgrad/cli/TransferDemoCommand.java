package jgrad.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import jgrad.tensor.AtomicFile;
import jgrad.tensor.Safetensors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./jgrad transfer-demo}: the README's transfer-learning table ({@link TransferDemo}). The
 * backbone is pretrained by jgrad on Fashion-MNIST ({@link Pretraining}, built once into the weights
 * cache) unless {@code --weights} names a file.
 */
@Command(name = "transfer-demo", mixinStandardHelpOptions = true,
        description = "Transfer a backbone that jgrad pretrained on Fashion-MNIST to MNIST (or scikit-learn's 8×8 digits) with few labels: "
                + "from scratch, feature extraction, fine-tuning and fine-tuning with unfreezing; test accuracy and time as a Markdown table.")
public final class TransferDemoCommand implements Callable<Integer> {
    @Option(names = "--target", defaultValue = "mnist", description = "mnist or digits (default: ${DEFAULT-VALUE})")
    String target;
    @Option(names = "--labels", defaultValue = "1000", description = "labelled training images, a multiple of 10 (default: ${DEFAULT-VALUE})")
    int labels;
    @Option(names = "--data", paramLabel = "DIR|CSV", description = "mnist: the folder of its IDX files; digits: the CSV (default: their usual places)")
    Path data;
    @Option(names = "--weights", paramLabel = "FILE", description = "a pretrained resnet_mini (default: ./jgrad pretrain's, from the cache, built if absent)")
    Path weights;
    @Option(names = "--pretrain-epochs", defaultValue = "1", description = "epochs of the default backbone (default: ${DEFAULT-VALUE})")
    int pretrainEpochs;
    @Option(names = "--epochs", defaultValue = "10", description = "(default: ${DEFAULT-VALUE})")
    int epochs;
    @Option(names = "--feature-epochs", defaultValue = "100",
            description = "feature extraction: epochs of the head over the cached features, each a fraction of a second (default: ${DEFAULT-VALUE})")
    int featureEpochs;
    @Option(names = "--batch-size", defaultValue = "32", description = "(default: ${DEFAULT-VALUE})")
    int batch;
    @Option(names = "--lr", defaultValue = "0.003", description = "Adam's rate for the head and for training from scratch (default: ${DEFAULT-VALUE})")
    double lr;
    @Option(names = "--backbone-lr-scale", defaultValue = "0.1", description = "fine-tuning: the backbone's rate is --lr times this (default: ${DEFAULT-VALUE})")
    double backboneLrScale;
    @Option(names = "--unfreeze-at", defaultValue = "4", description = "the last mode: the epoch at which the backbone starts learning (default: ${DEFAULT-VALUE})")
    int unfreezeAt;
    @Option(names = "--modes", split = ",", description = "some of scratch, feature-extract, fine-tune, unfreeze (default: all four)")
    List<String> modes;
    @Option(names = "--seed", defaultValue = "1", description = "the labelled images, the new head's weights, the shuffling (default: ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--json", paramLabel = "FILE", description = "the rows as JSON")
    Path json;

    @Override
    public Integer call() throws Exception {
        TransferDemo.Settings s = new TransferDemo.Settings(epochs, featureEpochs, batch, lr, backboneLrScale, unfreezeAt, seed);
        List<TransferDemo.Mode> which = parseModes(modes);
        if (which.contains(TransferDemo.Mode.UNFREEZE)) s.checkUnfreeze();
        TransferTargets.Target t = switch (target) {
            case "mnist" -> TransferTargets.mnist(data, labels, seed, System.out);
            case "digits" -> TransferTargets.digits(data, labels, seed);
            default -> throw new IllegalArgumentException("--target must be mnist or digits, got '" + target + "'");
        };
        boolean needsBackbone = which.stream().anyMatch(m -> m != TransferDemo.Mode.SCRATCH);
        Path w = weights != null || !needsBackbone ? weights : Pretraining.defaultCache(System.out).ensure(BackboneRecipe.fashionMnist(1, pretrainEpochs));
        Map<String, String> meta = w == null ? Map.of() : Safetensors.read(w).metadata();
        TransferDemo demo = new TransferDemo(w, t.train(), t.test(), s, System.out);
        List<TransferDemo.Row> rows = new ArrayList<>();
        for (TransferDemo.Mode m : which) rows.add(demo.run(m));
        System.out.println();
        System.out.print(table(t, w, meta, s, rows));
        if (json != null) {
            StringBuilder sb = new StringBuilder("[");
            for (TransferDemo.Row r : rows) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("target", t.name());
                o.put("labels", t.train().size());
                o.put("test_images", t.test().size());
                o.put("mode", r.mode().name().toLowerCase(Locale.ROOT));
                o.put("test_accuracy", r.testAccuracy());
                o.put("seconds", r.seconds());
                o.put("trained_parameters", r.trainedParameters());
                o.put("weights", w == null ? null : w.getFileName().toString());
                sb.append(sb.length() > 1 ? ",\n" : "\n").append(jgrad.train.Json.object(o));
            }
            AtomicFile.writeString(json, sb.append("\n]\n").toString());
        }
        return 0;
    }

    static List<TransferDemo.Mode> parseModes(List<String> names) {
        if (names == null || names.isEmpty()) return List.of(TransferDemo.Mode.values());
        List<TransferDemo.Mode> out = new ArrayList<>();
        for (String n : names) {
            out.add(switch (n.strip()) {
                case "scratch" -> TransferDemo.Mode.SCRATCH;
                case "feature-extract" -> TransferDemo.Mode.FEATURE_EXTRACT;
                case "fine-tune" -> TransferDemo.Mode.FINE_TUNE;
                case "unfreeze" -> TransferDemo.Mode.UNFREEZE;
                default -> throw new IllegalArgumentException("--modes: '" + n + "' is not one of scratch, feature-extract, fine-tune, unfreeze");
            });
        }
        return out;
    }

    /** The rows as a Markdown table with a line saying what was measured. */
    static String table(TransferTargets.Target t, Path w, Map<String, String> meta, TransferDemo.Settings s, List<TransferDemo.Row> rows) {
        StringBuilder sb = new StringBuilder();
        String backbone = w == null ? "none" : String.format(Locale.ROOT, "%s (%s, %s epochs on %s, its test accuracy %s)", w.getFileName(),
                meta.getOrDefault("arch", "?"), meta.getOrDefault("epochs", "?"), meta.getOrDefault("dataset", "?"), meta.getOrDefault("test_accuracy", "?"));
        sb.append(String.format(Locale.ROOT, "%s, %,d labelled training images (%d per class), %,d test images; backbone %s; "
                        + "Adam lr %s, %d epochs (feature extraction: %d), batch %d, backbone lr × %s, unfreeze at epoch %d%n%n",
                t.name(), t.train().size(), t.train().size() / 10, t.test().size(), backbone, s.lr(), s.epochs(), s.featureEpochs(), s.batch(),
                s.backboneLrScale(), s.unfreezeAt()));
        sb.append("| method | trained parameters | test accuracy | wall time |\n|---|---:|---:|---:|\n");
        for (TransferDemo.Row r : rows) {
            String title = r.mode() == TransferDemo.Mode.UNFREEZE ? "fine-tuning, backbone frozen until epoch " + s.unfreezeAt() : r.mode().title;
            sb.append(String.format(Locale.ROOT, "| %s | %,d | %.2f %% | %.1f s |%n", title, r.trainedParameters(), 100 * r.testAccuracy(), r.seconds()));
        }
        return sb.toString();
    }
}
