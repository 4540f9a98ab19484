package jgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import jgrad.tune.Direction;
import jgrad.tune.Distribution;
import jgrad.tune.FrozenTrial;
import jgrad.tune.SearchSpace;
import jgrad.tune.SearchSpaceParser;
import jgrad.tune.TrialState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The study's three pictures: history, parallel coordinates, parameter importance. */
class TunePlotsTest {
    @TempDir Path dir;

    @Test
    void anAxisPlacesValuesOnTheParametersScale() {
        assertThat(ParallelCoordinatesPlot.position(new Distribution.FloatRange(0.001, 0.1, true, 5), 0.01)).isCloseTo(0.5, within(1e-12));
        assertThat(ParallelCoordinatesPlot.position(new Distribution.FloatRange(0, 2, false, 5), 1.5)).isCloseTo(0.75, within(1e-12));
        assertThat(ParallelCoordinatesPlot.position(new Distribution.IntRange(1, 5, false), 2L)).isCloseTo(0.25, within(1e-12));
        assertThat(ParallelCoordinatesPlot.position(new Distribution.Choice(List.of("32", "64", "128")), "128")).isEqualTo(1.0);
        assertThat(ParallelCoordinatesPlot.position(new Distribution.Choice(List.of("sgd")), "sgd")).isEqualTo(0.5);
    }

    @Test
    void drawsTheHistoryTheParallelCoordinatesWithTheBestInRedAndTheImportance() throws Exception {
        SearchSpace space = SearchSpaceParser.parse("""
                {"lr": {"type": "loguniform", "low": 0.001, "high": 0.1},
                 "optimizer": {"type": "choice", "values": ["sgd", "adam"]},
                 "momentum": {"type": "uniform", "low": 0.5, "high": 0.9, "when": {"optimizer": "sgd"}}}""", null);
        List<FrozenTrial> trials = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Map<String, Object> p = new TreeMap<>(Map.of("lr", 0.001 * Math.pow(100, i / 11.0), "optimizer", i % 2 == 0 ? "sgd" : "adam"));
            if (i % 2 == 0) p.put("momentum", 0.5 + 0.03 * i);
            // accuracy rises with lr; trial 11 (adam, lr 0.1) is the best; trial 3 was pruned
            trials.add(new FrozenTrial(i, i == 3 ? TrialState.PRUNED : TrialState.COMPLETE, p, 0.5 + 0.04 * i, new TreeMap<>(Map.of(1, 0.5)), 1, 1));
        }
        List<Path> pngs = TunePlots.all(space, trials, Direction.MAXIMIZE, "val_accuracy", dir.resolve("study"));
        assertThat(pngs).extracting(p -> p.getFileName().toString()).containsExactly("history.png", "parallel.png", "importance.png");
        BufferedImage parallel = ImageIO.read(pngs.get(1).toFile());
        assertThat(parallel.getWidth()).isEqualTo(1000);
        // the best trial's line ends at the top of the metric's axis (x 920, y 60), in red
        assertThat(reddish(parallel, 900, 919, 58, 75)).as("red near the best value's end").isPositive();
        // and starts at the top of the lr axis (lr 0.1 = its high end: x 80, y 60)
        assertThat(reddish(parallel, 81, 100, 55, 75)).isPositive();
        assertThat(reddish(parallel, 81, 100, 400, 440)).as("no red at the low end of lr").isZero();
        BufferedImage importance = ImageIO.read(pngs.get(2).toFile());
        assertThat(importance.getHeight()).as("a bar per parameter").isEqualTo(120 + 50 * 3);
    }

    private static int reddish(BufferedImage img, int x0, int x1, int y0, int y1) {
        int n = 0;
        for (int x = x0; x <= x1; x++) {
            for (int y = y0; y <= y1; y++) {
                int rgb = img.getRGB(x, y), r = (rgb >> 16) & 255, g = (rgb >> 8) & 255, b = rgb & 255;
                if (r > 180 && g < 110 && b < 110) n++;
            }
        }
        return n;
    }
}
