package jgrad.tensor;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UTFDataFormatException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * Named tensors in one binary file (state dicts, checkpoints), big-endian:
 * <pre>
 *   "JGR2"  count  { name (modified UTF-8, 2-byte length)  rank  dim₁ … dimᵣ  float32 × ∏dims } × count  CRC32C
 * </pre>
 * The CRC32C covers every byte before it. Written through {@link AtomicFile} (a crash leaves the old
 * file or the new one). Read with every size checked before anything is allocated for it: the count,
 * each rank (≤ {@value #MAX_RANK}), each dimension (≥ 0) and each element count against the bytes
 * left in the file and against {@link #maxElements()}; then the checksum. Anything wrong is a
 * {@link DamagedFileException} naming the file and the fault.
 *
 * <p>Version 1 files ("JGRD", the same layout without the checksum, written before checksums were
 * added) are still read, with the same size checks but no integrity check.
 *
 * <p>Checked by: {@code jgrad.tensor.TensorFileTest}, {@code jgrad.tensor.TensorFileFuzzTest}.
 */
public final class TensorFile {
    static final int MAGIC_V1 = 0x4A475244; // "JGRD": no checksum
    static final int MAGIC = 0x4A475232;    // "JGR2": with a CRC32C at the end
    /** The most dimensions a stored tensor may have. */
    public static final int MAX_RANK = 32;
    /** System property that sets {@link #maxElements()}. */
    public static final String MAX_ELEMENTS_PROPERTY = "jgrad.maxTensorElements";

    private TensorFile() {}

    /**
     * The most values one stored tensor may hold when read: {@code -Djgrad.maxTensorElements=N},
     * by default the largest Java array (2³¹ − 9).
     */
    public static long maxElements() {
        return Long.getLong(MAX_ELEMENTS_PROPERTY, Integer.MAX_VALUE - 8L);
    }

    public static void save(Map<String, Tensor> tensors, Path file) throws IOException {
        AtomicFile.write(file, os -> {
            CRC32C crc = new CRC32C();
            DataOutputStream out = new DataOutputStream(new CheckedOutputStream(os, crc));
            out.writeInt(MAGIC);
            out.writeInt(tensors.size());
            byte[] chunk = new byte[1 << 16];
            for (var e : tensors.entrySet()) {
                out.writeUTF(e.getKey());
                int[] shape = e.getValue().shape();
                out.writeInt(shape.length);
                for (int s : shape) out.writeInt(s);
                float[] v = e.getValue().toFloatArray();
                for (int off = 0; off < v.length; off += chunk.length / 4) {
                    int n = Math.min(chunk.length / 4, v.length - off);
                    ByteBuffer.wrap(chunk).asFloatBuffer().put(v, off, n);
                    out.write(chunk, 0, 4 * n);
                }
            }
            out.flush();
            new DataOutputStream(os).writeInt((int) crc.getValue());  // not itself checksummed
        });
    }

    /** The tensors of a file written by {@link #save}, on the default device, in file order. */
    public static Map<String, Tensor> load(Path file) throws IOException {
        return load(file, maxElements());
    }

    /** As {@link #load(Path)}, refusing any tensor of more than {@code maxElements} values. */
    public static Map<String, Tensor> load(Path file, long maxElements) throws IOException {
        if (Files.isDirectory(file)) throw new DamagedFileException(file, "is a folder, not a tensor file");
        long length = Files.size(file);
        try (InputStream is = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return read(file, is, length, maxElements);
        }
    }

    /** Reads {@code length} bytes of a tensor file from {@code in}; {@code file} names it in errors. */
    static Map<String, Tensor> read(Path file, InputStream in, long length, long maxElements) throws IOException {
        try {
            return new Reader(file, in, length, maxElements).read();
        } catch (EOFException e) {
            throw new DamagedFileException(file, "is truncated: it ends early", e);
        }
    }

    /** Reads one file front to back, counting the bytes left so that every size can be checked first. */
    private static final class Reader {
        private final Path file;
        private final CRC32C crc = new CRC32C();
        private final DataInputStream in;
        private final long maxElements;
        private long left;

        Reader(Path file, InputStream raw, long length, long maxElements) {
            this.file = file;
            this.in = new DataInputStream(new CheckedInputStream(raw, crc));
            this.left = length;
            this.maxElements = maxElements;
        }

        Map<String, Tensor> read() throws IOException {
            if (left < 8) throw damaged(left == 0 ? "is empty" : "is too short (" + left + " bytes) to be a jgrad tensor file");
            int magic = int32();
            boolean checked = magic == MAGIC;
            if (!checked && magic != MAGIC_V1) {
                throw damaged("is not a jgrad tensor file (bad magic number 0x" + Integer.toHexString(magic) + ", not \"JGR2\")");
            }
            long trailer = checked ? 4 : 0;
            int n = int32();
            if (n < 0 || (long) n * 6 > left - trailer) {
                throw damaged("its header says " + n + " tensors, which cannot fit in the " + left + " bytes that follow");
            }
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String name = name(i, trailer);
                int rank = int32();
                if (rank < 0 || rank > MAX_RANK) throw damaged("tensor '" + name + "' has rank " + rank + " (allowed: 0.." + MAX_RANK + ")");
                if (4L * rank > left - trailer) throw damaged("tensor '" + name + "' has rank " + rank + " but the file ends first");
                int[] shape = new int[rank];
                long count = 1;
                for (int d = 0; d < rank; d++) {
                    shape[d] = int32();
                    if (shape[d] < 0) throw damaged("tensor '" + name + "' has a negative dimension " + shape[d]);
                    // capped far below overflow; a later 0 still makes it 0
                    count = count > (Long.MAX_VALUE / 8) / Math.max(1, shape[d]) ? Long.MAX_VALUE / 8 : count * shape[d];
                }
                String what = "tensor '" + name + "' of shape " + java.util.Arrays.toString(shape);
                if (count > maxElements) {
                    throw damaged(String.format(Locale.ROOT, "%s has %,d values, over the limit of %,d (-D%s)", what, count, maxElements,
                            MAX_ELEMENTS_PROPERTY));
                }
                if (4 * count > left - trailer) {
                    throw damaged(String.format(Locale.ROOT, "%s needs %,d bytes but only %,d are left: the file is truncated or its header damaged",
                            what, 4 * count, Math.max(0, left - trailer)));
                }
                if (out.containsKey(name)) throw damaged("holds two tensors named '" + name + "'");
                out.put(name, Tensor.of(floats((int) count), shape));
            }
            if (checked) {
                long computed = crc.getValue();
                int stored = int32();
                if ((int) computed != stored) {
                    throw damaged(String.format(Locale.ROOT, "its checksum is wrong (CRC32C stored %08x, contents give %08x): "
                            + "the file was changed or damaged after it was written", stored, (int) computed));
                }
            }
            if (left != 0 || in.read() != -1) throw damaged("has " + left + " bytes after its last tensor");
            return out;
        }

        private String name(int i, long trailer) throws IOException {
            int len = in.readUnsignedShort();
            left -= 2;
            if (len > left - trailer) throw damaged("the name of tensor " + i + " is " + len + " bytes long, past the end of the file");
            byte[] utf = new byte[2 + len];
            utf[0] = (byte) (len >>> 8);
            utf[1] = (byte) len;
            in.readFully(utf, 2, len);
            left -= len;
            try {
                return new DataInputStream(new ByteArrayInputStream(utf)).readUTF();
            } catch (UTFDataFormatException e) {
                throw damaged("the name of tensor " + i + " is not valid text");
            }
        }

        private float[] floats(int count) throws IOException {
            float[] v = new float[count];
            byte[] chunk = new byte[Math.min(1 << 16, 4 * count)];
            for (int off = 0; off < count; ) {
                int k = Math.min(chunk.length / 4, count - off);
                in.readFully(chunk, 0, 4 * k);
                ByteBuffer.wrap(chunk, 0, 4 * k).asFloatBuffer().get(v, off, k);
                off += k;
            }
            left -= 4L * count;
            return v;
        }

        private int int32() throws IOException {
            try {
                int v = in.readInt();
                left -= 4;
                return v;
            } catch (EOFException e) {
                throw damaged("is truncated: it ends early");
            }
        }

        private DamagedFileException damaged(String what) {
            return new DamagedFileException(file, what);
        }
    }
}
