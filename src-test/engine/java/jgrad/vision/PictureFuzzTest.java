package jgrad.vision;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.awt.image.BufferedImage;
import jgrad.Mutations;
import org.junit.jupiter.api.Test;

/**
 * Fuzzing the picture decoding entry ({@link PictureFile#decode}, which {@link ImageDataset}
 * reads every PNG and JPEG through): any bytes give a picture within the pixel limit or a
 * {@link PictureFile.BadPictureException} naming the file, never another exception escaping
 * from {@code javax.imageio} (IIOException, IndexOutOfBounds, NegativeArraySize, OutOfMemory …).
 * The limit is one megapixel here.
 *
 * <p>In the suite: the seeds (resources/jgrad/vision/PictureFuzzTestInputs/picture) and 1,500
 * mutants of them. Coverage-guided, 1,000,000 inputs:
 * {@code JAZZER_FUZZ=1 mvn test -pl src-main/engine -Dtest=PictureFuzzTest#picture} (docs/reliability.md).
 */
class PictureFuzzTest {
    static final long LIMIT = 1_000_000;

    static void target(byte[] file) {
        try {
            BufferedImage picture = PictureFile.decode(file, "fuzz.png", LIMIT);
            if ((long) picture.getWidth() * picture.getHeight() > LIMIT) throw new AssertionError("a picture over the limit was decoded");
            Image.of(picture);  // and what the data set does next: ToTensor
        } catch (PictureFile.BadPictureException documented) {
            if (!documented.getMessage().startsWith("image fuzz.png ")) throw new AssertionError("an error without the file's name", documented);
        }
    }

    @FuzzTest(maxExecutions = 1_000_000, maxDuration = "3h")
    void picture(byte[] file) {
        target(file);
    }

    /**
     * The same with the ends mended: a PNG gets an IEND chunk and a JPEG an EOI marker appended, so
     * that PNGs pass the IEND check and JPEGs decode to their end in javax.imageio's decoder (which
     * Jazzer does not instrument, so it cannot steer towards it).
     */
    static void decoderTarget(byte[] file) {
        String format = PictureFile.formatOf(file);
        byte[] end = "png".equals(format) ? IEND : "jpeg".equals(format) ? EOI : new byte[0];
        byte[] mended = java.util.Arrays.copyOf(file, file.length + end.length);
        System.arraycopy(end, 0, mended, file.length, end.length);
        target(mended);
    }

    private static final byte[] IEND = {0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xAE, 0x42, 0x60, (byte) 0x82};
    private static final byte[] EOI = {(byte) 0xFF, (byte) 0xD9};

    @FuzzTest(maxExecutions = 1_000_000, maxDuration = "3h")
    void decoder(byte[] file) {
        decoderTarget(file);
    }

    @Test
    void mutantsWithTheirEndsMendedReachTheDecoderAndGiveOnlyTheDocumentedError() {
        assertThat(Mutations.run(Mutations.seeds(PictureFuzzTest.class, "decoder"), 1500, 31, PictureFuzzTest::decoderTarget)).isEqualTo(1504);
    }

    @Test
    void mutantsOfValidPicturesGiveOnlyTheDocumentedError() {
        assertThat(Mutations.run(Mutations.seeds(PictureFuzzTest.class, "picture"), 1500, 23, PictureFuzzTest::target)).isEqualTo(1504);
    }
}
