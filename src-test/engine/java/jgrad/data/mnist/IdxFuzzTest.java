package jgrad.data.mnist;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import jgrad.Mutations;
import org.junit.jupiter.api.Test;

/**
 * Fuzzing the IDX reader: any bytes, raw or gzip, read as a 3-D images file and as a 1-D labels
 * file, give an {@link Idx} or an {@link IOException} naming the file, never another exception
 * (no OutOfMemoryError, NegativeArraySizeException, …). The data limit is 1 MB here, so that a
 * header claiming more is refused rather than allocated.
 *
 * <p>In the suite: the seeds (resources/jgrad/data/mnist/IdxFuzzTestInputs/idx) and 4,000
 * deterministic mutants of them. Coverage-guided, 1,000,000 inputs:
 * {@code JAZZER_FUZZ=1 mvn test -pl src-main/engine -Dtest=IdxFuzzTest#idx} (docs/reliability.md).
 */
class IdxFuzzTest {
    static final long LIMIT = 1 << 20;

    static void target(byte[] file) {
        for (int rank : new int[] {3, 1}) {
            try {
                Idx idx = Idx.parse(file, "fuzz.idx", rank, LIMIT);
                long size = 1;
                for (int d : idx.dims()) size *= d;
                if (idx.dims().length != rank || idx.data().length != size) {
                    throw new AssertionError("an Idx whose dims " + java.util.Arrays.toString(idx.dims()) + " do not match its "
                            + idx.data().length + " bytes");
                }
            } catch (IOException documented) {
                if (!documented.getMessage().contains("fuzz.idx")) throw new AssertionError("an error without the file's name", documented);
            }
        }
    }

    @FuzzTest(maxExecutions = 1_000_000, maxDuration = "2h")
    void idx(byte[] file) {
        target(file);
    }

    @Test
    void mutantsOfValidFilesGiveOnlyTheDocumentedError() {
        assertThat(Mutations.run(Mutations.seeds(IdxFuzzTest.class, "idx"), 4000, 17, IdxFuzzTest::target)).isEqualTo(4004);
    }
}
