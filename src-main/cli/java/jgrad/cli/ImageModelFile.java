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
import jgrad.vision.Transform;
import jgrad.vision.Transforms;

/**
 * A model that {@code ./jgrad train --images} wrote: {@code model.safetensors} (the state dict,
 * torchvision's keys) and {@code model.json} beside it (architecture, image size, channels, the
 * normalisation and the class names), enough to rebuild it with {@link Models#create} and
 * prepare pictures as in training.
 *
 * <p>Checked by: {@code jgrad.cli.TransferTrainTest}.
 */
record ImageModelFile(String arch, int imageSize, List<String> classes) {
    static final String WEIGHTS = "model.safetensors", META = "model.json";
    /** ImageNet's per-channel statistics, what torchvision's pretrained weights expect. */
    static final float[] MEAN = {0.485f, 0.456f, 0.406f}, STD = {0.229f, 0.224f, 0.225f};

    /** Resize to the square size, grey pictures to three channels, normalise: the pictures as the model saw them. */
    Transform preprocess() {
        return preprocess(imageSize);
    }

    static Transform preprocess(int size) {
        return Transforms.compose(Transforms.resize(size, size), Transforms.lambda(ImageModelFile::threeChannels));
    }

    static Transform normalize() {
        return Transforms.normalize(MEAN, STD);
    }

    private static jgrad.vision.Image threeChannels(jgrad.vision.Image img) {
        if (img.c() == 3) return img;
        if (img.c() != 1) throw new IllegalArgumentException("a picture with " + img.c() + " channels: expected grey (1) or RGB (3)");
        float[] v = img.data(), out = new float[3 * v.length];
        for (int k = 0; k < 3; k++) System.arraycopy(v, 0, out, k * v.length, v.length);
        return new jgrad.vision.Image(3, img.h(), img.w(), out);
    }

    /** Writes the weights and the JSON into {@code dir} (each atomically). */
    void save(Module net, Path dir) throws IOException {
        Safetensors.save(net.stateDict(), Map.of("arch", arch, "image_size", Integer.toString(imageSize), "num_classes",
                Integer.toString(classes.size())), dir.resolve(WEIGHTS));
        StringBuilder names = new StringBuilder("[");
        for (int i = 0; i < classes.size(); i++) names.append(i > 0 ? ", " : "").append(JsonText.quote(classes.get(i)));
        AtomicFile.writeString(dir.resolve(META), "{\n  \"arch\": " + JsonText.quote(arch) + ",\n  \"image_size\": " + imageSize
                + ",\n  \"channels\": 3,\n  \"mean\": [0.485, 0.456, 0.406],\n  \"std\": [0.229, 0.224, 0.225],\n  \"classes\": " + names
                + "]\n}\n");
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
        return new ImageModelFile(arch, size.intValue(), classes);
    }

    /** The model in {@code weights} (strictly loaded), with {@link #describe}'s description. */
    static Loaded load(Path weights) throws IOException {
        ImageModelFile d = describe(weights);
        Module net = Models.create(d.arch, d.classes.size(), new Generator(0));
        Models.load(net, weights);
        return new Loaded(d, net);
    }

    record Loaded(ImageModelFile description, Module net) {}

    /** For {@code --json}: the run's facts with the class names. */
    Map<String, Object> summary() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("model", arch);
        s.put("image_size", imageSize);
        s.put("classes", String.join(",", classes));
        return s;
    }
}
