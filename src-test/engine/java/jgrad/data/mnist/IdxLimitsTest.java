package jgrad.data.mnist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX files that would not fit are refused by their header, before anything is inflated (issue #17, group 5). */
class IdxLimitsTest {
    @TempDir Path dir;

    /** An IDX header for {@code dims} followed by {@code zeros} zero bytes, gzipped as it is written (never held whole). */
    static byte[] gzipBomb(int[] dims, long zeros) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out, 1 << 16)) {
            ByteBuffer head = ByteBuffer.allocate(4 + 4 * dims.length).putInt(0x0800 | dims.length);
            for (int d : dims) head.putInt(d);
            gz.write(head.array());
            byte[] chunk = new byte[1 << 20];
            for (long left = zeros; left > 0; left -= chunk.length) gz.write(chunk, 0, (int) Math.min(chunk.length, left));
        }
        return out.toByteArray();
    }

    @Test
    void aGzipBombIsRefusedByItsHeaderBeforeInflating() throws IOException {
        // the probe: 1 MB of gzip that inflates to 1.2 GB ended in OutOfMemoryError on the 512 MB heap;
        // here 64 MB of zeros (64 KB of gzip) under a header saying 1,500,000 × 28 × 28 = 1.2 GB
        Path bomb = Files.write(dir.resolve("train-images-idx3-ubyte.gz"), gzipBomb(new int[] {1_500_000, 28, 28}, 64L << 20));
        assertThat(Files.size(bomb)).isLessThan(1 << 20);
        assertThatThrownBy(() -> Idx.read(bomb, 3))
                .isInstanceOf(IOException.class)
                .hasMessage(bomb + ": header says [1500000, 28, 28] → 1176000000 bytes of data, more than the limit of "
                        + "134217728 bytes (raise it with -Djgrad.maxIdxBytes, and the heap with -Xmx)");
    }

    @Test
    void aSmallHeaderOverAHugeStreamStopsOneByteAfterTheHeadersSize() throws IOException {
        Path bomb = Files.write(dir.resolve("b.gz"), gzipBomb(new int[] {10, 28, 28}, 16L << 20));
        assertThatThrownBy(() -> Idx.read(bomb, 3))
                .hasMessage(bomb + " is longer than its header says: header says [10, 28, 28] → 7856 bytes, file has at least 7857");
        System.setProperty("jgrad.maxIdxBytes", "1000000");  // the checksum's stream stops at the limit + the largest header
        try {
            assertThatThrownBy(() -> Idx.uncompressedSha256(bomb)).isInstanceOf(IOException.class)
                    .hasMessage(bomb + " inflates to more than 1001024 bytes, more than an IDX file within the limit of 1000000 "
                            + "bytes of data (raise it with -Djgrad.maxIdxBytes)");
        } finally {
            System.clearProperty("jgrad.maxIdxBytes");
        }
    }

    @Test
    void aRawFileShorterThanItsHeaderIsRefusedBeforeAllocating() throws IOException {
        // the header says 100 M bytes; the file has 16: refused by the file's length, no 100 MB array made
        ByteBuffer b = ByteBuffer.allocate(16).putInt(0x0803).putInt(100_000_000).putInt(1).putInt(1);
        Path raw = Files.write(dir.resolve("raw"), b.array());
        assertThatThrownBy(() -> Idx.read(raw, 3))
                .hasMessage(raw + " is truncated: header says [100000000, 1, 1] → 100000016 bytes, file has 16");
    }

    @Test
    void theLimitIsASystemPropertyAndAFolderIsNamed() throws IOException {
        Path ok = Files.write(dir.resolve("ok"), MnistFixtures.idx(new int[] {4, 5}, new byte[20]));
        System.setProperty("jgrad.maxIdxBytes", "10");
        try {
            assertThatThrownBy(() -> Idx.read(ok, 2)).hasMessageContaining("more than the limit of 10 bytes");
        } finally {
            System.clearProperty("jgrad.maxIdxBytes");
        }
        assertThat(Idx.read(ok, 2).dims()).containsExactly(4, 5);
        Path folder = Files.createDirectories(dir.resolve("folder"));
        assertThatThrownBy(() -> Idx.read(folder, 2)).hasMessage(folder + " is a folder: expected an MNIST IDX file");
    }
}
