package jgrad;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import jgrad.tensor.Generator;

/**
 * A short, deterministic mutation run for the parsers' fuzz tests inside the suite: valid inputs
 * (seeds) changed the way a damaged or hostile file is (bits flipped, bytes set to 0/FF/7F/80,
 * 32-bit fields set to 0, −1, 2³¹−1 or large, cut short, a piece repeated or spliced in, random
 * bytes inserted) and handed to the parser's target, which catches the parser's documented
 * exception itself: anything that escapes fails the run. The long, coverage-guided run is Jazzer's ({@code JAZZER_FUZZ=1}, docs/reliability.md).
 */
public final class Mutations {
    private Mutations() {}

    /** A fuzz target: parses {@code input}, catching the parser's documented exception; nothing may escape. */
    @FunctionalInterface
    public interface Target {
        void parse(byte[] input);
    }

    /**
     * Runs {@code count} mutants of {@code seeds} (and the seeds themselves) through {@code target};
     * whatever escapes it fails with the input that caused it. Returns how many inputs ran.
     */
    public static int run(List<byte[]> seeds, int count, long seed, Target target) {
        Generator g = new Generator(seed);
        int ran = 0;
        for (byte[] s : seeds) ran += once(s, target, -1);
        for (int i = 0; i < count; i++) {
            byte[] input = mutate(seeds.get(g.nextInt(seeds.size())), seeds, g);
            ran += once(input, target, i);
        }
        return ran;
    }

    private static int once(byte[] input, Target target, int index) {
        try {
            target.parse(input);
        } catch (Throwable t) {
            throw new AssertionError((index < 0 ? "a seed" : "mutant " + index) + " (" + input.length + " bytes, starting "
                    + HexFormat.of().formatHex(input, 0, Math.min(64, input.length)) + ") let " + t + " escape", t);
        }
        return 1;
    }

    /** One to four changes to a copy of {@code s}. */
    static byte[] mutate(byte[] s, List<byte[]> seeds, Generator g) {
        byte[] b = s.clone();
        int changes = 1 + g.nextInt(4);
        for (int c = 0; c < changes; c++) {
            if (b.length == 0) b = new byte[] {(byte) g.nextInt(256)};
            int at = g.nextInt(b.length);
            switch (g.nextInt(8)) {
                case 0 -> b[at] ^= (byte) (1 << g.nextInt(8));
                case 1 -> b[at] = (byte) new int[] {0, 0xFF, 0x7F, 0x80}[g.nextInt(4)];
                case 2 -> {
                    int v = new int[] {0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 1 << 20, 65535, 60000}[g.nextInt(7)];
                    for (int k = 0; k < 4 && at + k < b.length; k++) b[at + k] = (byte) (v >>> (24 - 8 * k));
                }
                case 3 -> b = Arrays.copyOf(b, at);  // cut short
                case 4 -> {  // a piece repeated
                    int len = Math.min(b.length - at, 1 + g.nextInt(64));
                    byte[] out = new byte[b.length + len];
                    System.arraycopy(b, 0, out, 0, at + len);
                    System.arraycopy(b, at, out, at + len, b.length - at);
                    b = out;
                }
                case 5 -> {  // a piece of another seed spliced in
                    byte[] o = seeds.get(g.nextInt(seeds.size()));
                    if (o.length == 0) break;
                    int from = g.nextInt(o.length), len = Math.min(o.length - from, Math.min(b.length - at, 1 + g.nextInt(64)));
                    System.arraycopy(o, from, b, at, len);
                }
                case 6 -> {  // random bytes inserted
                    int len = 1 + g.nextInt(8);
                    byte[] out = new byte[b.length + len];
                    System.arraycopy(b, 0, out, 0, at);
                    for (int k = 0; k < len; k++) out[at + k] = (byte) g.nextInt(256);
                    System.arraycopy(b, at, out, at + len, b.length - at);
                    b = out;
                }
                default -> b[at] = (byte) g.nextInt(256);
            }
        }
        return b;
    }

    /** The seed files Jazzer reads for {@code testClass}'s fuzz test {@code method} (resources/…/ClassInputs/method/), sorted by name. */
    public static List<byte[]> seeds(Class<?> testClass, String method) {
        String dir = testClass.getSimpleName() + "Inputs/" + method;
        try {
            java.net.URL url = testClass.getResource(dir);
            if (url == null) throw new IllegalStateException("no seed folder " + dir + " next to " + testClass.getName());
            try (var files = java.nio.file.Files.list(java.nio.file.Path.of(url.toURI()))) {
                List<byte[]> out = new java.util.ArrayList<>();
                for (java.nio.file.Path f : files.sorted().toList()) out.add(java.nio.file.Files.readAllBytes(f));
                return out;
            }
        } catch (java.io.IOException | java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
