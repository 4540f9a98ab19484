package jgrad.tune.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The JVM flags a Spark JVM running jgrad needs on JDK 17 and later, listed once in
 * {@code jvm-flags.txt} next to this class: jgrad's (the Vector API module, native access) and
 * Spark's own {@code --add-opens} (Spark 4.2's {@code org.apache.spark.launcher.JavaModuleOptions},
 * which {@code spark-submit} adds to the JVMs it starts, but a plain {@code java}, such as
 * {@code ./jgrad tune --spark local[2]} or a test, does not get). The launcher reads the same file
 * for local mode; executors on a cluster get them through {@code spark.executor.extraJavaOptions}
 * (docs/tuning.md, "On a Spark cluster").
 */
public final class SparkFlags {
    private SparkFlags() {}

    /** The flags, in order. */
    public static List<String> list() {
        try (InputStream in = SparkFlags.class.getResourceAsStream("jvm-flags.txt")) {
            if (in == null) throw new IllegalStateException("jvm-flags.txt is missing from the tune-spark jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The flags as one string, for {@code spark.executor.extraJavaOptions}. */
    public static String executorOptions() {
        return String.join(" ", list());
    }
}
