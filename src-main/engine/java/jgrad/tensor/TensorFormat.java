package jgrad.tensor;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints a tensor the way PyTorch does (torch/_tensor_str.py, default print options):
 * {@code tensor([[0.1000, 0.2000], [0.3000, 0.4000]])}, with one format for all elements (integers
 * as {@code 1.}, fixed 4 decimals, or scientific when the range is wide), rows aligned, at most 3
 * items at each edge of a dimension when there are more than 1000 elements, and the autograd state
 * at the end.
 *
 * <p>PyTorch's rules, followed exactly so that printouts can be compared side by side:
 * <ul>
 *   <li>The format is chosen from the elements that are shown (after summarizing), and only from
 *       the non-zero finite ones; the column width is the widest of those.</li>
 *   <li>Numbers are rounded as Python's {@code format} does: half to even, on the exact binary
 *       value ({@code 0.03125} prints as {@code 0.0312}).</li>
 *   <li>A row holds ⌊(80 − indent) / (width + 2)⌋ elements; the elided part of a row is
 *       {@code " ..."}, of an outer dimension {@code "..."}.</li>
 *   <li>{@code size=(…)} is printed only for an empty tensor that is not 1-D; a suffix that would
 *       pass column 80 starts a new line.</li>
 * </ul>
 *
 * <p>Checked by: {@code jgrad.tensor.TensorTest#printsExactlyAsPyTorch} (PyTorch's own printouts in
 * src-test/engine/resources/torch/tensor_format_fixture.txt).
 */
final class TensorFormat {
    private static final int THRESHOLD = 1000;
    private static final int EDGE = 3;
    private static final int LINE_WIDTH = 80;

    private TensorFormat() {}

    static String format(Tensor t) {
        float[] v = t.toFloatArray();
        int[] shape = t.shape();
        String prefix = "tensor(";
        int indent = prefix.length();
        List<String> suffixes = new ArrayList<>();
        if (t.device() != Device.cpu()) suffixes.add("device='" + t.device().name() + "'");
        StringBuilder sb = new StringBuilder(prefix);
        if (v.length == 0) {
            sb.append("[]");
            if (shape.length != 1) suffixes.add("size=" + tuple(shape));
        } else {
            boolean summarize = v.length > THRESHOLD;
            float[] shown = summarize ? shown(v, shape) : v;
            block(sb, v, shape, 0, 0, Style.choose(shown), summarize, indent);
        }
        if (t.gradFn() != null) suffixes.add("grad_fn=<" + t.gradFn().name() + "Backward>");
        else if (t.requiresGrad()) suffixes.add("requires_grad=True");
        return addSuffixes(sb.toString(), suffixes, indent);
    }

