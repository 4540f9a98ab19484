package jgrad.vision;

import jgrad.vision.Functional.PadMode;

/**
 * Neighbourhood filters: a separable Gaussian blur and torchvision's sharpness (a blend with a
 * 3×3 smoothed copy). The operations behind {@link Functional}'s blur and sharpness.
 */
final class Filters {
    private Filters() {}

    /**
     * A separable Gaussian blur: kernel sizes kx (columns) and ky (rows), odd; σx, σy; weights
     * e^(−½(t/σ)²) for t = −(k−1)/2 … (k−1)/2, normalized; the image padded by reflection.
     */
    static Image gaussianBlur(Image img, int kx, int ky, float sigmaX, float sigmaY) {
        if (kx % 2 == 0 || ky % 2 == 0 || kx < 1 || ky < 1) throw new IllegalArgumentException("gaussianBlur: kernel sizes must be odd and ≥ 1, got " + kx + "×" + ky);
        float[] gx = gaussian(kx, sigmaX), gy = gaussian(ky, sigmaY);
        Image padded = Geometry.pad(img, kx / 2, ky / 2, kx / 2, ky / 2, PadMode.REFLECT, 0);
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

    /**
     * Blends with a smoothed copy (kernel [[1,1,1],[1,5,1],[1,1,1]]/13 inside, the border kept):
     * factor 0 smooths, 1 leaves, 2 sharpens (torchvision's adjust_sharpness).
     */
    static Image adjustSharpness(Image img, float factor) {
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
        return ColorAdjust.blend(img, smooth, factor);
    }
}
