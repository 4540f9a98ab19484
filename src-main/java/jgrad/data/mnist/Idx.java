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

    /** Reads and validates an IDX file with the expected number of dimensions. */
    public static Idx read(Path file, int expectedRank) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException("MNIST file not found: " + file);
        return parse(file.toString(), decompressed(file), expectedRank);
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

    static Idx parse(String name, byte[] bytes, int expectedRank) throws IOException {
        if (bytes.length < 4) throw new IOException(name + " is too short to be an IDX file (" + bytes.length + " bytes)");
        ByteBuffer b = ByteBuffer.wrap(bytes);  // big-endian
        int magic = b.getInt();
        int type = (magic >> 8) & 0xff, rank = magic & 0xff;
        if ((magic >>> 16) != 0 || type != UNSIGNED_BYTE || rank != expectedRank) {
            throw new IOException(String.format("%s: bad IDX magic number 0x%08x (expected 0x%08x: unsigned bytes, %d dimensions)",
                    name, magic, (UNSIGNED_BYTE << 8) | expectedRank, expectedRank));
        }
        if (bytes.length < 4 + 4 * rank) throw new IOException(name + " is truncated inside its header");
        int[] dims = new int[rank];
        long size = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = b.getInt();
            if (dims[i] < 0) throw new IOException(name + ": negative dimension " + dims[i]);
            size *= dims[i];
        }
        long expected = 4L + 4L * rank + size;
        if (bytes.length != expected) {
            throw new IOException(String.format("%s is %s: header says %s → %d bytes, file has %d",
                    name, bytes.length < expected ? "truncated" : "longer than its header says",
                    Arrays.toString(dims), expected, bytes.length));
        }
        return new Idx(dims, Arrays.copyOfRange(bytes, 4 + 4 * rank, bytes.length));
    }
}