    /** Python's tuple: (2, 0), or (5,) for one element. */
    private static String tuple(int[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) sb.append(i > 0 ? ", " : "").append(shape[i]);
        return sb.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /** Appends ", suffix" for each suffix, starting a new line where the line would pass column 80. */
    private static String addSuffixes(String tensorStr, List<String> suffixes, int indent) {
        StringBuilder sb = new StringBuilder(tensorStr);
        // PyTorch's own measure of the last line (it counts two more than the characters there).
        int lastLineLen = tensorStr.length() - tensorStr.lastIndexOf('\n') + 1;
        for (String suffix : suffixes) {
            if (lastLineLen + suffix.length() + 2 > LINE_WIDTH) {
                sb.append(",\n").append(" ".repeat(indent)).append(suffix);
                lastLineLen = indent + suffix.length();
            } else {
                sb.append(", ").append(suffix);
                lastLineLen += suffix.length() + 2;
            }
        }
        return sb.append(')').toString();
    }

    /** Appends dimension {@code d} of the block starting at flat index {@code base}. */
    private static void block(StringBuilder sb, float[] v, int[] shape, int d, int base, Style style,
                              boolean summarize, int indent) {
        if (shape.length == 0) {
            sb.append(style.format(v[0]));
            return;
        }
        int n = shape[d];
        int stride = 1;
        for (int i = d + 1; i < shape.length; i++) stride *= shape[i];
        int[] items = items(n, summarize && n > 2 * EDGE);
        sb.append('[');
        if (d == shape.length - 1) {
            // a row: elements joined by ", ", wrapped every perLine elements
            int perLine = Math.max(1, (LINE_WIDTH - indent) / (style.width + 2));
            for (int k = 0; k < items.length; k++) {
                if (k > 0) sb.append(k % perLine == 0 ? ",\n" + " ".repeat(indent + 1) : ", ");
                sb.append(items[k] < 0 ? " ..." : style.format(v[base + items[k] * stride]));
            }
        } else {
            String sep = "," + "\n".repeat(shape.length - d - 1) + " ".repeat(indent + 1);
            for (int k = 0; k < items.length; k++) {
                if (k > 0) sb.append(sep);
                if (items[k] < 0) sb.append("...");
                else block(sb, v, shape, d + 1, base + items[k] * stride, style, summarize, indent + 1);
            }
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

    /** The elements a summarized printout shows (PyTorch's get_summarized_data). */
    private static float[] shown(float[] v, int[] shape) {
        List<Float> out = new ArrayList<>();
        collectShown(v, shape, 0, 0, out);
        float[] a = new float[out.size()];
        for (int i = 0; i < a.length; i++) a[i] = out.get(i);
        return a;
    }

    private static void collectShown(float[] v, int[] shape, int d, int base, List<Float> out) {
        if (d == shape.length) {
            out.add(v[base]);
            return;
        }
        int stride = 1;
        for (int i = d + 1; i < shape.length; i++) stride *= shape[i];
        for (int i : items(shape[d], shape[d] > 2 * EDGE)) {
            if (i >= 0) collectShown(v, shape, d + 1, base + i * stride, out);
        }
    }

    /** One number format for the whole tensor, chosen from the non-zero finite values shown. */
    private record Style(int kind, int width) {
        static final int INTEGER = 0, FIXED = 1, SCIENTIFIC = 2;

        static Style choose(float[] v) {
            boolean allInt = true, any = false;
            double maxAbs = 0, minAbs = Double.MAX_VALUE;
            for (float x : v) {
                if (!Float.isFinite(x) || x == 0) continue;
                any = true;
                if (x != Math.rint(x)) allInt = false;
                double a = Math.abs((double) x);
                maxAbs = Math.max(maxAbs, a);
                minAbs = Math.min(minAbs, a);
            }
            if (!any) return new Style(INTEGER, 1);
            boolean wide = maxAbs / minAbs > 1000 || maxAbs > 1e8;
            int kind;
            if (allInt) kind = wide ? SCIENTIFIC : INTEGER;
            else kind = wide || minAbs < 1e-4 ? SCIENTIFIC : FIXED;
            Style probe = new Style(kind, 0);
            int width = 1;
            for (float x : v) {
                if (Float.isFinite(x) && x != 0) width = Math.max(width, probe.raw(x).length());
            }
            return new Style(kind, width);
        }

        String raw(float x) {
            if (Float.isNaN(x)) return "nan";
            if (Float.isInfinite(x)) return x > 0 ? "inf" : "-inf";
            return switch (kind) {
                case INTEGER -> fixed(x, 0) + ".";
                case FIXED -> fixed(x, 4);
                default -> scientific(x, 4);
            };
        }

        String format(float x) {
            String s = raw(x);
            return " ".repeat(Math.max(0, width - s.length())) + s;
        }
    }

    // Python's "{:.Nf}" and "{:.Ne}": the exact binary value rounded half to even. (Java's Formatter
    // rounds half up from the shortest decimal, which differs on ties such as 0.03125.)

    private static String sign(float x) {
        return x < 0 || (x == 0 && 1 / x < 0) ? "-" : "";
    }

    static String fixed(float x, int decimals) {
        BigDecimal a = new BigDecimal(Math.abs((double) x)).setScale(decimals, RoundingMode.HALF_EVEN);
        return sign(x) + a.toPlainString();
    }

    static String scientific(float x, int decimals) {
        if (x == 0) return sign(x) + "0." + "0".repeat(decimals) + "e+00";
        BigDecimal a = new BigDecimal(Math.abs((double) x)).round(new MathContext(decimals + 1, RoundingMode.HALF_EVEN));
        String digits = a.unscaledValue().toString();
        int exponent = digits.length() - 1 - a.scale();
        digits = (digits + "0".repeat(decimals + 1)).substring(0, decimals + 1);
        return sign(x) + digits.charAt(0) + "." + digits.substring(1)
                + (exponent < 0 ? "e-" : "e+") + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
    }
}
