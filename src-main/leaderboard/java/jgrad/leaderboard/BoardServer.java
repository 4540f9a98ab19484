package jgrad.leaderboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The leaderboard's HTTP server: the JDK's own {@code com.sun.net.httpserver} (no jar to add),
 * one virtual thread per request. The JSON API (docs/leaderboard.md):
 * <pre>
 *   GET  /api/competition          name, dataset, test-set size, classes, public part, keep rule, limit, closed
 *   GET  /api/board                the board: rank, name, score, submissions, last time, configuration
 *   GET  /api/history?name=NAME    one participant's submissions, oldest first
 *   POST /api/submissions          Authorization: Bearer TOKEN; {"predictions": [...], "config": {...}, "note": "..."}
 *   POST /api/join                 {"code": "...", "name": "..."} → {"token": "..."} (when the organiser set a join code)
 *   GET  /                         the web page (board.html, board.js, board.css: plain JS over the API)
 * </pre>
 * A body over {@code maxBody} bytes is refused with 413 before it is read (by its Content-Length;
 * a chunked one when it passes the limit) and the connection closed. Every refusal is a JSON
 * {@code {"error": "..."}} with the status of its {@link ApiError}; nothing is stored.
 */
public final class BoardServer implements AutoCloseable {
    private final HttpServer http;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final BoardStore store;
    private final Competition competition;
    private final int maxBody;

    public BoardServer(BoardStore store, Competition competition, String host, int port, int maxBody) throws IOException {
        this.store = store;
        this.competition = competition;
        this.maxBody = maxBody;
        http = HttpServer.create(new InetSocketAddress(host, port), 256);
        http.setExecutor(threads);
        http.createContext("/", this::handle);
        http.start();
    }

    /** The port it listens on (useful with port 0). */
    public int port() {
        return http.getAddress().getPort();
    }

    private void handle(HttpExchange ex) {
        try (ex) {
            try {
                route(ex);
            } catch (ApiError e) {
                if (e.status() == 413) ex.getResponseHeaders().set("Connection", "close");
                sendJson(ex, e.status(), Submission.JSON.createObjectNode().put("error", e.getMessage()));
            } catch (IllegalArgumentException e) {
                sendJson(ex, 400, Submission.JSON.createObjectNode().put("error", e.getMessage()));
            } catch (RuntimeException e) {
                sendJson(ex, 500, Submission.JSON.createObjectNode().put("error", "server error: " + BoardStore.oneLine(e)));
            }
        } catch (IOException | UncheckedIOException e) {
            // the client went away: nothing to answer
        }
    }

    private void route(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath(), method = ex.getRequestMethod();
        boolean get = method.equals("GET") || method.equals("HEAD");
        switch (path) {
            case "/", "/index.html" -> staticFile(ex, get, "board.html", "text/html; charset=utf-8");
            case "/board.js" -> staticFile(ex, get, "board.js", "text/javascript; charset=utf-8");
            case "/board.css" -> staticFile(ex, get, "board.css", "text/css; charset=utf-8");
            case "/api/competition" -> sendJson(ex, need(get, ex), competitionJson());
            case "/api/board" -> sendJson(ex, need(get, ex), boardJson());
            case "/api/history" -> sendJson(ex, need(get, ex), historyJson(query(ex, "name")));
            case "/api/submissions" -> {
                if (!method.equals("POST")) throw new ApiError(405, "POST a submission to /api/submissions");
                String token = bearer(ex);
                Submission s = Submission.parse(body(ex), competition.size(), competition.classes());
                BoardStore.Accepted a = store.submit(competition, token, s.predictions(), s.config(), s.note());
                sendJson(ex, 201, Submission.JSON.createObjectNode().put("id", a.id()).put("name", a.participant()).put("publicScore", a.publicScore())
                        .put("today", a.today()).put("dailyLimit", a.dailyLimit()));
            }
            case "/api/join" -> {
                if (!method.equals("POST")) throw new ApiError(405, "POST {\"code\": ..., \"name\": ...} to /api/join");
                JsonNode j = joinBody(body(ex));
                String token = store.join(competition, j.get("code").textValue(), j.get("name").textValue());
                sendJson(ex, 201, Submission.JSON.createObjectNode().put("token", token));
            }
            default -> throw new ApiError(404, "no such page: " + Submission.shorten(path));
        }
    }

    private static int need(boolean get, HttpExchange ex) {
        if (!get) throw new ApiError(405, ex.getRequestMethod() + " is not allowed here: GET it");
        return 200;
    }

