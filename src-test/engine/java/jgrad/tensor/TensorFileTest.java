package jgrad.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tensor file: round trip, the checksum, and every size checked before anything is allocated. */
class TensorFileTest {
    @TempDir Path dir;

    static Map<String, Tensor> sample() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("fc.weight", Tensor.of(new float[] {0.5f, -1.25f, 3f, 4f, 5f, 6f}, 2, 3));
        m.put("fc.bias", Tensor.of(new float[] {0.1f, -0.2f}, 2));
        m.put("step", Tensor.of(new float[] {7f}));
        return m;
    }

    @Test
    void savedTensorsComeBackBitForBitInOrder() throws IOException {
        Path f = dir.resolve("m.jgrad");
        TensorFile.save(sample(), f);
        Map<String, Tensor> back = TensorFile.load(f);
        assertThat(back.keySet()).containsExactly("fc.weight", "fc.bias", "step");
        assertThat(back.get("fc.weight").shape()).containsExactly(2, 3);
        assertThat(back.get("fc.weight").toFloatArray()).containsExactly(0.5f, -1.25f, 3f, 4f, 5f, 6f);
        assertThat(back.get("step").shape()).isEmpty();
        assertThat(Files.readAllBytes(f)).startsWith((byte) 'J', (byte) 'G', (byte) 'R', (byte) '2');
    }

    /** Version 1 ("JGRD", no checksum) as jgrad wrote it before checksums: still read. */
    @Test
    void aVersionOneFileWithoutChecksumIsStillRead() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(TensorFile.MAGIC_V1);
        out.writeInt(1);
        out.writeUTF("b");
        out.writeInt(1);
        out.writeInt(2);
        out.writeFloat(1.5f);
        out.writeFloat(-2f);
        Path f = dir.resolve("v1.jgrad");
        Files.write(f, bytes.toByteArray());
        assertThat(TensorFile.load(f).get("b").toFloatArray()).containsExactly(1.5f, -2f);
    }

    /** Issue #17 group 2: one flipped exponent bit in a saved bias loaded silently; now the checksum names it. */
    @Test
    void aFlippedExponentBitInABiasFailsTheChecksum() throws IOException {
        Path f = dir.resolve("m.jgrad");
        TensorFile.save(sample(), f);
        byte[] b = Files.readAllBytes(f);
        int biasValue = b.length - 4 /* crc */ - (2 + "step".length() + 4 + 4) /* the tensor "step" */ - 8;  // fc.bias[0]
        assertThat(ByteBuffer.wrap(b, biasValue, 4).getFloat()).as("the byte offset points at the bias").isEqualTo(0.1f);
        b[biasValue] ^= 0x40;  // the exponent's top bit: 0.1 becomes about 3.4·10³⁷
        assertThat(ByteBuffer.wrap(b, biasValue, 4).getFloat()).isGreaterThan(1e37f);
        Files.write(f, b);
        assertThatThrownBy(() -> TensorFile.load(f)).isInstanceOf(DamagedFileException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("checksum");
    }

    @Test
    void everyTruncationIsADamagedFileNamingIt() throws IOException {
        Path f = dir.resolve("m.jgrad");
        TensorFile.save(sample(), f);
        byte[] b = Files.readAllBytes(f);
        Path cut = dir.resolve("cut.jgrad");
        for (int n = 0; n < b.length; n++) {
            Files.write(cut, java.util.Arrays.copyOf(b, n));
            int len = n;
            assertThatThrownBy(() -> TensorFile.load(cut)).as("cut to %d of %d bytes", len, b.length)
                    .isInstanceOf(DamagedFileException.class).hasMessageStartingWith(cut.toString());
        }
    }

    @Test
    void anEmptyOrRandomFileIsNotATensorFile() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.jgrad"));
        assertThatThrownBy(() -> TensorFile.load(empty)).isInstanceOf(DamagedFileException.class).hasMessageContaining("is empty");
        byte[] random = new byte[4096];
        new java.util.Random(1).nextBytes(random);
        Path r = dir.resolve("random.jgrad");
        Files.write(r, random);
        assertThatThrownBy(() -> TensorFile.load(r)).isInstanceOf(DamagedFileException.class).hasMessageContaining("not a jgrad tensor file");
    }

    /** A hostile header of about 20 bytes: magic, count 1, the name "w", then the rank and dimensions given, then 4 bytes. */
    private Path hostile(String label, int... rankAndDims) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 + 3 + 4 * rankAndDims.length + 4);
        b.putInt(TensorFile.MAGIC).putInt(1).putShort((short) 1).put((byte) 'w');
        for (int v : rankAndDims) b.putInt(v);
        Path f = dir.resolve(label + ".jgrad");
        Files.write(f, b.array());
        return f;
    }

    /** Issue #17 group 1: these gave OutOfMemoryError or NegativeArraySizeException traces. */
    @Test
    void hostileHeadersAreRefusedBeforeAllocating() throws IOException {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("negative-rank", "rank -1");
        cases.put("huge-rank", "rank 2000000000");
        cases.put("big-shape", "needs 1,600,000,000 bytes");
        cases.put("negative-dim", "negative dimension -5");
        cases.put("over-2-31", "over the limit of 2,147,483,639");
        Map<String, int[]> headers = Map.of("negative-rank", new int[] {-1}, "huge-rank", new int[] {2_000_000_000},
                "big-shape", new int[] {2, 20000, 20000}, "negative-dim", new int[] {2, 3, -5}, "over-2-31", new int[] {2, 65536, 65536});
        long maxHeap = Runtime.getRuntime().totalMemory();
        for (var e : cases.entrySet()) {
            Path f = hostile(e.getKey(), headers.get(e.getKey()));
            assertThatThrownBy(() -> TensorFile.load(f)).as(e.getKey()).isInstanceOf(DamagedFileException.class)
                    .hasMessageStartingWith(f.toString()).hasMessageContaining(e.getValue());
        }
        assertThat(Runtime.getRuntime().totalMemory()).as("no gigabytes were allocated").isLessThan(maxHeap + (256L << 20));
    }

    @Test
    void theElementLimitIsConfigurable() throws IOException {
        Path f = dir.resolve("m.jgrad");
        TensorFile.save(sample(), f);
        assertThatThrownBy(() -> TensorFile.load(f, 5)).isInstanceOf(DamagedFileException.class)
                .hasMessageContaining("tensor 'fc.weight' of shape [2, 3] has 6 values, over the limit of 5");
        assertThat(TensorFile.load(f, 6)).hasSize(3);
    }

    @Test
    void aFolderIsNotATensorFile() {
        assertThatThrownBy(() -> TensorFile.load(dir)).isInstanceOf(DamagedFileException.class).hasMessageContaining("is a folder");
    }
}
