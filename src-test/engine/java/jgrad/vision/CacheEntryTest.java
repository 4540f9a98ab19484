package jgrad.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import jgrad.tensor.DamagedFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The preprocessed-image cache: checksummed entries; a damaged one is detected and computed again (issue #17 group 2). */
class CacheEntryTest {
    @TempDir Path dir;

    @Test
    void anEntryComesBackAndEveryDamageIsDetected() throws IOException {
        Image img = new Image(1, 2, 3, new float[] {0f, 0.25f, 0.5f, 0.75f, 1f, -1f});
        Path f = dir.resolve("e.img");
        CacheEntry.write(f, img);
        assertThat(CacheEntry.read(f).data()).containsExactly(img.data());
        byte[] good = Files.readAllBytes(f);
        for (int i = 0; i < good.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] bad = good.clone();
                bad[i] ^= (byte) (1 << bit);
                Files.write(f, bad);
                int at = i, b = bit;
                assertThatThrownBy(() -> CacheEntry.read(f)).as("byte %d bit %d", at, b).isInstanceOf(DamagedFileException.class);
            }
        }
        Files.write(f, java.util.Arrays.copyOf(good, 30));
        assertThatThrownBy(() -> CacheEntry.read(f)).hasMessageContaining("but the file has 30 bytes");
    }

    @Test
    void theDatasetServesAFreshImageInsteadOfADamagedEntry() throws IOException {
        Path root = dir.resolve("images");
        for (String cls : new String[] {"a", "b"}) {
            Files.createDirectories(root.resolve(cls));
            BufferedImage bi = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 8; y++) for (int x = 0; x < 8; x++) bi.setRGB(x, y, cls.equals("a") ? x * 30 << 16 : y * 30 << 8);
            ImageIO.write(bi, "png", root.resolve(cls).resolve("1.png").toFile());
        }
        Path cache = dir.resolve("cache");
        ImageDataset d = ImageDataset.imageFolder(root, null, 1).cache(cache, Transforms.resize(4, 4));
        float[] fresh = d.image(0).data();
        Path entry;
        try (Stream<Path> s = Files.list(cache)) {
            entry = s.collect(java.util.stream.Collectors.toList()).getFirst();  // the only file: image 0's entry
        }
        byte[] b = Files.readAllBytes(entry);
        b[16] ^= 0x40;  // the exponent of the first value
        Files.write(entry, b);
        ImageDataset again = ImageDataset.imageFolder(root, null, 1).cache(cache, Transforms.resize(4, 4));
        assertThat(again.image(0).data()).as("computed again, not the damaged value").containsExactly(fresh);
        assertThat(again.cacheRepairs()).as("the damaged entry was detected").isEqualTo(1);
        assertThat(again.cacheHits()).isZero();
        assertThat(CacheEntry.read(entry).data()).as("and rewritten").containsExactly(fresh);
        assertThat(again.image(0).data()).containsExactly(fresh);
        assertThat(again.cacheHits()).isEqualTo(1);
    }
}
