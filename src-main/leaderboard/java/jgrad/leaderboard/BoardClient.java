package jgrad.leaderboard;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The participant's side: what {@code ./jgrad leaderboard submit} and {@code --submit} on
 * {@code train} and {@code tune} call. Asks the server for the competition (its test-set size and
 * classes, to check predictions before sending), then posts them with the token. A refusal
 * becomes an IllegalArgumentException carrying the server's one-line reason and its status.
 */
public final class BoardClient {
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** What the server says about its competition. */
    public record Info(String name, String dataset, int size, int classes, boolean closed) {}

    /** A stored submission: its id and public score. */
    public record Receipt(long id, String name, double publicScore, int today, int dailyLimit) {}

    public BoardClient(String url) {
        String u = url.endsWith("/") ? url : url + "/";
        try {
            base = URI.create(u);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("leaderboard URL '" + url + "' is not a URL");
        }
        if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme()) || base.getHost() == null) {
            throw new IllegalArgumentException("leaderboard URL '" + url + "' must be http://HOST:PORT or https://HOST");
        }
    }

    public Info competition() {
        JsonNode j = call(HttpRequest.newBuilder(base.resolve("api/competition")).GET(), "asking for the competition");
        return new Info(j.path("name").asText(), j.path("dataset").asText(), j.path("size").asInt(), j.path("classes").asInt(), j.path("closed").asBoolean());
    }

    /** Sends predictions (config: a JSON object's text or null; note or null). */
    public Receipt submit(String token, int[] predictions, String config, String note) {
        if (token == null || token.isBlank()) throw new IllegalArgumentException("--token is needed: the organiser gives each participant one");
        byte[] body = Submission.body(predictions, config, note);
        JsonNode j = call(HttpRequest.newBuilder(base.resolve("api/submissions")).header("Authorization", "Bearer " + token.strip())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)), "submitting");
        return new Receipt(j.path("id").asLong(), j.path("name").asText(), j.path("publicScore").asDouble(), j.path("today").asInt(), j.path("dailyLimit").asInt());
    }

    /** Reads a prediction file (CSV index,label) checked against the server's competition, and submits it. */
    public Receipt submitFile(String token, Path file, String config, String note) {
        Info c = competition();
        return submit(token, PredictionsFile.read(file, c.size(), c.classes()), config, note);
    }

    private JsonNode call(HttpRequest.Builder r, String doing) {
        HttpResponse<byte[]> resp;
        try {
            resp = http.send(r.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (java.net.ConnectException e) {  // the JDK's client gives it no message
            throw new IllegalArgumentException("cannot reach the leaderboard at " + base + " (" + doing + "): connection refused or no route");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot reach the leaderboard at " + base + " (" + doing + "): " + BoardStore.oneLine(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + doing);
        }
        JsonNode j;
        try {
            j = Submission.JSON.readTree(resp.body());
        } catch (IOException e) {
            throw new IllegalArgumentException("the leaderboard at " + base + " answered " + resp.statusCode() + " with something that is not JSON");
        }
        if (resp.statusCode() / 100 != 2) {
            throw new IllegalArgumentException("the leaderboard at " + base + " refused (" + resp.statusCode() + "): " + (j == null ? "" : j.path("error").asText()));
        }
        return j;
    }
}
