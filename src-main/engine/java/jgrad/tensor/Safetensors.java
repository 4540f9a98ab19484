package jgrad.tensor;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Named tensors in the safetensors format (Hugging Face's; what PyTorch users exchange weights in),
 * read and written by our own code:
 * <pre>
 *   n (8 bytes, little-endian)   header: n bytes of UTF-8 JSON   data: the tensors' raw bytes, little-endian
 *   header = {"NAME": {"dtype": "F32", "shape": [d₁, …], "data_offsets": [begin, end]}, …,
 *             "__metadata__": {"key": "value", …}}        offsets count from the start of data
 * </pre>
 * Read: F32, F16, BF16, F64, I64 and I32, each converted to a float32 tensor (I64 is how PyTorch
 * stores batch norm's {@code num_batches_tracked}). Written: F32, with the metadata, through
 * {@link AtomicFile}, the header padded with spaces so that the data starts 8-byte aligned.
 *
 * <p>Everything in the header is checked before any tensor is allocated, as the format's own
 * reference reader does and then some: the header length against the file and
 * {@value #MAX_HEADER_BYTES} bytes; the header strict UTF-8 JSON ({@link JsonText}) with exactly the
 * three fields per tensor; a known dtype; a shape of at most {@value TensorFile#MAX_RANK}
 * non-negative integer sizes whose element count is within {@link TensorFile#maxElements()};
 * {@code end − begin = numel × dtype size}; and the tensors tiling the data exactly (in range, no
 * overlap, no gap, nothing after the last). A file that fails any of them is a
 * {@link DamagedFileException} naming the file and the tensor; no partial result is returned.
 *
 * <p>Checked by: {@code jgrad.tensor.SafetensorsTest} (files written by PyTorch's conventions from
 * {@code src-test/engine/resources/torch/safetensors_fixture.py}, and hand-made hostile ones),
 * {@code jgrad.tensor.SafetensorsFuzzTest} (in src-test/cli).
 */
public final class Safetensors {
    /** The largest header read (the reference implementation's limit too). */
    public static final long MAX_HEADER_BYTES = 100_000_000;
    /**
     * The metadata key under which jgrad stores the CRC32C of the data section (8 hex digits) when
     * it writes a file; read back, a file that has it is checked (files from other writers have none).
     */
    public static final String CHECKSUM = "jgrad.crc32c";

    private static String hex(long v) {
        return String.format(Locale.ROOT, "%08x", v);
    }

    /** The header key that holds the string → string metadata. */
    public static final String METADATA = "__metadata__";

    private Safetensors() {}

    /** A file's tensors (in header order) and its metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

    /** The element types read; each becomes float32. */
    enum Dtype {
        F32(4), F16(2), BF16(2), F64(8), I64(8), I32(4);

        final int size;

        Dtype(int size) {
            this.size = size;
        }

        float read(ByteBuffer b) {
            return switch (this) {
                case F32 -> b.getFloat();
                case F16 -> Float.float16ToFloat(b.getShort());
                case BF16 -> Float.intBitsToFloat((b.getShort() & 0xFFFF) << 16);
                case F64 -> (float) b.getDouble();
                case I64 -> (float) b.getLong();
                case I32 -> (float) b.getInt();
            };
        }
    }

    /** One header entry, checked. */
    record Entry(String name, Dtype dtype, int[] shape, long begin, long end) {}

    /** The tensors of {@code file}; see {@link #read(Path)}. */
    public static Map<String, Tensor> load(Path file) throws IOException {
        return read(file).tensors();
    }

    /** Tensors and metadata of {@code file}, every tensor within {@link TensorFile#maxElements()}. */
    public static Contents read(Path file) throws IOException {
        return read(file, TensorFile.maxElements());
    }

    /** As {@link #read(Path)}, refusing any tensor of more than {@code maxElements} values. */
    public static Contents read(Path file, long maxElements) throws IOException {
        if (Files.isDirectory(file)) throw new DamagedFileException(file, "is a folder, not a safetensors file");
        long length = Files.size(file);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return read(file, in, length, maxElements);
        }
    }

    /** Reads {@code length} bytes of a safetensors file from {@code in}; {@code file} names it in errors. */
    static Contents read(Path file, InputStream in, long length, long maxElements) throws IOException {
        try {
            if (length < 8) throw new DamagedFileException(file, length == 0 ? "is empty" : "is too short (" + length + " bytes) to be a safetensors file");
            long n = ByteBuffer.wrap(in.readNBytes(8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (n < 2 || n > Math.min(MAX_HEADER_BYTES, length - 8)) {
                throw new DamagedFileException(file, String.format(Locale.ROOT, "its header length %,d is impossible: the file has %,d bytes "
                        + "after the length and a header may have at most %,d: not a safetensors file, or a damaged one", n, length - 8, MAX_HEADER_BYTES));
            }
            byte[] headerBytes = new byte[(int) n];
            if (in.readNBytes(headerBytes, 0, (int) n) != n) throw new EOFException();
            Header h = SafetensorsHeader.parse(file, headerBytes, length - 8 - n, maxElements);
            Map<String, float[]> values = new LinkedHashMap<>();
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            for (Entry e : h.byOffset()) values.put(e.name(), data(e, in, crc));
            if (in.read() != -1) throw new DamagedFileException(file, "has more bytes than its length said");
            Map<String, String> metadata = new LinkedHashMap<>(h.metadata());
            String stored = metadata.remove(CHECKSUM);
            if (stored != null && !stored.equals(hex(crc.getValue()))) {
                throw new DamagedFileException(file, "its checksum is wrong (CRC32C stored " + stored + ", contents give " + hex(crc.getValue())
                        + "): the file was damaged after jgrad wrote it");
            }
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Entry e : h.entries()) out.put(e.name(), Tensor.of(values.get(e.name()), e.shape()));
            return new Contents(out, metadata);
        } catch (EOFException e) {
            throw new DamagedFileException(file, "is truncated: it ends early", e);
        }
    }

    private static float[] data(Entry e, InputStream in, java.util.zip.CRC32C crc) throws IOException {
        int count = (int) ((e.end() - e.begin()) / e.dtype().size);
        float[] v = new float[count];
        byte[] chunk = new byte[(int) Math.min(1 << 16, e.end() - e.begin())];
        int per = chunk.length / e.dtype().size;
        for (int off = 0; off < count; off += per) {
            int k = Math.min(per, count - off);
            if (in.readNBytes(chunk, 0, k * e.dtype().size) != k * e.dtype().size) throw new EOFException();
            crc.update(chunk, 0, k * e.dtype().size);
            ByteBuffer b = ByteBuffer.wrap(chunk, 0, k * e.dtype().size).order(ByteOrder.LITTLE_ENDIAN);
            for (int j = 0; j < k; j++) v[off + j] = e.dtype().read(b);
        }
        return v;
    }

    /** Writes {@code tensors} as F32 with no metadata. */
    public static void save(Map<String, Tensor> tensors, Path file) throws IOException {
        save(tensors, Map.of(), file);
    }

    /** Writes {@code tensors} (in map order) as F32 with {@code metadata}, atomically. */
    public static void save(Map<String, Tensor> tensors, Map<String, String> metadata, Path file) throws IOException {
        if (tensors.containsKey(METADATA)) throw new IllegalArgumentException("a tensor may not be named " + METADATA);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();  // of the data section, kept in the metadata, checked on read
        for (Tensor t : tensors.values()) writeF32(t.toFloatArray(), new OutputStream() {
            public void write(int b) { crc.update(b); }
            public void write(byte[] b, int off, int len) { crc.update(b, off, len); }
        });
        metadata = new LinkedHashMap<>(metadata);
        metadata.put(CHECKSUM, hex(crc.getValue()));
        StringBuilder json = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            json.append(JsonText.quote(METADATA)).append(":{");
            int k = 0;
            for (var m : metadata.entrySet()) {
                json.append(k++ > 0 ? "," : "").append(JsonText.quote(m.getKey())).append(':').append(JsonText.quote(m.getValue()));
            }
            json.append('}');
        }
        long offset = 0;
        for (var e : tensors.entrySet()) {
            int[] shape = e.getValue().shape();
            long bytes = 4L * e.getValue().numel();
            json.append(json.length() > 1 ? "," : "").append(JsonText.quote(e.getKey())).append(":{\"dtype\":\"F32\",\"shape\":[");
            for (int d = 0; d < shape.length; d++) json.append(d > 0 ? "," : "").append(shape[d]);
            json.append("],\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
            offset += bytes;
        }
        json.append('}');
        byte[] header = json.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (header.length + 7) / 8 * 8;  // data 8-byte aligned, as the reference writer does
        AtomicFile.write(file, out -> {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
            out.write(header);
            for (int k = header.length; k < padded; k++) out.write(' ');
            for (Tensor t : tensors.values()) writeF32(t.toFloatArray(), out);
        });
    }

    private static void writeF32(float[] v, OutputStream out) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (int off = 0; off < v.length; ) {
            int k = Math.min(b.capacity() / 4, v.length - off);
            b.clear();
            b.asFloatBuffer().put(v, off, k);
            out.write(b.array(), 0, 4 * k);
            off += k;
        }
    }

    /** A checked header: entries in header order and by offset, and the metadata. */
    record Header(List<Entry> entries, List<Entry> byOffset, Map<String, String> metadata) {}

    /** Checks a header; see the class comment for what. */
    static final class SafetensorsHeader {
        private SafetensorsHeader() {}

        static Header parse(Path file, byte[] bytes, long dataLength, long maxElements) throws DamagedFileException {
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                throw new DamagedFileException(file, "its header is not valid UTF-8 text: not a safetensors file, or a damaged one");
            }
            Object json;
            try {
                json = JsonText.parse(text);
            } catch (JsonText.Malformed e) {
                throw new DamagedFileException(file, "its header is not valid JSON (" + e.getMessage() + ")");
            }
            if (!(json instanceof Map<?, ?> top)) throw new DamagedFileException(file, "its header is not a JSON object");
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> entries = new ArrayList<>();
            for (var kv : top.entrySet()) {
                String name = (String) kv.getKey();
                if (name.equals(METADATA)) {
                    if (!(kv.getValue() instanceof Map<?, ?> m)) throw new DamagedFileException(file, "its " + METADATA + " is not a JSON object");
                    for (var mv : m.entrySet()) {
                        if (!(mv.getValue() instanceof String s)) {
                            throw new DamagedFileException(file, "its " + METADATA + " entry '" + mv.getKey() + "' is not a string");
                        }
                        metadata.put((String) mv.getKey(), s);
                    }
                } else {
                    entries.add(entry(file, name, kv.getValue(), dataLength, maxElements));
                }
            }
            List<Entry> byOffset = new ArrayList<>(entries);
            byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
            long expected = 0;
            Entry previous = null;
            for (Entry e : byOffset) {
                if (e.begin() < expected) {
                    throw new DamagedFileException(file, "tensor '" + e.name() + "' (bytes " + e.begin() + ".." + e.end() + ") overlaps tensor '"
                            + previous.name() + "' (bytes " + previous.begin() + ".." + previous.end() + ")");
                }
                if (e.begin() > expected) {
                    throw new DamagedFileException(file, "tensor '" + e.name() + "' starts at byte " + e.begin() + " of the data, leaving a gap after byte "
                            + expected + (previous == null ? "" : " (the end of tensor '" + previous.name() + "')"));
                }
                expected = e.end();
                previous = e;
            }
            if (expected != dataLength) {
                throw new DamagedFileException(file, String.format(Locale.ROOT, "its tensors cover %,d bytes of data but the file holds %,d after the header",
                        expected, dataLength));
            }
            return new Header(entries, byOffset, metadata);
        }

        private static Entry entry(Path file, String name, Object value, long dataLength, long maxElements) throws DamagedFileException {
            String what = "tensor '" + name + "'";
            if (!(value instanceof Map<?, ?> m)) throw new DamagedFileException(file, what + ": its header entry is not a JSON object");
            if (m.size() != 3 || !m.containsKey("dtype") || !m.containsKey("shape") || !m.containsKey("data_offsets")) {
                throw new DamagedFileException(file, what + ": its header entry must have exactly dtype, shape and data_offsets, not " + m.keySet());
            }
            Dtype dtype;
            try {
                dtype = Dtype.valueOf(String.valueOf(m.get("dtype")));
            } catch (IllegalArgumentException e) {
                throw new DamagedFileException(file, what + " has dtype " + m.get("dtype") + ", which jgrad does not read (it reads F32, F16, BF16, F64, I64, I32)");
            }
            if (!(m.get("shape") instanceof List<?> dims)) throw new DamagedFileException(file, what + ": its shape is not a list");
            if (dims.size() > TensorFile.MAX_RANK) {
                throw new DamagedFileException(file, what + " has rank " + dims.size() + " (allowed: 0.." + TensorFile.MAX_RANK + ")");
            }
            int[] shape = new int[dims.size()];
            long count = 1;
            for (int d = 0; d < shape.length; d++) {
                if (!(dims.get(d) instanceof Long size) || size < 0 || size > Integer.MAX_VALUE) {
                    throw new DamagedFileException(file, what + " has shape " + dims + ": every size must be an integer from 0 to " + Integer.MAX_VALUE);
                }
                shape[d] = (int) (long) size;
                count = count > (Long.MAX_VALUE / 8) / Math.max(1, size) ? Long.MAX_VALUE / 8 : count * size;  // capped; a later 0 still gives 0
            }
            if (count > Math.min(maxElements, Integer.MAX_VALUE - 8L)) {
                throw new DamagedFileException(file, String.format(Locale.ROOT, "%s of shape %s has %,d values, over the limit of %,d (-D%s)",
                        what, dims, count, Math.min(maxElements, Integer.MAX_VALUE - 8L), TensorFile.MAX_ELEMENTS_PROPERTY));
            }
            if (!(m.get("data_offsets") instanceof List<?> off) || off.size() != 2 || !(off.get(0) instanceof Long begin)
                    || !(off.get(1) instanceof Long end)) {
                throw new DamagedFileException(file, what + ": data_offsets must be two integers [begin, end], not " + m.get("data_offsets"));
            }
            if (begin < 0 || end < begin || end > dataLength) {
                throw new DamagedFileException(file, String.format(Locale.ROOT, "%s has data_offsets [%d, %d], outside the %,d bytes of data the file holds",
                        what, begin, end, dataLength));
            }
            if (end - begin != count * dtype.size) {
                throw new DamagedFileException(file, String.format(Locale.ROOT, "%s of shape %s and dtype %s needs %,d bytes but its data_offsets [%d, %d] give %,d",
                        what, dims, dtype, count * dtype.size, begin, end, end - begin));
            }
            return new Entry(name, dtype, shape, begin, end);
        }
    }
}
