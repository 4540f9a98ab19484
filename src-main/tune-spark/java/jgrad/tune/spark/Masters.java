package jgrad.tune.spark;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A Spark master URL, checked before Spark starts so that a mistake reads as one line: an SQLite
 * study file cannot be shared with executors on other machines (local masters only), and a
 * standalone master ({@code spark://host:port}) must accept a connection (Spark itself would retry
 * for a minute and then print a page of stack traces).
 */
final class Masters {
    static final int CONNECT_MILLIS = 5000;

    private Masters() {}

    /** local, local[N], local[*], and with a number of task failures allowed: local[N,F]. */
    private static final java.util.regex.Pattern LOCAL = java.util.regex.Pattern.compile("local(\\[(\\d+|\\*)(,\\d+)?])?");

    static boolean local(String master) {
        return LOCAL.matcher(master).matches();
    }

    static void check(String master, String storage) {
        if (master == null || master.isBlank()) throw new IllegalArgumentException("--spark needs a master URL: local[2], spark://host:7077, yarn, k8s://...");
        if (master.startsWith("local") && !local(master)) {
            throw new IllegalArgumentException("--spark " + master + " is not a local Spark master: local, local[N], local[*] or local[N,F] (F failures allowed per task)");
        }
        if (!(master.startsWith("local") || master.startsWith("spark://") || master.equals("yarn") || master.startsWith("k8s://"))) {
            throw new IllegalArgumentException("--spark " + master + " is not a Spark master URL: local[N], spark://host:7077, yarn or k8s://host:port");
        }
        boolean sqlite = !storage.startsWith("jdbc:");
        if (sqlite && !local(master)) {
            throw new IllegalArgumentException("--storage " + storage + " is an SQLite file, which executors on other machines cannot share: with --spark "
                    + master + " use a jdbc:postgresql: URL that every executor reaches (SQLite is for --spark local[N])");
        }
        if (master.startsWith("spark://")) reachable(master);
    }

    /** Every host:port of a standalone master URL (spark://h1:7077,h2:7077) must accept a TCP connection. */
    private static void reachable(String master) {
        for (String hostPort : master.substring("spark://".length()).split(",")) {
            URI u;
            try {
                u = URI.create("spark://" + hostPort);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--spark " + master + " is not a Spark master URL (spark://host:7077)");
            }
            if (u.getHost() == null) throw new IllegalArgumentException("--spark " + master + " is not a Spark master URL (spark://host:7077)");
            int port = u.getPort() < 0 ? 7077 : u.getPort();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(u.getHost(), port), CONNECT_MILLIS);
            } catch (IOException e) {
                throw new IllegalArgumentException("the Spark master " + master + " cannot be reached (" + u.getHost() + ":" + port + ": "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
            }
        }
    }

    /** Starts Spark; a master URL Spark does not understand is one line. */
    static JavaSparkContext start(SparkConf conf) {
        try {
            return new JavaSparkContext(conf);
        } catch (Exception e) {  // Scala declares nothing: a SparkException for a URL it cannot parse
            String m = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            throw new IllegalArgumentException("Spark could not start with --spark " + conf.get("spark.master") + ": " + m, e);
        }
    }
}
