package jgrad.vision;

/**
 * The deterministic image operations behind the transforms, as {@code torchvision.transforms.functional}
 * on float tensors: same names, same arguments, same results (checked against torchvision 0.14 in
 * {@code jgrad.vision.TransformsTest}). Each returns a new image.
 *
 * <p>One entry point for all of them; the code, with the formulas, lives by concept:
 * <ul>
 *   <li>{@link Geometry}: resize, crop, pad, flip, erase (where pixels go);</li>
 *   <li>{@link Warps}: rotate, affine, perspective (an inverse map, then sampling);</li>
 *   <li>{@link ColorAdjust}: normalize, grey, brightness, contrast, saturation, hue, invert,
 *       solarize, autocontrast (what values pixels have);</li>
 *   <li>{@link Filters}: Gaussian blur, sharpness (neighbourhoods);</li>
 *   <li>{@link EightBit}: uint8 round trips, posterize, equalize.</li>
 * </ul>
 */
public final class Functional {
    private Functional() {}

    /** How {@link #pad} fills the border: a constant, the edge repeated, or a mirror without or with the edge. */
    public enum PadMode { CONSTANT, EDGE, REFLECT, SYMMETRIC }

    /** How {@link #rotate}, {@link #affine} and {@link #perspective} read between pixels. */
    public enum Interpolation { NEAREST, BILINEAR }

    // ---- geometry ---------------------------------------------------------------------------

    /** Antialiased bilinear resizing to outH×outW, as torchvision with antialias=True ({@link Geometry#resize(Image, int, int)}). */
    public static Image resize(Image img, int outH, int outW) {
        return Geometry.resize(img, outH, outW);
    }

    /** Resizes so that the shorter side becomes {@code size}, keeping the aspect ratio. */
    public static Image resize(Image img, int size) {
        return Geometry.resize(img, size);
    }

    /** Rows top … top+h−1 and columns left … left+w−1 (must lie inside the image). */
    public static Image crop(Image img, int top, int left, int h, int w) {
        return Geometry.crop(img, top, left, h, w);
    }

    /** The central h×w part. */
    public static Image centerCrop(Image img, int h, int w) {
        return Geometry.centerCrop(img, h, w);
    }

    /** crop, then resize to outH×outW: torchvision's resized_crop. */
    public static Image resizedCrop(Image img, int top, int left, int h, int w, int outH, int outW) {
        return Geometry.resizedCrop(img, top, left, h, w, outH, outW);
    }

    /** Pads left, top, right, bottom as {@code mode} says ({@code fill} for CONSTANT). */
    public static Image pad(Image img, int left, int top, int right, int bottom, PadMode mode, float fill) {
        return Geometry.pad(img, left, top, right, bottom, mode, fill);
    }

    /** Mirrors left to right. */
    public static Image hflip(Image img) {
        return Geometry.hflip(img);
    }

    /** Mirrors top to bottom. */
    public static Image vflip(Image img) {
        return Geometry.vflip(img);
    }

    /** Sets the h×w rectangle at (top, left) to {@code value} in every channel. */
    public static Image erase(Image img, int top, int left, int h, int w, float value) {
        return Geometry.erase(img, top, left, h, w, value);
    }

    // ---- warps ------------------------------------------------------------------------------

    /** Rotates by {@code degrees} counter-clockwise about the centre, keeping the size; 0 outside. */
    public static Image rotate(Image img, float degrees, Interpolation mode) {
        return Warps.rotate(img, degrees, mode);
    }

    /** Rotation, translation, scaling and shear about the centre, as torchvision's affine; 0 outside. */
    public static Image affine(Image img, float degrees, float tx, float ty, float scale, float shearX, float shearY, Interpolation mode) {
        return Warps.affine(img, degrees, tx, ty, scale, shearX, shearY, mode);
    }

    /** The homography that moves the four {@code start} corners to {@code end}; 0 outside. */
    public static Image perspective(Image img, int[][] start, int[][] end, Interpolation mode) {
        return Warps.perspective(img, start, end, mode);
    }

    // ---- colour -----------------------------------------------------------------------------

    /** (x − mean[c]) / std[c] per channel. */
    public static Image normalize(Image img, float[] mean, float[] std) {
        return ColorAdjust.normalize(img, mean, std);
    }

    /** The grey level (ITU-R 601 weights) as 1 or 3 equal channels. */
    public static Image grayscale(Image img, int channels) {
        return ColorAdjust.grayscale(img, channels);
    }

    /** Blends with black: 0 black, 1 unchanged. */
    public static Image adjustBrightness(Image img, float factor) {
        return ColorAdjust.adjustBrightness(img, factor);
    }

    /** Blends with the mean grey level: 0 flat grey, 1 unchanged. */
    public static Image adjustContrast(Image img, float factor) {
        return ColorAdjust.adjustContrast(img, factor);
    }

    /** Blends with the grey image: 0 grey, 1 unchanged, 2 doubly saturated. */
    public static Image adjustSaturation(Image img, float factor) {
        return ColorAdjust.adjustSaturation(img, factor);
    }

    /** Shifts the hue by {@code factor} turns, in [−½, ½]. */
    public static Image adjustHue(Image img, float factor) {
        return ColorAdjust.adjustHue(img, factor);
    }

    /** 1 − x. */
    public static Image invert(Image img) {
        return ColorAdjust.invert(img);
    }

    /** Inverts the values at or above the threshold. */
    public static Image solarize(Image img, float threshold) {
        return ColorAdjust.solarize(img, threshold);
    }

    /** Stretches each channel to the range 0 … 1. */
    public static Image autocontrast(Image img) {
        return ColorAdjust.autocontrast(img);
    }

    // ---- filters ----------------------------------------------------------------------------

    /** A separable Gaussian blur with odd kernel sizes kx × ky and widths σx, σy; reflected border. */
    public static Image gaussianBlur(Image img, int kx, int ky, float sigmaX, float sigmaY) {
        return Filters.gaussianBlur(img, kx, ky, sigmaX, sigmaY);
    }

    /** Blends with a smoothed copy: 0 smooths, 1 leaves, 2 sharpens. */
    public static Image adjustSharpness(Image img, float factor) {
        return Filters.adjustSharpness(img, factor);
    }

    // ---- 8-bit ------------------------------------------------------------------------------

    /** Float → uint8 → float: each value becomes ⌊x · 255.999⌋ / 255. */
    public static Image convertImageDtype(Image img) {
        return EightBit.convertImageDtype(img);
    }

    /** Keeps the top {@code bits} bits of each 8-bit value. */
    public static Image posterize(Image img, int bits) {
        return EightBit.posterize(img, bits);
    }

    /** Histogram equalization per channel on 8-bit values. */
    public static Image equalize(Image img) {
        return EightBit.equalize(img);
    }

    /** The 8-bit values ⌊x · 255.999⌋ (for tests that compare with torchvision's uint8 output). */
    static int[] toBytes(Image img) {
        return EightBit.toBytes(img);
    }
}
