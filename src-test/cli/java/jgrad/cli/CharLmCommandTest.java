package jgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** ./jgrad charlm on a small text: it learns (perplexity falls), saves, reloads and samples; bad options are one-line errors. */
class CharLmCommandTest {
    private static String run(String... args) {
        PrintStream before = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true));
        try {
            CommandLine cli = new CommandLine(new CharLmCommand());
            StringBuilder err = new StringBuilder();
            cli.setExecutionExceptionHandler((e, c, p) -> {
                err.append("error: ").append(e.getMessage());
                return 2;
            });
            int rc = cli.execute(args);
            return rc + "\n" + bytes + err;
        } finally {
            System.setOut(before);
        }
    }

    @Test
    void learnsATextSavesTheModelAndSamplesFromItAgain(@TempDir Path dir) throws Exception {
        Path text = dir.resolve("text.txt");
        Files.writeString(text, "the cat sat on the mat. ".repeat(60));
        Path model = dir.resolve("lm.jgrad");
        String out = run("--text", text.toString(), "--seq-len", "12", "--batch-size", "4", "--embedding", "8", "--hidden", "32",
                "--epochs", "6", "--lr", "0.02", "--sample-length", "40", "--prime", "the ", "--out", model.toString());
        assertThat(out).startsWith("0\n").contains("vocabulary 11").contains("Model saved to");
        Matcher m = Pattern.compile("perplexity ([0-9.]+)").matcher(out);
        double first = -1, last = -1;
        while (m.find()) {
            double p = Double.parseDouble(m.group(1));
            if (first < 0) first = p;
            last = p;
        }
        assertThat(first).as("a first epoch was reported:%n%s", out).isPositive();
        assertThat(last).as("perplexity falls on a repeated sentence:%n%s", out).isLessThan(first / 2).isLessThan(3.0);
        assertThat(model).exists();

        String sample = run("--load", model.toString(), "--sample-length", "30", "--prime", "the ", "--temperature", "0.5");
        assertThat(sample).startsWith("0\n");
        String text30 = sample.substring(2).strip();
        assertThat(text30).startsWith("the ").hasSize(34);
        assertThat(text30.chars().allMatch(c -> "the cat sat on mat.".indexOf(c) >= 0)).as("only the text's characters: %s", text30).isTrue();
    }

    @Test
    void badInputIsAOneLineError(@TempDir Path dir) throws Exception {
        assertThat(run()).startsWith("2\n").contains("--text FILE");
        assertThat(run("--text", dir.resolve("none.txt").toString())).contains("none.txt").contains("does not exist");
        Path text = dir.resolve("t.txt");
        Files.writeString(text, "abcabc");
        assertThat(run("--text", text.toString(), "--seq-len", "10")).contains("t.txt").contains("too short");
        assertThat(run("--text", text.toString(), "--temperature", "0")).contains("--temperature");
        assertThat(run("--load", dir.resolve("missing.jgrad").toString())).contains("missing.jgrad").contains("does not exist");
        Files.writeString(text, "hello there, hello again ".repeat(10));
        Path m = dir.resolve("m.jgrad");
        run("--text", text.toString(), "--seq-len", "8", "--batch-size", "2", "--hidden", "8", "--embedding", "4", "--epochs", "1",
                "--sample-length", "5", "--out", m.toString());
        assertThat(run("--load", m.toString(), "--prime", "xyz")).contains("--prime").contains("'x'");
    }
}
