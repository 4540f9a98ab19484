package jgrad.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
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
 * Fuzzing the safetensors reader (and through it {@link JsonText}): whatever the bytes,
 * {@link Safetensors} returns tensors or throws {@link DamagedFileException} naming the file, nothing
 * else (no OutOfMemoryError, no runtime exception, no stack overflow).
 *
 * <p>{@link #mutationsOfValidFiles} runs in the suite: 20,000 seeded mutations of valid files (byte
 * mutations as in {@link TensorFileFuzzTest}, plus header-aware ones: a hostile number or token written
 * over a number or punctuation of the JSON header, with the length prefix kept consistent).
 * {@link #jazzer} is coverage-guided; in the suite it replays its seeds; the long run is
 * <pre>  JAZZER_FUZZ=1 mvn -B test -pl src-main/cli -am -Dtest=SafetensorsFuzzTest#jazzer -Dsurefire.failIfNoSpecifiedTests=false</pre>
 * (docs/reliability.md, "Fuzzing").
 */
class SafetensorsFuzzTest {
    private static final Path NAME = Path.of("fuzzed.safetensors");
    private static final long MAX_ELEMENTS = 1 << 16;
    private static final String[] HOSTILE = {"0", "1", "-1", "4", "8", "65536", "65537", "2147483647", "2147483648", "-2147483648",
        "9223372036854775807", "99999999999999999999", "1e3", "2.0", "null", "\"F32\"", "\"I64\"", "\"BF16\"", "[]", "{}", "[1,", "\"",
        "\\u0000"};

    /** Parses {@code bytes}; returns how many tensors came out, or −1 for a DamagedFileException. Anything else escapes. */
    static int parse(byte[] bytes) {
        try {
            return Safetensors.read(NAME, new ByteArrayInputStream(bytes), bytes.length, MAX_ELEMENTS).tensors().size();
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
        m.put("empty", Tensor.of(new float[0], 0, 4));
        Safetensors.save(m, Map.of("format", "pt"), dir.resolve("a.safetensors"));
        out.add(Files.readAllBytes(dir.resolve("a.safetensors")));
        out.add(file("{\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},\"n\":{\"dtype\":\"I64\",\"shape\":[],"
                + "\"data_offsets\":[4,12]},\"b\":{\"dtype\":\"BF16\",\"shape\":[1,1],\"data_offsets\":[12,14]}}", 14));
        return out;
    }

    static byte[] file(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
        out.writeBytes(h);
        byte[] data = new byte[dataBytes];
        new Random(dataBytes).nextBytes(data);
        out.writeBytes(data);
        return out.toByteArray();
    }

    /** Rewrites a token of the JSON header (a number, or one punctuation character) and fixes the length prefix. */
    static byte[] mutateHeader(byte[] seed, Random r) {
        long n = ByteBuffer.wrap(seed, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String h = new String(seed, 8, (int) n, StandardCharsets.UTF_8);
        int at = r.nextInt(h.length()), end = at + 1;
        if (Character.isDigit(h.charAt(at))) {
            while (at > 0 && Character.isDigit(h.charAt(at - 1))) at--;
            while (end < h.length() && Character.isDigit(h.charAt(end))) end++;
        }
        String mutated = h.substring(0, at) + HOSTILE[r.nextInt(HOSTILE.length)] + h.substring(end);
        return file(mutated, seed.length - 8 - (int) n);
    }

    @Test
    void mutationsOfValidFiles(@TempDir Path dir) throws IOException {
        List<byte[]> seeds = seeds(dir);
        for (byte[] s : seeds) assertThat(parse(s)).as("a seed parses").isPositive();
        int count = Integer.getInteger("jgrad.fuzz.count", 20_000);
        Random r = new Random(18);
        int damaged = 0, loaded = 0;
        for (int i = 0; i < count; i++) {
            byte[] seed = seeds.get(r.nextInt(seeds.size()));
            byte[] input = r.nextBoolean() ? mutateHeader(seed, r) : TensorFileFuzzTest.mutate(seed, r);
            try {
                if (parse(input) < 0) damaged++;
                else loaded++;
            } catch (Throwable t) {
                throw new AssertionError("input " + i + " (" + HexFormat.of().formatHex(input) + ") threw " + t, t);
            }
        }
        assertThat(damaged).as("most mutations are caught").isGreaterThan(count / 2);
        System.out.printf("SafetensorsFuzzTest: %,d mutated files: %,d refused as damaged, %,d loaded (data bytes carry no checksum)%n",
                count, damaged, loaded);
    }

    /** Jazzer: coverage-guided; see the class comment for the long run. Only DamagedFileException may escape {@link #parse}. */
    @FuzzTest(maxExecutions = 1_000_000)
    void jazzer(byte[] input) {
        parse(input);
    }
}
