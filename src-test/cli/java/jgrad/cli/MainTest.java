package jgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import jgrad.data.mnist.MnistFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No stack trace reaches a command-line user (issue #17): one line, what is wrong; --debug adds the trace. */
class MainTest {
    @TempDir Path dir;

    /** Exit code, standard output and standard error of {@code ./jgrad args}, run in this JVM. */
    record Run(int rc, String out, String err) {}

    static Run jgrad(boolean debug, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out, oldErr = System.err;
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8), e = new PrintStream(err, true, StandardCharsets.UTF_8);
        System.setOut(o);
        System.setErr(e);
        try {
            int rc = Main.run(args, o, e, debug);
            return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** Issue #17 group 1: hostile 20-byte model headers given to transforms --predictions gave OutOfMemoryError traces. */
    @Test
    void aHostileModelFileIsOneLineNamingIt() throws IOException {
        Path data = MnistFixtures.writeBars(dir.resolve("data"), 40, false);
        Path model = dir.resolve("hostile.jgrad");
        Files.write(model, ByteBuffer.allocate(27).putInt(0x4A475232).putInt(1).putShort((short) 1).put((byte) 'w')
                .putInt(2).putInt(20000).putInt(20000).array());
        Run r = jgrad(false, "transforms", "--data", data.toString(), "--predictions", model.toString(), "--model", "mlp",
                "--out", dir.resolve("p.png").toString());
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err().strip()).as(r.err()).doesNotContain("\n").startsWith("error: " + model)
                .contains("tensor 'w' of shape [20000, 20000] needs 1,600,000,000 bytes");
        Run debug = jgrad(true, "transforms", "--data", data.toString(), "--predictions", model.toString(), "--model", "mlp",
                "--out", dir.resolve("p.png").toString());
        assertThat(debug.err()).as("--debug shows the trace").contains("DamagedFileException").contains("\tat jgrad.tensor.TensorFile");
    }

    @Test
    void aModelOfAnotherKindIsOneLineSayingWhichOption() throws IOException {
        Path data = MnistFixtures.writeBars(dir.resolve("data"), 120, false);
        Path out = dir.resolve("train");
        assertThat(jgrad(false, "train", "--data", data.toString(), "--model", "mlp", "--epochs", "1", "--val-size", "20",
                "--out", out.toString()).rc()).isZero();
        Run r = jgrad(false, "transforms", "--data", data.toString(), "--predictions", out.resolve("best-model.jgrad").toString(),
                "--model", "lenet", "--out", dir.resolve("p.png").toString());
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").contains("is not a lenet model").contains("--model");
        // a checkpoint given as the model listed its 30-odd entries as "unexpected": say what it is instead
        Path ckpt = dir.resolve("ckpt");
        assertThat(jgrad(false, "train", "--data", data.toString(), "--model", "mlp", "--epochs", "1", "--val-size", "20",
                "--out", out.toString(), "--checkpoint", ckpt.toString()).rc()).isZero();
        Run c = jgrad(false, "transforms", "--data", data.toString(), "--predictions", ckpt.resolve("checkpoint.jgrad").toString(),
                "--model", "mlp", "--out", dir.resolve("p.png").toString());
        assertThat(c.rc()).isEqualTo(2);
        assertThat(c.err().strip()).isEqualTo("error: --predictions " + ckpt.resolve("checkpoint.jgrad") + " is a training checkpoint, "
                + "not a saved model: give the best-model.jgrad that ./jgrad train wrote into its --out folder");
    }

    @Test
    void failuresReadAsOneLineWithWhatToDo() {
        assertThat(Failure.of(new NullPointerException("x is null")).line())
                .isEqualTo("internal error: NullPointerException: x is null (a bug in jgrad: run again with --debug and report the trace)");
        assertThat(Failure.of(new NullPointerException()).expected()).isFalse();
        Failure oom = Failure.of(new OutOfMemoryError("Java heap space"));
        assertThat(oom.line()).startsWith("out of memory (Java heap space; the Java heap is at most").contains("JGRAD_JAVA_OPTS=-Xmx");
        assertThat(Failure.of(new UncheckedIOException("cache", new IOException("disk full"))).line()).isEqualTo("cache: disk full");
        assertThat(Failure.of(new IllegalArgumentException("first\n  second")).line()).isEqualTo("first");
    }

    /** Issue #17 group 7: a missing file gave just its path ("error: /x/model.jgrad"), a folder "Is a directory". */
    @Test
    void fileSystemErrorsSayWhatIsWrongNotJustThePath() throws IOException {
        assertThat(Failure.of(new java.nio.file.NoSuchFileException("/x/model.jgrad")).line()).isEqualTo("/x/model.jgrad: no such file or folder");
        assertThat(Failure.of(new UncheckedIOException(new java.nio.file.NoSuchFileException("/x"))).line()).isEqualTo("/x: no such file or folder");
        assertThat(Failure.of(new UncheckedIOException("cache", new java.nio.file.AccessDeniedException("/x"))).line())
                .isEqualTo("cache: /x: permission denied");
        Path file = Files.writeString(dir.resolve("data"), "x");
        assertThat(Failure.of(new java.nio.file.FileAlreadyExistsException(file.toString())).line())
                .isEqualTo(file + ": is a file, where a folder is needed");
        assertThat(Failure.of(new java.nio.file.FileSystemException("/x", null, "Is a directory")).line())
                .isEqualTo("/x: is a folder, where a file is needed");
        Path missing = dir.resolve("no-such-model.jgrad");
        Run r = jgrad(false, "transforms", "--data", MnistFixtures.writeBars(dir.resolve("bars"), 40, false).toString(),
                "--predictions", missing.toString(), "--model", "mlp", "--out", dir.resolve("p.png").toString());
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("error: " + missing + ": no such file or folder");
    }

    @Test
    void anUnknownOptionOrABadValueIsOneLineNotATraceOrTheUsage() {
        Run r = jgrad(false, "train", "--no-such-option");
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("error: Unknown option: '--no-such-option' (jgrad train --help lists the options)");
        Run bad = jgrad(false, "train", "--epochs", "abc");
        assertThat(bad.rc()).isEqualTo(2);
        assertThat(bad.err().strip()).isEqualTo("error: Invalid value for option '--epochs': 'abc' is not an int (jgrad train --help lists the options)");
    }
}
