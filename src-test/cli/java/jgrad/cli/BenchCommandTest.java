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
                "\"gflops\"", "\"threads\": 1", "\"isa\": \"" + MachineInfo.here().isa() + "\"",
                "\"simd_bits\": " + jgrad.backend.simd.Simd.BITS);
        assertThat(s).doesNotContain("\"name\": \"sgemm\"").doesNotContain("\"ms\": 0.0,");
    }

    /** The lockstep protocol jmh/peers/lockstep.py speaks: a case per line in, one JSON line out. */
    @Test
    void lockstepAnswersEachCaseWithOneJsonLine() {
        java.io.InputStream in = System.in;
        java.io.PrintStream out = System.out;
        var captured = new java.io.ByteArrayOutputStream();
        try {
            System.setIn(new java.io.ByteArrayInputStream("sgemm 64\n\nbogus\nsgemm\nmlp 784-16-16-10\nquit\nsgemm 64\n"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
            int rc = new CommandLine(new BenchCommand()).execute("--lockstep", "--seconds", "0.02", "--warmup-cap", "0.01");
            assertThat(rc).isZero();
        } finally {
            System.setIn(in);
            System.setOut(out);
        }
        String[] lines = captured.toString(java.nio.charset.StandardCharsets.UTF_8).strip().split("\n");
        // "ready" with the CPU threads in use, then one line per case up to "quit" (the line after
        // it is never read)
        assertThat(lines).hasSize(5);
        // (with the machine: CPU model, instruction set, preferred width and width in use; #22)
        MachineInfo m = MachineInfo.here();
        assertThat(lines[0]).isEqualTo("ready { \"threads\": " + jgrad.backend.simd.Simd.threads() + ", \"cpu\": \"" + m.cpu()
                + "\", \"isa\": \"" + m.isa() + "\", \"preferred_bits\": " + m.preferredBits() + ", \"simd_bits\": " + m.simdBits() + " }");
        assertThat(lines[1]).startsWith("{").contains("\"case\": \"sgemm 64\"", "\"unit\": \"GFLOP/s\"").doesNotContain("\"ms\": 0.0,")
                .contains("\"simd_bits\": " + jgrad.backend.simd.Simd.BITS, "\"isa\": \"" + m.isa() + "\"");
        assertThat(lines[2]).contains("\"error\"", "unknown lockstep case 'bogus'");
        assertThat(lines[3]).contains("\"error\"", "unknown lockstep case 'sgemm'");
        assertThat(lines[4]).contains("\"case\": \"mlp 784-16-16-10\"", "\"unit\": \"images/s\"");
        double rate = Double.parseDouble(lines[4].replaceAll(".*\"rate\": ([0-9.Ee+-]+).*", "$1"));
        assertThat(rate).isPositive();
    }

    /** Issue #18's zoo cases in the lockstep protocol: MODEL_train|infer|frozen SIZExBATCH, with the process's peak memory. */
    @Test
    void lockstepRunsZooCasesAndReportsPeakMemory() {
        java.io.InputStream in = System.in;
        java.io.PrintStream out = System.out;
        var captured = new java.io.ByteArrayOutputStream();
        try {
            System.setIn(new java.io.ByteArrayInputStream("resnet18_infer 32x2\nresnet18_frozen 32x2\nresnet18_train 16x2\nresnet18_fly 32x2\nquit\n"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
            assertThat(new CommandLine(new BenchCommand()).execute("--lockstep", "--seconds", "0.02", "--warmup-cap", "0.01")).isZero();
        } finally {
            System.setIn(in);
            System.setOut(out);
        }
        String[] lines = captured.toString(java.nio.charset.StandardCharsets.UTF_8).strip().split("\n");
        assertThat(lines).hasSize(5);
        for (int i = 1; i <= 2; i++) {
            assertThat(lines[i]).contains("\"unit\": \"images/s\"");
            assertThat(Double.parseDouble(lines[i].replaceAll(".*\"rate\": ([0-9.Ee+-]+).*", "$1"))).isPositive();
            assertThat(Double.parseDouble(lines[i].replaceAll(".*\"peak_rss_mb\": ([0-9.Ee+-]+).*", "$1"))).as("VmHWM of this JVM, MB").isGreaterThan(20);
        }
        assertThat(lines[3]).contains("\"error\"", "'resnet18_train 16x2': image size must be 32 to 1024 and batch 1 to 1024, got 16 and 2");
        assertThat(lines[4]).contains("\"error\"", "unknown lockstep case 'resnet18_fly 32x2'");
    }

    /** Issue #17 group 4: --json at a folder or under a file failed after every benchmark had run; now before the first. */
    @Test
    void aJsonFileThatCannotBeWrittenIsRefusedBeforeTheBenchmarks() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");
        MainTest.Run r = MainTest.jgrad(false, "bench", "--only", "sum", "--seconds", "0.02", "--json", file.resolve("b.json").toString());
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("error: --json " + file.resolve("b.json") + ": its folder " + file + ": is a file, not a folder");
        assertThat(r.out()).as("no benchmark ran").doesNotContain("benchmark");
    }

    @Test
    void unknownBenchmarkNameIsRefused() {
        assertThat(new CommandLine(new BenchCommand()).execute("--only", "gemm")).isNotZero();
    }
}
