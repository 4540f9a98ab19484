package jgrad.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import jgrad.tensor.AtomicFile;
import jgrad.tune.Direction;
import jgrad.tune.FrozenTrial;
import jgrad.tune.ParamImportance;
import jgrad.tune.SearchSpace;
import jgrad.tune.TrialState;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A study's pictures as PNG (JFreeChart, headless): the optimisation history (each complete
 * trial's value and each pruned trial's last value against its number, and the best value so far
 * as a line), the parameter importance (ε² of {@link ParamImportance}, a bar per parameter), and,
 * through {@link ParallelCoordinatesPlot}, the parallel coordinates.
 */
final class TunePlots {
    static {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private TunePlots() {}

    /** history.png, parallel.png and importance.png in {@code folder}; the files written. */
    static List<Path> all(SearchSpace space, List<FrozenTrial> trials, Direction direction, String metric, Path folder) throws IOException {
        java.nio.file.Files.createDirectories(folder);
        Path h = folder.resolve("history.png"), p = folder.resolve("parallel.png"), i = folder.resolve("importance.png");
        history(trials, direction, metric, h);
        ParallelCoordinatesPlot.draw(space, trials, direction, metric, p);
        importance(ParamImportance.of(space, trials), metric, i);
        return List.of(h, p, i);
    }

    /** A bar per parameter, most important on top: the share of the metric's variance it explains alone (ε²; none yet: no bar). */
    static void importance(List<ParamImportance.Importance> importances, String metric, Path png) throws IOException {
        org.jfree.data.category.DefaultCategoryDataset data = new org.jfree.data.category.DefaultCategoryDataset();
        for (ParamImportance.Importance i : importances) {
            String label = i.name() + " (" + i.trials() + " trials)";
            data.addValue(Double.isNaN(i.epsilonSquared()) ? null : i.epsilonSquared(), "ε²", label);
        }
        JFreeChart chart = ChartFactory.createBarChart("Parameter importance: share of " + metric + "'s variance explained alone (ε²)",
                null, "ε²", data, PlotOrientation.HORIZONTAL, false, false, false);
        org.jfree.chart.plot.CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        ((org.jfree.chart.axis.NumberAxis) plot.getRangeAxis()).setRange(0, 1);
        org.jfree.chart.renderer.category.BarRenderer r = (org.jfree.chart.renderer.category.BarRenderer) plot.getRenderer();
        r.setSeriesPaint(0, new Color(0x1f77b4));
        r.setBarPainter(new org.jfree.chart.renderer.category.StandardBarPainter());
        r.setShadowVisible(false);
        r.setDefaultItemLabelGenerator(new org.jfree.chart.labels.StandardCategoryItemLabelGenerator("{2}", new java.text.DecimalFormat("0.000")));
        r.setDefaultItemLabelsVisible(true);
        chart.getTitle().setFont(chart.getTitle().getFont().deriveFont(15f));
        AtomicFile.write(png, out -> ChartUtils.writeChartAsPNG(out, chart, 800, 120 + 50 * Math.max(1, importances.size())));
    }

    static void history(List<FrozenTrial> trials, Direction direction, String metric, Path png) throws IOException {
        XYSeries complete = new XYSeries("complete"), pruned = new XYSeries("pruned"), best = new XYSeries("best so far");
        double b = Double.NaN;
        for (FrozenTrial t : trials) {
            if (Double.isNaN(t.value())) continue;
            if (t.state() == TrialState.COMPLETE) {
                complete.add(t.number(), t.value());
                if (Double.isNaN(b) || direction.better(t.value(), b)) b = t.value();
            } else if (t.state() == TrialState.PRUNED) {
                pruned.add(t.number(), t.value());
            }
            if (!Double.isNaN(b)) best.add(t.number(), b);
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(complete);
        data.addSeries(pruned);
        data.addSeries(best);
        JFreeChart chart = ChartFactory.createXYLineChart("Optimisation history", "trial", metric, data, PlotOrientation.VERTICAL, true, false, false);
        chart.getXYPlot().setBackgroundPaint(Color.WHITE);
        chart.getXYPlot().setDomainGridlinePaint(Color.LIGHT_GRAY);
        chart.getXYPlot().setRangeGridlinePaint(Color.LIGHT_GRAY);
        ((org.jfree.chart.axis.NumberAxis) chart.getXYPlot().getRangeAxis()).setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer();
        r.setSeriesLinesVisible(0, false);
        r.setSeriesLinesVisible(1, false);
        r.setSeriesShapesVisible(2, false);
        r.setSeriesStroke(2, new BasicStroke(2f));
        r.setSeriesPaint(0, new Color(0x1f77b4));
        r.setSeriesPaint(1, new Color(0xaaaaaa));
        r.setSeriesPaint(2, new Color(0xd62728));
        chart.getXYPlot().setRenderer(r);
        AtomicFile.write(png, out -> ChartUtils.writeChartAsPNG(out, chart, 800, 500));
    }
}
