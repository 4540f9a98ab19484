package jgrad.leaderboard;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A leaderboard server in a JVM of its own, for the load and kill tests: what
 * {@code ./jgrad leaderboard serve} runs, without the command line (which is a unit above this one).
 * Arguments: the database, the competition, a file to write the port to once it listens.
 */
public final class BoardServerMain {
    private BoardServerMain() {}

    public static void main(String[] args) throws Exception {
        BoardStore store = BoardStore.open(args[0], Clock.systemUTC());
        Competition c = store.competition(args[1]);
        BoardServer server = new BoardServer(store, c, "127.0.0.1", 0, 1 << 18);
        Path tmp = Path.of(args[2] + ".tmp");
        Files.writeString(tmp, Integer.toString(server.port()));
        Files.move(tmp, Path.of(args[2]), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Thread.currentThread().join();
    }

    /** Starts one and waits (up to 60 s) for its port. */
    static Process start(Path dir, String db, String competition, Path portFile) throws Exception {
        Files.deleteIfExists(portFile);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx512m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), BoardServerMain.class.getName(),
                db, competition, portFile.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("server-" + System.nanoTime() + ".out").toFile()).start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Files.exists(portFile)) {
            if (!p.isAlive()) throw new IllegalStateException("the server JVM exited with " + p.exitValue() + "; its output is in " + dir);
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IllegalStateException("the server JVM did not listen within 60 s");
            }
            Thread.sleep(50);
        }
        return p;
    }

    static int port(Path portFile) throws Exception {
        return Integer.parseInt(Files.readString(portFile).strip());
    }
}
