package jgrad.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzing the tensor/checkpoint reader: whatever the bytes, {@link TensorFile} returns tensors or
 * throws {@link DamagedFileException}, nothing else (no OutOfMemoryError, no NegativeArraySize, no
 * runtime exception), and allocates no more than the input's length allows.
 *
 * <p>Two fuzzers. {@link #mutationsOfValidFiles} runs in the suite: 20,000 mutations (truncations,
 * bit flips, hostile integers written over header fields, inserted and deleted bytes, random files)
 * of valid version-1 and version-2 files, seeded, in about a second. {@link #jazzer} is Jazzer's
 * coverage-guided fuzzer: in the suite it replays its seeds only; the long run is
 * <pre>  JAZZER_FUZZ=1 mvn -B test -pl src-main/cli -am -Dtest=TensorFileFuzzTest#jazzer -Dsurefire.failIfNoSpecifiedTests=false</pre>
 * (docs/reliability.md, "Fuzzing", records its figures). {@code -Djgrad.fuzz.count=N} sets the
 * mutation count of the first for a long run of it too.
 */
class TensorFileFuzzTest {
    private static final Path NAME = Path.of("fuzzed.jgrad");
    /** A tight limit, so that a header can claim more than it may without the file having to be big. */
    private static final long MAX_ELEMENTS = 1 << 16;
    private static final int[] HOSTILE = {0, 1, -1, 2, 3, 255, 65535, 65536, 20000, 1 << 20, Integer.MAX_VALUE, Integer.MIN_VALUE,
        2_000_000_000, -5, 32, 33};

    /** Parses {@code bytes}; returns how many tensors came out, or −1 for a DamagedFileException. Anything else escapes. */
    static int parse(byte[] bytes) {
        try {
            return TensorFile.read(NAME, new ByteArrayInputStream(bytes), bytes.length, MAX_ELEMENTS).size();
        } catch (DamagedFileException e) {
            assertThat(e.getMessage()).startsWith(NAME.toString());
            return -1;
        } catch (IOException e) {
            throw new AssertionError("an undocumented IOException: " + e, e);
        }
    }

    static List<byte[]> seeds(Path dir) throws IOException {
        List<byte[]> out = new ArrayList<>();
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("fc.weight", Tensor.of(new float[] {0.5f, -1.25f, 3f, 4f, 5f, 6f}, 2, 3));
        m.put("fc.bias", Tensor.of(new float[] {0.1f, -0.2f}, 2));
        m.put("meta.epoch", Tensor.of(new float[] {3f}, 1));
        m.put("run.optimizer=Adam", Tensor.of(new float[] {0f}));
        m.put("empty", Tensor.of(new float[0], 0, 4));
        TensorFile.save(m, dir.resolve("v2.jgrad"));
        out.add(Files.readAllBytes(dir.resolve("v2.jgrad")));
        ByteArrayOutputStream v1 = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(v1);
        d.writeInt(TensorFile.MAGIC_V1);
        d.writeInt(2);
        d.writeUTF("w");
        d.writeInt(2);
        d.writeInt(1);
        d.writeInt(2);
        d.writeFloat(1f);
        d.writeFloat(2f);
        d.writeUTF("é");
        d.writeInt(0);
        d.writeFloat(7f);
        out.add(v1.toByteArray());
        return out;
    }

    static byte[] mutate(byte[] seed, Random r) {
        byte[] b = seed.clone();
        for (int k = 1 + r.nextInt(3); k > 0; k--) {
            switch (r.nextInt(6)) {
                case 0 -> b = java.util.Arrays.copyOf(b, b.length == 0 ? 0 : r.nextInt(b.length));  // truncate
                case 1 -> { if (b.length > 0) b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8)); }  // flip a bit
                case 2 -> {  // a hostile integer over a header field (aligned where the fields are)
                    if (b.length >= 4) ByteBuffer.wrap(b).putInt(r.nextInt(Math.min(b.length - 3, 40)), HOSTILE[r.nextInt(HOSTILE.length)]);
                }
                case 3 -> {  // insert random bytes
                    int at = r.nextInt(b.length + 1), n = 1 + r.nextInt(8);
                    byte[] c = new byte[b.length + n], x = new byte[n];
                    r.nextBytes(x);
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(x, 0, c, at, n);
                    System.arraycopy(b, at, c, at + n, b.length - at);
                    b = c;
                }
                case 4 -> {  // delete a run of bytes
                    if (b.length > 0) {
                        int at = r.nextInt(b.length), n = Math.min(b.length - at, 1 + r.nextInt(8));
                        byte[] c = new byte[b.length - n];
                        System.arraycopy(b, 0, c, 0, at);
                        System.arraycopy(b, at + n, c, at, b.length - at - n);
                        b = c;
                    }
                }
                default -> {  // a random file, keeping the magic number half the time
                    byte[] c = new byte[r.nextInt(64)];
                    r.nextBytes(c);
                    if (r.nextBoolean() && c.length >= 4) System.arraycopy(b, 0, c, 0, Math.min(4, b.length));
                    b = c;
                }
            }
        }
        return b;
    }

    @Test
    void mutationsOfValidFiles(@TempDir Path dir) throws IOException {
        List<byte[]> seeds = seeds(dir);
        for (byte[] s : seeds) assertThat(parse(s)).as("a seed parses").isPositive();
        int count = Integer.getInteger("jgrad.fuzz.count", 20_000);
        Random r = new Random(17);
        int damaged = 0, loaded = 0;
        for (int i = 0; i < count; i++) {
            byte[] input = mutate(seeds.get(r.nextInt(seeds.size())), r);
            try {
                if (parse(input) < 0) damaged++;
                else loaded++;
            } catch (Throwable t) {
                throw new AssertionError("input " + i + " (" + HexFormat.of().formatHex(input) + ") threw " + t, t);
            }
        }
        assertThat(damaged).as("most mutations are caught").isGreaterThan(count * 9 / 10);
        System.out.printf("TensorFileFuzzTest: %,d mutated files: %,d refused as damaged, %,d loaded (a v1 file has no checksum)%n",
                count, damaged, loaded);
        if (Boolean.getBoolean("jgrad.fuzz.report")) assertThat(loaded + damaged).isEqualTo(count);
    }

    /** Jazzer: coverage-guided; see the class comment for the long run. Only DamagedFileException may escape {@link #parse}. */
    @FuzzTest(maxExecutions = 1_000_000)
    void jazzer(byte[] input) {
        parse(input);
    }
}
