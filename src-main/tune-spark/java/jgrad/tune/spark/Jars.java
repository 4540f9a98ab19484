package jgrad.tune.spark;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The jars a cluster's executors need to run a jgrad worker: this JVM's class path less Spark's own
 * (the folder Spark's jars came from: the cluster has its Spark). {@code ./jgrad tune --spark
 * spark://...} ships them as {@code spark.jars}; under {@code spark-submit}, which sets
 * {@code spark.jars} from {@code --jars}, they are left to it.
 */
final class Jars {
    private Jars() {}

    /** The jars of {@code classPath} (a path-separated list) outside {@code sparkLib}. */
    static List<String> forExecutors(String classPath, Path sparkLib) {
        return Stream.of(classPath.split(File.pathSeparator)).filter(e -> e.endsWith(".jar"))
                .filter(e -> sparkLib == null || !sparkLib.equals(Path.of(e).toAbsolutePath().getParent())).toList();
    }

    /** This JVM's: the class path, less the folder holding Spark's core jar. */
    static List<String> forExecutors() {
        Path sparkLib;
        try {
            sparkLib = Path.of(org.apache.spark.SparkContext.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath().getParent();
        } catch (URISyntaxException | RuntimeException e) {
            sparkLib = null;
        }
        return forExecutors(System.getProperty("java.class.path"), sparkLib);
    }
}
