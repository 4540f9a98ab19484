package jgrad.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import jgrad.tensor.Safetensors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downloading weights once into a cache, against an HTTP server on the loopback address that the
 * test starts (these machines reach no weight hub): progress shown, SHA-256 checked, nothing saved
 * from a bad download, the second fetch served from the cache, and the file loads into the model.
 */
class WeightsCacheTest {
    @TempDir Path dir;
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private byte[] weights;

    @BeforeEach
    void serve() throws IOException {
        Path f = dir.resolve("served.safetensors");
        Safetensors.save(Models.mobilenetV2(3, (Path) null).stateDict(), f);
        weights = Files.readAllBytes(f);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/w/", exchange -> {
            requests.incrementAndGet();
            byte[] body = exchange.getRequestURI().getPath().endsWith("/net.safetensors") ? weights : null;
            if (exchange.getRequestURI().getPath().endsWith("/cut.safetensors")) {  // the connection drops half-way
                exchange.sendResponseHeaders(200, weights.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(weights, 0, weights.length / 2);
                }
                return;
            }
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI url(String file) {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort() + "/w/" + file);
    }

    private static String sha256(byte[] b) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void downloadsOnceWithProgressThenServesTheCache() throws Exception {
        WeightsCache cache = new WeightsCache(dir.resolve("cache"));
        ByteArrayOutputStream shown = new ByteArrayOutputStream();
        Path got = cache.fetch(url("net.safetensors"), sha256(weights), new PrintStream(shown, true, StandardCharsets.UTF_8));
        assertThat(got).isEqualTo(dir.resolve("cache/net.safetensors"));
        assertThat(Files.readAllBytes(got)).isEqualTo(weights);
        assertThat(shown.toString(StandardCharsets.UTF_8)).contains("downloading net.safetensors:", "100%");
        assertThat(requests.get()).isEqualTo(1);
        assertThat(cache.fetch(url("net.safetensors"), sha256(weights).toUpperCase(), null)).isEqualTo(got);
        assertThat(requests.get()).as("the second fetch is served from the cache").isEqualTo(1);
        MobileNetV2 net = Models.mobilenetV2(3, got);
        assertThat(net.stateDict().get("classifier.1.weight").toFloatArray())
                .containsExactly(Safetensors.load(got).get("classifier.1.weight").toFloatArray());
    }

    @Test
    void aCachedFileWithAnotherHashIsDownloadedAgain() throws Exception {
        WeightsCache cache = new WeightsCache(dir.resolve("cache"));
        Files.createDirectories(cache.folder());
        Files.writeString(cache.folder().resolve("net.safetensors"), "stale");
        Path got = cache.fetch(url("net.safetensors"), sha256(weights), null);
        assertThat(Files.readAllBytes(got)).isEqualTo(weights);
        assertThat(requests.get()).isEqualTo(1);
    }

    @Test
    void aWrongHashSavesNothingAndSaysBothHashes() throws Exception {
        WeightsCache cache = new WeightsCache(dir.resolve("cache"));
        String wrong = "0".repeat(64);
        assertThatThrownBy(() -> cache.fetch(url("net.safetensors"), wrong, null)).isInstanceOf(IOException.class)
                .hasMessageContainingAll(url("net.safetensors").toString(), "SHA-256 is " + sha256(weights), wrong);
        try (var files = Files.list(cache.folder())) {
            assertThat(files).as("no file and no temporary left").isEmpty();
        }
    }

    @Test
    void httpErrorsCutDownloadsAndBadArgumentsAreClearErrors() throws Exception {
        WeightsCache cache = new WeightsCache(dir.resolve("cache"));
        String sha = sha256(weights);
        assertThatThrownBy(() -> cache.fetch(url("missing.safetensors"), sha, null)).isInstanceOf(IOException.class)
                .hasMessageContainingAll("missing.safetensors", "HTTP 404");
        assertThatThrownBy(() -> cache.fetch(url("cut.safetensors"), sha, null)).isInstanceOf(IOException.class)
                .hasMessageContaining("cut.safetensors");
        assertThat(cache.folder().resolve("cut.safetensors")).doesNotExist();
        assertThatThrownBy(() -> cache.fetch(URI.create("file:///etc/passwd"), sha, null)).hasMessageContaining("only http and https");
        assertThatThrownBy(() -> cache.fetch(url("net.safetensors"), "abc", null)).hasMessageContaining("64 hex digits");
        assertThatThrownBy(() -> cache.fetch(url(""), sha, null)).hasMessageContaining("names no file");
    }

    @Test
    void theDefaultFolderFollowsTheProperty() {
        String old = System.getProperty(WeightsCache.FOLDER_PROPERTY);
        try {
            System.setProperty(WeightsCache.FOLDER_PROPERTY, dir.toString());
            assertThat(WeightsCache.defaultCache().folder()).isEqualTo(dir);
        } finally {
            if (old == null) System.clearProperty(WeightsCache.FOLDER_PROPERTY);
            else System.setProperty(WeightsCache.FOLDER_PROPERTY, old);
        }
    }
}
