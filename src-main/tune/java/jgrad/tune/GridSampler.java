package jgrad.tune;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Every combination of every parameter's grid values, in an order shuffled by the study seed (so a
 * study cut short still spreads over the space), trial n taking combination n. A float range gives
 * its {@code grid} points (evenly spaced, in ln x for a log scale), an integer range every integer
 * (at most {@value #MAX_INT_POINTS} evenly spaced ones), a choice every choice. A conditional
 * parameter is combined only under its condition, so no combination repeats.
 */
public final class GridSampler implements Sampler {
    static final int MAX_INT_POINTS = 16;
    private List<Map<String, Object>> grid;
    private long gridSeed;
    private SearchSpace gridSpace;

    @Override
    public synchronized Map<String, Object> sample(SearchSpace space, Context context) {
        if (grid == null || gridSpace != space || gridSeed != context.studySeed()) {
            grid = combinations(space);
            Collections.shuffle(grid, new Random(context.studySeed()));
            gridSeed = context.studySeed();
            gridSpace = space;
        }
        return context.number() < grid.size() ? grid.get(context.number()) : null;
    }

    @Override
    public String name() {
        return "grid";
    }

    /** Every combination, in the space's order (conditional parameters only where active). */
    public static List<Map<String, Object>> combinations(SearchSpace space) {
        List<Map<String, Object>> out = new ArrayList<>();
        extend(space, 0, new LinkedHashMap<>(), out);
        return out;
    }

    private static void extend(SearchSpace space, int i, LinkedHashMap<String, Object> partial, List<Map<String, Object>> out) {
        if (i == space.params().size()) {
            out.add(new LinkedHashMap<>(partial));
            return;
        }
        Param p = space.params().get(i);
        if (!space.active(p, partial)) {
            extend(space, i + 1, partial, out);
            return;
        }
        for (Object v : points(p.distribution())) {
            partial.put(p.name(), v);
            extend(space, i + 1, partial, out);
            partial.remove(p.name());
        }
    }

    /** The grid values of one distribution. */
    public static List<Object> points(Distribution d) {
        List<Object> pts = new ArrayList<>();
        switch (d) {
            case Distribution.FloatRange f -> {
                int n = f.gridPoints();
                for (int k = 0; k < n; k++) {
                    double t = n == 1 ? 0.5 : k / (double) (n - 1);
                    pts.add(f.log() ? Math.exp(Math.log(f.low()) + t * (Math.log(f.high()) - Math.log(f.low()))) : f.low() + t * (f.high() - f.low()));
                }
            }
            case Distribution.IntRange r -> {
                long count = r.high() - r.low() + 1;
                if (count <= MAX_INT_POINTS) {
                    for (long v = r.low(); v <= r.high(); v++) pts.add(v);
                } else {
                    for (int k = 0; k < MAX_INT_POINTS; k++) {
                        long v = r.low() + Math.round(k * (double) (r.high() - r.low()) / (MAX_INT_POINTS - 1));
                        if (!pts.contains(v)) pts.add(v);
                    }
                }
            }
            case Distribution.Choice c -> pts.addAll(c.choices());
        }
        return pts;
    }
}
