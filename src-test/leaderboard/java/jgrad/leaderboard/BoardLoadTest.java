package jgrad.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server under load and under kill -9, in a JVM of its own on an SQLite file, over the loopback
 * address. Load: 50 concurrent clients send 2,000 submissions; every accepted one is stored exactly
 * once, under its sender, with the score the test computes itself. Kill: the server is killed
 * (SIGKILL) while 20 clients submit, then restarted on the same file: every submission that got a
 * success reply is there, and every stored row is whole (its scores are those of its stored
 * predictions). The rate and latency percentiles are printed (docs/leaderboard.md records them).
 */
class BoardLoadTest {
    static final int N = 1000;
    @TempDir Path dir;

    /** A competition with {@code clients} participants; their names and tokens. */
    private static Competition setUp(String db, int clients, String[] names, String[] tokens) {
        try (BoardStore s = BoardStore.open(db, Clock.systemUTC())) {
            Competition c = s.create("load", "mnist", 10, Fixtures.labels(N, 3), Competition.split(N, 0.5, 1), Competition.Keep.BEST, 10_000, null);
            for (int k = 0; k < clients; k++) {
                names[k] = "client " + k;
                tokens[k] = s.addParticipant(c, names[k]);
            }
            return c;
        }
    }

    /** Each accepted submission is stored once, under its sender, with the scores of its predictions; every stored row is whole. */
    private static void checkStored(BoardStore s, Competition c, LoadClients load) {
        List<BoardStore.Row> rows = s.rows(c, null);
        Map<Long, BoardStore.Row> byId = new HashMap<>();
        for (BoardStore.Row r : rows) assertThat(byId.put(r.id(), r)).as("id " + r.id() + " once").isNull();
        Map<String, Long> notes = rows.stream().collect(Collectors.groupingBy(BoardStore.Row::note, Collectors.counting()));
        notes.forEach((note, count) -> assertThat(count).as("note " + note + " stored once").isEqualTo(1));
        for (LoadClients.Sent sent : load.accepted.values()) {
            BoardStore.Row r = byId.get(sent.id());
            assertThat(r).as("accepted submission " + sent.note() + " (id " + sent.id() + ") is stored").isNotNull();
            assertThat(r.note()).isEqualTo(sent.note());
            assertThat(r.participant()).isEqualTo(sent.participant());
            assertThat(r.publicScore()).as(sent.note()).isEqualTo(Fixtures.accuracy(c, sent.predictions(), true));
            assertThat(r.privateScore()).as(sent.note()).isEqualTo(Fixtures.accuracy(c, sent.predictions(), false));
        }
        Set<String> known = new java.util.HashSet<>(load.accepted.keySet());
        known.addAll(load.unknown.keySet());
        for (BoardStore.Row r : rows) {
            assertThat(known).as("row " + r.id() + " was sent").contains(r.note());
            byte[] b = s.predictions(r.id());
            assertThat(b).as("row " + r.id() + "'s predictions are whole").hasSize(N);
            int[] p = new int[N];
            for (int i = 0; i < N; i++) p[i] = b[i];
            assertThat(r.publicScore()).as("row " + r.id() + " scored from its stored predictions").isEqualTo(Fixtures.accuracy(c, p, true));
        }
    }

    @Test
    void twoThousandSubmissionsFromFiftyClientsAreEachStoredOnceWithTheRightScore() throws Exception {
        String db = dir.resolve("load.db").toString();
        String[] names = new String[50], tokens = new String[50];
        Competition c = setUp(db, 50, names, tokens);
        Process server = BoardServerMain.start(dir, db, "load", dir.resolve("port"));
        LoadClients load = new LoadClients();
        double seconds;
        try {
            seconds = load.run(BoardServerMain.port(dir.resolve("port")), c, names, tokens, 40, 180);
        } finally {
            server.destroy();
            server.waitFor();
        }
        assertThat(load.refused).isEmpty();
        assertThat(load.unknown).isEmpty();
        assertThat(load.accepted).hasSize(2000);
        try (BoardStore s = BoardStore.open(db, Clock.systemUTC())) {
            assertThat(s.rows(c, null)).hasSize(2000);
            checkStored(s, c, load);
        }
        System.out.printf(java.util.Locale.ROOT, "BoardLoadTest: 2,000 submissions from 50 clients in %.1f s: %.0f requests/s; latency p50 %.1f ms, p95 %.1f ms, p99 %.1f ms%n",
                seconds, 2000 / seconds, load.percentileMillis(0.50), load.percentileMillis(0.95), load.percentileMillis(0.99));
    }

    @Test
    void afterAKillDuringLoadEverySubmissionThatGotASuccessIsThereAndNoneIsHalfStored() throws Exception {
        String db = dir.resolve("kill.db").toString();
        String[] names = new String[20], tokens = new String[20];
        Competition c = setUp(db, 20, names, tokens);
        Path portFile = dir.resolve("port");
        Process server = BoardServerMain.start(dir, db, "load", portFile);
        LoadClients load = new LoadClients();
        Thread killer = Thread.ofPlatform().start(() -> {
            try {
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (load.successes.get() < 300 && System.nanoTime() < deadline) Thread.sleep(5);
                server.destroyForcibly();  // SIGKILL: no shutdown hook, no flush
                server.waitFor();
                load.stop.set(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        load.run(BoardServerMain.port(portFile), c, names, tokens, 100, 120);
        killer.join();
        assertThat(server.isAlive()).isFalse();
        assertThat(load.successes.get()).as("killed mid-load").isBetween(300, 1999);
        // restarted on the same file: it serves, and everything acknowledged is there
        Process again = BoardServerMain.start(dir, db, "load", portFile);
        try {
            Fixtures.Reply board = Fixtures.get(BoardServerMain.port(portFile), "/api/board");
            assertThat(board.status()).isEqualTo(200);
            assertThat(Submission.JSON.readTree(board.body()).get("lines").size()).isEqualTo(20);
        } finally {
            again.destroy();
            again.waitFor();
        }
        try (BoardStore s = BoardStore.open(db, Clock.systemUTC())) {
            checkStored(s, c, load);
            int stored = s.rows(c, null).size();
            assertThat(stored).isBetween(load.accepted.size(), load.accepted.size() + load.unknown.size());
            System.out.printf("BoardLoadTest: killed after %d successes; %d without reply; %d stored after the restart%n",
                    load.accepted.size(), load.unknown.size(), stored);
        }
    }
}
