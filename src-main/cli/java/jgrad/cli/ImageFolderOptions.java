package jgrad.cli;

import java.io.IOException;
import java.nio.file.Path;
import jgrad.vision.ImageClassification;
import jgrad.vision.ImageDataset;
import jgrad.vision.Transform;
import picocli.CommandLine.Option;

/**
 * {@code ./jgrad train}'s options for your own pictures: an image folder (one subfolder per class)
 * or a labels CSV, the validation share, class-balanced sampling, augmentation, image size and
 * loader workers.
 */
public final class ImageFolderOptions {
    @Option(names = "--images", paramLabel = "DIR", description = "train on an image folder (one subfolder per class) instead of MNIST")
    Path images;
    @Option(names = "--labels", paramLabel = "CSV", description = "train on the pictures a labels CSV names (file,label; see --image-dir)")
    Path labels;
    @Option(names = "--image-dir", paramLabel = "DIR", description = "with --labels: where its pictures are (default: the CSV's folder)")
    Path imageDir;
    @Option(names = "--file-column", defaultValue = "file", description = "with --labels (default: ${DEFAULT-VALUE})")
    String fileColumn;
    @Option(names = "--label-column", defaultValue = "label", description = "with --labels (default: ${DEFAULT-VALUE})")
    String labelColumn;
    @Option(names = "--val-fraction", defaultValue = "0.2",
            description = "pictures: the share held out for validation, stratified by class, unless --val-size gives a count (default: ${DEFAULT-VALUE})")
    double valFraction;
    @Option(names = "--balanced", description = "pictures: draw training samples class-balanced (each class equally often on average)")
    boolean balanced;
    @Option(names = "--augment", paramLabel = "SPEC", description = "pictures: training augmentation after the resize, e.g. \"RandomHorizontalFlip(0.5),RandomRotation(10)\"")
    String augment;
    @Option(names = "--image-size", description = "pictures are resized to this square size (default: what the weights were trained at: "
            + "28 for resnet_mini and its named weights, else 64)")
    Integer imageSize;
    @Option(names = "--channels", description = "1 (grey) or 3 (RGB) (default: what the weights were trained on: 1 for resnet_mini, else 3)")
    Integer channels;
    @Option(names = "--mean", split = ",", paramLabel = "M", description = "per-channel mean subtracted before dividing by --std (default: the weights': "
            + "ImageNet's for the zoo, 0 for resnet_mini)")
    float[] mean;
    @Option(names = "--std", split = ",", paramLabel = "S", description = "per-channel standard deviation (default: the weights': ImageNet's for the zoo, 1 for resnet_mini)")
    float[] std;
    @Option(names = "--workers", defaultValue = "0", description = "pictures: loader threads decoding and transforming (default: ${DEFAULT-VALUE})")
    int workers;

    /** Whether pictures were asked for. */
    boolean given() {
        return images != null || labels != null;
    }

    /**
     * How pictures are prepared: {@code weights}' preprocessing (a named weight's, or the
     * architecture's usual one) with what --image-size, --channels, --mean and --std override.
     */
    ImageClassification preprocessing(ImageClassification weights) {
        ImageClassification p = weights;
        if (imageSize != null) {
            if (imageSize < 8 || imageSize > 1024) throw new IllegalArgumentException("--image-size must be in 8..1024, got " + imageSize);
            p = p.withSize(imageSize);
        }
        if ((mean == null) != (std == null)) throw new IllegalArgumentException("--mean and --std go together: give both, one value per channel");
        if (channels != null && channels != 1 && channels != 3) throw new IllegalArgumentException("--channels must be 1 (grey) or 3 (RGB), got " + channels);
        try {
            if (mean != null) return new ImageClassification(p.resize(), p.crop(), channels != null ? channels : p.channels(), mean, std);
            return channels != null ? p.withChannels(channels) : p;
        } catch (IllegalArgumentException e) {
            String given = (channels != null ? "--channels " + channels : "") + (mean != null ? (channels != null ? " " : "") + "--mean/--std" : "");
            throw new IllegalArgumentException(given + ": " + e.getMessage());
        }
    }

    /** The pictures with {@code transform}, checked. */
    ImageDataset load(Transform transform, long seed) throws IOException {
        if (images != null && labels != null) {
            throw new IllegalArgumentException("--images and --labels both name the pictures: give --images DIR (one subfolder per class) "
                    + "or --labels CSV (with --image-dir DIR), not both");
        }
        if (workers < 0) throw new IllegalArgumentException("--workers must be ≥ 0, got " + workers);
        if (!(valFraction > 0 && valFraction < 1)) throw new IllegalArgumentException("--val-fraction must be in (0, 1), got " + valFraction);
        ImageDataset d = images != null ? ImageDataset.imageFolder(images, transform, seed)
                : ImageDataset.csv(labels, imageDir != null ? imageDir : labels.toAbsolutePath().getParent(), fileColumn, labelColumn,
                        transform, seed, false);
        for (int i = 0; labels != null && i < d.size(); i++) {
            if (!java.nio.file.Files.isRegularFile(d.file(i))) {
                throw new IllegalArgumentException("--labels " + labels + " names " + d.file(i) + ", which is not a file (check --image-dir)");
            }
        }
        if (d.classes().size() < 2) throw new IllegalArgumentException((images != null ? "--images " + images : "--labels " + labels)
                + " has " + d.classes().size() + " class(es) " + d.classes() + ": a classifier needs at least 2");
        return d;
    }
}
