package jgrad.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import jgrad.tensor.AtomicFile;
import jgrad.tune.Direction;
import jgrad.tune.FrozenTrial;
import jgrad.tune.TrialState;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A study's optimisation history as PNG (JFreeChart, headless): each complete trial's value and
 * each pruned trial's last value against its number, and the best value so far as a line.
 */
final class TunePlots {
    static {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private TunePlots() {}

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
