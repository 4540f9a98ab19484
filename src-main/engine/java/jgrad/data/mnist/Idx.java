package jgrad.data.mnist;

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

    /** Default limit on an IDX file's data: 128 MB (MNIST's training images are 47 MB). */
    public static final long DEFAULT_MAX_BYTES = 128L << 20;

    /** The limit on an IDX file's data: the system property {@code jgrad.maxIdxBytes}, else {@link #DEFAULT_MAX_BYTES}. */
    public static long maxBytes() {
        String v = System.getProperty("jgrad.maxIdxBytes");
        if (v == null) return DEFAULT_MAX_BYTES;
        try {
            long n = Long.parseLong(v.trim());
            if (n > 0) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("-Djgrad.maxIdxBytes=" + v + ": expected a positive whole number of bytes");
    }

    /**
     * Reads and validates an IDX file with the expected number of dimensions. The values are read
     * straight into an array of their exact size (no whole-file copy next to it: for the 47 MB of
     * MNIST's training images that halved the memory the demo touches while loading). Before that
     * array is made, the header's size is checked against {@link #maxBytes()} and, for a raw file,
     * against the file's length; a gzip stream is never inflated past what the header announces
     * plus one byte (a 1 MB "bomb" that inflates to 1.2 GB is refused by its header, or as longer
     * than its header says).
     */
    public static Idx read(Path file, int expectedRank) throws IOException {
        if (Files.isDirectory(file)) throw new IOException(file + " is a folder: expected an MNIST IDX file");
        if (!Files.isRegularFile(file)) throw new IOException("MNIST file not found: " + file);
        try (InputStream in = open(file)) {
            return read(in, file.toString(), expectedRank, in instanceof GZIPInputStream ? -1 : Files.size(file), maxBytes());
        } catch (java.io.EOFException e) {
            throw new IOException(file + " is a truncated gzip file", e);
        } catch (java.util.zip.ZipException e) {
            throw new IOException(file + " is a corrupt gzip file: " + e.getMessage(), e);
        }
    }

    /**
     * Reads an IDX file held in {@code file} (raw, or gzip when it starts with 1f 8b) against a
     * limit of {@code maxBytes}: what {@link #read(Path, int)} does, from memory (the fuzz tests' entry).
     */
    static Idx parse(byte[] file, String name, int expectedRank, long maxBytes) throws IOException {
        boolean gzip = file.length >= 2 && (file[0] & 0xff) == 0x1f && (file[1] & 0xff) == 0x8b;
        InputStream raw = new java.io.ByteArrayInputStream(file);
        try (InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw) {
            return read(in, name, expectedRank, gzip ? -1 : file.length, maxBytes);
        } catch (java.io.EOFException e) {
            throw new IOException(name + " is a truncated gzip file", e);
        } catch (java.util.zip.ZipException e) {
            throw new IOException(name + " is a corrupt gzip file: " + e.getMessage(), e);
        }
    }

    /**
     * Reads an IDX stream; {@code name} names it in messages, {@code rawLength} is the length of
     * the uncompressed file when known (−1 for a gzip stream), {@code maxBytes} the limit on the
     * data. Every problem is an {@link IOException} naming {@code name}.
     */
    static Idx read(InputStream in, String name, int expectedRank, long rawLength, long maxBytes) throws IOException {
        try {
            byte[] head = in.readNBytes(4);
            if (head.length < 4) throw new IOException(name + " is too short to be an IDX file (" + head.length + " bytes)");
            int magic = ByteBuffer.wrap(head).getInt(), rank = magic & 0xff;
            checkMagic(name, magic, expectedRank);
            byte[] dimBytes = in.readNBytes(4 * rank);
            if (dimBytes.length < 4 * rank) throw new IOException(name + " is truncated inside its header");
            int[] dims = dims(name, ByteBuffer.wrap(dimBytes), rank);
            long size = size(dims), expected = size == Long.MAX_VALUE ? Long.MAX_VALUE : 4L + 4L * rank + size;
            if (size > maxBytes) {
                throw new IOException(name + ": header says " + Arrays.toString(dims) + " → " + size + " bytes of data, more than "
                        + "the limit of " + maxBytes + " bytes (raise it with -Djgrad.maxIdxBytes, and the heap with -Xmx)");
            }
            if (size > Integer.MAX_VALUE - 16) throw new IOException(name + ": " + Arrays.toString(dims) + " is too large");
            if (rawLength >= 0 && rawLength != expected) throw sizeMismatch(name, dims, expected, rawLength, false);
            byte[] data = in.readNBytes((int) size);
            if (data.length < size) throw sizeMismatch(name, dims, expected, 4L + 4L * rank + data.length, false);
            long extra = in.readNBytes(1).length;  // never inflate past the header's size + 1 byte
            if (extra > 0) throw sizeMismatch(name, dims, expected, expected + 1, true);
            return new Idx(dims, data);
        } catch (java.io.EOFException e) {
            throw new IOException(name + " is a truncated gzip file", e);
        } catch (java.util.zip.ZipException e) {
            throw new IOException(name + " is a corrupt gzip file: " + e.getMessage(), e);
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

    /** The element count, or Long.MAX_VALUE when it overflows a long (three dimensions near 2³¹ do). */
    private static long size(int[] dims) {
        long size = 1;
        try {
            for (int d : dims) size = Math.multiplyExact(size, d);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
        return size;
    }

    private static IOException sizeMismatch(String name, int[] dims, long expected, long actual, boolean atLeast) {
        return new IOException(String.format("%s is %s: header says %s → %d bytes, file has %s%d",
                name, actual < expected ? "truncated" : "longer than its header says", Arrays.toString(dims), expected,
                atLeast ? "at least " : "", actual));
    }

    /**
     * The SHA-256 of the file's uncompressed bytes, streamed (never held whole), refusing a stream
     * that inflates past the limit on IDX data plus its largest header (a gzip bomb).
     */
    static String uncompressedSha256(Path file) throws IOException {
        long cap = maxBytes() + 4 + 4 * 255;
        try (InputStream in = open(file)) {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            byte[] chunk = new byte[1 << 16];
            long total = 0;
            for (int n; (n = in.read(chunk)) > 0; ) {
                total += n;
                if (total > cap) {
                    throw new IOException(file + " inflates to more than " + cap + " bytes, more than an IDX file within the "
                            + "limit of " + maxBytes() + " bytes of data (raise it with -Djgrad.maxIdxBytes)");
                }
                sha.update(chunk, 0, n);
            }
            return java.util.HexFormat.of().formatHex(sha.digest());
        } catch (java.io.EOFException e) {
            throw new IOException(file + " is a truncated gzip file", e);
        } catch (java.util.zip.ZipException e) {
            throw new IOException(file + " is a corrupt gzip file: " + e.getMessage(), e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
