package jgrad.vision;

import java.util.List;
import java.util.function.UnaryOperator;
import jgrad.tensor.Generator;

/**
 * torchvision's transforms by name: {@code Transforms.compose(randomCrop(28, 4), randomHorizontalFlip(0.5),
 * normalize(...))}. The deterministic ones call {@link Functional}; the random ones draw their
 * parameters (as torchvision does) and then call it. Checked by {@code jgrad.vision.TransformsTest}
 * (against torchvision) and {@code RandomTransformsTest} (parameter ranges and frequencies).
 */
public final class Transforms {
    private Transforms() {}

    /** Applies the transforms in order (torchvision's Compose). */
    public static Transform compose(Transform... steps) {
        List<Transform> list = List.of(steps);
        StringBuilder k = new StringBuilder("compose(");
        boolean keyed = true;
        for (Transform t : list) {
            if (t.key() == null) keyed = false;
            else k.append(t.key()).append(';');
        }
        String key = keyed ? k.append(')').toString() : null;
        return new Transform() {
            @Override
            public Image apply(Image img, Generator g) {
                for (Transform t : list) img = t.apply(img, g);
                return img;
            }

            @Override
            public String key() {
                return key;
            }
        };
    }

    /** Any function of the image (torchvision's Lambda). */
    public static Transform lambda(UnaryOperator<Image> f) {
        return (img, g) -> f.apply(img);
    }

    public static Transform normalize(float[] mean, float[] std) {
        return Transform.keyed("normalize(" + java.util.Arrays.toString(mean) + "," + java.util.Arrays.toString(std) + ")",
                img -> Functional.normalize(img, mean, std));
    }

    public static Transform resize(int h, int w) {
        checkSize("resize", h, w);
        return Transform.keyed("resize(" + h + "," + w + ")", img -> Functional.resize(img, h, w));
    }

    /** The shorter side to {@code size}, aspect ratio kept. */
    public static Transform resize(int size) {
        checkSize("resize", size, size);  // the shorter side becomes size: at least size × size
        return Transform.keyed("resize(" + size + ")", img -> Functional.resize(img, size));
    }

    public static Transform centerCrop(int h, int w) {
        return Transform.keyed("centerCrop(" + h + "," + w + ")", img -> Functional.centerCrop(img, h, w));
    }

    public static Transform pad(int padding, Functional.PadMode mode, float fill) {
        return Transform.keyed("pad(" + padding + "," + mode + "," + fill + ")",
                img -> Functional.pad(img, padding, padding, padding, padding, mode, fill));
    }

    /** A random h×w crop, after zero padding of {@code padding} on every side (torchvision's RandomCrop). */
    public static Transform randomCrop(int h, int w, int padding) {
        return (img, g) -> {
            Image p = padding > 0 ? Functional.pad(img, padding, padding, padding, padding, Functional.PadMode.CONSTANT, 0) : img;
            if (p.h() < h || p.w() < w) {
                throw new IllegalArgumentException("randomCrop: " + h + "×" + w + " is larger than the (padded) image " + p.h() + "×" + p.w());
            }
            int top = g.nextInt(p.h() - h + 1), left = g.nextInt(p.w() - w + 1);
            return Functional.crop(p, top, left, h, w);
        };
    }

    public static Transform randomHorizontalFlip(float p) {
        return (img, g) -> g.nextFloat() < p ? Functional.hflip(img) : img;
    }

    public static Transform randomVerticalFlip(float p) {
        return (img, g) -> g.nextFloat() < p ? Functional.vflip(img) : img;
    }

    public static Transform grayscale(int channels) {
        return Transform.keyed("grayscale(" + channels + ")", img -> Functional.grayscale(img, channels));
    }

    /** Grey (keeping the channel count) with probability p. */
    public static Transform randomGrayscale(float p) {
        return (img, g) -> g.nextFloat() < p ? Functional.grayscale(img, img.c()) : img;
    }

