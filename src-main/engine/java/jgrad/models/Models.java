package jgrad.models;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jgrad.nn.Module;
import jgrad.tensor.Generator;
import jgrad.tensor.Safetensors;

/**
 * The model zoo: torchvision's architectures, built so that torchvision's state dicts load key for
 * key, like {@code torchvision.models.resnet18(weights=...)}:
 * <pre>{@code
 * ResNet net = Models.resnet18(1000, Path.of("resnet18.safetensors"));  // ImageNet weights, converted by scripts/pth_to_safetensors.py
 * ResNet fresh = Models.resnet18(10, new Generator(42));                 // random weights, 10 classes
 * }</pre>
 * {@code weights} is a safetensors file (see {@link Safetensors}; from a URL through {@link WeightsCache}) or null for fresh weights from
 * {@link Generator#global()}. Loading is strict: every key of the model must be in the file with
 * its shape, and the file may hold no other key; otherwise an {@link IllegalArgumentException} names the
 * file and the keys (or the key and both shapes), and the model is not returned half-loaded. A
 * damaged file is a {@link jgrad.tensor.DamagedFileException}.
 *
 * <p>Checked by: {@code jgrad.models.ZooStructureTest}, {@code jgrad.models.ZooParityTest};
 * docs/transfer-learning.md.
 */
public final class Models {
    private Models() {}

    /** The names {@link #create} knows, as torchvision spells them. */
    public static final List<String> NAMES = List.of("resnet18", "resnet34", "resnet50", "vgg11", "vgg11_bn", "vgg16", "vgg16_bn",
            "mobilenet_v2");

    /** A zoo model by torchvision's name, with fresh weights drawn from {@code g}. */
    public static Module create(String name, int numClasses, Generator g) {
        return switch (name) {
            case "resnet18" -> new ResNet(ResNet.Depth.RESNET18, numClasses, g);
            case "resnet34" -> new ResNet(ResNet.Depth.RESNET34, numClasses, g);
            case "resnet50" -> new ResNet(ResNet.Depth.RESNET50, numClasses, g);
            case "vgg11" -> new Vgg(Vgg.VGG11, false, numClasses, g);
            case "vgg11_bn" -> new Vgg(Vgg.VGG11, true, numClasses, g);
            case "vgg16" -> new Vgg(Vgg.VGG16, false, numClasses, g);
            case "vgg16_bn" -> new Vgg(Vgg.VGG16, true, numClasses, g);
            case "mobilenet_v2" -> new MobileNetV2(numClasses, g);
            default -> throw new IllegalArgumentException("unknown model '" + name + "': the zoo has " + String.join(", ", NAMES));
        };
    }

    /** {@link #create(String, int, Generator)}, then the weights of {@code weights} when it is not null. */
    public static Module create(String name, int numClasses, Path weights) throws IOException {
        return load(create(name, numClasses, Generator.global()), weights);
    }

    public static ResNet resnet18(int numClasses, Path weights) throws IOException {
        return load(new ResNet(ResNet.Depth.RESNET18, numClasses, Generator.global()), weights);
    }

    public static ResNet resnet18(int numClasses, Generator g) {
        return new ResNet(ResNet.Depth.RESNET18, numClasses, g);
    }

    /** ResNet-18 with torchvision's {@code zero_init_residual}: each residual branch's last batch norm starts with γ = 0. */
    public static ResNet resnet18(int numClasses, boolean zeroInitResidual, Generator g) {
        return new ResNet(ResNet.Depth.RESNET18, numClasses, zeroInitResidual, g);
    }

    public static ResNet resnet34(int numClasses, Path weights) throws IOException {
        return load(new ResNet(ResNet.Depth.RESNET34, numClasses, Generator.global()), weights);
    }

    public static ResNet resnet50(int numClasses, Path weights) throws IOException {
        return load(new ResNet(ResNet.Depth.RESNET50, numClasses, Generator.global()), weights);
    }

    public static Vgg vgg11(int numClasses, Path weights) throws IOException {
        return load(new Vgg(Vgg.VGG11, false, numClasses, Generator.global()), weights);
    }

    public static Vgg vgg11Bn(int numClasses, Path weights) throws IOException {
        return load(new Vgg(Vgg.VGG11, true, numClasses, Generator.global()), weights);
    }

    public static Vgg vgg16(int numClasses, Path weights) throws IOException {
        return load(new Vgg(Vgg.VGG16, false, numClasses, Generator.global()), weights);
    }

    public static Vgg vgg16Bn(int numClasses, Path weights) throws IOException {
        return load(new Vgg(Vgg.VGG16, true, numClasses, Generator.global()), weights);
    }

    public static MobileNetV2 mobilenetV2(int numClasses, Path weights) throws IOException {
        return load(new MobileNetV2(numClasses, Generator.global()), weights);
    }

    /**
     * The small ResNet for 28×28 grey images that jgrad pretrains itself ({@link ResNetMini}), one
     * input channel, fresh weights from {@code g}. Not one of torchvision's, so not in {@link #NAMES}.
     */
    public static ResNetMini resnetMini(int numClasses, Generator g) {
        return new ResNetMini(1, numClasses, g);
    }

    /** {@link #resnetMini(int, Generator)} with the weights of {@code weights} (strict), e.g. from {@code ./jgrad pretrain}. */
    public static ResNetMini resnetMini(int numClasses, Path weights) throws IOException {
        return load(new ResNetMini(1, numClasses, Generator.global()), weights);
    }

    /**
     * Loads a safetensors state dict into {@code model} (strict); returns the model. Null
     * {@code weights}: the model as it is.
     */
    public static <M extends Module> M load(M model, Path weights) throws IOException {
        if (weights == null) return model;
        if (!Files.isRegularFile(weights)) throw new java.nio.file.NoSuchFileException(weights + ": no such weights file");
        try {
            model.loadStateDict(Safetensors.load(weights));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(weights + ": " + e.getMessage(), e);
        }
        return model;
    }
}
