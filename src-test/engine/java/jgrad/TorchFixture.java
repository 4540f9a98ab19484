package jgrad;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jgrad.tensor.Tensor;

/**
 * Reference values written by PyTorch, read from a tab-separated text file on the test classpath
 * (src-test/engine/resources/torch/*.txt, made by the .py script beside it). Each line is
 * {@code key <TAB> shape <TAB> values}; lines starting with # are comments. CI has no Python: tests
 * only read the committed files.
 */
public final class TorchFixture {
    private final String resource;
    private final Map<String, String[]> lines = new LinkedHashMap<>();

    private TorchFixture(String resource) {
        this.resource = resource;
    }

    /** Loads {@code /torch/<name>} from the test classpath. */
    public static TorchFixture load(String name) {
        TorchFixture f = new TorchFixture("/torch/" + name);
        for (String line : readLines(f.resource)) {
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] fields = line.split("\t", -1);
            f.lines.put(fields[0], fields);
        }
        return f;
    }

    /** The entries' keys, in file order. */
    public java.util.Set<String> keys() {
        return java.util.Collections.unmodifiableSet(lines.keySet());
    }

    /** The raw lines of a classpath resource. */
    public static List<String> readLines(String resource) {
        InputStream in = TorchFixture.class.getResourceAsStream(resource);
        if (in == null) throw new IllegalStateException("test resource " + resource + " is missing");
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            List<String> out = new ArrayList<>();
            for (String line = r.readLine(); line != null; line = r.readLine()) out.add(line);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String[] fields(String key) {
        String[] f = lines.get(key);
        if (f == null) throw new IllegalArgumentException(resource + " has no entry '" + key + "'");
        return f;
    }

    public int[] shape(String key) {
        return parseShape(fields(key)[1]);
    }

    public float[] values(String key) {
        return parseValues(fields(key)[2]);
    }

    /** The entry as a tensor of its recorded shape. */
    public Tensor tensor(String key) {
        return Tensor.of(values(key), shape(key));
    }

    public float scalar(String key) {
        float[] v = values(key);
        if (v.length != 1) throw new IllegalArgumentException(key + " holds " + v.length + " values, not one");
        return v[0];
    }

    /**
     * Asserts that {@code actual} has the shape of entry {@code key} and every value within
     * {@code rtol}·|expected| + {@code atol} of it; the message names the entry, the element and
     * both arrays.
     */
    public void assertMatches(String key, Tensor actual, double rtol, double atol) {
        int[] shape = shape(key);
        float[] expected = values(key), got = actual.toFloatArray();
        if (!Arrays.equals(shape, actual.shape())) {
            throw new AssertionError(key + ": expected shape " + Arrays.toString(shape) + " (PyTorch), got "
                    + Arrays.toString(actual.shape()));
        }
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(got[i] - expected[i]) <= rtol * Math.abs(expected[i]) + atol)) {
                throw new AssertionError(String.format(
                        "%s: element %d differs from PyTorch beyond rtol %g + atol %g: expected %.9g, actual %.9g%n"
                                + "  expected %s%n  actual   %s",
                        key, i, rtol, atol, expected[i], got[i], Arrays.toString(expected), Arrays.toString(got)));
            }
        }
    }

    /** {@link #assertMatches(String, Tensor, double, double)} with rtol 1e-4 and atol 1e-6. */
    public void assertMatches(String key, Tensor actual) {
        assertMatches(key, actual, 1e-4, 1e-6);
    }

    public static int[] parseShape(String s) {
        if (s.isEmpty()) return new int[0];
        return Arrays.stream(s.split(",")).mapToInt(Integer::parseInt).toArray();
    }

    /** Space-separated numbers as Python's %.9g writes them, including nan, inf and -inf. */
    public static float[] parseValues(String s) {
        if (s.isBlank()) return new float[0];
        String[] parts = s.trim().split(" ");
        float[] v = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            v[i] = switch (parts[i]) {
                case "nan" -> Float.NaN;
                case "inf" -> Float.POSITIVE_INFINITY;
                case "-inf" -> Float.NEGATIVE_INFINITY;
                default -> Float.parseFloat(parts[i]);
            };
        }
        return v;
    }
}
