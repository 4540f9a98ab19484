package jgrad.backend.simd;

import jgrad.backend.Layout;

/**
 * An elementwise op seen as rows along the last dimension: the output is contiguous and every
 * input steps by 1 (a run) or 0 (a broadcast value) along that dimension. Other layouts return
 * null and take the reference path.
 */
record Rows(Layout[] layouts, int count, int length, int[] steps) {
    static Rows of(Layout out, Layout... ins) {
        if (!out.isContiguous() || out.rank() == 0) return null;
        Layout[] all = merge(out, ins);  // all[0] is the output
        int last = all[0].rank() - 1;
        int length = all[0].shape()[last];
        int[] steps = new int[all.length];
        steps[0] = 1;
        for (int i = 1; i < all.length; i++) {
            int s = length == 1 ? 0 : all[i].strides()[last];
            if (s != 0 && s != 1) return null;
            steps[i] = s;
        }
        return new Rows(all, length == 0 ? 0 : out.size() / length, length, steps);
    }

    /**
     * {out, ins…} with adjacent dimensions joined wherever every operand walks them as one
     * (stride[d] = stride[d+1]·shape[d+1], zeros included): a bias add over [64, 6, 28, 28] with
     * the bias seen as strides [0, 1, 0, 0] becomes [64, 6, 784], so its rows are 784 long, not 28.
     */
    static Layout[] merge(Layout out, Layout... ins) {
        Layout[] all = new Layout[ins.length + 1];
        all[0] = out;
        System.arraycopy(ins, 0, all, 1, ins.length);
        int rank = out.rank();
        int[] shape = out.shape().clone();
        int[][] strides = new int[all.length][];
        for (int i = 0; i < all.length; i++) strides[i] = all[i].strides().clone();
        int kept = rank - 1;  // dimensions kept so far, from the last one down: [kept, rank)
        for (int d = rank - 2; d >= 0; d--) {
            boolean joins = true;
            for (int[] st : strides) joins &= st[d] == st[kept] * shape[kept];
            if (joins) {
                shape[kept] *= shape[d];
            } else {
                kept--;
                shape[kept] = shape[d];
                for (int[] st : strides) st[kept] = st[d];
            }
        }
        if (kept == 0) return all;
        Layout[] result = new Layout[all.length];
        for (int i = 0; i < all.length; i++) {
            result[i] = new Layout(java.util.Arrays.copyOfRange(shape, kept, rank),
                    java.util.Arrays.copyOfRange(strides[i], kept, rank), all[i].offset());
        }
        return result;
    }

    /** Buffer index where row {@code row} of operand {@code i} starts. */
    int start(int i, int row) {
        Layout l = layouts[i];
        return l.rank() == 2 ? l.offset() + row * l.strides()[0] : l.indexOf(row * length);
    }

    /**
     * Where every row of every operand starts, [operand][row], stepping through the outer
     * dimensions like an odometer (one add per row instead of a division per dimension).
     */
    int[][] starts() {
        int ops = layouts.length, outer = layouts[0].rank() - 1;
        int[][] at = new int[ops][count];
        int[] idx = new int[Math.max(0, outer)];
        int[] cur = new int[ops];
        for (int i = 0; i < ops; i++) cur[i] = layouts[i].offset();
        int[] shape = layouts[0].shape();
        for (int row = 0; row < count; row++) {
            for (int i = 0; i < ops; i++) at[i][row] = cur[i];
            for (int d = outer - 1; d >= 0; d--) {
                idx[d]++;
                for (int i = 0; i < ops; i++) cur[i] += layouts[i].strides()[d];
                if (idx[d] < shape[d]) break;
                for (int i = 0; i < ops; i++) cur[i] -= layouts[i].strides()[d] * shape[d];
                idx[d] = 0;
            }
        }
        return at;
    }
}
