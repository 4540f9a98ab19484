package jgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The bench command's plumbing (the numbers themselves are for humans, not tests). */
class BenchCommandTest {
    @TempDir Path dir;

    @Test
    void writesOneJsonRowPerCaseWithPositiveTimes() throws IOException {
        Path json = dir.resolve("bench.json");
        int rc = new CommandLine(new BenchCommand()).execute("--only", "softmax,sum", "--seconds", "0.02",
                "--warmup-cap", "0.01", "--json", json.toString());
        assertThat(rc).isZero();
        String s = Files.readString(json);
        // softmax and sum, each on cpu and reference
        assertThat(s.split("\"name\"", -1)).hasSize(5);
        assertThat(s).contains("\"name\": \"softmax\"", "\"name\": \"sum\"", "\"device\": \"cpu/", "\"device\": \"reference/reference\"",
                "\"gflops\"", "\"threads\": 1");
        assertThat(s).doesNotContain("\"name\": \"sgemm\"").doesNotContain("\"ms\": 0.0,");
    }

    @Test
    void unknownBenchmarkNameIsRefused() {
        assertThat(new CommandLine(new BenchCommand()).execute("--only", "gemm")).isNotZero();
    }
}
