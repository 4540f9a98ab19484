package jgrad.vision;

import java.util.Arrays;
import java.util.Locale;

/**
 * How pictures are prepared for a classifier's weights: what torchvision attaches to each weight
 * enum as {@code weights.transforms()} ({@code ImageClassification(crop_size, resize_size, mean,
 * std)}), plus the channel count, since jgrad's own backbones see grey pictures. A picture (any
 * size, grey or RGB, values in [0, 1]) becomes
 * <pre>
 *   resize to resize × resize → centre crop to crop × crop (when crop &lt; resize)
 *     → channels (1: the grey level 0.2989·R + 0.587·G + 0.114·B; 3: RGB, a grey picture copied to all three)
 *     → (x − mean[c]) / std[c] per channel                                          [channels, crop, crop]
 * </pre>
 * The resize is to a square (jgrad's image pipeline has always squashed; torchvision resizes the
 * shorter side and keeps the aspect ratio: the same for square pictures). {@link #geometry()} is
 * the part before normalisation, {@link #normalization()} the last step; augmentation goes
 * between the two, on pictures already of the model's size and channels.
 *
 * <p>Checked by: {@code jgrad.vision.ImageClassificationTest}.
 */
public record ImageClassification(int resize, int crop, int channels, float[] mean, float[] std) {
    /** ImageNet's per-channel statistics, what torchvision's pretrained weights expect. */
    public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f}, IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    public ImageClassification {
        if (channels != 1 && channels != 3) throw new IllegalArgumentException("channels must be 1 (grey) or 3 (RGB), got " + channels);
        if (crop < 1 || crop > resize) throw new IllegalArgumentException("crop " + crop + " must be in 1.." + resize + " (the resize)");
        if (mean.length != channels || std.length != channels) {
            throw new IllegalArgumentException(mean.length + " means and " + std.length + " standard deviations for " + channels + " channel(s): give one per channel");
        }
        for (float s : std) if (!(s > 0) || Float.isInfinite(s)) throw new IllegalArgumentException("a standard deviation must be > 0, got " + s);
        for (float m : mean) if (!Float.isFinite(m)) throw new IllegalArgumentException("a mean must be finite, got " + m);
        mean = mean.clone();
        std = std.clone();
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    /** torchvision's ImageNet preprocessing at {@code size} × {@code size} (no crop): RGB, ImageNet's mean and std. */
    public static ImageClassification imagenet(int size) {
        return new ImageClassification(size, size, 3, IMAGENET_MEAN, IMAGENET_STD);
    }

    /** MNIST and Fashion-MNIST as jgrad trains on them: 28 × 28 grey, value / 255 and nothing more (mean 0, std 1). */
    public static ImageClassification mnist() {
        return new ImageClassification(28, 28, 1, new float[] {0}, new float[] {1});
    }

    /** The same with a square size: resize = crop = {@code size}. */
    public ImageClassification withSize(int size) {
        return new ImageClassification(size, size, channels, mean, std);
    }

    /** The same with {@code channels}; a mean and std of one value are repeated for three channels, three are refused for one. */
    public ImageClassification withChannels(int channels) {
        if (channels == this.channels) return this;
        if (this.channels == 1 && channels == 3) {
            float[] m = {mean[0], mean[0], mean[0]}, s = {std[0], std[0], std[0]};
            return new ImageClassification(resize, crop, 3, m, s);
        }
        throw new IllegalArgumentException("the normalisation has " + this.channels + " means and standard deviations, for " + this.channels
                + " channels: give " + channels + " of each for " + channels);
    }

    /** The same with another normalisation. */
    public ImageClassification withNormalization(float[] mean, float[] std) {
        return new ImageClassification(resize, crop, channels, mean, std);
    }

    /** Resize, crop, channels: the deterministic steps before augmentation. */
    public Transform geometry() {
        Transform size = crop < resize ? Transforms.compose(Transforms.resize(resize, resize), Transforms.centerCrop(crop, crop))
                : Transforms.resize(resize, resize);
        Transform colour = channels == 1 ? Transforms.grayscale(1) : Transform.keyed("rgb", ImageClassification::rgb);
        return Transforms.compose(size, colour);
    }

    /** The per-channel normalisation, the last step. */
    public Transform normalization() {
        return Transforms.normalize(mean, std);
    }

    /** Every step, for pictures that are not augmented. */
    public Transform transform() {
        return Transforms.compose(geometry(), normalization());
    }

    /** A grey picture copied to three channels; RGB as it is. */
    private static Image rgb(Image img) {
        if (img.c() == 3) return img;
        if (img.c() != 1) throw new IllegalArgumentException("a picture with " + img.c() + " channels: expected grey (1) or RGB (3)");
        float[] v = img.data(), out = new float[3 * v.length];
        for (int k = 0; k < 3; k++) System.arraycopy(v, 0, out, k * v.length, v.length);
        return new Image(3, img.h(), img.w(), out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageClassification p && p.resize == resize && p.crop == crop && p.channels == channels
                && Arrays.equals(p.mean, mean) && Arrays.equals(p.std, std);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new int[] {resize, crop, channels, Arrays.hashCode(mean), Arrays.hashCode(std)});
    }

    /** E.g. {@code 28×28, 1 channel, mean [0.0], std [1.0]}. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s%d×%d, %d channel%s, mean %s, std %s", crop < resize ? "resize " + resize + ", crop " : "", crop, crop,
                channels, channels == 1 ? "" : "s", Arrays.toString(mean), Arrays.toString(std));
    }
}
