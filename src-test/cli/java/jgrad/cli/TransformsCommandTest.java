package jgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import jgrad.data.mnist.MnistFixtures;
import jgrad.vision.TransformSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** ./jgrad transforms: the grid of augmented samples, the grid of predictions, and the transform language. */
class TransformsCommandTest {
    @TempDir Path dir;

    @Test
    void drawsAGridOfAugmentedSamplesAndOneOfPredictions() throws IOException {
        Path data = MnistFixtures.writeBars(dir.resolve("data"), 120, false);
        Path grid = dir.resolve("grid.png");
        assertThat(new CommandLine(new TransformsCommand()).execute("--data", data.toString(), "--out", grid.toString(),
                "--transform", "RandomRotation(20),RandomCrop(28,2),RandomHorizontalFlip(0.5)", "--count", "6", "--cols", "3")).isZero();
        BufferedImage g = ImageIO.read(grid.toFile());
        // 28-pixel images scaled ×3 = 84, plus 20 and 30 pixels of margin and caption per cell
        assertThat(g.getWidth()).isEqualTo(3 * (84 + 20));
        assertThat(g.getHeight()).isEqualTo(2 * (84 + 30));

        Path out = dir.resolve("train");
        assertThat(new CommandLine(new TrainCommand()).execute("--data", data.toString(), "--model", "mlp", "--epochs", "2",
                "--val-size", "20", "--batch-size", "16", "--out", out.toString())).isZero();
        Path pred = dir.resolve("pred.png");
        assertThat(new CommandLine(new TransformsCommand()).execute("--data", data.toString(), "--predictions",
                out.resolve("best-model.jgrad").toString(), "--model", "mlp", "--out", pred.toString(), "--count", "4", "--cols", "2")).isZero();
        assertThat(ImageIO.read(pred.toFile()).getWidth()).isEqualTo(2 * (84 + 20));
    }

    @Test
    void theTransformLanguageNamesItsMistakes() {
        assertThat(TransformSpec.parse("Resize(32, 30), CenterCrop(28), RandomHorizontalFlip()").key()).isNull();
        assertThat(TransformSpec.parse("Resize(32,30),CenterCrop(28)").key()).isEqualTo("compose(resize(32,30);centerCrop(28,28);)");
        assertThatThrownBy(() -> TransformSpec.parse("Rezise(32)")).hasMessageContaining("unknown transform 'Rezise(32)'").hasMessageContaining("Resize(size)");
        assertThatThrownBy(() -> TransformSpec.parse("RandomRotation()")).hasMessageContaining("needs at least 1 argument");
        assertThatThrownBy(() -> TransformSpec.parse("Resize(big)")).hasMessageContaining("'big' is not a number");
    }

    @Test
    void drawsAnImageFolderWithClassNames() throws IOException {
        for (String cls : new String[] {"cat", "dog"}) {
            Path folder = java.nio.file.Files.createDirectories(dir.resolve("pics").resolve(cls));
            for (int i = 0; i < 3; i++) ImageIO.write(new BufferedImage(20, 16, BufferedImage.TYPE_INT_RGB), "png", folder.resolve(i + ".png").toFile());
        }
        Path grid = dir.resolve("pics.png");
        assertThat(new CommandLine(new TransformsCommand()).execute("--images", dir.resolve("pics").toString(), "--transform", "Resize(32,40)",
                "--count", "4", "--cols", "2", "--out", grid.toString())).isZero();
        assertThat(ImageIO.read(grid.toFile()).getWidth()).as("40 columns scaled ×2, plus margins").isEqualTo(2 * (80 + 20));
    }
}
