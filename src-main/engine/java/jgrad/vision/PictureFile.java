package jgrad.vision;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads one PNG or JPEG picture, refusing what would be silently wrong or would not fit:
 *
 * <ul>
 *   <li>a missing file, or a folder where a picture belongs;</li>
 *   <li>a picture larger than {@link #maxPixels()} (read from the PNG IHDR / JPEG SOF header by
 *       {@link ImageReader#getWidth}, before any pixel is decoded: a 48-megapixel PNG is refused,
 *       not an {@code OutOfMemoryError});</li>
 *   <li>a truncated file: a PNG must hold its IEND chunk (data after it, as some tools append, is
 *       allowed), and any warning of the JPEG decoder ("Truncated File - Missing EOI marker",
 *       "premature end of data segment") is an error, because {@code javax.imageio} otherwise
 *       decodes a JPEG cut to 700 bytes as a mostly grey picture without a word. A JPEG with data
 *       after its EOI marker (a "motion photo" with its video) decodes without a warning and is
 *       accepted.</li>
 * </ul>
 * Every refusal is a {@link BadPictureException} (an {@link IllegalArgumentException}) naming the
 * file and what is wrong. Checked by: {@code jgrad.vision.PictureFileTest}, {@code jgrad.vision.PictureFuzzTest}.
 */
public final class PictureFile {
    private PictureFile() {}

    /** Default pixel limit: 16 megapixels (decoded to CHW floats that is 192 MB). */
    public static final long DEFAULT_MAX_PIXELS = 16_000_000L;

    /** The pixel limit: the system property {@code jgrad.maxImagePixels}, else {@link #DEFAULT_MAX_PIXELS}. */
    public static long maxPixels() {
        String v = System.getProperty("jgrad.maxImagePixels");
        if (v == null) return DEFAULT_MAX_PIXELS;
        try {
            long n = Long.parseLong(v.trim());
            if (n > 0) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("-Djgrad.maxImagePixels=" + v + ": expected a positive whole number of pixels");
    }

    /** A picture could not be used; the message names the file. */
    public static final class BadPictureException extends IllegalArgumentException {
        BadPictureException(String message) {
            super(message);
        }

        BadPictureException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Reads {@code file} with the default limit; {@code where} names it in messages (a path, or "row 3 of labels.csv (a.jpg)"). */
    public static BufferedImage read(Path file, String where) {
        return read(file, where, maxPixels());
    }

    public static BufferedImage read(Path file, String where, long maxPixels) {
        if (Files.isDirectory(file)) throw new BadPictureException("image " + where + " is a folder: expected a PNG or JPEG file");
        if (!Files.exists(file)) throw new BadPictureException("image " + where + ": no such file (expected a PNG or JPEG file)");
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > Integer.MAX_VALUE - 16) {
                throw new BadPictureException("image " + where + " is " + size + " bytes, more than a picture file can be here (2 GB)");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new BadPictureException("image " + where + " cannot be read: " + e.getMessage(), e);
        }
        return decode(bytes, where, maxPixels);
    }

    /** Decodes a PNG or JPEG held in {@code bytes} with the checks above. */
    public static BufferedImage decode(byte[] bytes, String where, long maxPixels) {
        String format = formatOf(bytes);
        if (format == null) throw new BadPictureException("image " + where + " is not a PNG or JPEG file");
        checkComplete(bytes, format, where);
        try (ImageInputStream in = ImageIO.createImageInputStream(new java.io.ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
            if (!readers.hasNext()) throw new BadPictureException("image " + where + ": no " + format + " decoder in this Java");
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long w = reader.getWidth(0), h = reader.getHeight(0);
                if (w <= 0 || h <= 0) throw new BadPictureException("image " + where + " says it is " + w + "×" + h + " pixels");
                if (w * h > maxPixels) {
                    throw new BadPictureException(String.format(Locale.ROOT, "image %s is %d×%d = %.1f megapixels, more than the "
                            + "limit of %.1f megapixels (set -Djgrad.maxImagePixels in JGRAD_JAVA_OPTS to raise it, with a larger -Xmx)",
                            where, w, h, w * h / 1e6, maxPixels / 1e6));
                }
                StringBuilder warnings = new StringBuilder();
                reader.addIIOReadWarningListener((r, warning) -> warnings.append(warnings.isEmpty() ? "" : "; ").append(warning));
                BufferedImage picture = reader.read(0);
                if (!warnings.isEmpty()) {
                    boolean cut = format.equals("jpeg") && !endsWithEoi(bytes);
                    throw new BadPictureException("image " + where + (cut ? " is truncated: a JPEG file ends with the EOI marker "
                            + "FF D9, this one (" + bytes.length + " bytes) does not (the decoder: " + warnings + ")"
                            : " is damaged: " + warnings));
                }
                return picture;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof BadPictureException b) throw b;
            // javax.imageio reports damage in many types (IIOException, IndexOutOfBounds, IllegalArgument, …)
            throw new BadPictureException("image " + where + " is damaged: " + e.getMessage(), e);
        } catch (OutOfMemoryError e) {
            throw new BadPictureException("image " + where + " does not fit in the Java heap ("
                    + jgrad.tensor.Memory.describe(Runtime.getRuntime().maxMemory()) + ") when decoded", e);
        }
    }

    /** "png", "jpeg", or null, from the file's first bytes (its signature), not its name. */
    static String formatOf(byte[] b) {
        if (b.length >= 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') return "png";
        if (b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) return "jpeg";
        return null;
    }

    /** A PNG holds its IEND chunk (type and fixed CRC); else it was cut short. JPEGs are judged by their decoder's warnings. */
    private static void checkComplete(byte[] b, String format, String where) {
        if (format.equals("png") && lastIndexOf(b, IEND) < 0) {
            throw new BadPictureException("image " + where + " is truncated: a PNG file ends with an IEND chunk, this one ("
                    + b.length + " bytes) has none");
        }
    }

    /** "IEND" and its CRC, which is the same in every PNG (the chunk has no data). */
    private static final byte[] IEND = {'I', 'E', 'N', 'D', (byte) 0xAE, 0x42, 0x60, (byte) 0x82};

    private static int lastIndexOf(byte[] b, byte[] pattern) {
        outer:
        for (int i = b.length - pattern.length; i >= 0; i--) {
            for (int k = 0; k < pattern.length; k++) if (b[i + k] != pattern[k]) continue outer;
            return i;
        }
        return -1;
    }

    /** Whether the bytes end with EOI (FF D9), zero padding after it allowed. */
    private static boolean endsWithEoi(byte[] b) {
        int end = b.length;
        while (end > 0 && b[end - 1] == 0) end--;
        return end >= 2 && (b[end - 2] & 0xFF) == 0xFF && (b[end - 1] & 0xFF) == 0xD9;
    }
}
