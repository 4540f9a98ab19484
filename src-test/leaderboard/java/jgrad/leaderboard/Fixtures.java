package jgrad.leaderboard;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/** Test competitions with seeded random labels, and a bare HTTP helper that sends exactly what a test says. */
final class Fixtures {
    private Fixtures() {}

    static byte[] labels(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) r.nextInt(10);
        return b;
    }

    /** A competition of n random labels, half public (seed 7). */
    static Competition create(BoardStore s, String name, int n, Competition.Keep keep, int dailyLimit, String joinCode) {
        return s.create(name, "mnist", 10, labels(n, name.hashCode()), Competition.split(n, 0.5, 7), keep, dailyLimit, joinCode);
    }

    /** Predictions that get exactly {@code right} of the first items right and the rest wrong (label + 1 mod 10). */
    static int[] predictions(Competition c, boolean[] rightAt) {
        int[] p = new int[c.size()];
        for (int i = 0; i < p.length; i++) p[i] = rightAt[i] ? c.labels()[i] : (c.labels()[i] + 1) % 10;
        return p;
    }

    /** The accuracy on one part, counted the plain way. */
    static double accuracy(Competition c, int[] p, boolean publicPart) {
        int right = 0, count = 0;
        for (int i = 0; i < p.length; i++) {
            if (c.isPublic()[i] != publicPart) continue;
            count++;
            if (p[i] == c.labels()[i]) right++;
        }
        return (double) right / count;
    }

    static final HttpClient HTTP = HttpClient.newHttpClient();

    record Reply(int status, String body) {}

    static Reply post(int port, String path, String token, String body) throws IOException, InterruptedException {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (token != null) r.header("Authorization", "Bearer " + token);
        HttpResponse<String> resp = HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(resp.statusCode(), resp.body());
    }

    static Reply get(int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> resp = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(resp.statusCode(), resp.body());
    }
}
