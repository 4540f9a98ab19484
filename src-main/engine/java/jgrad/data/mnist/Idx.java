package jgrad.data.mnist;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * The IDX format of the MNIST files: a big-endian header (two zero bytes, a type code, the number
 * of dimensions, then each dimension as a 32-bit integer) followed by the data. Only unsigned bytes
 * (type 0x08) occur in MNIST. Files may be raw or gzip-compressed; the gzip magic decides.
 *
 * @param dims the dimensions, e.g. [60000, 28, 28]
 * @param data the values, row-major
 */
public record Idx(int[] dims, byte[] data) {
    private static final int UNSIGNED_BYTE = 0x08;

    /**
     * Reads and validates an IDX file with the expected number of dimensions. The values are read
     * straight into an array of their exact size (no whole-file copy next to it: for the 47 MB of
     * MNIST's training images that halved the memory the demo touches while loading).
     */
    public static Idx read(Path file, int expectedRank) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException("MNIST file not found: " + file);
        String name = file.toString();
        try (InputStream in = open(file)) {
            byte[] head = in.readNBytes(4);
            if (head.length < 4) throw new IOException(name + " is too short to be an IDX file (" + head.length + " bytes)");
            int magic = ByteBuffer.wrap(head).getInt(), rank = magic & 0xff;
            checkMagic(name, magic, expectedRank);
            byte[] dimBytes = in.readNBytes(4 * rank);
            if (dimBytes.length < 4 * rank) throw new IOException(name + " is truncated inside its header");
            int[] dims = dims(name, ByteBuffer.wrap(dimBytes), rank);
            long expected = 4L + 4L * rank + size(dims);
            if (size(dims) > Integer.MAX_VALUE - 16) throw new IOException(name + ": " + Arrays.toString(dims) + " is too large");
            byte[] data = in.readNBytes((int) size(dims));
            long extra = data.length < size(dims) ? 0 : in.transferTo(java.io.OutputStream.nullOutputStream());
            long actual = 4L + 4L * rank + data.length + extra;
            if (actual != expected) throw sizeMismatch(name, dims, expected, actual);
            return new Idx(dims, data);
        } catch (java.io.EOFException e) {
            throw new IOException(file + " is a truncated gzip file", e);
        } catch (java.util.zip.ZipException e) {
            throw new IOException(file + " is a corrupt gzip file: " + e.getMessage(), e);
        }
    }

    /** The file as a stream, gunzipped if it starts with the gzip magic 1f 8b. */
    private static InputStream open(Path file) throws IOException {
        InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int b0 = in.read(), b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
    }

    private static void checkMagic(String name, int magic, int expectedRank) throws IOException {
        int type = (magic >> 8) & 0xff, rank = magic & 0xff;
        if ((magic >>> 16) != 0 || type != UNSIGNED_BYTE || rank != expectedRank) {
            throw new IOException(String.format("%s: bad IDX magic number 0x%08x (expected 0x%08x: unsigned bytes, %d dimensions)",
                    name, magic, (UNSIGNED_BYTE << 8) | expectedRank, expectedRank));
        }
    }

    private static int[] dims(String name, ByteBuffer b, int rank) throws IOException {
        int[] dims = new int[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = b.getInt();
            if (dims[i] < 0) throw new IOException(name + ": negative dimension " + dims[i]);
        }
        return dims;
    }

    private static long size(int[] dims) {
        long size = 1;
        for (int d : dims) size *= d;
        return size;
    }

    private static IOException sizeMismatch(String name, int[] dims, long expected, long actual) {
        return new IOException(String.format("%s is %s: header says %s → %d bytes, file has %d",
                name, actual < expected ? "truncated" : "longer than its header says", Arrays.toString(dims), expected, actual));
    }

    /** The file's bytes, gunzipped if it starts with the gzip magic 1f 8b. */
    static byte[] decompressed(Path file) throws IOException {
        byte[] raw = Files.readAllBytes(file);
        if (raw.length >= 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b) {
            try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(raw))) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length * 4);
                in.transferTo(out);
                return out.toByteArray();
            } catch (java.io.EOFException e) {
                throw new IOException(file + " is a truncated gzip file", e);
            } catch (java.util.zip.ZipException e) {
                throw new IOException(file + " is a corrupt gzip file: " + e.getMessage(), e);
            }
        }
        return raw;
    }
}
