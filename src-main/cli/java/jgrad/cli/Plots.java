package jgrad.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import jgrad.metrics.ConfusionMatrix;
import jgrad.tensor.AtomicFile;
import jgrad.train.History;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * PNG pictures of a run: the loss and accuracy curves (train against validation, JFreeChart) and
 * the confusion matrix (a grid of counts shaded by row share, drawn with Java2D). Headless: no
 * display is needed.
 */
public final class Plots {
    static {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private Plots() {}

    /** Training and validation loss per epoch. */
    public static void loss(History h, Path png) throws IOException {
        curves(h, png, "Loss", "loss", true);
    }

    /** Training and validation accuracy per epoch (skipped epochs without accuracy). */
    public static void accuracy(History h, Path png) throws IOException {
        curves(h, png, "Accuracy", "accuracy", false);
    }

    private static void curves(History h, Path png, String title, String axis, boolean loss) throws IOException {
        XYSeries train = new XYSeries("train"), val = new XYSeries("validation");
        for (History.Epoch e : h.epochs()) {
            double t = loss ? e.trainLoss() : e.trainAccuracy(), v = loss ? e.valLoss() : e.valAccuracy();
            if (!Double.isNaN(t)) train.add(e.epoch(), t);
            if (!Double.isNaN(v)) val.add(e.epoch(), v);
        }
        XYSeriesCollection data = new XYSeriesCollection(train);
        if (val.getItemCount() > 0) data.addSeries(val);
        JFreeChart chart = ChartFactory.createXYLineChart(title, "epoch", axis, data, PlotOrientation.VERTICAL, true, false, false);
        chart.getXYPlot().setBackgroundPaint(Color.WHITE);
        chart.getXYPlot().setDomainGridlinePaint(Color.LIGHT_GRAY);
        chart.getXYPlot().setRangeGridlinePaint(Color.LIGHT_GRAY);
        ((org.jfree.chart.axis.NumberAxis) chart.getXYPlot().getDomainAxis())
                .setStandardTickUnits(org.jfree.chart.axis.NumberAxis.createIntegerTickUnits());
        chart.getXYPlot().getRenderer().setSeriesStroke(0, new BasicStroke(2f));
        chart.getXYPlot().getRenderer().setSeriesStroke(1, new BasicStroke(2f));
        writePng(chart.createBufferedImage(800, 500), png);  // what ChartUtils.writeChartAsPNG draws, without ImageIO's file cache
    }

    /** The confusion matrix: rows the true class, columns the prediction, each cell shaded by its share of the row. */
    public static void confusion(ConfusionMatrix m, Path png) throws IOException {
        confusion(m, null, png);
    }

    /** The same with the classes named (first 8 characters on the columns), or numbered when {@code names} is null. */
    public static void confusion(ConfusionMatrix m, java.util.List<String> names, Path png) throws IOException {
        int margin = names == null ? 70 : 110, c = m.classes(), cell = Math.max(36, 480 / c);
        int size = margin + c * cell + 20;
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, size, size);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(10, cell / 3)));
        for (int t = 0; t < c; t++) {
            long row = 0;
            for (int p = 0; p < c; p++) row += m.count(t, p);
            for (int p = 0; p < c; p++) {
                double share = row == 0 ? 0 : (double) m.count(t, p) / row;
                int shade = (int) Math.round(255 * (1 - share));
                g.setColor(new Color(shade, shade, 255));
                g.fillRect(margin + p * cell, margin + t * cell, cell, cell);
                g.setColor(share > 0.5 ? Color.WHITE : Color.BLACK);
                String s = Long.toString(m.count(t, p));
                g.drawString(s, margin + p * cell + (cell - g.getFontMetrics().stringWidth(s)) / 2, margin + t * cell + cell / 2 + 5);
            }
            g.setColor(Color.BLACK);
            String name = names == null ? Integer.toString(t) : names.get(t), col = name.length() > 8 ? name.substring(0, 8) : name;
            g.drawString(name, margin - 6 - g.getFontMetrics().stringWidth(name), margin + t * cell + cell / 2 + 5);
            g.drawString(col, margin + t * cell + (cell - g.getFontMetrics().stringWidth(col)) / 2, margin - 8);
        }
        g.drawString("predicted →", margin, 18);
        g.drawString("true ↓", 4, margin - 8);
        g.dispose();
        writePng(img, png);
    }

    /**
     * Images in a grid with a caption above each (the notebook's 3×3 of augmented samples, or of
     * predictions "predicted / true"); each image scaled up to about 96 pixels, nearest pixel.
     */
    public static void imageGrid(java.util.List<jgrad.vision.Image> images, java.util.List<String> captions, int cols, Path png)
            throws IOException {
        if (images.isEmpty()) throw new IllegalArgumentException("imageGrid: no images");
        int rows = (images.size() + cols - 1) / cols;
        jgrad.vision.Image first = images.get(0);
        checkGrid(first, images.size(), cols);
        int scale = Math.max(1, 96 / Math.max(first.h(), first.w()));
        int cw = first.w() * scale + 20, ch = first.h() * scale + 30;
        BufferedImage out = new BufferedImage(cols * cw, rows * ch, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i < images.size(); i++) {
            int x = (i % cols) * cw + 10, y = (i / cols) * ch + 22;
            g.drawImage(images.get(i).toBufferedImage(), x, y, images.get(i).w() * scale, images.get(i).h() * scale, null);
            g.setColor(Color.BLACK);
            g.drawString(captions.get(i), x, y - 6);
        }
        g.dispose();
        writePng(out, png);
    }

    /**
     * Refuses a grid of {@code count} images like {@code first} larger than the picture limit
     * ({@link jgrad.vision.PictureFile#maxPixels}): called once the first image is made, before the
     * others (Resize(3000) on nine images ended in an out-of-memory error naming no size).
     */
    static void checkGrid(jgrad.vision.Image first, int count, int cols) {
        int shown = Math.min(count, cols), rows = (count + cols - 1) / cols;
        int scale = Math.max(1, 96 / Math.max(first.h(), first.w()));
        long w = (long) shown * (first.w() * (long) scale + 20), h = (long) rows * (first.h() * (long) scale + 30);
        long limit = jgrad.vision.PictureFile.maxPixels();
        if (w * h > limit) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "the grid of %d images of %d×%d would be %d×%d = %.1f "
                    + "megapixels, more than the limit of %.1f megapixels (-Djgrad.maxImagePixels): fewer --count / --cols, or a smaller size",
                    count, first.w(), first.h(), w, h, w * h / 1e6, limit / 1e6));
        }
    }

    /**
     * Writes a PNG atomically ({@link AtomicFile}): the old picture stays until the new one is
     * complete on the disk (ImageIO.write(File) deletes the old file, or an empty folder of that
     * name, before it starts).
     */
    static void writePng(BufferedImage img, Path png) throws IOException {
        AtomicFile.write(png, out -> {
            // Buffered in memory, not through ImageIO's disk cache (ImageIO.write(img, fmt, OutputStream)):
            // a cache stream that failed on a full disk was closed again at exit and printed a
            // NullPointerException trace ("StreamCloser"), and the cache needs room in java.io.tmpdir.
            try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
                if (!ImageIO.write(img, "png", ios)) throw new IOException("no PNG writer in this Java runtime");
            }
        });
    }
}
