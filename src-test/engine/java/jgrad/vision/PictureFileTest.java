package jgrad.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import jgrad.tensor.Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pictures that would not fit, are cut short or are not files are refused, naming the file (issue #17, groups 5–7). */
class PictureFileTest {
    @TempDir Path dir;

    /** A w×h RGB picture of noise (noise keeps a JPEG long enough to cut), encoded as {@code format}. */
    static byte[] noise(String format, int w, int h, long seed) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Generator g = new Generator(seed);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, g.nextInt(1 << 24));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, format, out);
        return out.toByteArray();
    }

    /** A PNG whose IHDR says w×h (the CRC mended), with the pixel data of a 1×1 picture: a header-only "bomb". */
    static byte[] pngClaiming(int w, int h) throws IOException {
        byte[] png = noise("png", 1, 1, 1);
        ByteBuffer b = ByteBuffer.wrap(png);
        b.putInt(16, w).putInt(20, h);  // IHDR data starts at 16: signature (8), length (4), "IHDR" (4)
        CRC32 crc = new CRC32();
        crc.update(png, 12, 17);        // "IHDR" and its 13 data bytes
        b.putInt(29, (int) crc.getValue());
        return png;
    }

    @Test
    void aTruncatedJpegIsAnErrorNamingTheFile() throws IOException {
        // the probe: a JPEG cut to 700 bytes decoded without a word, 74% grey
        byte[] jpeg = noise("jpeg", 64, 64, 2);
        assertThat(jpeg.length).as("the whole JPEG").isGreaterThan(2000);
        Path cut = Files.write(dir.resolve("cut.jpg"), Arrays.copyOf(jpeg, 700));
        assertThatThrownBy(() -> PictureFile.read(cut, cut.toString()))
                .isInstanceOf(PictureFile.BadPictureException.class)
                .hasMessageStartingWith("image " + cut + " is truncated: a JPEG file ends with the EOI marker FF D9, this one "
                        + "(700 bytes) does not (the decoder: Truncated File - Missing EOI marker");
        assertThat(PictureFile.read(Files.write(dir.resolve("whole.jpg"), jpeg), "whole.jpg").getWidth()).isEqualTo(64);
    }

    @Test
    void dataAfterTheEndIsAllowed() throws IOException {
        // a "motion photo" JPEG carries its video after EOI; some tools append data after a PNG's IEND
        byte[] jpeg = noise("jpeg", 16, 16, 7), png = noise("png", 16, 16, 8), tail = "ftypmp42 and a video".getBytes();
        byte[] motion = Arrays.copyOf(jpeg, jpeg.length + tail.length), pngPlus = Arrays.copyOf(png, png.length + tail.length);
        System.arraycopy(tail, 0, motion, jpeg.length, tail.length);
        System.arraycopy(tail, 0, pngPlus, png.length, tail.length);
        assertThat(PictureFile.decode(motion, "motion.jpg", PictureFile.DEFAULT_MAX_PIXELS).getWidth()).isEqualTo(16);
        assertThat(PictureFile.decode(pngPlus, "plus.png", PictureFile.DEFAULT_MAX_PIXELS).getWidth()).isEqualTo(16);
    }

    @Test
    void aTruncatedPngIsAnError() throws IOException {
        byte[] png = noise("png", 32, 32, 3);  // cut in its pixel data: no IEND chunk
        Path cut = Files.write(dir.resolve("cut.png"), Arrays.copyOf(png, png.length / 2));
        assertThatThrownBy(() -> PictureFile.read(cut, "cut.png"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("image cut.png is truncated: a PNG file ends with an IEND chunk");
    }

    @Test
    void aDamagedMiddleIsAnErrorNotAGreyPicture() throws IOException {
        byte[] png = noise("png", 32, 32, 4);
        for (int i = 60; i < 200; i++) png[i] = 0x55;  // the compressed pixels overwritten, the ends intact
        assertThatThrownBy(() -> PictureFile.decode(png, "bad.png", PictureFile.DEFAULT_MAX_PIXELS))
                .isInstanceOf(PictureFile.BadPictureException.class).hasMessageStartingWith("image bad.png is damaged: ");
    }

    @Test
    void aPictureLargerThanTheLimitIsRefusedFromItsHeader() throws IOException {
        // the probe: a 48-megapixel PNG ended in OutOfMemoryError on the 512 MB heap
        Path big = Files.write(dir.resolve("big.png"), pngClaiming(8000, 6000));
        assertThatThrownBy(() -> PictureFile.read(big, "big.png"))
                .isInstanceOf(PictureFile.BadPictureException.class)
                .hasMessageStartingWith("image big.png is 8000×6000 = 48.0 megapixels, more than the limit of 16.0 megapixels");
        assertThatThrownBy(() -> PictureFile.read(big, "big.png", 100))
                .hasMessageContaining("limit of 0.0 megapixels");
    }

    @Test
    void aMissingFileAndAFolderSaySo() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("sub.png"));
        assertThatThrownBy(() -> PictureFile.read(folder, "sub.png"))
                .hasMessage("image sub.png is a folder: expected a PNG or JPEG file");
        assertThatThrownBy(() -> PictureFile.read(dir.resolve("none.png"), "none.png"))
                .hasMessage("image none.png: no such file (expected a PNG or JPEG file)");
        Path text = Files.writeString(dir.resolve("text.png"), "hello");
        assertThatThrownBy(() -> PictureFile.read(text, "text.png")).hasMessage("image text.png is not a PNG or JPEG file");
    }

    @Test
    void theLimitIsASystemProperty() {
        System.setProperty("jgrad.maxImagePixels", "1000");
        try {
            assertThat(PictureFile.maxPixels()).isEqualTo(1000);
            System.setProperty("jgrad.maxImagePixels", "-3");
            assertThatThrownBy(PictureFile::maxPixels).hasMessageContaining("-Djgrad.maxImagePixels=-3");
        } finally {
            System.clearProperty("jgrad.maxImagePixels");
        }
        assertThat(PictureFile.maxPixels()).isEqualTo(PictureFile.DEFAULT_MAX_PIXELS);
    }

    @Test
    void aTruncatedPictureInACsvIsSkippedAndCountedWithSkipBad() throws IOException {
        Files.write(dir.resolve("a.png"), noise("png", 4, 4, 5));
        Files.write(dir.resolve("b.jpg"), Arrays.copyOf(noise("jpeg", 64, 64, 6), 700));
        Path csv = Files.writeString(dir.resolve("labels.csv"), "file,label\na.png,x\nb.jpg,y\n");
        ImageDataset kept = ImageDataset.csv(csv, dir, "file", "label", null, 1, true);
        assertThat(kept.size()).isEqualTo(1);
        assertThat(kept.skipped()).isEqualTo(1);
        ImageDataset strict = ImageDataset.csv(csv, dir, "file", "label", null, 1, false);
        assertThatThrownBy(() -> strict.get(1)).hasMessageContaining("row 3 of " + csv).hasMessageContaining("is truncated");
    }
}
