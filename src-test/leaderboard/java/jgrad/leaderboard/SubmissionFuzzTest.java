package jgrad.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Fuzzing the two submission parsers: the API's JSON body ({@link Submission#parse}) and the
 * prediction file ({@link PredictionsFile#parse}). Whatever the input, each returns predictions of
 * the test set's length with every label a class, or refuses with its documented exception
 * (ApiError 400; IllegalArgumentException) and a one-line message; nothing else escapes.
 * {@link #mutationsOfValidSubmissions} runs 3,000 seeded mutations of each in the suite
 * ({@code -Djgrad.fuzz.count=N} for more); the Jazzer tests (tag jazzer, left out of the suite as in the engine) replay their seeds and
 * fuzz with coverage guidance in the long run:
 * <pre>  JAZZER_FUZZ=1 mvn -B test -pl src-main/leaderboard -Djgrad.fuzz.excluded=none -Dtest='SubmissionFuzzTest#jazzerBody'
 *  JAZZER_FUZZ=1 mvn -B test -pl src-main/leaderboard -Djgrad.fuzz.excluded=none -Dtest='SubmissionFuzzTest#jazzerFile'</pre>
 */
class SubmissionFuzzTest {
    static final int N = 5, CLASSES = 10;
    private static final String[] PIECES = {"{", "}", "[", "]", ",", ":", "\"", "\"predictions\"", "\"config\"", "\"note\"", "\"name\"",
        "null", "true", "0", "-1", "9", "10", "1e308", "-0", "0.5", "NaN", "99999999999999999999", "\\u0000", " ", "\n", "\r\n",
        "index,label", "3,", ",7", "-", "\uFFFF", "\uD800"};

    /** True for accepted predictions, false for a refusal; anything else escapes. */
    static boolean body(byte[] input) {
        try {
            Submission s = Submission.parse(input, N, CLASSES);
            assertThat(s.predictions()).hasSize(N);
            for (int p : s.predictions()) assertThat(p).isBetween(0, CLASSES - 1);
            assertThat(s.config().length()).isLessThanOrEqualTo(Submission.MAX_CONFIG);
            assertThat(s.note().length()).isLessThanOrEqualTo(Submission.MAX_NOTE);
            return true;
        } catch (ApiError e) {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
            return false;
        }
    }

    static boolean file(String text) {
        try {
            int[] p = PredictionsFile.parse(text, "p.csv", N, CLASSES);
            assertThat(p).hasSize(N);
            for (int x : p) assertThat(x).isBetween(0, CLASSES - 1);
            return true;
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).startsWith("p.csv").doesNotContain("\n");
            return false;
        }
    }

    static String mutate(String seed, Random r) {
        StringBuilder b = new StringBuilder(seed);
        for (int k = 1 + r.nextInt(3); k > 0; k--) {
            int at = b.isEmpty() ? 0 : r.nextInt(b.length());
            switch (r.nextInt(4)) {
                case 0 -> { if (!b.isEmpty()) b.delete(at, Math.min(b.length(), at + 1 + r.nextInt(6))); }
                case 1 -> b.insert(at, PIECES[r.nextInt(PIECES.length)]);
                case 2 -> { if (!b.isEmpty()) b.setCharAt(at, (char) (32 + r.nextInt(95))); }
                default -> b.setLength(at);
            }
        }
        return b.toString();
    }

    @Test
    void mutationsOfValidSubmissions() {
        List<String> bodies = List.of("{\"predictions\": [1, 2, 3, 4, 5]}", "{\"predictions\": [0,0,0,0,9], \"config\": {\"lr\": 0.1, \"m\": [1]}, \"note\": \"x\"}");
        List<String> files = List.of("index,label\n0,1\n1,2\n2,3\n3,4\n4,5\n", "index,label\r\n4,9\r\n3,0\r\n2,0\r\n1,0\r\n0,0");
        for (String s : bodies) assertThat(body(s.getBytes(StandardCharsets.UTF_8))).as(s).isTrue();
        for (String s : files) assertThat(file(s)).as(s).isTrue();
        int count = Integer.getInteger("jgrad.fuzz.count", 3_000), okBodies = 0, okFiles = 0;
        Random r = new Random(21);
        for (int i = 0; i < count; i++) {
            String b = mutate(bodies.get(r.nextInt(bodies.size())), r), f = mutate(files.get(r.nextInt(files.size())), r);
            try {
                if (body(b.getBytes(StandardCharsets.UTF_8))) okBodies++;
            } catch (Throwable t) {
                throw new AssertionError("body " + i + " <" + b + "> threw " + t, t);
            }
            try {
                if (file(f)) okFiles++;
            } catch (Throwable t) {
                throw new AssertionError("file " + i + " <" + f + "> threw " + t, t);
            }
        }
        assertThat(okBodies).as("some mutated bodies are still valid").isPositive().isLessThan(count);
        assertThat(okFiles).as("some mutated files are still valid").isPositive().isLessThan(count);
        System.out.printf("SubmissionFuzzTest: %,d mutated bodies (%,d accepted), %,d mutated files (%,d accepted), the rest refused with one line%n",
                count, okBodies, count, okFiles);
    }

    @FuzzTest(maxExecutions = 1_000_000)
    void jazzerBody(byte[] input) {
        body(input);
    }

    @FuzzTest(maxExecutions = 1_000_000)
    void jazzerFile(byte[] input) {
        file(new String(input, StandardCharsets.UTF_8));
    }
}
