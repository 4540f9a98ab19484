package jgrad.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jgrad.models.MobileNetV2;
import jgrad.models.Models;
import jgrad.models.ResNet;
import jgrad.models.ResNetMini;
import jgrad.models.Vgg;
import jgrad.nn.IncompatibleKeys;
import jgrad.nn.Linear;
import jgrad.nn.Module;
import jgrad.nn.Parameter;
import jgrad.tensor.Generator;
import jgrad.tensor.Safetensors;
import jgrad.tensor.Tensor;
import jgrad.vision.ImageClassification;

/**
 * A zoo model prepared for transfer learning: built for the data set's classes, pretrained weights
 * loaded into everything but the head (torchvision's way of replacing it: {@code fc} for ResNet and resnet_mini,
 * {@code classifier.6} for VGG, {@code classifier.1} for MobileNetV2), and parts frozen.
 *
 * <p>Checked by: {@code jgrad.cli.TransferTrainTest}.
 */
final class TransferModel {
    final String arch;
    final Module net;

    private TransferModel(String arch, Module net) {
        this.arch = arch;
        this.net = net;
    }

    /** The architectures {@code --images} trains: the zoo's and jgrad's own {@link ResNetMini}. */
    static final List<String> ARCHS = java.util.stream.Stream.concat(Models.NAMES.stream(), java.util.stream.Stream.of(ResNetMini.NAME)).toList();

    /** {@code arch} (one of {@link #ARCHS}) with {@code classes} outputs for pictures of {@code channels}, random weights from {@code seed}. */
    static TransferModel create(String arch, int classes, int channels, long seed) {
        return new TransferModel(arch, build(arch, classes, channels, new Generator(seed)));
    }

    /** {@link #create} for RGB pictures. */
    static TransferModel create(String arch, int classes, long seed) {
        return create(arch, classes, 3, seed);
    }

    /** The network: resnet_mini takes any channel count; torchvision's architectures take RGB. */
    static Module build(String arch, int classes, int channels, Generator g) {
        if (!ARCHS.contains(arch)) {
            throw new IllegalArgumentException("--model " + arch + " with --images: give one of " + String.join(", ", ARCHS));
        }
        if (arch.equals(ResNetMini.NAME)) return new ResNetMini(channels, classes, g);
        if (channels != 3) throw new IllegalArgumentException("--channels " + channels + ": " + arch + " takes RGB pictures (3 channels)");
        return Models.create(arch, classes, g);
    }

    /** How pictures are prepared when no named weight says otherwise: resnet_mini's 28×28 grey, torchvision's ImageNet RGB at 64×64. */
    static ImageClassification defaultPreprocessing(String arch) {
        return arch.equals(ResNetMini.NAME) ? ImageClassification.mnist() : ImageClassification.imagenet(64);
    }

    /** The head's key prefix in the state dict. */
    String headName() {
        return switch (net) {
            case ResNet r -> "fc";
            case ResNetMini r -> "fc";
            case Vgg v -> "classifier." + (v.classifier().size() - 1);
            case MobileNetV2 m -> "classifier." + (m.classifier().size() - 1);
            default -> throw new IllegalStateException(arch);
        };
    }

    /** The head: the last Linear layer, the one that is replaced. */
    Linear head() {
        return (Linear) switch (net) {
            case ResNet r -> r.fc();
            case ResNetMini r -> r.fc();
            case Vgg v -> v.classifier().get(v.classifier().size() - 1);
            case MobileNetV2 m -> m.classifier().get(m.classifier().size() - 1);
            default -> throw new IllegalStateException(arch);
        };
    }

    /** The backbone's output for {@code x}: the rows the head classifies. */
    Tensor features(Tensor x) {
        return switch (net) {
            case ResNet r -> r.features(x);
            case ResNetMini r -> r.features(x);
            case Vgg v -> v.features(x);
            case MobileNetV2 m -> m.features(x);
            default -> throw new IllegalStateException(arch);
        };
    }

    private boolean inHead(String key) {
        return key.startsWith(headName() + ".");
    }

    /** Everything but the head, in state-dict order. */
    List<Parameter> backbone() {
        List<Parameter> out = new ArrayList<>();
        net.namedParameters().forEach((k, p) -> {
            if (!inHead(k)) out.add(p);
        });
        return out;
    }

    /**
     * Loads the backbone from a safetensors {@code file} (see {@link NamedWeights#file} for names and
     * URLs). The file's head is kept only if it has this model's shapes (e.g. a model trained on the
     * same classes); otherwise it is dropped and the head stays random. Any other difference (a key
     * missing, one too many, a shape) is an error naming it.
     */
    void loadWeights(Path file, PrintStream log) throws IOException {
        Map<String, Tensor> state = new LinkedHashMap<>(Safetensors.load(file));
        Map<String, Tensor> own = net.stateDict();
        List<String> dropped = new ArrayList<>();
        for (String k : List.copyOf(state.keySet())) {
            if (inHead(k) && own.containsKey(k) && !Arrays.equals(own.get(k).shape(), state.get(k).shape())) {
                state.remove(k);
                dropped.add(k);
            }
        }
        IncompatibleKeys left;
        try {
            left = net.loadStateDict(state, false);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--weights " + file + ": " + e.getMessage(), e);
        }
        List<String> missing = left.missing().stream().filter(k -> !inHead(k)).toList();
        if (!missing.isEmpty() || !left.unexpected().isEmpty()) {
            throw new IllegalArgumentException("--weights " + file + " is not a " + arch + " backbone: missing " + missing
                    + ", unexpected " + left.unexpected());
        }
        log.printf("loaded %s: %d tensors%s%n", file, state.size(),
                dropped.isEmpty() ? "" : "; the file's head " + dropped + " replaced by a new one for this data set's classes");
    }

    /**
     * Freezes {@code spec}: "none", "backbone" (all but the head) or N (the first N top-level
     * children). Returns the frozen parameters.
     */
    List<Parameter> freeze(String spec) {
        List<Parameter> frozen = new ArrayList<>();
        if (spec.equals("none")) return frozen;
        if (spec.equals("backbone")) {
            frozen.addAll(backbone());
        } else {
            int n;
            try {
                n = Integer.parseInt(spec);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--freeze must be none, backbone or a number of top-level layers, got '" + spec + "'");
            }
            List<String> names = new ArrayList<>(net.children().keySet());
            if (n < 0 || n >= names.size()) {
                throw new IllegalArgumentException("--freeze " + n + ": " + arch + " has " + names.size() + " top-level children " + names
                        + "; freeze 0.." + (names.size() - 1) + " of them (the last holds the head)");
            }
            for (int i = 0; i < n; i++) frozen.addAll(net.children().get(names.get(i)).parameters());
        }
        for (Parameter p : frozen) p.requiresGrad(false);
        return frozen;
    }

    /** Top-level children whose parameters are all frozen (and which have some): they run in evaluation mode. */
    List<Module> frozenChildren() {
        List<Module> out = new ArrayList<>();
        for (Module m : net.children().values()) {
            List<Parameter> ps = m.parameters();
            if (!ps.isEmpty() && ps.stream().noneMatch(Parameter::requiresGrad)) out.add(m);
        }
        return out;
    }
}
