package jgrad.vision;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import jgrad.tensor.Device;
import jgrad.tensor.Tensor;

/**
 * An image as the data pipeline handles it: C×H×W floats (usually in [0, 1]) in one array, CHW
 * order, on the host. Transforms take and return these; a batch turns them into a tensor.
 *
 * @param c channels (1 grey, 3 RGB), h rows, w columns; data[(ch·h + y)·w + x]
 */
public record Image(int c, int h, int w, float[] data) {
    public Image {
        if (c < 1 || h < 1 || w < 1 || data.length != c * h * w) {
            throw new IllegalArgumentException("image " + c + "×" + h + "×" + w + " does not fit " + data.length + " values");
        }
    }

    public static Image zeros(int c, int h, int w) {
        return new Image(c, h, w, new float[c * h * w]);
    }

    public float get(int ch, int y, int x) {
        return data[(ch * h + y) * w + x];
    }

    public void set(int ch, int y, int x, float v) {
        data[(ch * h + y) * w + x] = v;
    }

    public Image copy() {
        return new Image(c, h, w, data.clone());
    }

    /**
     * torchvision's ToTensor: an RGB (or grey) picture to C×H×W floats in [0, 1], value / 255.
     * A grey picture gives one channel; anything else three (alpha dropped).
     */
    public static Image of(BufferedImage img) {
        int h = img.getHeight(), w = img.getWidth();
        if (img.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            Image out = zeros(1, h, w);
            var raster = img.getRaster();
            for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) out.set(0, y, x, raster.getSample(x, y, 0) / 255f);
            return out;
        }
        Image out = zeros(3, h, w);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                out.set(0, y, x, ((rgb >> 16) & 0xFF) / 255f);
                out.set(1, y, x, ((rgb >> 8) & 0xFF) / 255f);
                out.set(2, y, x, (rgb & 0xFF) / 255f);
            }
        }
        return out;
    }

    /** A C×H×W tensor (or H×W … as it is: [c, h, w]) on {@code device}. */
    public Tensor toTensor(Device device) {
        return Tensor.of(device, data.clone(), c, h, w);
    }

    /** From a [C, H, W] tensor. */
    public static Image of(Tensor t) {
        if (t.dim() != 3) throw new IllegalArgumentException("an image tensor is [C, H, W], got " + Arrays.toString(t.shape()));
        return new Image(t.size(0), t.size(1), t.size(2), t.toFloatArray());
    }

    /** To a displayable picture (grey or RGB; values clamped to [0, 1]). */
    public BufferedImage toBufferedImage() {
        BufferedImage img = new BufferedImage(w, h, c == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (c == 1) {
                    img.getRaster().setSample(x, y, 0, byteOf(get(0, y, x)));
                } else {
                    img.setRGB(x, y, (byteOf(get(0, y, x)) << 16) | (byteOf(get(1, y, x)) << 8) | byteOf(get(2, y, x)));
                }
            }
        }
        return img;
    }

    private static int byteOf(float v) {
        return Math.round(Math.max(0, Math.min(1, v)) * 255);
    }
}
