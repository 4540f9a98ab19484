package jgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import jgrad.tune.ClusterRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plain command line carries no Spark: its class path (this test's: the command line's runtime
 * dependencies and more) holds no Spark jar, no {@link ClusterRunner} is found, and
 * {@code tune --spark} without the Spark unit says so in one line, before any study is made.
 */
class SparkAbsentTest {
    @TempDir Path dir;

    @Test
    void theCommandLinesClassPathHasNoSparkJar() throws IOException {
        List<String> cp = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        assertThat(cp).as("the class path").isNotEmpty().anySatisfy(e -> assertThat(e).contains("picocli"))
                .noneSatisfy(e -> assertThat(Path.of(e).getFileName().toString()).matches("(spark|scala|hadoop)-.*"))
                .noneSatisfy(e -> assertThat(e).contains("tune-spark"));
        assertThatThrownBy(() -> Class.forName("org.apache.spark.SparkContext")).isInstanceOf(ClassNotFoundException.class);
        assertThat(ClusterRunner.find()).isEmpty();
        // and the folder the launcher runs the plain command line from, once ./jgrad has built it
        Path lib = Path.of("target/cli/lib");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> jars = Files.list(lib)) {
                assertThat(jars.map(p -> p.getFileName().toString())).as(lib.toString()).contains("jgrad-tune-0.1.0-SNAPSHOT.jar")
                        .noneMatch(n -> n.startsWith("spark-") || n.startsWith("scala-library") || n.startsWith("jgrad-tune-spark"));
            }
        }
    }

    @Test
    void tuneWithSparkButWithoutTheSparkUnitIsOneLineAndMakesNoStudy() throws IOException {
        Files.writeString(dir.resolve("space.json"), "{\"lr\": {\"type\": \"loguniform\", \"low\": 0.001, \"high\": 0.1}}");
        MainTest.Run r = MainTest.jgrad(false, "tune", "--space", dir.resolve("space.json").toString(), "--storage", dir.resolve("s.db").toString(),
                "--spark", "local[2]", "--data", dir.toString(), "--model", "mlp");
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("error: --spark needs the Spark unit (src-main/tune-spark) on the class path: build it with ./jgrad build and run "
                + "./jgrad tune --spark, which adds target/tune-spark to the class path\n");
        assertThat(dir.resolve("s.db")).doesNotExist();
    }
}
