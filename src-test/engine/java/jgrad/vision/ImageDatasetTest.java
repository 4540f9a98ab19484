package jgrad.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import jgrad.data.Batch;
import jgrad.data.DataLoader;
import jgrad.data.Samplers;
import jgrad.data.Splits;
import jgrad.data.Subset;
import jgrad.nn.CrossEntropyLoss;
import jgrad.nn.Sequential;
import jgrad.models.Mlp;
import jgrad.optim.Adam;
import jgrad.tensor.Generator;
import jgrad.train.History;
import jgrad.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline end to end: a folder of PNGs and a labels CSV (three imbalanced classes), split
 * stratified, rebalanced by weighted sampling, augmented and batched on worker threads, trained on.
 */
class ImageDatasetTest {
    @TempDir Path dir;

    /** An 8×8 grey picture of class c: a bright horizontal bar on rows 2c, 2c+1 (left–right flips keep the class). */
    static BufferedImage bars(int c, Generator g) {
        BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 8; y++)
            for (int x = 0; x < 8; x++) {
                int v = (y / 2 == c ? 200 : 20) + g.nextInt(40);
                img.getRaster().setSample(x, y, 0, v);
            }
        return img;
    }

    /** 60, 30 and 15 images of classes cat, dog, fox (in the CSV as names), plus a folder per class. */
    Path writeImages() throws IOException {
        Path images = Files.createDirectories(dir.resolve("images"));
        StringBuilder csv = new StringBuilder("file,species,note\n");
        String[] names = {"cat", "dog", "fox"};
        int[] counts = {60, 30, 15};
        Generator g = new Generator(1);
        for (int c = 0; c < 3; c++) {
            Files.createDirectories(dir.resolve("folder").resolve(names[c]));
            for (int i = 0; i < counts[c]; i++) {
                String file = names[c] + "_" + i + ".png";
                BufferedImage img = bars(c, g);
                ImageIO.write(img, "png", images.resolve(file).toFile());
                ImageIO.write(img, "png", dir.resolve("folder").resolve(names[c]).resolve(file).toFile());
                csv.append(file).append(',').append(names[c]).append(",\"seen, twice\"\n");
            }
        }
        Path labels = dir.resolve("labels.csv");
        Files.writeString(labels, csv);
        return labels;
    }

    @Test
    void aCsvOfImagesIsSplitStratifiedRebalancedAugmentedAndLearned() throws IOException {
        Path labels = writeImages();
        Transform augment = Transforms.compose(Transforms.randomHorizontalFlip(0.5f), Transforms.colorJitter(0.2f, 0.2f, 0f));
        ImageDataset all = ImageDataset.csv(labels, dir.resolve("images"), "file", "species", augment, 7, false);
        assertThat(all.classes()).containsExactly("cat", "dog", "fox");
        assertThat(Samplers.classCounts(all)).containsExactly(60, 30, 15);

        List<Subset> parts = Splits.stratified(all, new double[] {0.6, 0.2, 0.2}, new Generator(2));
        assertThat(Samplers.classCounts(parts.get(0))).containsExactly(36, 18, 9);
        assertThat(Samplers.classCounts(parts.get(1))).containsExactly(12, 6, 3);
        assertThat(Samplers.classCounts(parts.get(2))).containsExactly(12, 6, 3);

        // rebalance the training part by sampling: every class about a third of each epoch
        Subset train = parts.get(0);
        DataLoader loader = new DataLoader(train, 16, Samplers.weighted(Samplers.classBalancedWeights(train), 630, new Generator(3)))
                .numWorkers(2);
        int[] seen = new int[3];
        for (Batch b : loader) for (float t : b.targets().toFloatArray()) seen[(int) t]++;
        for (int c = 0; c < 3; c++) assertThat(seen[c]).as("class %d of 630 draws", c).isBetween(160, 260);

        Sequential model = new Mlp(64, List.of(16), 3, "relu", new Generator(4));
        History h = Trainer.builder(model, new Adam(model.parameters(), 0.01f), new CrossEntropyLoss(), loader)
                .validation(new DataLoader(parts.get(1), 32, false, null)).epochs(4).fit();
        assertThat(h.last().valAccuracy()).as("bars at three heights").isGreaterThan(0.9);
    }

    @Test
    void theSameSeedAndEpochGiveTheSameAugmentationWhateverTheWorkers() throws IOException {
        ImageDataset d = ImageDataset.csv(writeImages(), dir.resolve("images"), "file", "species",
                Transforms.compose(Transforms.randomCrop(6, 6, 0), Transforms.randomHorizontalFlip(0.5f)), 11, false);
        d.setEpoch(3);
        float[] serial = new DataLoader(d, 10, false, null).iterator().next().inputs().toFloatArray();
        float[] parallel = new DataLoader(d, 10, false, null).numWorkers(3).iterator().next().inputs().toFloatArray();
        assertThat(parallel).containsExactly(serial);
        d.setEpoch(4);
        assertThat(new DataLoader(d, 10, false, null).iterator().next().inputs().toFloatArray()).as("another epoch, other crops").isNotEqualTo(serial);
    }

    @Test
    void imageFolderFindsClassesByFolderName() throws IOException {
        writeImages();
        ImageDataset f = ImageDataset.imageFolder(dir.resolve("folder"), null, 1);
        assertThat(f.classes()).containsExactly("cat", "dog", "fox");
        assertThat(f.size()).isEqualTo(105);
        assertThat(f.image(0).c()).as("grey PNGs give one channel").isEqualTo(1);
        assertThat(f.get(104).label()).isEqualTo(2);
    }

    @Test
    void missingAndCorruptImagesAreNamedOrSkippedAndCounted() throws IOException {
        Path labels = writeImages();
        Files.delete(dir.resolve("images/dog_3.png"));
        Files.writeString(dir.resolve("images/fox_0.png"), "not a picture");
        ImageDataset strict = ImageDataset.csv(labels, dir.resolve("images"), "file", "species", null, 1, false);
        assertThatThrownBy(() -> strict.image(63)).hasMessageContaining("row 65").hasMessageContaining("dog_3.png");
        assertThatThrownBy(() -> strict.image(90)).hasMessageContaining("fox_0.png").hasMessageContaining("not a PNG or JPEG");
        ImageDataset lenient = ImageDataset.csv(labels, dir.resolve("images"), "file", "species", null, 1, true);
        assertThat(lenient.skipped()).isEqualTo(2);
        assertThat(lenient.size()).isEqualTo(103);
        assertThatThrownBy(() -> ImageDataset.csv(labels, dir.resolve("images"), "file", "label", null, 1, false))
                .hasMessageContaining("no column 'label'").hasMessageContaining("[file, species, note]");
        assertThat(ImageDataset.splitCsv("a,\"b, c\",\"say \"\"hi\"\"\"")).containsExactly("a", "b, c", "say \"hi\"");
    }

    @Test
    void theDiskCacheServesLaterEpochsAndNeverAStaleEntry() throws IOException {
        Path labels = writeImages();
        Path cache = dir.resolve("cache");
        ImageDataset plain = ImageDataset.csv(labels, dir.resolve("images"), "file", "species", Transforms.randomHorizontalFlip(0.5f), 5, false);
        ImageDataset cached = ImageDataset.csv(labels, dir.resolve("images"), "file", "species", Transforms.randomHorizontalFlip(0.5f), 5, false)
                .cache(cache, Transforms.resize(4, 4));
        ImageDataset resizedByHand = ImageDataset.csv(labels, dir.resolve("images"), "file", "species",
                Transforms.compose(Transforms.resize(4, 4), Transforms.randomHorizontalFlip(0.5f)), 5, false);
        assertThat(cached.image(7).data()).as("first read: computed").containsExactly(resizedByHand.image(7).data());
        assertThat(cached.cacheHits()).isZero();
        assertThat(cached.image(7).data()).as("second read: from the cache, the same").containsExactly(resizedByHand.image(7).data());
        assertThat(cached.cacheHits()).isEqualTo(1);
        // another preprocessing must not read the 4×4 entries
        ImageDataset other = ImageDataset.csv(labels, dir.resolve("images"), "file", "species", null, 5, false).cache(cache, Transforms.resize(3, 3));
        assertThat(other.image(7).h()).isEqualTo(3);
        assertThat(other.cacheHits()).isZero();
        assertThat(plain.image(7).h()).isEqualTo(8);
        assertThatThrownBy(() -> plain.cache(cache, Transforms.randomHorizontalFlip(0.5f))).hasMessageContaining("deterministic");
    }
}
