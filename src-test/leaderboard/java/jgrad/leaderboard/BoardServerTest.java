package jgrad.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP API over the loopback address: what a good submission gets back, and each kind of bad
 * input refused with its status and a message naming the problem, nothing stored.
 */
class BoardServerTest {
    static final int N = 100;
    @TempDir Path dir;
    BoardStore store;
    BoardServer server;
    Competition c;
    String ann, bob;

    @BeforeEach
    void start() throws Exception {
        store = BoardStore.open(dir.resolve("b.db").toString(), new MutableClock(Instant.parse("2026-12-05T10:00:00Z")));
        c = Fixtures.create(store, "api", N, Competition.Keep.LATEST, 3, "let me in");
        ann = store.addParticipant(c, "ann");
        bob = store.addParticipant(c, "bob");
        server = new BoardServer(store, c, "127.0.0.1", 0, 4096);
    }

    @AfterEach
    void stop() {
        server.close();
        store.close();
    }

    static String body(int[] p) {
        return "{\"predictions\": [" + Arrays.stream(p).mapToObj(Integer::toString).collect(Collectors.joining(",")) + "], \"config\": {\"lr\": 0.05}, \"note\": \"n\"}";
    }

    private Fixtures.Reply submit(String token, String body) throws Exception {
        return Fixtures.post(server.port(), "/api/submissions", token, body);
    }