    /** Refuses an output size below 1 or above {@link PictureFile#maxPixels()}, naming both. */
    static void checkSize(String what, int h, int w) {
        if (h < 1 || w < 1) throw new IllegalArgumentException(what + ": size " + h + "×" + w + " must be ≥ 1");
        if ((long) h * w > PictureFile.maxPixels()) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "%s: %d×%d = %.1f megapixels, more than the limit of "
                    + "%.1f megapixels (-Djgrad.maxImagePixels)", what, h, w, (double) h * w / 1e6, PictureFile.maxPixels() / 1e6));
        }
    }

    /** {@link #colorJitter(float, float, float, float)} without hue. */
    public static Transform colorJitter(float brightness, float contrast, float saturation) {
        return colorJitter(brightness, contrast, saturation, 0);
    }

    /**
     * Brightness, contrast and saturation factors drawn uniformly from [max(0, 1 − v), 1 + v] each
     * (v = 0 leaves it) and a hue shift from [−hue, hue] (hue ≤ ½), applied in a random order, as
     * torchvision's ColorJitter.
     */
    public static Transform colorJitter(float brightness, float contrast, float saturation, float hue) {
        if (!(hue >= 0 && hue <= 0.5f)) throw new IllegalArgumentException("colorJitter: hue must be in [0, 0.5], got " + hue);
        if (!(brightness >= 0 && contrast >= 0 && saturation >= 0)) {
            throw new IllegalArgumentException("colorJitter: brightness, contrast and saturation must be ≥ 0 (each factor is drawn "
                    + "from [max(0, 1 − v), 1 + v]), got " + brightness + ", " + contrast + ", " + saturation);
        }
        return (img, g) -> {
            int[] order = g.permutation(4);
            for (int k : order) {
                float v = k == 0 ? brightness : k == 1 ? contrast : k == 2 ? saturation : hue;
                if (v == 0) continue;
                if (k == 3) {
                    img = Functional.adjustHue(img, g.uniform(-hue, hue));
                    continue;
                }
                float f = g.uniform(Math.max(0, 1 - v), 1 + v);
                img = k == 0 ? Functional.adjustBrightness(img, f) : k == 1 ? Functional.adjustContrast(img, f)
                        : img.c() == 3 ? Functional.adjustSaturation(img, f) : img;
            }
            return img;
        };
    }

    /**
     * An affine map with angle in [−degrees, degrees], translation up to (tx·W, ty·H) pixels, scale
     * in [smin, smax] and x-shear in [−shear, shear] degrees, nearest pixel (torchvision's RandomAffine).
     */
    public static Transform randomAffine(float degrees, float tx, float ty, float smin, float smax, float shear) {
        return (img, g) -> {
            float angle = g.uniform(-degrees, degrees);
            float dx = Math.round(g.uniform(-tx * img.w(), tx * img.w())), dy = Math.round(g.uniform(-ty * img.h(), ty * img.h()));
            float scale = smin == smax ? smin : g.uniform(smin, smax);
            float sh = shear == 0 ? 0 : g.uniform(-shear, shear);
            return Functional.affine(img, angle, dx, dy, scale, sh, 0, Functional.Interpolation.NEAREST);
        };
    }

    public static Transform randomPosterize(int bits, float p) {
        return (img, g) -> g.nextFloat() < p ? Functional.posterize(img, bits) : img;
    }

    public static Transform randomAdjustSharpness(float factor, float p) {
        return (img, g) -> g.nextFloat() < p ? Functional.adjustSharpness(img, factor) : img;
    }

    public static Transform randomAutocontrast(float p) {
        return (img, g) -> g.nextFloat() < p ? Functional.autocontrast(img) : img;
    }

    public static Transform randomEqualize(float p) {
        return (img, g) -> g.nextFloat() < p ? Functional.equalize(img) : img;
    }

    /** A Gaussian blur with σ drawn uniformly from [σmin, σmax] (torchvision's GaussianBlur). */
    public static Transform gaussianBlur(int kernel, float sigmaMin, float sigmaMax) {
        return (img, g) -> {
            float s = g.uniform(sigmaMin, sigmaMax);
            return Functional.gaussianBlur(img, kernel, kernel, s, s);
        };
    }

    public static Transform randomInvert(float p) {
        return (img, g) -> g.nextFloat() < p ? Functional.invert(img) : img;
    }

    public static Transform randomSolarize(float threshold, float p) {
        return (img, g) -> g.nextFloat() < p ? Functional.solarize(img, threshold) : img;
    }

    /**
     * With probability p, erases a rectangle of area fraction in [smin, smax] and aspect ratio in
     * [rmin, rmax] (log-uniform) to {@code value}, as torchvision's RandomErasing (10 tries, then
     * nothing).
     */
    public static Transform randomErasing(float p, float smin, float smax, float rmin, float rmax, float value) {
        return (img, g) -> {
            if (g.nextFloat() >= p) return img;
            int area = img.h() * img.w();
            for (int attempt = 0; attempt < 10; attempt++) {
                float target = area * g.uniform(smin, smax);
                float ratio = (float) Math.exp(g.uniform((float) Math.log(rmin), (float) Math.log(rmax)));
                int h = Math.round((float) Math.sqrt(target * ratio)), w = Math.round((float) Math.sqrt(target / ratio));
                if (h < 1 || w < 1 || h >= img.h() || w >= img.w()) continue;
                int top = g.nextInt(img.h() - h + 1), left = g.nextInt(img.w() - w + 1);
                return Functional.erase(img, top, left, h, w, value);
            }
            return img;
        };
    }

    /** Rotation by an angle drawn uniformly from [−degrees, degrees], nearest pixel, 0 outside (torchvision's RandomRotation). */
    public static Transform randomRotation(float degrees) {
        return (img, g) -> Functional.rotate(img, g.uniform(-degrees, degrees), Functional.Interpolation.NEAREST);
    }

    /**
     * A crop of random area (a fraction in [smin, smax] of the image) and aspect ratio
     * (log-uniform in [rmin, rmax]), resized to h×w: torchvision's RandomResizedCrop, with its
     * fallback to a central crop after 10 tries.
     */
    public static Transform randomResizedCrop(int h, int w, float smin, float smax, float rmin, float rmax) {
        return (img, g) -> {
            int area = img.h() * img.w();
            for (int attempt = 0; attempt < 10; attempt++) {
                float target = area * g.uniform(smin, smax);
                float ratio = (float) Math.exp(g.uniform((float) Math.log(rmin), (float) Math.log(rmax)));
                int cw = Math.round((float) Math.sqrt(target * ratio)), ch = Math.round((float) Math.sqrt(target / ratio));
                if (cw > 0 && cw <= img.w() && ch > 0 && ch <= img.h()) {
                    int top = g.nextInt(img.h() - ch + 1), left = g.nextInt(img.w() - cw + 1);
                    return Functional.resizedCrop(img, top, left, ch, cw, h, w);
                }
            }
            float inRatio = (float) img.w() / img.h();
            int cw, ch;
            if (inRatio < rmin) {
                cw = img.w();
                ch = Math.round(cw / rmin);
            } else if (inRatio > rmax) {
                ch = img.h();
                cw = Math.round(ch * rmax);
            } else {
                cw = img.w();
                ch = img.h();
            }
            return Functional.resizedCrop(img, (img.h() - ch) / 2, (img.w() - cw) / 2, ch, cw, h, w);
        };
    }

    /**
     * With probability p, moves each corner inwards by up to {@code distortion}·(half the side),
     * then warps (bilinear), as torchvision's RandomPerspective.
     */
    public static Transform randomPerspective(float distortion, float p) {
        return (img, g) -> {
            if (g.nextFloat() >= p) return img;
            int hw = img.w() / 2, hh = img.h() / 2, dx = (int) (distortion * hw) + 1, dy = (int) (distortion * hh) + 1;
            int[][] start = {{0, 0}, {img.w() - 1, 0}, {img.w() - 1, img.h() - 1}, {0, img.h() - 1}};
            int[][] end = {{g.nextInt(dx), g.nextInt(dy)}, {img.w() - 1 - g.nextInt(dx), g.nextInt(dy)},
                    {img.w() - 1 - g.nextInt(dx), img.h() - 1 - g.nextInt(dy)}, {g.nextInt(dx), img.h() - 1 - g.nextInt(dy)}};
            return Functional.perspective(img, start, end, Functional.Interpolation.BILINEAR);
        };
    }
}
