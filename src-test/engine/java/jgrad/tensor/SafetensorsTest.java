package jgrad.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import jgrad.TorchFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * safetensors: a file in every dtype written by the committed Python writer (safetensors_fixture.py)
 * reads to PyTorch's values; jgrad's own files round-trip with their metadata; and hand-made files
 * that lie are refused with a {@link DamagedFileException} naming the file and the tensor.
 */
class SafetensorsTest {
    @TempDir Path dir;

    private Path resource(String name) throws IOException {
        Path f = dir.resolve(name);
        try (InputStream in = SafetensorsTest.class.getResourceAsStream("/torch/" + name)) {
            assertThat(in).as("test resource /torch/" + name).isNotNull();
            Files.copy(in, f);
        }
        return f;
    }

    @Test
    void readsEveryDtypeAsPyTorchWroteIt() throws IOException {
        Safetensors.Contents c = Safetensors.read(resource("safetensors_fixture.safetensors"));
        TorchFixture fx = TorchFixture.load("safetensors_fixture.txt");
        assertThat(c.tensors().keySet()).containsExactly("conv.weight", "half", "brain", "bn.num_batches_tracked", "ids", "double",
                "int32", "empty");
        for (var e : c.tensors().entrySet()) fx.assertMatches(e.getKey(), e.getValue(), 0, 0);  // exact: each value is a float32
        assertThat(c.tensors().get("bn.num_batches_tracked").shape()).isEmpty();
        assertThat(c.metadata()).containsExactly(Map.entry("format", "pt"), Map.entry("note", "é \"quoted\" \\ line\nbreak"));
    }

