package jgrad.cli;

import static jgrad.cli.MainTest.jgrad;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import jgrad.data.mnist.MnistFixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Output locations are checked before any training, and what is written never destroys the old file (issue #17 group 4). */
class OutputPathsTest {
    @TempDir Path dir;
    Path data;

    @BeforeEach
    void bars() throws IOException {
        data = MnistFixtures.writeBars(dir.resolve("data"), 120, false);
    }

    private MainTest.Run train(String... more) {
        String[] common = {"train", "--data", data.toString(), "--model", "mlp", "--epochs", "1", "--val-size", "20", "--batch-size", "16"};
        String[] all = java.util.Arrays.copyOf(common, common.length + more.length);
        System.arraycopy(more, 0, all, common.length, more.length);
        return jgrad(false, all);
    }

    @Test
    void outUnderAFileIsRefusedBeforeTheFirstEpoch() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");
        MainTest.Run r = train("--out", file.resolve("run").toString());
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("error: --out " + file.resolve("run") + ": " + file + " is a file, so no folder can be made under it");
        assertThat(r.out()).as("no epoch was trained").doesNotContain("epoch 1");
    }

    @Test
    void jsonAtAFolderIsRefusedBeforeTheFirstEpoch() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("summary"));
        MainTest.Run r = train("--out", dir.resolve("out").toString(), "--json", folder.toString());
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err().strip()).contains("--json " + folder + ": is a folder");
        assertThat(r.out()).doesNotContain("epoch 1");
        assertThat(folder).isEmptyDirectory();
    }

    @Test
    void checkpointAtAFileIsRefusedBeforeTheFirstEpoch() throws IOException {
        Path file = Files.writeString(dir.resolve("ckpt"), "x");
        MainTest.Run r = train("--out", dir.resolve("out").toString(), "--checkpoint", file.toString());
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").contains("checkpoint folder " + file + ": is a file, not a folder");
        assertThat(r.out()).doesNotContain("epoch 1");
    }

    /** A folder where the run writes a file (loss.png, best-model.jgrad, ...) failed after training: now before the first epoch. */
    @Test
    void aFolderInOutWhereTheRunWritesAFileIsRefusedBeforeTheFirstEpoch() throws IOException {
        Path out = dir.resolve("out");
        for (String name : new String[] {"best-model.jgrad", "loss.png", "history.csv"}) {
            Path folder = Files.createDirectories(out.resolve(name));
            MainTest.Run r = train("--out", out.toString());
            assertThat(r.rc()).isEqualTo(2);
            assertThat(r.err().strip()).isEqualTo("error: --out " + out + ": " + folder + " is a folder, where the run writes its " + name
                    + ": move it away, or give another --out");
            assertThat(r.out()).as("no epoch was trained").doesNotContain("epoch 1");
            Files.delete(folder);
        }
    }

    /**
     * ImageIO.write(img, "png", stream) goes through a file cache in java.io.tmpdir; on a full disk
     * that cache failed and was closed again at exit, printing a NullPointerException trace
     * ("StreamCloser") after the one-line error. The PNG writer needs no such cache: here the cache
     * folder is gone, and the picture is still written.
     */
    @Test
    void aPictureIsWrittenWithoutImageIOsDiskCache() throws IOException {
        Path cache = Files.createDirectory(dir.resolve("imageio-cache"));
        javax.imageio.ImageIO.setUseCache(true);
        javax.imageio.ImageIO.setCacheDirectory(cache.toFile());
        try {
            Files.delete(cache);
            Path png = dir.resolve("grid.png");
            Plots.writePng(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), png);
            assertThat(javax.imageio.ImageIO.read(png.toFile()).getWidth()).isEqualTo(8);
            Path chart = dir.resolve("loss.png");  // the charts too (JFreeChart's writer goes through that cache)
            Plots.loss(new jgrad.train.History(), chart);
            assertThat(javax.imageio.ImageIO.read(chart.toFile()).getWidth()).isEqualTo(800);
        } finally {
            javax.imageio.ImageIO.setCacheDirectory(null);
        }
    }

    @Test
    void transformsOutIntoAMissingFolderMakesItAndAtAFolderIsOneLine() throws IOException {
        Path png = dir.resolve("missing/deeper/grid.png");
        MainTest.Run ok = jgrad(false, "transforms", "--data", data.toString(), "--count", "2", "--out", png.toString());
        assertThat(ok.rc()).as(ok.err()).isZero();
        assertThat(png).isNotEmptyFile();
        Path empty = Files.createDirectory(dir.resolve("empty"));
        MainTest.Run r = jgrad(false, "transforms", "--data", data.toString(), "--count", "2", "--out", empty.toString());
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("error: --out " + empty + ": is a folder, not a file: give a file name");
        assertThat(empty).as("the empty folder is kept").isEmptyDirectory();
    }

    /** If the output folder fails at the end (here it became a file), the trained model is saved elsewhere and the error says where. */
    @Test
    void aModelThatCannotBeSavedIntoOutIsRescuedAndTheErrorSaysWhere() throws IOException {
        jgrad.nn.Linear model = new jgrad.nn.Linear(3, 2, true, new jgrad.tensor.Generator(1));
        Path gone = Files.writeString(dir.resolve("out"), "the folder was replaced by a file");
        assertThatThrownBy(() -> OutputFiles.saveOrRescue(model, gone, () -> {}))
                .isInstanceOf(IOException.class).hasMessageContaining("the trained model was saved to ")
                .satisfies(e -> {
                    String m = e.getMessage();
                    Path rescued = Path.of(m.substring(m.indexOf("saved to ") + 9, m.lastIndexOf(" instead")));
                    jgrad.nn.Linear back = new jgrad.nn.Linear(3, 2, true, new jgrad.tensor.Generator(2));
                    back.load(rescued);
                    assertThat(back.parameters().get(0).toFloatArray()).containsExactly(model.parameters().get(0).toFloatArray());
                    Files.delete(rescued);
                    Files.delete(rescued.getParent());
                });
    }

    /** The PNG writer wrote over the old picture in place: a failure half-way (a full disk) destroyed it. */
    @Test
    void aPictureThatFailsHalfWayLeavesTheOldOne() throws IOException {
        Path png = dir.resolve("loss.png");
        Plots.writePng(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), png);
        byte[] old = Files.readAllBytes(png);
        BufferedImage failing = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB) {
            @Override public Raster getData(Rectangle r) { throw new IllegalStateException("No space left on device (simulated)"); }
            @Override public Raster getData() { throw new IllegalStateException("No space left on device (simulated)"); }
            @Override public WritableRaster getRaster() { throw new IllegalStateException("No space left on device (simulated)"); }
            @Override public Raster getTile(int x, int y) { throw new IllegalStateException("No space left on device (simulated)"); }
        };
        assertThatThrownBy(() -> Plots.writePng(failing, png)).hasMessageContaining("No space left");
        assertThat(Files.readAllBytes(png)).as("the old picture").isEqualTo(old);
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).as("no temporary file left").containsExactlyInAnyOrder("data", "loss.png");
        }
    }
}
