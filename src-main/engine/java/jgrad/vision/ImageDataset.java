package jgrad.vision;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import jgrad.data.Batch;
import jgrad.data.Dataset;
import jgrad.data.EpochAware;
import jgrad.data.Sample;
import jgrad.tensor.Device;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;

/**
 * Pictures on disk with class labels: {@link #imageFolder} (one folder per class, as torchvision's
 * ImageFolder) or {@link #csv} (an annotations file naming each image and its label, the tutorial's
 * camera-trap setup). PNG and JPEG are decoded with {@code javax.imageio} and turned into CHW floats
 * (ToTensor), then the transform runs with a generator seeded by (seed, epoch, index): the same
 * augmentation in every run and for any number of loader workers.
 */
public final class ImageDataset implements Dataset, EpochAware {
    private final List<Path> files;
    private final List<String> rows;    // where each file came from, for messages ("row 12 of labels.csv")
    private final int[] labels;
    private final List<String> classes;
    private final Transform transform;
    private final long seed;
    private final int skipped;
    private volatile int epoch;
    private Path cacheDir;          // see cache()
    private Transform preprocess;   // deterministic, cached
    private Path[] entries;         // each image's cache file, found on first use
    private final java.util.concurrent.atomic.AtomicLong cacheHits = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong cacheRepairs = new java.util.concurrent.atomic.AtomicLong();

    private ImageDataset(List<Path> files, List<String> rows, int[] labels, List<String> classes, Transform transform, long seed,
                         int skipped) {
        this.files = List.copyOf(files);
        this.rows = List.copyOf(rows);
        this.labels = labels;
        this.classes = List.copyOf(classes);
        this.transform = transform;
        this.seed = seed;
        this.skipped = skipped;
    }

