package jgrad.vision;

import java.util.Arrays;

/**
 * Changes of pixel values that leave their places alone: per-channel normalization, grey levels,
 * brightness, contrast, saturation and hue (blends with a darker, flatter or greyer image, as
 * torchvision), inversion, solarization, autocontrast. The operations behind {@link Functional}'s
 * colour adjustments; each returns a new image.
 */
final class ColorAdjust {
    private ColorAdjust() {}

    /** (x − mean[c]) / std[c] per channel. */
    static Image normalize(Image img, float[] mean, float[] std) {
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

    /** 0.2989·R + 0.587·G + 0.114·B (ITU-R 601), as 1 or 3 equal channels; a grey image stays as it is. */
    static Image grayscale(Image img, int channels) {
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
    static Image blend(Image a, Image b, float f) {
        Image out = a.copy();
        int plane = a.h() * a.w();
        for (int i = 0; i < out.data().length; i++) {
            float other = b.c() == 1 ? b.data()[i % plane] : b.data()[i];
            out.data()[i] = Math.max(0f, Math.min(1f, f * a.data()[i] + (1 - f) * other));
        }
        return out;
    }

    static Image adjustBrightness(Image img, float factor) {
        return blend(img, Image.zeros(1, img.h(), img.w()), factor);
    }

    /** Blends with the mean grey level of the whole image. */
    static Image adjustContrast(Image img, float factor) {
        Image grey = grayscale(img, 1);
        float mean = 0;
        for (float v : grey.data()) mean += v;
        mean /= grey.data().length;
        Image flat = Image.zeros(1, img.h(), img.w());
        Arrays.fill(flat.data(), mean);
        return blend(img, flat, factor);
    }

    /** Blends with the grey version of the image (0: grey, 1: unchanged, 2: doubly saturated). */
    static Image adjustSaturation(Image img, float factor) {
        return blend(img, grayscale(img, 1), factor);
    }

    static Image invert(Image img) {
        Image out = img.copy();
        for (int i = 0; i < out.data().length; i++) out.data()[i] = 1 - out.data()[i];
        return out;
    }

    /** Inverts the values at or above the threshold. */
    static Image solarize(Image img, float threshold) {
        Image out = img.copy();
        for (int i = 0; i < out.data().length; i++) if (out.data()[i] >= threshold) out.data()[i] = 1 - out.data()[i];
        return out;
    }

    /**
     * Shifts the hue by {@code factor} turns (in [−½, ½]): RGB to HSV, h ← (h + factor) mod 1, back,
     * as torchvision's adjust_hue on tensors.
     */
    static Image adjustHue(Image img, float factor) {
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
    static Image autocontrast(Image img) {
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
}