    /** Refused with this status and a message containing {@code message}, and nothing stored. */
    private void refused(Fixtures.Reply r, int status, String message) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.body()).startsWith("{\"error\":").contains(message);
        assertThat(store.rows(c, null)).as("nothing stored").isEmpty();
    }

    @Test
    void aSubmissionIsScoredByTheServerAndShownOnTheBoard() throws Exception {
        boolean[] right = new boolean[N];
        for (int i = 0; i < N; i += 2) right[i] = true;
        int[] p = Fixtures.predictions(c, right);
        Fixtures.Reply r = submit(ann, body(p));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        var j = Submission.JSON.readTree(r.body());
        assertThat(j.get("publicScore").asDouble()).isEqualTo(Fixtures.accuracy(c, p, true));
        assertThat(j.get("name").asText()).isEqualTo("ann");
        var board = Submission.JSON.readTree(Fixtures.get(server.port(), "/api/board").body());
        assertThat(board.get("lines").get(0).get("name").asText()).isEqualTo("ann");
        assertThat(board.get("lines").get(0).get("score").asDouble()).isEqualTo(Fixtures.accuracy(c, p, true));
        assertThat(board.get("lines").get(0).get("config").get("lr").asDouble()).isEqualTo(0.05);
        assertThat(board.get("lines").get(0).has("privateScore")).as("private scores stay hidden while open").isFalse();
        var history = Submission.JSON.readTree(Fixtures.get(server.port(), "/api/history?name=ann").body());
        assertThat(history.get("submissions").size()).isEqualTo(1);
        assertThat(history.get("submissions").get(0).has("privateScore")).isFalse();
        store.close(c);
        board = Submission.JSON.readTree(Fixtures.get(server.port(), "/api/board").body());
        assertThat(board.get("closed").asBoolean()).isTrue();
        assertThat(board.get("lines").get(0).get("privateScore").asDouble()).isEqualTo(Fixtures.accuracy(c, p, false));
    }

    @Test
    void aMissingOrWrongTokenIs401() throws Exception {
        refused(submit(null, body(new int[N])), 401, "missing token");
        refused(submit("not-a-token", body(new int[N])), 401, "unknown token");
    }

    @Test
    void anotherParticipantsTokenCannotWriteInTheirName() throws Exception {
        assertThat(submit(ann, body(new int[N])).status()).isEqualTo(201);
        // a body cannot name a participant: the field is refused
        Fixtures.Reply r = submit(bob, "{\"name\": \"ann\", \"predictions\": [" + "0,".repeat(N - 1) + "0]}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("unknown field \\\"name\\\"");
        // bob's token writes bob's submission; ann's stays as it was (keep = latest)
        assertThat(submit(bob, body(new int[N])).status()).isEqualTo(201);
        assertThat(store.rows(c, "ann")).hasSize(1);
        assertThat(store.rows(c, "bob")).hasSize(1);
    }

    @Test
    void aBodyOverTheLimitIs413BeforeItIsRead() throws Exception {
        // headers claiming 100 MB, and only 10 bytes sent: the answer comes without waiting for the rest
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/submissions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ann + "\r\nContent-Length: 100000000\r\n\r\n{\"predict").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(head).isEqualTo("HTTP/1.1 413");
        }
        // a chunked body is cut off at the limit
        refused(submit(ann, "{\"note\": \"" + "x".repeat(5000) + "\"}"), 413, "over the limit of 4096 bytes");
        assertThat(store.rows(c, null)).isEmpty();
    }

    @Test
    void malformedJsonAndWrongPredictionsAre400NamingTheProblem() throws Exception {
        refused(submit(ann, "{\"predictions\": [1, 2,"), 400, "malformed JSON at line 1");
        refused(submit(ann, ""), 400, "empty body");
        refused(submit(ann, "[1, 2]"), 400, "must be a JSON object");
        refused(submit(ann, "{\"note\": \"x\"}"), 400, "no \\\"predictions\\\"");
        refused(submit(ann, body(new int[N - 1])), 400, "\\\"predictions\\\" has 99 labels, the test set has 100");
        refused(submit(ann, body(new int[N + 1])), 400, "has 101 labels");
        String nan = "{\"predictions\": [NaN" + ",0".repeat(N - 1) + "]}";
        refused(submit(ann, nan), 400, "malformed JSON");
        String nanText = "{\"predictions\": [\"NaN\"" + ",0".repeat(N - 1) + "]}";
        refused(submit(ann, nanText), 400, "prediction 0 is \\\"NaN\\\", not an integer class in 0..9");
        int[] p = new int[N];
        p[7] = 10;
        refused(submit(ann, body(p)), 400, "prediction 7 is 10, not a class in 0..9");
        p[7] = -1;
        refused(submit(ann, body(p)), 400, "prediction 7 is -1");
        refused(submit(ann, "{\"predictions\": [0.5" + ",0".repeat(N - 1) + "]}"), 400, "prediction 0 is 0.5, not an integer");
        refused(submit(ann, "{\"predictions\": [" + "0,".repeat(N) + "], \"note\": 1}"), 400, "malformed JSON");
        refused(submit(ann, "{\"predictions\": [" + "0,".repeat(N - 1) + "0], \"config\": [1]}"), 400, "\\\"config\\\" must be a JSON object");
        refused(submit(ann, "{\"predictions\": [], \"predictions\": []}"), 400, "Duplicate field");
    }

    @Test
    void theDailyLimitIs429WithNothingStored() throws Exception {
        for (int i = 0; i < 3; i++) assertThat(submit(ann, body(new int[N])).status()).isEqualTo(201);
        Fixtures.Reply r = submit(ann, body(new int[N]));
        assertThat(r.status()).isEqualTo(429);
        assertThat(r.body()).contains("daily limit reached: ann has made 3 of 3");
        assertThat(store.rows(c, "ann")).hasSize(3);
    }

    @Test
    void aJoinCodeGivesATokenAndNamesAreEscapedInJson() throws Exception {
        refused(Fixtures.post(server.port(), "/api/join", null, "{\"code\": \"wrong\", \"name\": \"eve\"}"), 401, "wrong join code");
        String name = "<script>alert(\"1\")</script>";
        Fixtures.Reply r = Fixtures.post(server.port(), "/api/join", null, Submission.JSON.createObjectNode().put("code", "let me in").put("name", name).toString());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        String token = Submission.JSON.readTree(r.body()).get("token").asText();
        assertThat(submit(token, body(new int[N])).status()).isEqualTo(201);
        Fixtures.Reply board = Fixtures.get(server.port(), "/api/board");
        assertThat(board.body()).contains("\"name\":\"<script>alert(\\\"1\\\")</script>\"");
        assertThat(Submission.JSON.readTree(board.body()).get("lines").get(0).get("name").asText()).isEqualTo(name);
    }

    @Test
    void thePageIsServedWithAStrictContentSecurityPolicy() throws Exception {
        var resp = Fixtures.HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port() + "/")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(resp.statusCode()).isEqualTo(200);
        assertThat(resp.body()).contains("<meta name=\"viewport\"", "board.js");
        assertThat(resp.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v).contains("default-src 'self'"));
        assertThat(Fixtures.get(server.port(), "/nope").status()).isEqualTo(404);
        assertThat(Fixtures.get(server.port(), "/api/history?name=zed").status()).isEqualTo(404);
        assertThat(Fixtures.get(server.port(), "/api/submissions").status()).isEqualTo(405);
    }

    @Test
    void aServerThatIsNotThereIsOneLineNamingTheAddress() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new BoardClient("http://127.0.0.1:1").competition())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot reach the leaderboard at http://127.0.0.1:1/ (asking for the competition): connection refused or no route");
    }
}
