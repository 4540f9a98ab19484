package jgrad.tune;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Fuzzing the search-space parser, JSON and YAML: whatever the text, {@link SearchSpaceParser#parse}
 * and {@link SearchSpaceParser#parseYaml} return a space whose every sampled configuration is valid,
 * or throw IllegalArgumentException with a one-line message; nothing else escapes.
 * {@link #mutationsOfValidSpaces} and {@link #mutationsOfValidYamlSpaces} run 2,000 seeded mutations
 * each in the suite ({@code -Djgrad.fuzz.count=N} for more); {@link #jazzer} and {@link #jazzerYaml}
 * replay their seeds in the suite and fuzz with coverage guidance in the long run:
 * <pre>  JAZZER_FUZZ=1 mvn -B test -pl src-main/tune -am -Dtest=SearchSpaceFuzzTest#jazzer -Dsurefire.failIfNoSpecifiedTests=false</pre>
 * ({@code #jazzerYaml} for YAML).
 */
class SearchSpaceFuzzTest {
    private static final String[] PIECES = {"{", "}", "[", "]", ",", ":", "\"", "\"type\"", "\"low\"", "\"high\"", "\"log\"", "\"when\"",
        "\"values\"", "\"grid\"", "\"choice\"", "\"int\"", "\"uniform\"", "\"loguniform\"", "true", "null", "0", "-1", "1e308", "-0",
        "1e-320", "99999999999999999999", "0.5", "\"sgd\"", "\"lr\"", "\"optimizer\"", " ", "\n", "NaN", "\\u0000"};

    private static final String[] YAML_PIECES = {":", ": ", "- ", "\n", "\n  ", "  ", "[", "]", "{", "}", ",", "&a ", "*a", "!!str ", "!!binary ",
        "---\n", "...\n", "# ", "'", "\"", "? ", "|\n", ">\n", "%YAML 1.1\n", "type", "low", "high", "log", "grid", "when", "values", "choice",
        "int", "uniform", "loguniform", ".inf", ".nan", "~", "yes", "0x1F", "012", "\t", "1e400", "-0", "99999999999999999999", "sgd", "\\u0000", "\u0000"};

    /** Parses {@code text}; true for a space, false for a refusal. Anything else escapes. */
    static boolean parse(String text) {
        return parse(text, false);
    }

    /** The same for YAML when {@code yaml}. */
    static boolean parse(String text, boolean yaml) {
        try {
            SearchSpace s = yaml ? SearchSpaceParser.parseYaml(text, null) : SearchSpaceParser.parse(text, null);
            java.util.SplittableRandom r = new java.util.SplittableRandom(1);
            for (int i = 0; i < 3; i++) {
                var config = new RandomSampler().sample(s, new Sampler.Context(i, 1, List.of(), Direction.MAXIMIZE, r));
                config.forEach((k, v) -> assertThat(s.param(k).distribution().contains(v)).as(k + "=" + v + " in " + text).isTrue());
            }
            return true;
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).as("a one-line message for " + text).isNotBlank().doesNotContain("\n");
            return false;
        }
    }

    static String mutate(String seed, Random r) {
        return mutate(seed, r, PIECES);
    }

    static String mutate(String seed, Random r, String[] pieces) {
        StringBuilder b = new StringBuilder(seed);
        for (int k = 1 + r.nextInt(3); k > 0; k--) {
            int at = b.isEmpty() ? 0 : r.nextInt(b.length());
            switch (r.nextInt(4)) {
                case 0 -> { if (!b.isEmpty()) b.delete(at, Math.min(b.length(), at + 1 + r.nextInt(6))); }
                case 1 -> b.insert(at, pieces[r.nextInt(pieces.length)]);
                case 2 -> { if (!b.isEmpty()) b.setCharAt(at, (char) (32 + r.nextInt(95))); }
                default -> b.setLength(at);
            }
        }
        return b.toString();
    }

    @Test
    void mutationsOfValidSpaces() {
        List<String> seeds = List.of(Spaces.TRAIN_LIKE, "{\"n\": {\"type\": \"int\", \"low\": 1, \"high\": 64, \"log\": true}}",
                "{\"x\": {\"type\": \"uniform\", \"low\": -1, \"high\": 1, \"grid\": 3}, \"o\": {\"type\": \"choice\", \"values\": [1, 2.5, true]}}");
        for (String s : seeds) assertThat(parse(s)).as(s).isTrue();
        int count = Integer.getInteger("jgrad.fuzz.count", 2_000), parsed = 0;
        Random r = new Random(23);
        for (int i = 0; i < count; i++) {
            String input = mutate(seeds.get(r.nextInt(seeds.size())), r);
            try {
                if (parse(input)) parsed++;
            } catch (Throwable t) {
                throw new AssertionError("input " + i + " <" + input + "> threw " + t, t);
            }
        }
        assertThat(parsed).as("some mutations are still valid spaces").isPositive();
        assertThat(count - parsed).as("most are refused").isGreaterThan(count / 2);
        System.out.printf("SearchSpaceFuzzTest: %,d mutated spaces: %,d refused with one line, %,d parsed and sampled%n", count, count - parsed, parsed);
    }

    @Test
    void mutationsOfValidYamlSpaces() {
        List<String> seeds = List.of(SearchSpaceYamlTest.EVERY_KIND, "n: {type: int, low: 1, high: 64, log: true}\n",
                "x:\n  type: uniform\n  low: -1\n  high: 1\n  grid: 3\no: {type: choice, values: [1, 2.5, true, 'a b']}\n");
        for (String s : seeds) assertThat(parse(s, true)).as(s).isTrue();
        int count = Integer.getInteger("jgrad.fuzz.count", 2_000), parsed = 0;
        Random r = new Random(29);
        for (int i = 0; i < count; i++) {
            String input = mutate(seeds.get(r.nextInt(seeds.size())), r, YAML_PIECES);
            try {
                if (parse(input, true)) parsed++;
            } catch (Throwable t) {
                throw new AssertionError("YAML input " + i + " <" + input + "> threw " + t, t);
            }
        }
        assertThat(parsed).as("some mutations are still valid spaces").isPositive();
        assertThat(count - parsed).as("most are refused").isGreaterThan(count / 2);
        System.out.printf("SearchSpaceFuzzTest: %,d mutated YAML spaces: %,d refused with one line, %,d parsed and sampled%n", count, count - parsed, parsed);
    }

    /** Jazzer: coverage-guided; see the class comment for the long run. Bytes (as UTF-8), so that the seed files are plain JSON. */
    @FuzzTest(maxExecutions = 1_000_000)
    void jazzer(byte[] input) {
        parse(new String(input, java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Jazzer on the YAML reader; seeds are plain YAML files. */
    @FuzzTest(maxExecutions = 1_000_000)
    void jazzerYaml(byte[] input) {
        parse(new String(input, java.nio.charset.StandardCharsets.UTF_8), true);
    }
}
