package jgrad.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import jgrad.tune.Direction;
import jgrad.tune.Distribution;
import jgrad.tune.FrozenTrial;
import jgrad.tune.Param;
import jgrad.tune.SearchSpace;
import jgrad.tune.TrialState;

/**
 * A study's parallel coordinates as PNG (Java2D, headless; JFreeChart has no such chart): one
 * vertical axis per parameter, in the search space's order, and the metric's axis last; each
 * complete trial a line through its values, coloured from pale (worst) to dark blue (best), the
 * best trial in red on top. A float or integer axis spans its range (log-scaled when the
 * parameter is), a choice's values are spread evenly, the metric's axis spans the values seen. A
 * trial's line passes by the axis of a conditional parameter it does not have (momentum under adam).
 * Pruned and failed trials are left out: their values are from fewer epochs, or none.
 */
final class ParallelCoordinatesPlot {
    static {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private static final int W = 1000, H = 520, TOP = 60, BOTTOM = 440, LEFT = 80, RIGHT = 920;

    private ParallelCoordinatesPlot() {}

    /** Where {@code v} lies on the axis of {@code d}, from 0 (low, first choice) to 1 (high, last choice). */
    static double position(Distribution d, Object v) {
        return switch (d) {
            case Distribution.FloatRange f -> fraction(((Number) v).doubleValue(), f.low(), f.high(), f.log());
            case Distribution.IntRange i -> fraction(((Number) v).doubleValue(), i.low(), i.high(), i.log());
            case Distribution.Choice c -> c.choices().size() == 1 ? 0.5 : (double) c.choices().indexOf((String) v) / (c.choices().size() - 1);
        };
    }

    private static double fraction(double x, double low, double high, boolean log) {
        if (high == low) return 0.5;
        return log ? (Math.log(x) - Math.log(low)) / (Math.log(high) - Math.log(low)) : (x - low) / (high - low);
    }

    static void draw(SearchSpace space, List<FrozenTrial> trials, Direction direction, String metric, Path png) throws IOException {
        List<Param> params = space.params();
        List<FrozenTrial> done = new ArrayList<>(trials.stream().filter(t -> t.state() == TrialState.COMPLETE && Double.isFinite(t.value())).toList());
        // worst first, so that the better lines are drawn over the worse
        done.sort(Comparator.comparingDouble(FrozenTrial::value));
        if (direction == Direction.MINIMIZE) java.util.Collections.reverse(done);
        double lo = done.stream().mapToDouble(FrozenTrial::value).min().orElse(0), hi = done.stream().mapToDouble(FrozenTrial::value).max().orElse(1);
        int axes = params.size() + 1;
        double gap = axes == 1 ? 0 : (double) (RIGHT - LEFT) / (axes - 1);

        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString("Parallel coordinates: " + done.size() + " complete trials, " + metric + " (" + direction.name().toLowerCase(Locale.ROOT) + ")", LEFT - 40, 28);

        for (int i = 0; i < done.size(); i++) {
            FrozenTrial t = done.get(i);
            boolean best = i == done.size() - 1;
            double shade = done.size() == 1 ? 1 : (double) i / (done.size() - 1);
            g.setColor(best ? new Color(0xd62728) : mix(new Color(0xc6dbef), new Color(0x08306b), shade));
            g.setStroke(new BasicStroke(best ? 3f : 1.3f));
            double px = Double.NaN, py = Double.NaN;
            for (int a = 0; a < axes; a++) {
                double f;
                if (a < params.size()) {
                    Object v = t.params().get(params.get(a).name());
                    f = v == null ? Double.NaN : position(params.get(a).distribution(), v);
                } else {
                    f = hi == lo ? 0.5 : (t.value() - lo) / (hi - lo);
                }
                double x = LEFT + a * gap, y = BOTTOM - f * (BOTTOM - TOP);
                if (Double.isNaN(f)) continue;  // a parameter this trial does not have: the line passes its axis by
                if (!Double.isNaN(py)) g.drawLine((int) Math.round(px), (int) Math.round(py), (int) Math.round(x), (int) Math.round(y));
                px = x;
                py = y;
            }
        }

        g.setStroke(new BasicStroke(1f));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int a = 0; a < axes; a++) {
            int x = (int) Math.round(LEFT + a * gap);
            g.setColor(Color.DARK_GRAY);
            g.drawLine(x, TOP, x, BOTTOM);
            String name = a < params.size() ? params.get(a).name() + (params.get(a).conditional() ? " *" : "") : metric;
            g.setColor(Color.BLACK);
            centred(g, name, x, BOTTOM + 40);
            for (String[] tick : ticks(a < params.size() ? params.get(a).distribution() : null, lo, hi)) {
                int y = (int) Math.round(BOTTOM - Double.parseDouble(tick[0]) * (BOTTOM - TOP));
                g.drawLine(x - 3, y, x + 3, y);
                g.drawString(tick[1], x + 5, y + 4);
            }
        }
        g.setColor(Color.GRAY);
        g.drawString("* conditional: only in the trials that have it", LEFT - 40, H - 12);
        g.dispose();
        Plots.writePng(img, png);
    }

    /** Tick positions (0..1, as text) and labels of an axis: a range's ends and middle, each choice, the metric's min, middle and max. */
    private static List<String[]> ticks(Distribution d, double lo, double hi) {
        List<String[]> out = new ArrayList<>();
        switch (d) {
            case null -> {
                for (double f : new double[] {0, 0.5, 1}) out.add(new String[] {Double.toString(f), num(lo + f * (hi - lo))});
            }
            case Distribution.FloatRange r -> {
                for (double f : new double[] {0, 0.5, 1}) out.add(new String[] {Double.toString(f), num(value(r.low(), r.high(), r.log(), f))});
            }
            case Distribution.IntRange r -> {
                for (double f : new double[] {0, 0.5, 1}) out.add(new String[] {Double.toString(f), num(Math.round(value(r.low(), r.high(), r.log(), f)))});
            }
            case Distribution.Choice c -> {
                for (String v : c.choices()) out.add(new String[] {Double.toString(position(c, v)), v.length() > 10 ? v.substring(0, 10) + "…" : v});
            }
        }
        return out;
    }

    private static double value(double low, double high, boolean log, double f) {
        return log ? Math.exp(Math.log(low) + f * (Math.log(high) - Math.log(low))) : low + f * (high - low);
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.4g", v).replaceFirst("\\.?0+(e|$)", "$1");
    }

    private static void centred(Graphics2D g, String s, int x, int y) {
        g.drawString(s, x - g.getFontMetrics().stringWidth(s) / 2, y);
    }

    private static Color mix(Color a, Color b, double t) {
        return new Color((int) Math.round(a.getRed() + t * (b.getRed() - a.getRed())), (int) Math.round(a.getGreen() + t * (b.getGreen() - a.getGreen())),
                (int) Math.round(a.getBlue() + t * (b.getBlue() - a.getBlue())));
    }
}
