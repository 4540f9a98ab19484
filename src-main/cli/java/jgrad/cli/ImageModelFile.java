package jgrad.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jgrad.models.Models;
import jgrad.nn.Module;
import jgrad.tensor.AtomicFile;
import jgrad.tensor.Generator;
import jgrad.tensor.JsonText;
import jgrad.tensor.Safetensors;
import jgrad.vision.ImageClassification;

/**
 * A model that {@code ./jgrad train --images} wrote: {@code model.safetensors} (the state dict,
 * torchvision's keys) and {@code model.json} beside it (architecture, image size, resize, channels,
 * the normalisation and the class names), enough to rebuild it with {@link TransferModel#build} and
 * prepare pictures as in training ({@link #preprocessing}).
 *
 * <p>Checked by: {@code jgrad.cli.TransferTrainTest}, {@code jgrad.cli.NamedWeightsTrainTest}.
 */
record ImageModelFile(String arch, ImageClassification preprocessing, List<String> classes) {
    static final String WEIGHTS = "model.safetensors", META = "model.json";

    /** An RGB model with ImageNet's normalisation at {@code imageSize} × {@code imageSize}. */
    ImageModelFile(String arch, int imageSize, List<String> classes) {
        this(arch, ImageClassification.imagenet(imageSize), classes);
    }

    /** The side of the square pictures the model sees. */
    int imageSize() {
        return preprocessing.crop();
    }

    /** Writes the weights and the JSON into {@code dir} (each atomically). */
    void save(Module net, Path dir) throws IOException {
        Safetensors.save(net.stateDict(), Map.of("arch", arch, "image_size", Integer.toString(imageSize()), "channels",
                Integer.toString(preprocessing.channels()), "num_classes", Integer.toString(classes.size())), dir.resolve(WEIGHTS));
        StringBuilder names = new StringBuilder("[");
        for (int i = 0; i < classes.size(); i++) names.append(i > 0 ? ", " : "").append(JsonText.quote(classes.get(i)));
        AtomicFile.writeString(dir.resolve(META), "{\n  \"arch\": " + JsonText.quote(arch) + ",\n  \"image_size\": " + imageSize()
                + ",\n  \"resize\": " + preprocessing.resize() + ",\n  \"channels\": " + preprocessing.channels() + ",\n  \"mean\": "
                + numbers(preprocessing.mean()) + ",\n  \"std\": " + numbers(preprocessing.std()) + ",\n  \"classes\": " + names + "]\n}\n");
    }

    private static String numbers(float[] v) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) b.append(i > 0 ? ", " : "").append(Float.toString(v[i]));
        return b.append(']').toString();
    }

    /** The description in {@code model.json} next to {@code weights}. */
    static ImageModelFile describe(Path weights) throws IOException {
        Path meta = weights.toAbsolutePath().resolveSibling(META);
        if (!Files.isRegularFile(meta)) throw new IOException(weights + ": no " + META + " beside it (written by ./jgrad train --images)");
        Object parsed;
        try {
            parsed = JsonText.parse(Files.readString(meta));
        } catch (JsonText.Malformed | java.nio.charset.CharacterCodingException e) {
            throw new IOException(meta + " is not valid JSON: " + e.getMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?> m) || !(m.get("arch") instanceof String arch) || !(m.get("image_size") instanceof Number size)
                || !(m.get("classes") instanceof List<?> names) || names.stream().anyMatch(n -> !(n instanceof String))) {
            throw new IOException(meta + ": expected {\"arch\": …, \"image_size\": …, \"classes\": [names]}");
        }
        List<String> classes = new ArrayList<>();
        for (Object n : names) classes.add((String) n);
        int channels = m.get("channels") instanceof Number c ? c.intValue() : 3;
        int resize = m.get("resize") instanceof Number r ? r.intValue() : size.intValue();
        float[] mean = floats(m.get("mean")), std = floats(m.get("std"));
        try {
            ImageClassification p = mean == null || std == null ? ImageClassification.imagenet(size.intValue())
                    : new ImageClassification(resize, size.intValue(), channels, mean, std);
            return new ImageModelFile(arch, p, classes);
        } catch (IllegalArgumentException e) {
            throw new IOException(meta + ": " + e.getMessage(), e);
        }
    }

    /** A JSON list of numbers as floats; null when it is not one. */
    private static float[] floats(Object o) {
        if (!(o instanceof List<?> l) || l.stream().anyMatch(v -> !(v instanceof Number))) return null;
        float[] out = new float[l.size()];
        for (int i = 0; i < out.length; i++) out[i] = ((Number) l.get(i)).floatValue();
        return out;
    }

    /** The model in {@code weights} (strictly loaded), with {@link #describe}'s description. */
    static Loaded load(Path weights) throws IOException {
        ImageModelFile d = describe(weights);
        Module net = TransferModel.build(d.arch, d.classes.size(), d.preprocessing.channels(), new Generator(0));
        Models.load(net, weights);
        return new Loaded(d, net);
    }

    record Loaded(ImageModelFile description, Module net) {}

    /** For {@code --json}: the run's facts with the class names. */
    Map<String, Object> summary() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("model", arch);
        s.put("image_size", imageSize());
        s.put("channels", preprocessing.channels());
        s.put("classes", String.join(",", classes));
        return s;
    }
}