    @Test
    void writtenFilesRoundTripWithMetadataAndAlignedData() throws IOException {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("fc.weight", Tensor.of(new float[] {0.5f, -1.25f, Float.MIN_VALUE, Float.MAX_VALUE, -0f, 6f}, 2, 3));
        m.put("ünïcode \"name\"", Tensor.of(new float[] {7f}));
        m.put("none", Tensor.of(new float[0], 3, 0));
        Path f = dir.resolve("out.safetensors");
        Safetensors.save(m, Map.of("arch", "resnet18", "classes", "[\"cat\", \"dog\"]"), f);
        Safetensors.Contents back = Safetensors.read(f);
        assertThat(back.tensors().keySet()).containsExactlyElementsOf(m.keySet());
        for (var e : m.entrySet()) {
            assertThat(back.tensors().get(e.getKey()).shape()).containsExactly(e.getValue().shape());
            assertThat(back.tensors().get(e.getKey()).toFloatArray()).containsExactly(e.getValue().toFloatArray());
        }
        assertThat(back.metadata()).isEqualTo(Map.of("arch", "resnet18", "classes", "[\"cat\", \"dog\"]"));
        byte[] bytes = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat((8 + n) % 8).as("data starts 8-byte aligned").isZero();
        assertThat(bytes.length).isEqualTo(8 + n + 4 * 7);
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("out.safetensors");  // no temporary left
        }
    }

    /** jgrad keeps a CRC32C of the data in the metadata: one flipped bit of a value is caught on load (reliability #17). */
    @Test
    void aFlippedBitInAJgradWrittenFileFailsTheChecksum() throws IOException {
        Path f = dir.resolve("bias.safetensors");
        Safetensors.save(Map.of("fc.bias", Tensor.of(new float[] {0.1f, -0.2f, 0.3f}, 3)), f);
        assertThat(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.UTF_8)).contains("\"" + Safetensors.CHECKSUM + "\"");
        byte[] bytes = Files.readAllBytes(f);
        bytes[bytes.length - 9] ^= 0x40;  // an exponent bit of the first value: 0.1 becomes about 3.4·10³⁷
        Files.write(f, bytes);
        assertThatThrownBy(() -> Safetensors.read(f)).isInstanceOf(DamagedFileException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("checksum is wrong");
    }

    // ---- hostile files ----------------------------------------------------------------------

    /** A file of {@code header} (padded to 8) and {@code dataBytes} zero bytes of data. */
    private Path file(String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return raw(h.length, h, new byte[dataBytes]);
    }

    private Path raw(long declaredLength, byte[] header, byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(declaredLength).array());
        out.writeBytes(header);
        out.writeBytes(data);
        Path f = dir.resolve("hostile.safetensors");
        Files.write(f, out.toByteArray());
        return f;
    }

    private void refused(Path f, String... fragments) {
        assertThatThrownBy(() -> Safetensors.read(f, 1 << 20)).isInstanceOf(DamagedFileException.class)
                .hasMessageStartingWith(f.toString()).hasMessageContainingAll(fragments);
    }

    private static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    @Test
    void tooShortEmptyOrImpossibleHeaderLengthsAreRefused() throws IOException {
        Path f = dir.resolve("short.safetensors");
        Files.write(f, new byte[0]);
        refused(f, "is empty");
        Files.write(f, new byte[5]);
        refused(f, "too short");
        byte[] h = "{}".getBytes(StandardCharsets.UTF_8);
        refused(raw(1L << 62, h, new byte[0]), "header length", "impossible");
        refused(raw(-8, h, new byte[0]), "header length", "impossible");
        refused(raw(3, h, new byte[0]), "header length 3 is impossible");
    }

    @Test
    void headersThatAreNotStrictJsonAreRefused() throws IOException {
        refused(file("{\"a\":1,}", 0), "not valid JSON");
        refused(file("[1, 2]", 0), "not a JSON object");
        refused(file("{\"x\":{}, \"x\":{}}", 0), "appears twice");
        refused(raw(2, new byte[] {(byte) 0xC3, (byte) 0x28}, new byte[0]), "not valid UTF-8");
        refused(file("[".repeat(5000), 0), "nested deeper");
        refused(file("{\"__metadata__\":{\"n\":3}}", 0), "__metadata__ entry 'n' is not a string");
    }

    @Test
    void badEntriesNameTheTensor() throws IOException {
        refused(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4), "tensor 'w'", "exactly dtype, shape and data_offsets");
        refused(file("{" + entry("w", "F8_E4M3", "[1]", 0, 1) + "}", 1), "tensor 'w'", "dtype F8_E4M3");
        refused(file("{" + entry("w", "F32", "[-1]", 0, 4) + "}", 4), "tensor 'w'", "shape [-1]");
        refused(file("{" + entry("w", "F32", "[2.0]", 0, 8) + "}", 8), "tensor 'w'", "shape [2.0]");
        refused(file("{" + entry("w", "F32", "[" + "1,".repeat(40) + "1]", 0, 4) + "}", 4), "tensor 'w'", "rank 41");
        refused(file("{" + entry("w", "F32", "[1]", 0, 8) + "}", 8), "tensor 'w'", "needs 4 bytes", "give 8");
        refused(file("{" + entry("w", "F32", "[1]", 4, 0) + "}", 4), "tensor 'w'", "data_offsets [4, 0]");
        refused(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", 4), "tensor 'w'", "two integers");
    }

    @Test
    void sizesThatWouldNeedHugeAllocationsAreRefusedBeforeAnyIsMade() throws IOException {
        // 10⁵ × 10⁵ × 10⁵ floats: an allocation would be an OutOfMemoryError; the header check says why first
        refused(file("{" + entry("big", "F32", "[100000,100000,100000]", 0, 4) + "}", 4), "tensor 'big'", "over the limit");
        // within the element limit but past the end of the file
        refused(file("{" + entry("w", "F32", "[1000]", 0, 4000) + "}", 12), "tensor 'w'", "outside the 12 bytes of data");
    }

    @Test
    void overlapsGapsAndTrailingBytesAreRefused() throws IOException {
        refused(file("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 4, 12) + "}", 12), "tensor 'b'", "overlaps tensor 'a'");
        refused(file("{" + entry("a", "F32", "[1]", 0, 4) + "," + entry("b", "F32", "[1]", 8, 12) + "}", 12), "tensor 'b'", "gap");
        refused(file("{" + entry("a", "F32", "[1]", 0, 4) + "}", 8), "cover 4 bytes", "holds 8");
    }

    @Test
    void aTruncatedFileIsRefusedNotHalfRead() throws IOException {
        byte[] whole = Files.readAllBytes(resource("safetensors_fixture.safetensors"));
        for (int cut : new int[] {whole.length - 1, whole.length - 100, 9, 20}) {
            Path f = dir.resolve("cut" + cut + ".safetensors");
            Files.write(f, java.util.Arrays.copyOf(whole, cut));
            assertThatThrownBy(() -> Safetensors.read(f)).as("cut at %d", cut).isInstanceOf(DamagedFileException.class)
                    .hasMessageStartingWith(f.toString());
        }
    }
}
