package jgrad.autograd;

import java.util.Arrays;
import java.util.function.Function;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;

/**
 * Checks an op's backward against central finite differences, like {@code torch.autograd.gradcheck}.
 *
 * <p>The op's output y is reduced to a scalar L = Σᵢ rᵢ·yᵢ with fixed random weights r (so every
 * output element matters and a gradient that is wrong in one place cannot hide). Backward gives
 * ∂L/∂xⱼ; the check nudges each input element both ways and computes
 * (L(xⱼ + h) − L(xⱼ − h)) / (2h), evaluating L in double precision from the float outputs and
 * dividing by the step actually taken after rounding xⱼ ± h to float.
 *
 * <p>The error of that estimate is about h²·|f‴| (truncation) plus 2⁻²⁴·|L|/h (float rounding of
 * the op itself), so the tolerances must allow for float32 ops: defaults h = 1e-2,
 * |analytic − numeric| ≤ atol + rtol·|numeric| with atol = 1e-3, rtol = 1e-2.
 */
public final class GradCheck {
    private double step = 1e-2, atol = 1e-3, rtol = 1e-2;
    private long seed = 1234;

    public GradCheck step(double h) { this.step = h; return this; }
    public GradCheck tolerance(double absolute, double relative) { this.atol = absolute; this.rtol = relative; return this; }
    public GradCheck seed(long s) { this.seed = s; return this; }

    /** The largest mismatch found, with where it was; {@link #passed()} says if it is within tolerance. */
    public record Result(boolean passed, int input, int element, double analytic, double numeric, String detail) {
        @Override
        public String toString() { return detail; }
    }

    /** Shorthand: checks with default settings and throws AssertionError with the details on failure. */
    public static void assertGradientsMatch(Function<Tensor[], Tensor> op, Tensor... inputs) {
        Result r = new GradCheck().check(op, inputs);
        if (!r.passed()) throw new AssertionError(r.detail());
    }

    /** Runs the check; inputs that require grad are checked, the others are held fixed. */
    public Result check(Function<Tensor[], Tensor> op, Tensor... inputs) {
        for (Tensor x : inputs) {
            if (x.requiresGrad()) x.setGrad(null);
        }
        Tensor y = op.apply(inputs);
        float[] r = weights(y.numel());
        Tensor weights = Tensor.of(y.device(), r, y.shape());
        y.mul(weights).sum().backward();

        Result worst = new Result(true, -1, -1, 0, 0, "no differentiable input");
        double worstExcess = Double.NEGATIVE_INFINITY;
        for (int in = 0; in < inputs.length; in++) {
            Tensor x = inputs[in];
            if (!x.requiresGrad()) continue;
            float[] analytic = x.grad() == null ? new float[x.numel()] : x.grad().toFloatArray();
            float[] values = x.toFloatArray();
            for (int j = 0; j < values.length; j++) {
                float original = values[j];
                float plus = (float) (original + step), minus = (float) (original - step);
                double lPlus = loss(op, inputs, x, values, j, plus, r);
                double lMinus = loss(op, inputs, x, values, j, minus, r);
                values[j] = original;
                write(x, values);
                double numeric = (lPlus - lMinus) / ((double) plus - minus);
                double excess = Math.abs(analytic[j] - numeric) - (atol + rtol * Math.abs(numeric));
                if (excess > worstExcess) {
                    worstExcess = excess;
                    String detail = String.format(
                            "gradient of input %d %s, element %d (value %s): analytic %.6g, numeric %.6g, %s",
                            in, Arrays.toString(x.shape()), j, original, analytic[j], numeric,
                            excess <= 0 ? "within tolerance" : "MISMATCH beyond atol " + atol + " + rtol " + rtol);
                    worst = new Result(excess <= 0, in, j, analytic[j], numeric, detail);
                }
            }
        }
        return worst;
    }

    private double loss(Function<Tensor[], Tensor> op, Tensor[] inputs, Tensor x, float[] values, int j,
                        float value, float[] r) {
        values[j] = value;
        write(x, values);
        float[] y;
        try (NoGrad scope = NoGrad.enter()) {
            y = op.apply(inputs).toFloatArray();
        }
        double l = 0;
        for (int i = 0; i < y.length; i++) l += (double) r[i] * y[i];
        return l;
    }

    private static void write(Tensor x, float[] values) {
        try (NoGrad scope = NoGrad.enter()) {
            x.copyFrom(Tensor.of(x.device(), values, x.shape()));
        }
    }

    private float[] weights(int n) {
        Generator g = new Generator(seed);
        float[] r = new float[n];
        for (int i = 0; i < n; i++) r[i] = g.uniform(0.5f, 1.5f) * (g.nextFloat() < 0.5f ? -1 : 1);
        return r;
    }
}
