package jgrad.vision;

import java.util.Arrays;

/**
 * The deterministic image operations behind the transforms, as {@code torchvision.transforms.functional}
 * on float tensors: same names, same arguments, same results (checked against torchvision 0.14 in
 * {@code jgrad.vision.TransformsTest}). Each returns a new image.
 */
public final class Functional {
    private Functional() {}

    /** (x − mean[c]) / std[c] per channel. */
    public static Image normalize(Image img, float[] mean, float[] std) {
        if (mean.length != img.c() || std.length != img.c()) {
            throw new IllegalArgumentException("normalize: " + mean.length + " means and " + std.length + " stds for " + img.c() + " channels");
        }
        Image out = img.copy();
        int plane = img.h() * img.w();
        for (int ch = 0; ch < img.c(); ch++) {
            if (!(std[ch] != 0)) throw new IllegalArgumentException("normalize: std of channel " + ch + " is 0");
            for (int i = ch * plane; i < (ch + 1) * plane; i++) out.data()[i] = (out.data()[i] - mean[ch]) / std[ch];
        }
        return out;
    }

    /**
     * Bilinear resizing with antialiasing (torchvision's antialias=True, which follows PIL): output
     * pixel i covers input [(i + ½)·s − support, (i + ½)·s + support] with s = in/out; the weights
     * are a triangle of half-width max(s, 1), so shrinking averages every input pixel under the
     * output one instead of sampling two. Done separably, rows then columns.
     */
    public static Image resize(Image img, int outH, int outW) {
        if (outH < 1 || outW < 1) throw new IllegalArgumentException("resize: size " + outH + "×" + outW + " must be ≥ 1");
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
    public static Image resize(Image img, int size) {
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
    public static Image crop(Image img, int top, int left, int h, int w) {
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
    public static Image centerCrop(Image img, int h, int w) {
        int top = (int) Math.rint((img.h() - h) / 2.0), left = (int) Math.rint((img.w() - w) / 2.0);
        return crop(img, top, left, h, w);
    }

    public enum PadMode { CONSTANT, EDGE, REFLECT, SYMMETRIC }

    /** Pads left, top, right, bottom; CONSTANT with {@code fill}, EDGE repeating the border, REFLECT mirroring without it, SYMMETRIC with it. */
    public static Image pad(Image img, int left, int top, int right, int bottom, PadMode mode, float fill) {
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

    public static Image hflip(Image img) {
        Image out = Image.zeros(img.c(), img.h(), img.w());
        for (int ch = 0; ch < img.c(); ch++)
            for (int y = 0; y < img.h(); y++)
                for (int x = 0; x < img.w(); x++) out.set(ch, y, x, img.get(ch, y, img.w() - 1 - x));
        return out;
    }

    public static Image vflip(Image img) {
        Image out = Image.zeros(img.c(), img.h(), img.w());
        for (int ch = 0; ch < img.c(); ch++)
            for (int y = 0; y < img.h(); y++)
                System.arraycopy(img.data(), (ch * img.h() + img.h() - 1 - y) * img.w(), out.data(), (ch * img.h() + y) * img.w(), img.w());
        return out;
    }

    /** 0.2989·R + 0.587·G + 0.114·B (ITU-R 601), as 1 or 3 equal channels; a grey image stays as it is. */
    public static Image grayscale(Image img, int channels) {
        if (channels != 1 && channels != 3) throw new IllegalArgumentException("grayscale: 1 or 3 output channels, got " + channels);
        Image grey = Image.zeros(1, img.h(), img.w());
        for (int y = 0; y < img.h(); y++)
            for (int x = 0; x < img.w(); x++) {
                grey.set(0, y, x, img.c() == 1 ? img.get(0, y, x)
                        : 0.2989f * img.get(0, y, x) + 0.587f * img.get(1, y, x) + 0.114f * img.get(2, y, x));
            }
        if (channels == 1) return grey;
        float[] d = new float[3 * grey.data().length];
        for (int ch = 0; ch < 3; ch++) System.arraycopy(grey.data(), 0, d, ch * grey.data().length, grey.data().length);
        return new Image(3, img.h(), img.w(), d);
    }

    /** clamp(f·a + (1 − f)·b, 0, 1) with b an image of the same size or one channel broadcast. */
    private static Image blend(Image a, Image b, float f) {
        Image out = a.copy();
        int plane = a.h() * a.w();
        for (int i = 0; i < out.data().length; i++) {
            float other = b.c() == 1 ? b.data()[i % plane] : b.data()[i];
            out.data()[i] = Math.max(0f, Math.min(1f, f * a.data()[i] + (1 - f) * other));
        }
        return out;
    }

    public static Image adjustBrightness(Image img, float factor) {
        return blend(img, Image.zeros(1, img.h(), img.w()), factor);
    }

    /** Blends with the mean grey level of the whole image. */
    public static Image adjustContrast(Image img, float factor) {
        Image grey = grayscale(img, 1);
        float mean = 0;
        for (float v : grey.data()) mean += v;
        mean /= grey.data().length;
        Image flat = Image.zeros(1, img.h(), img.w());
        Arrays.fill(flat.data(), mean);
        return blend(img, flat, factor);
    }

    /** Blends with the grey version of the image (0: grey, 1: unchanged, 2: doubly saturated). */
    public static Image adjustSaturation(Image img, float factor) {
        return blend(img, grayscale(img, 1), factor);
    }

    /**
     * A separable Gaussian blur: kernel sizes kx (columns) and ky (rows), odd; σx, σy; weights
     * e^(−½(t/σ)²) for t = −(k−1)/2 … (k−1)/2, normalized; the image padded by reflection.
     */
    public static Image gaussianBlur(Image img, int kx, int ky, float sigmaX, float sigmaY) {
        if (kx % 2 == 0 || ky % 2 == 0 || kx < 1 || ky < 1) throw new IllegalArgumentException("gaussianBlur: kernel sizes must be odd and ≥ 1, got " + kx + "×" + ky);
        float[] gx = gaussian(kx, sigmaX), gy = gaussian(ky, sigmaY);
        Image padded = pad(img, kx / 2, ky / 2, kx / 2, ky / 2, PadMode.REFLECT, 0);
        Image out = Image.zeros(img.c(), img.h(), img.w());
        for (int ch = 0; ch < img.c(); ch++)
            for (int y = 0; y < img.h(); y++)
                for (int x = 0; x < img.w(); x++) {
                    float s = 0;
                    for (int i = 0; i < ky; i++) for (int j = 0; j < kx; j++) s += gy[i] * gx[j] * padded.get(ch, y + i, x + j);
                    out.set(ch, y, x, s);
                }
        return out;
    }

    private static float[] gaussian(int k, float sigma) {
        float[] g = new float[k];
        float sum = 0;
        for (int i = 0; i < k; i++) {
            float t = i - (k - 1) / 2f;
            g[i] = (float) Math.exp(-0.5 * (t / sigma) * (t / sigma));
            sum += g[i];
        }
        for (int i = 0; i < k; i++) g[i] /= sum;
        return g;
    }

    public static Image invert(Image img) {
        Image out = img.copy();
        for (int i = 0; i < out.data().length; i++) out.data()[i] = 1 - out.data()[i];
        return out;
    }

    /** Inverts the values at or above the threshold. */
    public static Image solarize(Image img, float threshold) {
        Image out = img.copy();
        for (int i = 0; i < out.data().length; i++) if (out.data()[i] >= threshold) out.data()[i] = 1 - out.data()[i];
        return out;
    }

    /** Sets the h×w rectangle at (top, left) to {@code value} in every channel. */
    public static Image erase(Image img, int top, int left, int h, int w, float value) {
        Image out = img.copy();
        for (int ch = 0; ch < img.c(); ch++)
            for (int y = top; y < Math.min(img.h(), top + h); y++)
                for (int x = left; x < Math.min(img.w(), left + w); x++) out.set(ch, y, x, value);
        return out;
    }

    /** How {@link #rotate} reads between pixels. */
    public enum Interpolation { NEAREST, BILINEAR }

    /**
     * Rotates by {@code degrees} counter-clockwise about the centre, keeping the size; what comes
     * from outside the image is 0. As torchvision on tensors: each output pixel centre is mapped
     * back through the inverse rotation and sampled as {@code grid_sample} does (align_corners
     * false; nearest rounds half to even), in float.
     */
    public static Image rotate(Image img, float degrees, Interpolation mode) {
        return warp(img, inverseAffine(-degrees, 0, 0, 1, 0, 0), mode);
    }

    /**
     * Rotation by {@code degrees}, then translation by (tx, ty) pixels, scaling and shear (degrees,
     * along x and y) about the centre, as torchvision's {@code affine} on tensors; 0 outside.
     */
    public static Image affine(Image img, float degrees, float tx, float ty, float scale, float shearX, float shearY, Interpolation mode) {
        if (!(scale > 0)) throw new IllegalArgumentException("affine: scale must be > 0, got " + scale);
        return warp(img, inverseAffine(degrees, tx, ty, scale, shearX, shearY), mode);
    }

    /** torchvision's _get_inverse_affine_matrix about the centre: the 2×3 map from output to input coordinates. */
    private static float[] inverseAffine(double degrees, double tx, double ty, double scale, double shearX, double shearY) {
        double rot = Math.toRadians(degrees), sx = Math.toRadians(shearX), sy = Math.toRadians(shearY);
        double a = Math.cos(rot - sy) / Math.cos(sy);
        double b = -Math.cos(rot - sy) * Math.tan(sx) / Math.cos(sy) - Math.sin(rot);
        double c = Math.sin(rot - sy) / Math.cos(sy);
        double d = -Math.sin(rot - sy) * Math.tan(sx) / Math.cos(sy) + Math.cos(rot);
        double[] m = {d / scale, -b / scale, 0, -c / scale, a / scale, 0};
        m[2] += m[0] * -tx + m[1] * -ty;
        m[5] += m[3] * -tx + m[4] * -ty;
        float[] f = new float[6];
        for (int i = 0; i < 6; i++) f[i] = (float) m[i];
        return f;
    }

    /**
     * Each output pixel centre (x, y), measured from the image centre, is mapped by m to the input
     * and sampled as {@code grid_sample} does (align_corners false; nearest rounds half to even),
     * in float like torchvision.
     */
    private static Image warp(Image img, float[] m, Interpolation mode) {
        int h = img.h(), w = img.w();
        float halfW = 0.5f * w, halfH = 0.5f * h;
        Image out = Image.zeros(img.c(), h, w);
        for (int i = 0; i < h; i++) {
            float y = -h * 0.5f + 0.5f + i;
            for (int j = 0; j < w; j++) {
                float x = -w * 0.5f + 0.5f + j;
                float gx = x * (m[0] / halfW) + y * (m[1] / halfW) + m[2] / halfW;
                float gy = x * (m[3] / halfH) + y * (m[4] / halfH) + m[5] / halfH;
                float ix = ((gx + 1) * w - 1) / 2, iy = ((gy + 1) * h - 1) / 2;
                for (int ch = 0; ch < img.c(); ch++) out.set(ch, i, j, sample(img, ch, iy, ix, mode));
            }
        }
        return out;
    }

    private static float sample(Image img, int ch, float iy, float ix, Interpolation mode) {
        if (mode == Interpolation.NEAREST) {
            int y = (int) Math.rint(iy), x = (int) Math.rint(ix);
            return y >= 0 && y < img.h() && x >= 0 && x < img.w() ? img.get(ch, y, x) : 0f;
        }
        int x0 = (int) Math.floor(ix), y0 = (int) Math.floor(iy);
        float fx = ix - x0, fy = iy - y0, s = 0;
        for (int dy = 0; dy <= 1; dy++) {
            for (int dx = 0; dx <= 1; dx++) {
                int y = y0 + dy, x = x0 + dx;
                if (y < 0 || y >= img.h() || x < 0 || x >= img.w()) continue;
                s += (dx == 1 ? fx : 1 - fx) * (dy == 1 ? fy : 1 - fy) * img.get(ch, y, x);
            }
        }
        return s;
    }

    /** crop, then resize (antialiased) to outH×outW: torchvision's resized_crop. */
    public static Image resizedCrop(Image img, int top, int left, int h, int w, int outH, int outW) {
        return resize(crop(img, top, left, h, w), outH, outW);
    }

    /**
     * Shifts the hue by {@code factor} turns (in [−½, ½]): RGB to HSV, h ← (h + factor) mod 1, back,
     * as torchvision's adjust_hue on tensors.
     */
    public static Image adjustHue(Image img, float factor) {
        if (!(factor >= -0.5f && factor <= 0.5f)) throw new IllegalArgumentException("adjustHue: factor must be in [-0.5, 0.5], got " + factor);
        if (img.c() == 1) return img.copy();
        Image out = img.copy();
        for (int y = 0; y < img.h(); y++) {
            for (int x = 0; x < img.w(); x++) {
                float r = img.get(0, y, x), g = img.get(1, y, x), b = img.get(2, y, x);
                float maxc = Math.max(r, Math.max(g, b)), minc = Math.min(r, Math.min(g, b));
                boolean eq = maxc == minc;
                float cr = maxc - minc, s = cr / (eq ? 1f : maxc), div = eq ? 1f : cr;
                float rc = (maxc - r) / div, gc = (maxc - g) / div, bc = (maxc - b) / div;
                float hue = (maxc == r ? bc - gc : 0f) + (maxc == g && maxc != r ? 2f + rc - bc : 0f)
                        + (maxc != g && maxc != r ? 4f + gc - rc : 0f);
                hue = (hue / 6f + 1f) % 1f;
                hue = hue + factor;
                hue = hue - (float) Math.floor(hue);            // Python's % 1.0: into [0, 1)
                float v = maxc, h6 = hue * 6f;
                float fi = (float) Math.floor(h6), f = h6 - fi;
                int i = ((int) fi % 6 + 6) % 6;
                float p = clamp01(v * (1f - s)), q = clamp01(v * (1f - s * f)), t = clamp01(v * (1f - s * (1f - f)));
                float[] rgb = switch (i) {
                    case 0 -> new float[] {v, t, p};
                    case 1 -> new float[] {q, v, p};
                    case 2 -> new float[] {p, v, t};
                    case 3 -> new float[] {p, q, v};
                    case 4 -> new float[] {t, p, v};
                    default -> new float[] {v, p, q};
                };
                for (int ch = 0; ch < 3; ch++) out.set(ch, y, x, rgb[ch]);
            }
        }
        return out;
    }

    private static float clamp01(float v) {
        return Math.max(0f, Math.min(1f, v));
    }

    /** Stretches each channel so that its darkest value becomes 0 and its brightest 1 (a flat channel is left). */
    public static Image autocontrast(Image img) {
        Image out = img.copy();
        int plane = img.h() * img.w();
        for (int ch = 0; ch < img.c(); ch++) {
            float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
            for (int i = ch * plane; i < (ch + 1) * plane; i++) {
                lo = Math.min(lo, img.data()[i]);
                hi = Math.max(hi, img.data()[i]);
            }
            float scale = 1f / (hi - lo);
            if (!Float.isFinite(scale)) {
                lo = 0;
                scale = 1;
            }
            for (int i = ch * plane; i < (ch + 1) * plane; i++) out.data()[i] = clamp01((img.data()[i] - lo) * scale);
        }
        return out;
    }

    /**
     * Blends with a smoothed copy (kernel [[1,1,1],[1,5,1],[1,1,1]]/13 inside, the border kept):
     * factor 0 smooths, 1 leaves, 2 sharpens (torchvision's adjust_sharpness).
     */
    public static Image adjustSharpness(Image img, float factor) {
        if (img.h() <= 2 || img.w() <= 2) return img.copy();
        Image smooth = img.copy();
        for (int ch = 0; ch < img.c(); ch++)
            for (int y = 1; y < img.h() - 1; y++)
                for (int x = 1; x < img.w() - 1; x++) {
                    float s = 0;
                    for (int dy = -1; dy <= 1; dy++)
                        for (int dx = -1; dx <= 1; dx++) s += (dx == 0 && dy == 0 ? 5f / 13f : 1f / 13f) * img.get(ch, y + dy, x + dx);
                    smooth.set(ch, y, x, s);
                }
        return blend(img, smooth, factor);
    }

    /** torchvision's convert_image_dtype float → uint8: ⌊x · 255.999⌋. */
    static int[] toBytes(Image img) {
        int[] b = new int[img.data().length];
        for (int i = 0; i < b.length; i++) b[i] = Math.max(0, Math.min(255, (int) (img.data()[i] * 255.999f)));
        return b;
    }

    static Image fromBytes(Image shape, int[] b) {
        float[] d = new float[b.length];
        for (int i = 0; i < b.length; i++) d[i] = b[i] / 255f;
        return new Image(shape.c(), shape.h(), shape.w(), d);
    }

    /**
     * Float → uint8 → float, as torchvision's ConvertImageDtype there and back: each value becomes
     * ⌊x · 255.999⌋ / 255 (images stay floats in jgrad; this is the 8-bit quantization).
     */
    public static Image convertImageDtype(Image img) {
        return fromBytes(img, toBytes(img));
    }

    /** Keeps the top {@code bits} bits of each 8-bit value (the image goes through uint8, as torchvision requires). */
    public static Image posterize(Image img, int bits) {
        if (bits < 0 || bits > 8) throw new IllegalArgumentException("posterize: bits must be in 0..8, got " + bits);
        int mask = -(1 << (8 - bits)) & 0xFF;
        int[] b = toBytes(img);
        for (int i = 0; i < b.length; i++) b[i] &= mask;
        return fromBytes(img, b);
    }

    /** Histogram equalization per channel on 8-bit values, as torchvision's equalize. */
    public static Image equalize(Image img) {
        int[] b = toBytes(img);
        int plane = img.h() * img.w();
        for (int ch = 0; ch < img.c(); ch++) {
            long[] hist = new long[256];
            for (int i = ch * plane; i < (ch + 1) * plane; i++) hist[b[i]]++;
            long lastNonzero = 0, sum = 0;
            for (int v = 0; v < 256; v++) if (hist[v] != 0) lastNonzero = hist[v];
            for (int v = 0; v < 256; v++) sum += hist[v];
            long step = (sum - lastNonzero) / 255;
            if (step == 0) continue;
            int[] lut = new int[256];
            long cumulative = 0;
            for (int v = 0; v < 256; v++) {
                lut[v] = (int) Math.min(255, (cumulative + step / 2) / step);  // the table shifted by one: cumulative before v
                cumulative += hist[v];
            }
            for (int i = ch * plane; i < (ch + 1) * plane; i++) b[i] = lut[b[i]];
        }
        return fromBytes(img, b);
    }

    /**
     * The perspective warp that moves the four {@code start} corners (x, y pixel pairs: top-left,
     * top-right, bottom-right, bottom-left) to {@code end}, bilinear, 0 outside, as torchvision's
     * perspective on tensors: the 8 coefficients of the homography from end to start points solved
     * by least squares (here exactly, by elimination), then each output pixel centre mapped back.
     */
    public static Image perspective(Image img, int[][] start, int[][] end, Interpolation mode) {
        double[][] a = new double[8][9];
        for (int i = 0; i < 4; i++) {
            double x = end[i][0], y = end[i][1], u = start[i][0], v = start[i][1];
            a[2 * i] = new double[] {x, y, 1, 0, 0, 0, -u * x, -u * y, u};
            a[2 * i + 1] = new double[] {0, 0, 0, x, y, 1, -v * x, -v * y, v};
        }
        double[] c = solve(a);
        int h = img.h(), w = img.w();
        float[] t1 = {(float) c[0], (float) c[1], (float) c[2], (float) c[3], (float) c[4], (float) c[5]};
        float c6 = (float) c[6], c7 = (float) c[7];
        float halfW = 0.5f * w, halfH = 0.5f * h;
        Image out = Image.zeros(img.c(), h, w);
        for (int i = 0; i < h; i++) {
            float y = 0.5f + i;
            for (int j = 0; j < w; j++) {
                float x = 0.5f + j;
                float den = x * c6 + y * c7 + 1f;
                float gx = (x * (t1[0] / halfW) + y * (t1[1] / halfW) + t1[2] / halfW) / den - 1f;
                float gy = (x * (t1[3] / halfH) + y * (t1[4] / halfH) + t1[5] / halfH) / den - 1f;
                float ix = ((gx + 1) * w - 1) / 2, iy = ((gy + 1) * h - 1) / 2;
                for (int ch = 0; ch < img.c(); ch++) out.set(ch, i, j, sample(img, ch, iy, ix, mode));
            }
        }
        return out;
    }

    /** Gauss–Jordan elimination with partial pivoting of an n×(n+1) augmented matrix. */
    private static double[] solve(double[][] a) {
        int n = a.length;
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
            if (Math.abs(a[pivot][col]) < 1e-12) throw new IllegalArgumentException("perspective: the corner points are degenerate");
            double[] tmp = a[col];
            a[col] = a[pivot];
            a[pivot] = tmp;
            for (int r = 0; r < n; r++) {
                if (r == col) continue;
                double f = a[r][col] / a[col][col];
                for (int k = col; k <= n; k++) a[r][k] -= f * a[col][k];
            }
        }
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = a[i][n] / a[i][i];
        return x;
    }
}
