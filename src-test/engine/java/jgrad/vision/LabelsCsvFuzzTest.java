package jgrad.vision;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import jgrad.Mutations;
import org.junit.jupiter.api.Test;

/**
 * Fuzzing the labels CSV reader: any bytes give rows with a non-empty file and label each, or an
 * {@link IllegalArgumentException} naming the file, never another exception.
 *
 * <p>In the suite: the seeds (resources/jgrad/vision/LabelsCsvFuzzTestInputs/csv) and 5,000 mutants
 * of them. Coverage-guided, 1,000,000 inputs:
 * {@code JAZZER_FUZZ=1 mvn test -pl src-main/engine -Dtest=LabelsCsvFuzzTest#csv} (docs/reliability.md).
 */
class LabelsCsvFuzzTest {

    static void target(byte[] file) {
        try {
            List<LabelsCsv.Row> rows = LabelsCsv.parse(file, "fuzz.csv", "file", "label");
            for (LabelsCsv.Row r : rows) {
                if (r.file().isEmpty() || r.label().isEmpty()) throw new AssertionError("an empty cell accepted: " + r);
            }
        } catch (IllegalArgumentException documented) {
            if (!documented.getMessage().startsWith("fuzz.csv")) throw new AssertionError("an error without the file's name", documented);
        }
    }

    @FuzzTest(maxExecutions = 1_000_000, maxDuration = "1h")
    void csv(byte[] file) {
        target(file);
    }

    @Test
    void mutantsOfValidCsvsGiveOnlyTheDocumentedError() {
        assertThat(Mutations.run(Mutations.seeds(LabelsCsvFuzzTest.class, "csv"), 5000, 29, LabelsCsvFuzzTest::target)).isEqualTo(5003);
    }
}
