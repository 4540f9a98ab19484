package jgrad.data.mnist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
    @TempDir Path dir;

    @Test
    void readsRawAndGzipTheSame() throws IOException {
        byte[] data = {1, 2, 3, 4, 5, 6};
        byte[] raw = MnistFixtures.idx(new int[] {2, 3}, data);
        Files.write(dir.resolve("a"), raw);
        Files.write(dir.resolve("a.gz"), MnistFixtures.gzip(raw));
        Idx plain = Idx.read(dir.resolve("a"), 2), gz = Idx.read(dir.resolve("a.gz"), 2);
        assertThat(plain.dims()).containsExactly(2, 3);
        assertThat(plain.data()).containsExactly(data);
        assertThat(gz.dims()).containsExactly(2, 3);
        assertThat(gz.data()).containsExactly(data);
    }

    @Test
    void badMagicNumberIsNamed() throws IOException {
        byte[] raw = MnistFixtures.idx(new int[] {2, 3}, new byte[6]);
        raw[2] = 0x0D;  // float data, not unsigned bytes
        Files.write(dir.resolve("f"), raw);
        assertThatThrownBy(() -> Idx.read(dir.resolve("f"), 2))
                .isInstanceOf(IOException.class).hasMessageContaining("bad IDX magic number").hasMessageContaining("f");
    }

    @Test
    void wrongRankIsRejected() throws IOException {
        Files.write(dir.resolve("labels"), MnistFixtures.idx(new int[] {6}, new byte[6]));
        assertThatThrownBy(() -> Idx.read(dir.resolve("labels"), 3)).hasMessageContaining("3 dimensions");
    }

    @Test
    void truncatedFileSaysHowShort() throws IOException {
        byte[] raw = MnistFixtures.idx(new int[] {10, 28, 28}, new byte[7840]);
        Files.write(dir.resolve("t"), Arrays.copyOf(raw, raw.length - 100));
        assertThatThrownBy(() -> Idx.read(dir.resolve("t"), 3))
                .hasMessageContaining("truncated").hasMessageContaining(String.valueOf(raw.length));
    }

    @Test
    void truncatedGzipIsReported() throws IOException {
        byte[] gz = MnistFixtures.gzip(MnistFixtures.idx(new int[] {100, 28, 28}, new byte[78400]));
        Files.write(dir.resolve("t.gz"), Arrays.copyOf(gz, gz.length / 2));
        assertThatThrownBy(() -> Idx.read(dir.resolve("t.gz"), 3)).hasMessageContaining("truncated");
    }

    @Test
    void missingFileIsNamed() {
        assertThatThrownBy(() -> Idx.read(dir.resolve("nope"), 1)).hasMessageContaining("not found").hasMessageContaining("nope");
    }
}
