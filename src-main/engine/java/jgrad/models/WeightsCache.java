package jgrad.models;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import jgrad.tensor.AtomicFile;

/**
 * Weights files fetched from a URL once and kept in a cache folder, like torch.hub's checkpoint
 * cache: {@link #fetch} returns the cached file when its SHA-256 is the one given, and otherwise
 * downloads it, with a progress line, checking the SHA-256 of the bytes as they arrive. The file is
 * written through {@link AtomicFile}: a failed or interrupted download, or one whose SHA-256 is wrong,
 * leaves nothing under the final name (and any older file as it was).
 * <pre>{@code
 * Path w = WeightsCache.defaultCache().fetch(URI.create(url), "f37072fd…", System.err);
 * ResNet net = Models.resnet18(1000, w);
 * }</pre>
 * The default folder is {@code ~/.cache/jgrad/weights}, or {@code -Djgrad.weights.cache=DIR}.
 * Only http and https URLs; the SHA-256 is required (a weights file is code-free data, but a wrong
 * one would still give wrong answers silently).
 *
 * <p>Checked by: {@code jgrad.models.WeightsCacheTest} (a loopback HTTP server started by the test).
 */
public final class WeightsCache {
    /** System property that sets the default cache folder. */
    public static final String FOLDER_PROPERTY = "jgrad.weights.cache";
    private final Path folder;

    public WeightsCache(Path folder) {
        this.folder = folder;
    }

    /** The cache in {@code -Djgrad.weights.cache}, else {@code ~/.cache/jgrad/weights}. */
    public static WeightsCache defaultCache() {
        String dir = System.getProperty(FOLDER_PROPERTY);
        return new WeightsCache(dir != null ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".cache", "jgrad", "weights"));
    }

    public Path folder() {
        return folder;
    }

    /**
     * The file at {@code url}, from the cache when a file of that name there has SHA-256
     * {@code sha256} (64 hex digits), else downloaded into the cache; progress goes to
     * {@code progress} (null: quiet).
     *
     * @throws IOException naming the URL: an HTTP error status, a failed transfer, or a SHA-256 that differs
     * @throws IllegalArgumentException for a URL that is not http(s) or names no file, or a malformed SHA-256
     */
    public Path fetch(URI url, String sha256, PrintStream progress) throws IOException {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException(url + ": only http and https URLs can be downloaded");
        }
        if (sha256 == null || !sha256.matches("[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException(url + ": give the file's SHA-256 as 64 hex digits, not " + sha256);
        }
        String path = url.getPath() == null ? "" : url.getPath();
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (name.isEmpty() || name.startsWith(".") || !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException(url + ": its path names no file to cache (" + (name.isEmpty() ? "empty" : name) + ")");
        }
        Path target = folder.resolve(name);
        String expected = sha256.toLowerCase(Locale.ROOT);
        if (Files.isRegularFile(target) && sha256Of(target).equals(expected)) return target;
        download(url, target, expected, progress);
        return target;
    }

    private static void download(URI url, Path target, String expected, PrintStream progress) throws IOException {
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(30)).build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(url + ": the download was interrupted", e);
        } catch (IOException e) {
            throw new IOException(url + ": cannot download (" + e.getMessage() + ")", e);
        }
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException(url + ": the server answered HTTP " + response.statusCode() + "; nothing was saved");
            }
            long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            AtomicFile.write(target, file -> {
                MessageDigest digest = sha256();
                Progress bar = new Progress(progress, target.getFileName().toString(), total);
                OutputStream counted = new FilterOutputStream(new DigestOutputStream(file, digest)) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);  // FilterOutputStream's own field: the digesting stream
                        bar.add(len);
                    }
                };
                in.transferTo(counted);
                counted.flush();
                bar.done();
                String actual = HexFormat.of().formatHex(digest.digest());
                if (!actual.equals(expected)) {  // thrown inside the write: the temporary file is deleted
                    throw new IOException("its SHA-256 is " + actual + ", not the expected " + expected
                            + ": the download is damaged or not the file meant");
                }
            });
        } catch (IOException e) {
            throw new IOException(url + ": " + e.getMessage(), e);
        }
    }

    /** The SHA-256 of a file, as 64 lowercase hex digits. */
    public static String sha256Of(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) digest.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);  // every JDK must have it
        }
    }

    /** A one-line progress display: percent and megabytes, redrawn at most every 1 %. */
    private static final class Progress {
        private final PrintStream out;
        private final String name;
        private final long total;
        private long done;
        private long shown = -1;

        Progress(PrintStream out, String name, long total) {
            this.out = out;
            this.name = name;
            this.total = total;
        }

        void add(long n) {
            done += n;
            long step = total > 0 ? done * 100 / total : done >> 20;  // percent, or whole MB when the size is unknown
            if (out != null && step != shown) {
                shown = step;
                out.print("\r" + line());
            }
        }

        void done() {
            if (out != null) out.println("\r" + line());
        }

        private String line() {
            return total > 0
                    ? String.format(Locale.ROOT, "downloading %s: %3d%% %.1f/%.1f MB", name, done * 100 / total, done / 1e6, total / 1e6)
                    : String.format(Locale.ROOT, "downloading %s: %.1f MB", name, done / 1e6);
        }
    }
}
