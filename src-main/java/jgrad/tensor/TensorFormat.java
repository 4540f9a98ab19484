package jgrad.tensor;

import java.util.Locale;

/**
 * Prints a tensor the way PyTorch does: {@code tensor([[0.1000, 0.2000], [0.3000, 0.4000]])}, with
 * one format for all elements (integers as {@code 1.}, fixed 4 decimals, or scientific when the
 * range is wide), rows aligned, at most 3 items at each edge of a dimension when there are more
 * than 1000 elements, and the autograd state at the end.
 */
final class TensorFormat {
    private static final int THRESHOLD = 1000;
    private static final int EDGE = 3;
    private static final int LINE_WIDTH = 80;

    private TensorFormat() {}

    static String format(Tensor t) {
        float[] v = t.toFloatArray();
        int[] shape = t.shape();
        boolean summarize = v.length > THRESHOLD;
        String prefix = "tensor(";
        StringBuilder sb = new StringBuilder(prefix);
        if (v.length == 0) {
            sb.append("[]");
        } else {
            Style style = Style.choose(v, shape, summarize);
            block(sb, v, shape, 0, 0, style, summarize, prefix.length());
        }
        if (v.length == 0 || summarize) {
            sb.append(", size=(");
            for (int i = 0; i < shape.length; i++) sb.append(i > 0 ? ", " : "").append(shape[i]);
            sb.append(shape.length == 1 ? ",)" : ")");
        }
        if (t.device() != Device.cpu()) sb.append(", device='").append(t.device().name()).append('\'');
        if (t.gradFn() != null) sb.append(", grad_fn=<").append(t.gradFn().name()).append("Backward>");
        else if (t.requiresGrad()) sb.append(", requires_grad=True");
        return sb.append(')').toString();
    }

    /** Appends dimension {@code d} of the block starting at flat index {@code base}. */
    private static void block(StringBuilder sb, float[] v, int[] shape, int d, int base, Style style,
                              boolean summarize, int indent) {
        if (shape.length == 0) {
            sb.append(style.format(v[0]).strip());
            return;
        }
        int n = shape[d];
        int stride = 1;
        for (int i = d + 1; i < shape.length; i++) stride *= shape[i];
        int[] items = items(n, summarize && n > 2 * EDGE);
        sb.append('[');
        boolean last = d == shape.length - 1;
        String sep = last ? ", " : "," + "\n".repeat(shape.length - d - 1) + " ".repeat(indent + 1);
        int perLine = Math.max(1, (LINE_WIDTH - indent - 1) / (style.width + 2));
        for (int k = 0; k < items.length; k++) {
            if (k > 0) {
                sb.append(sep);
                if (last && k % perLine == 0) sb.setLength(sb.length() - 1);
                if (last && k % perLine == 0) sb.append('\n').append(" ".repeat(indent + 1));
            }
            int i = items[k];
            if (i < 0) sb.append("...");
            else if (last) sb.append(style.format(v[base + i * stride]));
            else block(sb, v, shape, d + 1, base + i * stride, style, summarize, indent + 1);
        }
        sb.append(']');
    }

    /** The indices shown along a dimension; −1 marks the "..." of a summarized one. */
    private static int[] items(int n, boolean cut) {
        if (!cut) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) all[i] = i;
            return all;
        }
        int[] few = new int[2 * EDGE + 1];
        for (int i = 0; i < EDGE; i++) {
            few[i] = i;
            few[EDGE + 1 + i] = n - EDGE + i;
        }
        few[EDGE] = -1;
        return few;
    }

    /** One number format for the whole tensor, chosen from the values that will be shown. */
    private record Style(int kind, int width) {
        static final int INTEGER = 0, FIXED = 1, SCIENTIFIC = 2;

        static Style choose(float[] v, int[] shape, boolean summarize) {
            boolean allInt = true;
            double maxAbs = 0, minAbs = Double.MAX_VALUE;
            for (float x : v) {
                if (!Float.isFinite(x)) continue;
                if (x != Math.rint(x)) allInt = false;
                double a = Math.abs(x);
                if (a > 0) {
                    maxAbs = Math.max(maxAbs, a);
                    minAbs = Math.min(minAbs, a);
                }
            }
            int kind;
            if (allInt) kind = maxAbs > 1e8 ? SCIENTIFIC : INTEGER;
            else if (maxAbs > 0 && (maxAbs / minAbs > 1000 || maxAbs > 1e8 || minAbs < 1e-4)) kind = SCIENTIFIC;
            else kind = FIXED;
            int width = 0;
            Style probe = new Style(kind, 0);
            for (float x : v) width = Math.max(width, probe.raw(x).length());
            return new Style(kind, width);
        }

        String raw(float x) {
            if (Float.isNaN(x)) return "nan";
            if (Float.isInfinite(x)) return x > 0 ? "inf" : "-inf";
            return switch (kind) {
                case INTEGER -> String.format(Locale.ROOT, "%.0f.", x);
                case FIXED -> String.format(Locale.ROOT, "%.4f", x);
                default -> String.format(Locale.ROOT, "%.4e", x);
            };
        }

        String format(float x) {
            String s = raw(x);
            return " ".repeat(Math.max(0, width - s.length())) + s;
        }
    }
}