    /** One subfolder per class, named by it (classes sorted by name); the images in each, sorted. */
    public static ImageDataset imageFolder(Path root, Transform transform, long seed) throws IOException {
        if (!Files.isDirectory(root)) throw new IOException("ImageFolder: " + root + " is not a folder");
        List<String> classes;
        try (Stream<Path> s = Files.list(root)) {
            classes = s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        }
        if (classes.isEmpty()) throw new IOException("ImageFolder: " + root + " has no class subfolders");
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            try (Stream<Path> s = Files.list(root.resolve(classes.get(c)))) {
                for (Path p : s.filter(ImageDataset::isImage).sorted().toList()) {
                    files.add(p);
                    labels.add(c);
                }
            }
        }
        return new ImageDataset(files, files.stream().map(Path::toString).toList(), labels.stream().mapToInt(Integer::intValue).toArray(),
                classes, transform, seed, 0);
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase();
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
    }

    /**
     * An annotations CSV (a header row, then one row per image) with a file column and a label
     * column; file names are resolved in {@code imageDir}. Labels are class names, indexed in sorted
     * order. With {@code skipBad}, rows whose image is missing or does not decode are left out and
     * counted ({@link #skipped}); otherwise the first such row is an error naming file and row.
     * The CSV is read by {@link LabelsCsv} (UTF-8, a byte-order mark allowed, no empty label); pictures by {@link PictureFile} (size limit, truncation and damage checks).
     */
    public static ImageDataset csv(Path csv, Path imageDir, String fileColumn, String labelColumn, Transform transform, long seed,
                                   boolean skipBad) throws IOException {
        List<Path> files = new ArrayList<>();
        List<String> rowNames = new ArrayList<>(), names = new ArrayList<>();
        int skipped = 0;
        for (LabelsCsv.Row row : LabelsCsv.read(csv, fileColumn, labelColumn)) {
            Path file = imageDir.resolve(row.file());
            if (skipBad && !decodes(file)) {
                skipped++;
                continue;
            }
            files.add(file);
            rowNames.add(row.where() + " (" + file + ")");
            names.add(row.label());
        }
        List<String> classes = new ArrayList<>(new TreeSet<>(names));
        Map<String, Integer> index = new TreeMap<>();
        for (int c = 0; c < classes.size(); c++) index.put(classes.get(c), c);
        int[] labels = names.stream().mapToInt(index::get).toArray();
        return new ImageDataset(files, rowNames, labels, classes, transform, seed, skipped);
    }

    private static boolean decodes(Path file) {
        try {
            PictureFile.read(file, file.toString());
            return true;
        } catch (PictureFile.BadPictureException e) {
            return false;
        }
    }

    /** Cells of one CSV line (see {@link LabelsCsv}). */
    static List<String> splitCsv(String line) {
        return LabelsCsv.splitCsv(line);
    }

    /** Class names by index. */
    public List<String> classes() {
        return classes;
    }

    /** The picture file of sample {@code index}. */
    public Path file(int index) {
        return files.get(index);
    }

    /** Rows left out by {@code skipBad} because their image was missing or corrupt. */
    public int skipped() {
        return skipped;
    }

    @Override
    public void setEpoch(int epoch) {
        this.epoch = epoch;
    }

    @Override
    public int size() {
        return files.size();
    }

    @Override
    public int label(int index) {
        return labels[index];
    }

    /**
     * Keeps the output of a deterministic {@code preprocess} (e.g. a resize) on disk in {@code dir},
     * so that later epochs skip decoding and resizing (the tutorial's cached items); the random
     * transform runs after it, every time. An entry's name hashes the image's path, size and
     * modification time with the preprocessing's {@link Transform#key}: a changed image or
     * transform never reads a stale entry. Returns this dataset.
     */
    public ImageDataset cache(Path dir, Transform preprocess) throws IOException {
        if (preprocess.key() == null) {
            throw new IllegalArgumentException("cache: the preprocessing must be deterministic transforms (resize, crops, pad, "
                    + "normalize, grayscale, compose of those): random ones and lambdas have no cache key");
        }
        Files.createDirectories(dir);
        this.cacheDir = dir;
        this.preprocess = preprocess;
        this.entries = new Path[files.size()];
        return this;
    }

    /** Cache entries found damaged (checksum, size) or unreadable so far, and computed again. */
    public long cacheRepairs() {
        return cacheRepairs.get();
    }

    /** Images served from the disk cache so far. */
    public long cacheHits() {
        return cacheHits.get();
    }

    private Image decoded(int index) {
        if (cacheDir == null) return decode(index);
        Path entry = entries[index];
        if (entry == null) entries[index] = entry = entryFor(index);
        if (Files.exists(entry)) {
            try {
                Image cached = CacheEntry.read(entry);
                cacheHits.incrementAndGet();
                return cached;
            } catch (IOException e) {
                cacheRepairs.incrementAndGet();  // a damaged or unreadable entry: computed again and rewritten below
            }
        }
        Image img = preprocess.apply(decode(index), null);
        try {
            CacheEntry.write(entry, img);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cache: " + e.getMessage(), e);
        }
        return img;
    }

    /** The cache file of image {@code index}: a hash of its path, size, modification time and the preprocessing's key. */
    private Path entryFor(int index) {
        Path file = files.get(index);
        try {
            String id = file.toAbsolutePath() + "|" + Files.size(file) + "|" + Files.getLastModifiedTime(file).toMillis() + "|" + preprocess.key();
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(id.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return cacheDir.resolve(java.util.HexFormat.of().formatHex(digest, 0, 16) + ".img");
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("image " + rows.get(index) + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Decoded, preprocessed (cached) and transformed image {@code index} for the current epoch. */
    public Image image(int index) {
        Image img = decoded(index);
        if (transform == null) return img;
        Generator g = new Generator(seed * 0x9E3779B97F4A7C15L + epoch * 1_000_003L + index);
        return transform.apply(img, g);
    }

    private Image decode(int index) {
        // missing, a folder, too large, truncated or damaged: an error naming the file and row
        BufferedImage picture = PictureFile.read(files.get(index), rows.get(index));
        return Image.of(picture);
    }

    @Override
    public Sample get(int index) {
        Image img = image(index);
        return new Sample(Tensor.of(img.data(), img.c(), img.h(), img.w()), labels[index]);
    }

    @Override
    public Batch batch(int[] indices, Device device) {
        if (indices.length == 0) throw new IllegalArgumentException("an empty batch");
        Image first = image(indices[0]);
        int per = first.data().length;
        float[] x = jgrad.data.BatchBuffers.floats(indices.length * per), y = new float[indices.length];
        for (int i = 0; i < indices.length; i++) {
            Image img = i == 0 ? first : image(indices[i]);
            if (img.c() != first.c() || img.h() != first.h() || img.w() != first.w()) {
                throw new IllegalArgumentException("image " + rows.get(indices[i]) + " is " + img.c() + "×" + img.h() + "×" + img.w()
                        + " after the transform, image " + rows.get(indices[0]) + " " + first.c() + "×" + first.h() + "×" + first.w()
                        + ": add a Resize or crop so that a batch can be stacked");
            }
            System.arraycopy(img.data(), 0, x, i * per, per);
            y[i] = labels[indices[i]];
        }
        return new Batch(Tensor.of(device, x, indices.length, first.c(), first.h(), first.w()), Tensor.of(device, y, indices.length));
    }

    @Override
    public String toString() {
        return "ImageDataset(" + files.size() + " images, classes " + classes + (skipped > 0 ? ", " + skipped + " skipped" : "") + ")";
    }
}
