package jgrad.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What every storage must do (SqliteBoardStoreTest, PostgresBoardStoreTest): scores computed here
 * and stored, tokens stored only as hashes, a refused submission leaves nothing, the daily limit
 * counts per UTC day, names are text whatever they hold.
 */
abstract class BoardStoreContract {
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T22:00:00Z"));

    abstract BoardStore open();

    static String unique(String name) {
        return name + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    }

    @Test
    void aSubmissionIsScoredOnBothPartsAndKeptWithItsPredictions() {
        try (BoardStore s = open()) {
            Competition c = Fixtures.create(s, unique("scores"), 200, Competition.Keep.BEST, 5, null);
            String token = s.addParticipant(c, "ann");
            boolean[] right = new boolean[200];
            for (int i = 0; i < 200; i += 3) right[i] = true;
            int[] p = Fixtures.predictions(c, right);
            BoardStore.Accepted a = s.submit(c, token, p, "{\"lr\":0.1}", "first");
            assertThat(a.publicScore()).isEqualTo(Fixtures.accuracy(c, p, true));
            assertThat(a.participant()).isEqualTo("ann");
            BoardStore.Row r = s.rows(c, "ann").getFirst();
            assertThat(r.publicScore()).isEqualTo(Fixtures.accuracy(c, p, true));
            assertThat(r.privateScore()).isEqualTo(Fixtures.accuracy(c, p, false));
            assertThat(r.config()).isEqualTo("{\"lr\":0.1}");
            assertThat(r.note()).isEqualTo("first");
            assertThat(r.created()).isEqualTo("2026-12-05T22:00:00Z");
            byte[] stored = s.predictions(a.id());
            for (int i = 0; i < 200; i++) assertThat(stored[i]).isEqualTo((byte) p[i]);
            // reopened: the competition and its labels come back as made
            Competition again = s.competition(c.name());
            assertThat(again.labels()).isEqualTo(c.labels());
            assertThat(again.isPublic()).isEqualTo(c.isPublic());
        }
    }

    @Test
    void anUnknownTokenIsRefusedWithNothingStoredAndTokensAreKeptOnlyAsHashes() {
        try (BoardStore s = open()) {
            Competition c = Fixtures.create(s, unique("tokens"), 50, Competition.Keep.BEST, 5, null);
            String token = s.addParticipant(c, "ann");
            assertThat(token).hasSize(43);
            assertThatThrownBy(() -> s.submit(c, token + "x", new int[50], "{}", ""))
                    .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(401)).hasMessageContaining("unknown token");
            assertThat(s.rows(c, null)).isEmpty();
            assertThatThrownBy(() -> s.addParticipant(c, "ann")).isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(409));
        }
    }

    @Test
    void theDailyLimitRefusesTheNextOneWith429UntilUtcMidnight() {
        try (BoardStore s = open()) {
            Competition c = Fixtures.create(s, unique("limit"), 20, Competition.Keep.LATEST, 2, null);
            String ann = s.addParticipant(c, "ann"), bob = s.addParticipant(c, "bob");
            s.submit(c, ann, new int[20], "{}", "1");
            assertThat(s.submit(c, ann, new int[20], "{}", "2").today()).isEqualTo(2);
            assertThatThrownBy(() -> s.submit(c, ann, new int[20], "{}", "3"))
                    .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(429))
                    .hasMessage("daily limit reached: ann has made 2 of 2 submissions today (UTC)");
            assertThat(s.submit(c, bob, new int[20], "{}", "bob's").today()).as("the limit is per participant").isEqualTo(1);
            assertThat(s.rows(c, "ann")).hasSize(2);
            clock.advance(Duration.ofHours(2));  // past 00:00 UTC
            assertThat(s.submit(c, ann, new int[20], "{}", "next day").today()).isEqualTo(1);
        }
    }

    @Test
    void namesWithSqlOrHtmlAreStoredAsTextAndAClosedCompetitionTakesNoMore() {
        try (BoardStore s = open()) {
            Competition c = Fixtures.create(s, unique("names"), 20, Competition.Keep.BEST, 5, "open sesame");
            String sql = "x'); DELETE FROM lb_submissions; --", html = "<script>alert(1)</script>";
            String t1 = s.addParticipant(c, sql), t2 = s.join(c, "open sesame", html);
            s.submit(c, t1, new int[20], "{}", "");
            s.submit(c, t2, new int[20], "{}", "");
            assertThat(s.participants(c)).containsExactly(sql, html);
            assertThat(s.rows(c, null)).extracting(BoardStore.Row::participant).containsExactly(sql, html);
            assertThatThrownBy(() -> s.join(c, "wrong", "eve")).isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(401));
            s.close(c);
            assertThat(s.isClosed(c)).isTrue();
            assertThatThrownBy(() -> s.submit(c, t1, new int[20], "{}", ""))
                    .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(403));
            assertThat(s.rows(c, null)).hasSize(2);
        }
    }

    /**
     * Two servers on one database (as behind a load balancer), one participant sending 24
     * submissions at once, alternating servers, with a limit of 10 a day: exactly 10 are accepted
     * and stored, every other one gets 429. The limit is counted inside the submission's
     * transaction, which locks the participant's row (PostgreSQL) or the database (SQLite).
     */
    @Test
    void twoServersOnOneDatabaseKeepTheDailyLimitUnderConcurrentSubmissions() throws Exception {
        try (BoardStore a = open(); BoardStore b = open()) {
            Competition c = Fixtures.create(a, unique("two"), 30, Competition.Keep.BEST, 10, null);
            String token = a.addParticipant(c, "ann");
            try (BoardServer one = new BoardServer(a, c, "127.0.0.1", 0, 1 << 16); BoardServer two = new BoardServer(b, b.competition(c.name()), "127.0.0.1", 0, 1 << 16);
                 ExecutorService pool = Executors.newFixedThreadPool(24)) {
                List<Future<Fixtures.Reply>> replies = new ArrayList<>();
                for (int i = 0; i < 24; i++) {
                    int port = i % 2 == 0 ? one.port() : two.port();
                    replies.add(pool.submit(() -> Fixtures.post(port, "/api/submissions", token, BoardServerTest.body(new int[30]))));
                }
                int accepted = 0, limited = 0;
                for (Future<Fixtures.Reply> f : replies) {
                    Fixtures.Reply r = f.get();
                    if (r.status() == 201) accepted++;
                    else if (r.status() == 429) limited++;
                    else throw new AssertionError("unexpected reply " + r);
                }
                assertThat(accepted).isEqualTo(10);
                assertThat(limited).isEqualTo(14);
                assertThat(b.rows(c, "ann")).hasSize(10);
            }
        }
    }
}
