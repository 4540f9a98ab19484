package jgrad.vision;

import jgrad.vision.Functional.PadMode;

/**
 * Where pixels go: resizing (antialiased, as PIL and torchvision), cropping, padding, flipping, and
 * erasing a rectangle. The operations behind {@link Functional}'s geometry; each returns a new image.
 */
final class Geometry {
    private Geometry() {}

    /**
     * Bilinear resizing with antialiasing (torchvision's antialias=True, which follows PIL): output
     * pixel i covers input [(i + ½)·s − support, (i + ½)·s + support] with s = in/out; the weights
     * are a triangle of half-width max(s, 1), so shrinking averages every input pixel under the
     * output one instead of sampling two. Done separably, rows then columns.
     */
    static Image resize(Image img, int outH, int outW) {
        Transforms.checkSize("resize", outH, outW);  // ≥ 1 and within the pixel limit (an aspect-kept size is known only here)
        float[][] wx = new float[outW][];
        int[] x0 = new int[outW];
        coefficients(img.w(), outW, wx, x0);
        float[][] wy = new float[outH][];
        int[] y0 = new int[outH];
        coefficients(img.h(), outH, wy, y0);
        Image tmp = Image.zeros(img.c(), img.h(), outW);
        for (int ch = 0; ch < img.c(); ch++)
            for (int y = 0; y < img.h(); y++)
                for (int x = 0; x < outW; x++) {
                    float s = 0;
                    for (int k = 0; k < wx[x].length; k++) s += wx[x][k] * img.get(ch, y, x0[x] + k);
                    tmp.set(ch, y, x, s);
                }
        Image out = Image.zeros(img.c(), outH, outW);
        for (int ch = 0; ch < img.c(); ch++)
            for (int y = 0; y < outH; y++)
                for (int x = 0; x < outW; x++) {
                    float s = 0;
                    for (int k = 0; k < wy[y].length; k++) s += wy[y][k] * tmp.get(ch, y0[y] + k, x);
                    out.set(ch, y, x, s);
                }
        return out;
    }

    /** Resizes so that the shorter side becomes {@code size}, keeping the aspect ratio (torchvision's int size). */
    static Image resize(Image img, int size) {
        boolean tall = img.h() >= img.w();
        int shortSide = tall ? img.w() : img.h(), longSide = tall ? img.h() : img.w();
        int newLong = (int) ((long) size * longSide / shortSide);
        return tall ? resize(img, newLong, size) : resize(img, size, newLong);
    }

    /** PIL's precompute_coeffs for the triangle filter: first index and normalized weights per output pixel. */
    private static void coefficients(int in, int out, float[][] weights, int[] first) {
        double scale = (double) in / out, filterScale = Math.max(scale, 1.0), support = filterScale;
        for (int i = 0; i < out; i++) {
            double center = (i + 0.5) * scale;
            int lo = Math.max((int) (center - support + 0.5), 0), hi = Math.min((int) (center + support + 0.5), in);
            float[] w = new float[hi - lo];
            double sum = 0;
            for (int j = 0; j < w.length; j++) {
                double d = Math.abs((j + lo - center + 0.5) / filterScale);
                w[j] = (float) (d < 1 ? 1 - d : 0);
                sum += w[j];
            }
            for (int j = 0; j < w.length; j++) w[j] = (float) (w[j] / sum);
            weights[i] = w;
            first[i] = lo;
        }
    }

    /** Rows top … top+h−1 and columns left … left+w−1 (must lie inside the image). */
    static Image crop(Image img, int top, int left, int h, int w) {
        if (top < 0 || left < 0 || h < 1 || w < 1 || top + h > img.h() || left + w > img.w()) {
            throw new IllegalArgumentException("crop: " + h + "×" + w + " at (" + top + ", " + left + ") leaves the " + img.h() + "×" + img.w() + " image");
        }
        Image out = Image.zeros(img.c(), h, w);
        for (int ch = 0; ch < img.c(); ch++)
            for (int y = 0; y < h; y++)
                System.arraycopy(img.data(), (ch * img.h() + top + y) * img.w() + left, out.data(), (ch * h + y) * w, w);
        return out;
    }

    /** The central h×w part; the offsets are rounded half to even, as Python's round. */
    static Image centerCrop(Image img, int h, int w) {
        int top = (int) Math.rint((img.h() - h) / 2.0), left = (int) Math.rint((img.w() - w) / 2.0);
        return crop(img, top, left, h, w);
    }

    /** Pads left, top, right, bottom; CONSTANT with {@code fill}, EDGE repeating the border, REFLECT mirroring without it, SYMMETRIC with it. */
    static Image pad(Image img, int left, int top, int right, int bottom, PadMode mode, float fill) {
        int h = img.h() + top + bottom, w = img.w() + left + right;
        if (mode == PadMode.REFLECT && (top >= img.h() || bottom >= img.h() || left >= img.w() || right >= img.w())) {
            throw new IllegalArgumentException("pad: reflect padding must be smaller than the image (" + img.h() + "×" + img.w() + ")");
        }
        Image out = Image.zeros(img.c(), h, w);
        for (int ch = 0; ch < img.c(); ch++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                    int sy = source(y - top, img.h(), mode), sx = source(x - left, img.w(), mode);
                    out.set(ch, y, x, sy < 0 || sx < 0 ? fill : img.get(ch, sy, sx));
                }
        return out;
    }

    /** The input index a padded position reads (−1: the constant). */
    private static int source(int i, int n, PadMode mode) {
        if (i >= 0 && i < n) return i;
        return switch (mode) {
            case CONSTANT -> -1;
            case EDGE -> i < 0 ? 0 : n - 1;
            case REFLECT -> i < 0 ? -i : 2 * (n - 1) - i;
            case SYMMETRIC -> i < 0 ? -i - 1 : 2 * n - 1 - i;
        };
    }

    static Image hflip(Image img) {
        Image out = Image.zeros(img.c(), img.h(), img.w());
        for (int ch = 0; ch < img.c(); ch++)
            for (int y = 0; y < img.h(); y++)
                for (int x = 0; x < img.w(); x++) out.set(ch, y, x, img.get(ch, y, img.w() - 1 - x));
        return out;
    }

    static Image vflip(Image img) {
        Image out = Image.zeros(img.c(), img.h(), img.w());
        for (int ch = 0; ch < img.c(); ch++)
            for (int y = 0; y < img.h(); y++)
                System.arraycopy(img.data(), (ch * img.h() + img.h() - 1 - y) * img.w(), out.data(), (ch * img.h() + y) * img.w(), img.w());
        return out;
    }

    /** Sets the h×w rectangle at (top, left) to {@code value} in every channel. */
    static Image erase(Image img, int top, int left, int h, int w, float value) {
        Image out = img.copy();
        for (int ch = 0; ch < img.c(); ch++)
            for (int y = top; y < Math.min(img.h(), top + h); y++)
                for (int x = left; x < Math.min(img.w(), left + w); x++) out.set(ch, y, x, value);
        return out;
    }

    /** crop, then resize (antialiased) to outH×outW: torchvision's resized_crop. */
    static Image resizedCrop(Image img, int top, int left, int h, int w, int outH, int outW) {
        return resize(crop(img, top, left, h, w), outH, outW);
    }
}
