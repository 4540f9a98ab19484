package jgrad.data.mnist;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small synthetic MNIST-format files for tests (the real data set is never needed in CI). */
public final class MnistFixtures {
    private MnistFixtures() {}

    /** IDX bytes: magic 0x0000080N, the dims, then the data. */
    public static byte[] idx(int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.putInt(0x0800 | dims.length);
        for (int d : dims) b.putInt(d);
        b.put(data);
        return b.array();
    }

    public static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    /**
     * A tiny learnable "MNIST": class c is a bright horizontal bar at row 2c+4 plus a little noise;
     * n training and n/2 test images. Written raw or gzipped.
     */
    public static Path writeBars(Path dir, int n, boolean gz) throws IOException {
        Files.createDirectories(dir);
        write(dir, "train", n, 11, gz);
        write(dir, "t10k", n / 2, 22, gz);
        return dir;
    }

    private static void write(Path dir, String prefix, int n, long seed, boolean gz) throws IOException {
        java.util.Random r = new java.util.Random(seed);
        byte[] images = new byte[n * 784];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int c = i % 10;
            labels[i] = (byte) c;
            for (int p = 0; p < 784; p++) images[i * 784 + p] = (byte) r.nextInt(30);
            int row = 2 * c + 4;
            for (int col = 4; col < 24; col++) images[i * 784 + row * 28 + col] = (byte) 230;
        }
        byte[] img = idx(new int[] {n, 28, 28}, images), lab = idx(new int[] {n}, labels);
        String ext = gz ? ".gz" : "";
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte" + ext), gz ? gzip(img) : img);
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte" + ext), gz ? gzip(lab) : lab);
    }
}
