package jgrad.leaderboard;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Concurrent clients for the load and kill tests: client k submits, one request at a time, seeded
 * random predictions with the note "k-i", and records what came back: the accepted submissions
 * (id, scores expected from the predictions sent), the ones whose reply never came (the server was
 * killed: their fate is unknown), and each request's latency. Bounded in count and time.
 */
final class LoadClients {
    /** One sent submission: its predictions and, once answered with success, its id. */
    record Sent(String participant, String note, int[] predictions, long id) {}

    final Map<String, Sent> accepted = new ConcurrentHashMap<>();
    final Map<String, Sent> unknown = new ConcurrentHashMap<>();
    final List<String> refused = new CopyOnWriteArrayList<>();
    final List<Long> latenciesNanos = new CopyOnWriteArrayList<>();
    final AtomicInteger successes = new AtomicInteger();
    final AtomicBoolean stop = new AtomicBoolean();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * Runs {@code clients} clients of {@code each} submissions against the port, the participants'
     * tokens in {@code tokens} (client k uses tokens[k]); returns the wall time in seconds.
     */
    double run(int port, Competition c, String[] names, String[] tokens, int each, int timeoutSeconds) throws InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + port + "/api/submissions");
        long t0 = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(tokens.length)) {
            for (int k = 0; k < tokens.length; k++) {
                int client = k;
                pool.submit(() -> {
                    SplittableRandom r = new SplittableRandom(1000 + client);
                    for (int i = 0; i < each && !stop.get(); i++) {
                        int[] p = new int[c.size()];
                        for (int j = 0; j < p.length; j++) p[j] = r.nextInt(4) == 0 ? c.labels()[j] : r.nextInt(10);
                        String note = client + "-" + i;
                        Sent s = new Sent(names[client], note, p, -1);
                        long t = System.nanoTime();
                        try {
                            HttpResponse<String> resp = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                                    .header("Authorization", "Bearer " + tokens[client])
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(Submission.body(p, "{\"client\":" + client + "}", note))).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            latenciesNanos.add(System.nanoTime() - t);
                            if (resp.statusCode() == 201) {
                                long id = Submission.JSON.readTree(resp.body()).get("id").asLong();
                                accepted.put(note, new Sent(names[client], note, p, id));
                                successes.incrementAndGet();
                            } else {
                                refused.add(note + ": " + resp.statusCode() + " " + resp.body());
                            }
                        } catch (Exception e) {
                            unknown.put(note, s);  // no reply: stored or not, but never half
                            if (stop.get()) return;
                            try {
                                Thread.sleep(20);
                            } catch (InterruptedException ie) {
                                return;
                            }
                        }
                    }
                });
            }
            pool.shutdown();
            if (!pool.awaitTermination(timeoutSeconds, TimeUnit.SECONDS)) {
                stop.set(true);
                pool.shutdownNow();
                throw new AssertionError("the clients did not finish within " + timeoutSeconds + " s");
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** The q-quantile (0..1) of the latencies, in milliseconds. */
    double percentileMillis(double q) {
        long[] l = latenciesNanos.stream().mapToLong(Long::longValue).sorted().toArray();
        return l[Math.min(l.length - 1, (int) Math.ceil(q * l.length) - 1)] / 1e6;
    }
}
