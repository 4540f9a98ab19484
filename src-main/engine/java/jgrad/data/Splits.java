package jgrad.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jgrad.tensor.Generator;

/**
 * Splitting a dataset: {@link #random} (torch's {@code random_split}) and {@link #stratified} (by
 * label, as scikit-learn's {@code train_test_split(stratify=…)}: every part keeps the class
 * proportions). Seeded. Checked by {@code jgrad.data.SplitsTest}.
 */
public final class Splits {
    private Splits() {}

    /** Random parts with the given fractions (summing to 1; the last takes the rounding remainder). */
    public static List<Subset> random(Dataset d, double[] fractions, Generator g) {
        int[] sizes = sizes(d.size(), fractions);
        int[] p = g.permutation(d.size());
        List<Subset> out = new ArrayList<>();
        int from = 0;
        for (int s : sizes) {
            out.add(new Subset(d, Arrays.copyOfRange(p, from, from + s)));
            from += s;
        }
        return out;
    }

    /**
     * Parts with the given fractions in which each class is split in the same proportions: class c
     * with n_c samples gives each part ⌊f·n_c⌋ or one more (largest remainders first), so every
     * part's class shares match the whole to within one sample per class.
     */
    public static List<Subset> stratified(Dataset d, double[] fractions, Generator g) {
        int[] counts = Samplers.classCounts(d);
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < counts.length; c++) byClass.add(new ArrayList<>());
        for (int i = 0; i < d.size(); i++) byClass.get(d.label(i)).add(i);
        List<List<Integer>> parts = new ArrayList<>();
        for (int k = 0; k < fractions.length; k++) parts.add(new ArrayList<>());
        for (List<Integer> members : byClass) {
            int[] sizes = sizes(members.size(), fractions);
            int[] p = g.permutation(members.size());
            int from = 0;
            for (int k = 0; k < sizes.length; k++) {
                for (int j = from; j < from + sizes[k]; j++) parts.get(k).add(members.get(p[j]));
                from += sizes[k];
            }
        }
        List<Subset> out = new ArrayList<>();
        for (List<Integer> part : parts) {
            int[] idx = part.stream().mapToInt(Integer::intValue).toArray();
            int[] shuffle = g.permutation(idx.length), mixed = new int[idx.length];
            for (int i = 0; i < idx.length; i++) mixed[i] = idx[shuffle[i]];  // classes interleaved, not in blocks
            out.add(new Subset(d, mixed));
        }
        return out;
    }

    /** Sizes for n items split by fractions: floors, then the largest remainders get one more. */
    static int[] sizes(int n, double[] fractions) {
        double sum = 0;
        for (double f : fractions) {
            if (!(f >= 0)) throw new IllegalArgumentException("split fractions must be ≥ 0, got " + Arrays.toString(fractions));
            sum += f;
        }
        if (Math.abs(sum - 1) > 1e-9) throw new IllegalArgumentException("split fractions must sum to 1, got " + Arrays.toString(fractions));
        int[] s = new int[fractions.length];
        double[] rem = new double[fractions.length];
        int given = 0;
        for (int k = 0; k < s.length; k++) {
            double exact = fractions[k] * n;
            s[k] = (int) Math.floor(exact);
            rem[k] = exact - s[k];
            given += s[k];
        }
        for (int left = n - given; left > 0; left--) {
            int best = 0;
            for (int k = 1; k < s.length; k++) if (rem[k] > rem[best]) best = k;
            s[best]++;
            rem[best] = -1;
        }
        return s;
    }
}
