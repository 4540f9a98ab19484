package jgrad.tune.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.util.List;
import jgrad.tune.ClusterRunner;
import org.junit.jupiter.api.Test;

/** A master or storage Spark cannot work with is one line, said before a study is made; and the JVM flags. */
class SparkBadInputTest {
    private static final String PG = "jdbc:postgresql://127.0.0.1/jgrad?user=jgrad";

    @Test
    void anSqliteFileWithAClusterMasterIsRefused() {
        assertThatThrownBy(() -> new SparkRunner().check("spark://cluster:7077", "runs/tune/studies.db")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--storage runs/tune/studies.db is an SQLite file, which executors on other machines cannot share: with --spark spark://cluster:7077 "
                        + "use a jdbc:postgresql: URL that every executor reaches (SQLite is for --spark local[N])");
        assertThatThrownBy(() -> new SparkRunner().check("yarn", "s.db")).hasMessageStartingWith("--storage s.db is an SQLite file");
        new SparkRunner().check("local[2]", "s.db");  // local mode shares the file
        new SparkRunner().check("local", "s.db");
        new SparkRunner().check("local[*,3]", "s.db");
        assertThatThrownBy(() -> new SparkRunner().check("local[x", "s.db")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--spark local[x is not a local Spark master: local, local[N], local[*] or local[N,F] (F failures allowed per task)");
    }

    @Test
    void anUnreachableMasterIsOneLine() {
        assertThatThrownBy(() -> new SparkRunner().check("spark://127.0.0.1:1", PG)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the Spark master spark://127.0.0.1:1 cannot be reached (127.0.0.1:1: Connection refused")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> new SparkRunner().check("spark://", PG)).hasMessage("--spark spark:// is not a Spark master URL (spark://host:7077)");
        assertThatThrownBy(() -> new SparkRunner().check(" ", PG)).hasMessageStartingWith("--spark needs a master URL");
    }

    @Test
    void aMasterSparkCannotStartIsOneLine() {
        assertThatThrownBy(() -> new SparkRunner().check("mesos://x:5050", PG)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--spark mesos://x:5050 is not a Spark master URL: local[N], spark://host:7077, yarn or k8s://host:port");
        // YARN needs Spark's spark-yarn jars, which this unit does not bring (spark-submit on a YARN cluster has them)
        ClusterRunner.Job job = new ClusterRunner.Job(ToyWorker.class.getName(), List.of(), PG, "s");
        assertThatThrownBy(() -> new SparkRunner().run("yarn", 0, job)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Spark could not start with --spark yarn: Could not parse Master URL: 'yarn'");
    }

    @Test
    void theRunnerIsFoundThroughServiceLoader() {
        assertThat(ClusterRunner.find()).containsInstanceOf(SparkRunner.class);
    }

    /** jvm-flags.txt (what ./jgrad and the executors use) against the flags this test JVM got from the pom. */
    @Test
    void everyFlagOfTheListIsOneThisTestJvmRunsWith() {
        String jvm = String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()).replace("--add-modules jdk", "--add-modules=jdk");
        assertThat(SparkFlags.list()).hasSizeGreaterThan(10).contains("--add-modules=jdk.incubator.vector", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED")
                .allSatisfy(f -> assertThat(jvm).as("the pom's jgrad.spark.flags").contains(f));
        assertThat(SparkFlags.executorOptions()).doesNotContain("\n").startsWith("--add-modules=jdk.incubator.vector ");
    }

    @Test
    void executorsGetTheClassPathsJarsLessSparksOwn() {
        String sep = java.io.File.pathSeparator;
        String cp = String.join(sep, "/app/jgrad.jar", "/app/lib/picocli-4.7.6.jar", "/spark/lib/spark-core_2.13-4.2.0.jar", "/app/classes", "/spark/lib/scala-library.jar",
                "/app/tune-spark/jgrad-tune-spark.jar");
        assertThat(Jars.forExecutors(cp, java.nio.file.Path.of("/spark/lib")))
                .containsExactly("/app/jgrad.jar", "/app/lib/picocli-4.7.6.jar", "/app/tune-spark/jgrad-tune-spark.jar");
        // in this JVM Spark's jars come from the local repository: none of them is shipped
        assertThat(Jars.forExecutors()).noneMatch(j -> j.contains("spark-core_2.13"));
    }
}
