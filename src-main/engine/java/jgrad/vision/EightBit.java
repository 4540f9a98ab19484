package jgrad.vision;


/**
 * Operations defined on 8-bit images, as torchvision requires for them: the float image goes to
 * uint8 (⌊x · 255.999⌋), is changed there (posterize, equalize) and comes back as v / 255.
 */
final class EightBit {
    private EightBit() {}

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
    static Image convertImageDtype(Image img) {
        return fromBytes(img, toBytes(img));
    }

    /** Keeps the top {@code bits} bits of each 8-bit value (the image goes through uint8, as torchvision requires). */
    static Image posterize(Image img, int bits) {
        if (bits < 0 || bits > 8) throw new IllegalArgumentException("posterize: bits must be in 0..8, got " + bits);
        int mask = -(1 << (8 - bits)) & 0xFF;
        int[] b = toBytes(img);
        for (int i = 0; i < b.length; i++) b[i] &= mask;
        return fromBytes(img, b);
    }

    /** Histogram equalization per channel on 8-bit values, as torchvision's equalize. */
    static Image equalize(Image img) {
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
}
