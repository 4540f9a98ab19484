package jgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import jgrad.models.Models;
import jgrad.nn.Parameter;
import jgrad.optim.Optimizer;
import jgrad.optim.ParamGroup;
import jgrad.tensor.Generator;
import jgrad.tensor.Safetensors;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./jgrad train --images}: a zoo model on a tiny image folder written here (3 classes of
 * 16×16 pictures), pretrained weights with a replaced head, frozen layers that stay bit-identical
 * and outside the optimizer, the backbone's scaled rate, the saved model, and feature extraction
 * equal to training the head on the frozen backbone.
 */
class TransferTrainTest {
    private static final String[] CLASSES = {"blue sky", "grass", "tomato"};
    @TempDir Path dir;

    /** Per class 6 pictures of its colour with noise; some grey, so that grey pictures become 3 channels too. */
    private Path folder() throws IOException {
        Generator g = new Generator(5);
        int[][] colour = {{40, 90, 220}, {50, 190, 60}, {220, 50, 40}};
        for (int c = 0; c < CLASSES.length; c++) {
            Path sub = Files.createDirectories(dir.resolve("pics").resolve(CLASSES[c]));
            for (int i = 0; i < 6; i++) {
                boolean grey = i == 5;
                BufferedImage img = new BufferedImage(16, 16, grey ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 16; y++) {
                    for (int x = 0; x < 16; x++) {
                        int n = (int) (g.nextFloat() * 40) - 20;
                        int r = clamp(colour[c][0] + n), gr = clamp(colour[c][1] + n), b = clamp(colour[c][2] + n);
                        if (grey) img.getRaster().setSample(x, y, 0, (r + gr + b) / 3);
                        else img.setRGB(x, y, (r << 16) | (gr << 8) | b);
                    }
                }
                ImageIO.write(img, "png", sub.resolve(i + ".png").toFile());
            }
        }
        return dir.resolve("pics");
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static int train(String... args) {
        return new CommandLine(new TrainCommand()).execute(args);
    }

    /** A 5-class ResNet-18's weights: a "pretrained" file whose head does not fit 3 classes. */
    private Path pretrained() throws IOException {
        Path w = dir.resolve("pre.safetensors");
        Safetensors.save(Models.resnet18(5, new Generator(77)).stateDict(), w);
        return w;
    }

    @Test
    void trainsAZooModelOnAnImageFolderAndNamesTheClassesEverywhere() throws IOException {
        Path pics = folder(), out = dir.resolve("run"), json = dir.resolve("s.json");
        assertThat(train("--images", pics.toString(), "--model", "resnet18", "--image-size", "32", "--epochs", "1", "--batch-size", "4",
                "--val-fraction", "0.34", "--balanced", "--augment", "RandomHorizontalFlip(0.5)", "--workers", "2", "--optimizer", "adam",
                "--lr", "0.001", "--out", out.toString(), "--json", json.toString())).isZero();
        List<String> pred = Files.readAllLines(out.resolve("predictions.csv"));
        assertThat(pred).hasSize(1 + 6).first().isEqualTo("file,true,predicted,probability");
        assertThat(pred.subList(1, 7)).allSatisfy(line -> assertThat(line).containsAnyOf(CLASSES));
        assertThat(pred.stream().filter(l -> l.contains("grass" + java.io.File.separator)).count()).as("2 of each class held out").isEqualTo(2);
        assertThat(Files.readString(json)).contains("\"classes\": \"blue sky,grass,tomato\"").contains("\"model\": \"resnet18\"");
        assertThat(out.resolve("confusion.png")).exists();
        assertThat(Files.readAllLines(out.resolve("history.csv"))).as("a header and --epochs 1").hasSize(2);

        ImageModelFile.Loaded m = ImageModelFile.load(out.resolve(ImageModelFile.WEIGHTS));
        assertThat(m.description()).isEqualTo(new ImageModelFile("resnet18", 32, List.of(CLASSES)));
        Map<String, Tensor> saved = Safetensors.load(out.resolve(ImageModelFile.WEIGHTS));
        assertThat(saved.get("fc.weight").shape()).containsExactly(3, 512);
        Path grid = dir.resolve("pred.png");
        assertThat(new CommandLine(new TransformsCommand()).execute("--images", pics.toString(), "--predictions",
                out.resolve(ImageModelFile.WEIGHTS).toString(), "--count", "4", "--cols", "2", "--out", grid.toString())).isZero();
        assertThat(ImageIO.read(grid.toFile()).getWidth()).as("16-pixel pictures shown at 32, scaled ×3, plus margins").isEqualTo(2 * (96 + 20));
        assertThat(java.util.Arrays.equals(m.net().stateDict().get("layer1.0.conv1.weight").toFloatArray(),
                saved.get("layer1.0.conv1.weight").toFloatArray())).isTrue();
    }

    @Test
    void frozenBackboneIsBitIdenticalAfterTrainingAndTheHeadIsReplaced() throws IOException {
        Path pics = folder(), w = pretrained(), out = dir.resolve("frozen");
        assertThat(train("--images", pics.toString(), "--model", "resnet18", "--image-size", "32", "--epochs", "2", "--batch-size", "4",
                "--weights", w.toString(), "--freeze", "backbone", "--lr", "0.1", "--out", out.toString())).isZero();
        Map<String, Tensor> before = Safetensors.load(w), after = Safetensors.load(out.resolve(ImageModelFile.WEIGHTS));
        int compared = 0;
        List<String> changed = new java.util.ArrayList<>();
        for (var e : after.entrySet()) {
            if (e.getKey().startsWith("fc.")) continue;
            // bit for bit (Arrays.equals compares floats by their bits)
            if (!java.util.Arrays.equals(e.getValue().toFloatArray(), before.get(e.getKey()).toFloatArray())) changed.add(e.getKey());
            compared++;
        }
        assertThat(changed).isEmpty();
        assertThat(compared).as("every backbone parameter and batch-norm buffer").isEqualTo(before.size() - 2);
        assertThat(after.get("fc.weight").shape()).containsExactly(3, 512);
        assertThat(Files.readAllLines(out.resolve("history.csv"))).hasSize(3);
    }

    @Test
    void frozenParametersAreNotGivenToTheOptimizerAndTheBackboneGetsItsScaledRate() {
        TrainCommand cmd = new TrainCommand();
        new CommandLine(cmd).parseArgs("--images", "x", "--model", "resnet18", "--freeze", "2", "--lr", "0.01", "--backbone-lr-scale", "0.1");
        TransferModel m = TransferModel.create("resnet18", 3, 1);
        List<Parameter> frozen = m.freeze("2");
        assertThat(frozen).as("the first two children: conv1.weight, bn1.weight, bn1.bias").hasSize(3)
                .containsExactly(m.net.namedParameters().get("conv1.weight"), m.net.namedParameters().get("bn1.weight"), m.net.namedParameters().get("bn1.bias"));
        Optimizer opt = new ImageTraining(cmd).optimizer(m, frozen);
        List<ParamGroup> groups = opt.paramGroups();
        assertThat(groups).hasSize(2);
        assertThat(groups.get(0).params()).containsExactlyElementsOf(m.head().parameters());
        assertThat(groups.get(0).lr()).as("--lr is a float").isEqualTo((double) 0.01f);
        assertThat(groups.get(1).lr()).isEqualTo(0.01f * 0.1);
        Set<Parameter> given = Collections.newSetFromMap(new IdentityHashMap<>());
        groups.forEach(g -> given.addAll(g.params()));
        assertThat(frozen).noneMatch(given::contains);
        assertThat(given).hasSize(m.net.parameters().size() - frozen.size());

        TrainCommand later = new TrainCommand();
        new CommandLine(later).parseArgs("--images", "x", "--model", "resnet18", "--freeze", "backbone", "--unfreeze-at", "2", "--epochs", "3");
        TransferModel m2 = TransferModel.create("resnet18", 3, 1);
        List<Parameter> frozen2 = m2.freeze("backbone");
        assertThat(new ImageTraining(later).optimizer(m2, frozen2).paramGroups().get(1).params())
                .as("with --unfreeze-at the frozen backbone waits in its group").containsExactlyElementsOf(frozen2);
    }

    @Test
    void weightsFromAUrlAreFetchedOnceThroughTheCacheAndChecked() throws Exception {
        Path pics = folder(), w = pretrained();
        byte[] bytes = Files.readAllBytes(w);
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        var requests = new java.util.concurrent.atomic.AtomicInteger();
        var server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/pre.safetensors", ex -> {
            requests.incrementAndGet();
            ex.sendResponseHeaders(200, bytes.length);
            try (var o = ex.getResponseBody()) {
                o.write(bytes);
            }
        });
        server.start();
        String old = System.getProperty("jgrad.weights.cache");
        System.setProperty("jgrad.weights.cache", dir.resolve("cache").toString());
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/pre.safetensors";
            for (int run = 0; run < 2; run++) {
                assertThat(train("--images", pics.toString(), "--model", "resnet18", "--image-size", "32", "--epochs", "1", "--batch-size", "8",
                        "--weights", url, "--weights-sha256", sha, "--feature-extract", "--out", dir.resolve("url" + run).toString())).isZero();
            }
            assertThat(requests.get()).as("the second run finds it in the cache").isEqualTo(1);
            Map<String, Tensor> after = Safetensors.load(dir.resolve("url1").resolve(ImageModelFile.WEIGHTS));
            assertThat(java.util.Arrays.equals(after.get("layer4.1.conv2.weight").toFloatArray(),
                    Safetensors.load(w).get("layer4.1.conv2.weight").toFloatArray())).isTrue();
            assertThat(train("--images", pics.toString(), "--model", "resnet18", "--weights", url, "--out", dir.resolve("nosha").toString()))
                    .as("a URL without --weights-sha256").isNotZero();
        } finally {
            server.stop(0);
            if (old == null) System.clearProperty("jgrad.weights.cache");
            else System.setProperty("jgrad.weights.cache", old);
        }
    }
}
