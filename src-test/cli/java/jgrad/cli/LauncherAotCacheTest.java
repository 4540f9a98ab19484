package jgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import jgrad.data.mnist.MnistDataset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's ahead-of-time cache logic (scripts/aot-cache.sh, sourced by ./jgrad; #22): the cache
 * is used only when its key matches the jars, the JDK and the JVM options it was made for, and the
 * synthetic images its training run reads are valid MNIST files. The training run itself is not
 * run here (about 10 s and a JVM); ./jgrad build makes it.
 */
class LauncherAotCacheTest {
    @TempDir Path dir;
    Path app, java;

    /** Runs {@code script} in bash with scripts/aot-cache.sh sourced (the tests run in the repository root). */
    private String bash(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-c", ". scripts/aot-cache.sh && " + script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor()).as("bash: %s\n%s", script, out).isZero();
        return out;
    }

    private String key(String opts) throws IOException, InterruptedException {
        return bash("aot_key '" + app + "' '" + java + "' '" + opts + "'");
    }

    private boolean fresh(Path cache, String key) throws IOException, InterruptedException {
        return bash("if aot_fresh '" + cache + "' '" + key + "'; then echo yes; else echo no; fi").equals("yes");
    }

    @BeforeEach
    void fakeBuild() throws IOException {
        app = Files.createDirectories(dir.resolve("cli"));
        Files.createDirectories(app.resolve("lib"));
        Files.writeString(app.resolve("jgrad.jar"), "main");
        Files.writeString(app.resolve("lib/engine.jar"), "engine v1");
        java = Files.writeString(dir.resolve("java"), "a JDK");
    }

    @Test
    void keyChangesWithTheJarsTheJdkAndTheOptionsAndNothingElse() throws Exception {
        String k = key("-Xmx512m -XX:+UseSerialGC");
        assertThat(k).matches("[0-9a-f]{64}");
        assertThat(key("-Xmx512m -XX:+UseSerialGC")).as("same build, same key").isEqualTo(k);
        Files.writeString(app.resolve("notes.txt"), "not a jar");
        assertThat(key("-Xmx512m -XX:+UseSerialGC")).as("a file that is not a jar").isEqualTo(k);

        assertThat(key("-Xmx1g")).as("other JVM options").isNotEqualTo(k);
        Files.writeString(app.resolve("lib/engine.jar"), "engine v2, rebuilt");
        String rebuilt = key("-Xmx512m -XX:+UseSerialGC");
        assertThat(rebuilt).as("a jar rebuilt").isNotEqualTo(k);
        Files.setLastModifiedTime(app.resolve("lib/engine.jar"), FileTime.fromMillis(1_000_000_000_000L));
        assertThat(key("-Xmx512m -XX:+UseSerialGC")).as("same size, other time").isNotEqualTo(rebuilt);
        String before = key("-Xmx512m -XX:+UseSerialGC");
        Files.writeString(app.resolve("lib/extra.jar"), "x");
        assertThat(key("-Xmx512m -XX:+UseSerialGC")).as("a jar added").isNotEqualTo(before);
        String beforeJdk = key("-Xmx512m -XX:+UseSerialGC");
        Files.writeString(java, "another JDK build");
        assertThat(key("-Xmx512m -XX:+UseSerialGC")).as("the JDK changed").isNotEqualTo(beforeJdk);
    }

    @Test
    void cacheIsFreshOnlyWhenItAndItsMatchingKeyExist() throws Exception {
        Path cache = app.resolve("jgrad.aot");
        String k = key("-Xmx512m");
        assertThat(fresh(cache, k)).as("no cache").isFalse();
        Files.writeString(cache, "cache bytes");
        assertThat(fresh(cache, k)).as("cache without a key file").isFalse();
        Files.writeString(app.resolve("jgrad.aot.key"), k + "\n");
        assertThat(fresh(cache, k)).as("matching key").isTrue();
        Files.writeString(app.resolve("lib/engine.jar"), "engine v2, rebuilt");
        assertThat(fresh(cache, key("-Xmx512m"))).as("stale: a jar changed after the cache was made").isFalse();
    }

    @Test
    void syntheticImagesAreValidMnistFiles() throws Exception {
        Path data = dir.resolve("data");
        bash("aot_synthetic_mnist '" + data + "' 300");
        for (boolean train : List.of(true, false)) {
            MnistDataset d = MnistDataset.load(data, train);
            assertThat(d.size()).isEqualTo(300);
            assertThat(d.pixels(299)).hasSize(784);
            for (int i = 0; i < 300; i++) assertThat(d.label(i)).as("label %d", i).isEqualTo(i % 10);
        }
    }
}