    /** The token from {@code Authorization: Bearer TOKEN}; 401 when missing. */
    private static String bearer(HttpExchange ex) {
        String h = ex.getRequestHeaders().getFirst("Authorization");
        if (h == null || !h.startsWith("Bearer ") || h.substring(7).isBlank()) {
            throw new ApiError(401, "missing token: send the header 'Authorization: Bearer TOKEN' with the token the organiser gave you");
        }
        return h.substring(7).strip();
    }

    /** The body, at most maxBody bytes: a larger Content-Length is refused unread, a longer stream as soon as it passes the limit. */
    private byte[] body(HttpExchange ex) throws IOException {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            long n;
            try {
                n = Long.parseLong(length.strip());
            } catch (NumberFormatException e) {
                throw new ApiError(400, "Content-Length '" + Submission.shorten(length) + "' is not a number");
            }
            if (n > maxBody) throw new ApiError(413, "body of " + n + " bytes is over the limit of " + maxBody + " bytes");
        }
        try (InputStream in = ex.getRequestBody()) {
            byte[] b = in.readNBytes(maxBody + 1);
            if (b.length > maxBody) throw new ApiError(413, "body is over the limit of " + maxBody + " bytes");
            return b;
        }
    }

    private static JsonNode joinBody(byte[] body) {
        JsonNode j;
        try {
            j = Submission.JSON.readTree(body);
        } catch (IOException e) {
            throw new ApiError(400, "malformed JSON: expected {\"code\": \"...\", \"name\": \"...\"}");
        }
        if (j == null || !j.isObject() || j.size() != 2 || !j.path("code").isTextual() || !j.path("name").isTextual()) {
            throw new ApiError(400, "expected {\"code\": \"...\", \"name\": \"...\"} and nothing else");
        }
        return j;
    }

    private static String query(HttpExchange ex, String key) {
        String q = ex.getRequestURI().getRawQuery();
        if (q != null) {
            for (String pair : q.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).equals(key)) return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        throw new ApiError(400, "missing query parameter '" + key + "'");
    }

    private ObjectNode competitionJson() {
        return Submission.JSON.createObjectNode().put("name", competition.name()).put("dataset", competition.dataset())
                .put("size", competition.size()).put("classes", competition.classes()).put("publicCount", competition.publicCount())
                .put("keep", competition.keep().word()).put("dailyLimit", competition.dailyLimit()).put("closed", store.isClosed(competition));
    }

    private ObjectNode boardJson() throws IOException {
        boolean closed = store.isClosed(competition);
        List<Standings.Line> lines = Standings.of(competition, closed, store.rows(competition, null));
        ObjectNode o = competitionJson().put("closed", closed);
        ArrayNode a = o.putArray("lines");
        for (Standings.Line l : lines) {
            ObjectNode n = a.addObject().put("rank", l.rank()).put("publicRank", l.publicRank()).put("name", l.name()).put("score", l.score())
                    .put("submissions", l.submissions()).put("last", l.last()).put("submissionId", l.submissionId());
            if (l.privateScore() != null) n.put("privateScore", l.privateScore());
            n.set("config", Submission.JSON.readTree(l.config()));
        }
        return o;
    }

    private ObjectNode historyJson(String name) throws IOException {
        boolean closed = store.isClosed(competition);
        List<BoardStore.Row> rows = store.rows(competition, name);
        if (rows.isEmpty() && !store.participants(competition).contains(name)) throw new ApiError(404, "no participant named '" + Submission.shorten(name) + "'");
        ObjectNode o = Submission.JSON.createObjectNode().put("name", name);
        ArrayNode a = o.putArray("submissions");
        for (BoardStore.Row r : rows) {
            ObjectNode n = a.addObject().put("id", r.id()).put("time", r.created()).put("score", r.publicScore()).put("note", r.note());
            if (closed) n.put("privateScore", r.privateScore());
            n.set("config", Submission.JSON.readTree(r.config()));
        }
        return o;
    }

    private void staticFile(HttpExchange ex, boolean get, String name, String type) throws IOException {
        need(get, ex);
        byte[] b;
        try (InputStream in = BoardServer.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("the page's file " + name + " is missing from the jar");
            b = in.readAllBytes();
        }
        ex.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'");
        send(ex, 200, type, b);
    }

    private static void sendJson(HttpExchange ex, int status, JsonNode body) throws IOException {
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        send(ex, status, "application/json; charset=utf-8", body.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        http.stop(0);
        threads.shutdownNow();
    }
}
