package jgrad.backend.simd;

import static jgrad.backend.simd.Simd.F;
import static jgrad.backend.simd.Simd.LANES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jgrad.backend.BinaryOp;
import jgrad.backend.UnaryOp;

/**
 * Vector loops over one contiguous run of elements: the inner loops of map, zip and reduce.
 * Each handles whole vectors up to {@code loopBound} and finishes the tail with the scalar
 * definition in {@link UnaryOp#apply} / {@link BinaryOp#apply}, so both agree at the edges.
 */
final class Pointwise {
    private Pointwise() {}

    /*
     * Each op gets its own loop, with the switch outside it: a loop that calls one big switch per
     * vector defeats C2's inlining, and a vector that is not inlined is boxed (measured: 5× slower).
     */

    /** o[oAt + i] = op(x[xAt + i]) for i &lt; n. */
    static void map(UnaryOp op, float[] x, int xAt, float[] o, int oAt, int n) {
        int bound = F.loopBound(n), i = 0;
        switch (op) {
            case NEG -> { for (; i < bound; i += LANES) in(x, xAt + i).neg().intoArray(o, oAt + i); }
            case EXP -> { for (; i < bound; i += LANES) exp(in(x, xAt + i)).intoArray(o, oAt + i); }
            case SIGMOID -> {
                for (; i < bound; i += LANES) {
                    FloatVector e = exp(in(x, xAt + i).neg());
                    e.broadcast(1f).div(e.add(1f)).intoArray(o, oAt + i);
                }
            }
            case TANH -> { for (; i < bound; i += LANES) tanh(in(x, xAt + i)).intoArray(o, oAt + i); }
            // LOG: the scalar definition below (the Vector API's own EXP/LOG/TANH/POW give different
            // bits once C2 compiles them, see exp)
            case RELU -> { for (; i < bound; i += LANES) in(x, xAt + i).max(0f).intoArray(o, oAt + i); }
            case RELU6 -> { for (; i < bound; i += LANES) in(x, xAt + i).max(0f).min(6f).intoArray(o, oAt + i); }
            case SQRT -> { for (; i < bound; i += LANES) in(x, xAt + i).sqrt().intoArray(o, oAt + i); }
            case ABS -> { for (; i < bound; i += LANES) in(x, xAt + i).abs().intoArray(o, oAt + i); }
            case SQUARE -> { for (; i < bound; i += LANES) { FloatVector v = in(x, xAt + i); v.mul(v).intoArray(o, oAt + i); } }
            case RECIPROCAL -> { for (; i < bound; i += LANES) in(x, xAt + i).broadcast(1f).div(in(x, xAt + i)).intoArray(o, oAt + i); }
            case SIGN, FLOOR, LOG -> { /* the scalar loop below does it all */ }
        }
        for (; i < n; i++) o[oAt + i] = op.apply(x[xAt + i]);
    }

    private static final float LOG2E = 1.44269504088896341f, LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    private static final float ROUND = 12582912f;  // 1.5·2²³: adding and subtracting it rounds to an integer

    /**
     * eˣ lane by lane, to within about 2 ulp, from multiplies and adds only, so it gives the same
     * bits interpreted and compiled. (The Vector API's {@code lanewise(EXP)} does not: C2 replaces
     * it with a SIMD math library whose last bit differs from the Java fallback that runs before
     * compilation, so a training run's numbers changed at whatever step the JIT finished; measured
     * on LeNet, two runs of the same seed parted at step 52.) Cephes' expf: x = n·ln 2 + r with
     * |r| ≤ ln 2 / 2 (ln 2 split in two so n·ln 2 is exact), eʳ by a degree-7 polynomial, then
     * multiplied by 2ⁿ built in the exponent bits, in two halves so that n down to −150 (results
     * below the normal range) and up to 128 (overflow to ∞) come out right. NaN stays NaN.
     */
    static FloatVector exp(FloatVector x) {
        x = x.max(-104f).min(89f);
        FloatVector n = x.mul(LOG2E).add(ROUND).sub(ROUND);
        FloatVector r = n.fma(n.broadcast(-LN2_HI), x);
        r = n.fma(n.broadcast(-LN2_LO), r);
        FloatVector p = r.broadcast(1.9875691500e-4f);
        p = p.fma(r, r.broadcast(1.3981999507e-3f));
        p = p.fma(r, r.broadcast(8.3334519073e-3f));
        p = p.fma(r, r.broadcast(4.1665795894e-2f));
        p = p.fma(r, r.broadcast(1.6666665459e-1f));
        p = p.fma(r, r.broadcast(5.0000001201e-1f));
        p = p.fma(r.mul(r), r).add(1f);
        IntVector k = (IntVector) n.convert(VectorOperators.F2I, 0);
        IntVector k1 = k.lanewise(VectorOperators.ASHR, 1), k2 = k.sub(k1);
        FloatVector s1 = k1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = k2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(s1).mul(s2);
    }

    /**
     * tanh lane by lane, to within about 3 ulp, deterministic like {@link #exp} (Cephes' tanhf): for
     * |x| &lt; 0.625 the odd polynomial x + x·z·P(z), z = x²; above, 1 − 2/(e^{2|x|} + 1) with the sign
     * put back (e^{2|x|} overflowing to ∞ gives exactly ±1). ±0 and NaN come through unchanged.
     */
    static FloatVector tanh(FloatVector x) {
        FloatVector ax = x.abs(), e = exp(ax.add(ax));
        FloatVector big = e.broadcast(1f).sub(e.broadcast(2f).div(e.add(1f)));
        big = big.blend(big.neg(), x.compare(VectorOperators.LT, 0f));
        FloatVector z = x.mul(x);
        FloatVector p = z.broadcast(-5.70498872745e-3f);
        p = p.fma(z, z.broadcast(2.06390887954e-2f));
        p = p.fma(z, z.broadcast(-5.37397155531e-2f));
        p = p.fma(z, z.broadcast(1.33314422036e-1f));
        p = p.fma(z, z.broadcast(-3.33332819422e-1f));
        FloatVector small = p.mul(z).fma(x, x);
        return big.blend(small, ax.compare(VectorOperators.LT, 0.625f)).blend(x, x.compare(VectorOperators.EQ, 0f));
    }

    private static FloatVector in(float[] x, int at) {
        return FloatVector.fromArray(F, x, at);
    }

    /** A run of elements (step 1) or one element repeated (step 0, a broadcast operand). */
    private static FloatVector load(float[] x, int at, int step, int i) {
        return step == 0 ? FloatVector.broadcast(F, x[at]) : FloatVector.fromArray(F, x, at + i);
    }

    /**
     * o[oAt + i] = op(a[aAt + i·aStep], b[bAt + i·bStep]) for i &lt; n, where a step is 1 (a run of
     * elements) or 0 (one element repeated: a broadcast operand).
     */
    static void zip(BinaryOp op, float[] a, int aAt, int aStep, float[] b, int bAt, int bStep, float[] o, int oAt, int n) {
        int bound = F.loopBound(n), i = 0;
        switch (op) {
            case ADD -> { for (; i < bound; i += LANES) load(a, aAt, aStep, i).add(load(b, bAt, bStep, i)).intoArray(o, oAt + i); }
            case SUB -> { for (; i < bound; i += LANES) load(a, aAt, aStep, i).sub(load(b, bAt, bStep, i)).intoArray(o, oAt + i); }
            case MUL -> { for (; i < bound; i += LANES) load(a, aAt, aStep, i).mul(load(b, bAt, bStep, i)).intoArray(o, oAt + i); }
            case DIV -> { for (; i < bound; i += LANES) load(a, aAt, aStep, i).div(load(b, bAt, bStep, i)).intoArray(o, oAt + i); }
            case GT -> { for (; i < bound; i += LANES) mask(load(a, aAt, aStep, i).compare(VectorOperators.GT, load(b, bAt, bStep, i))).intoArray(o, oAt + i); }
            case EQ -> { for (; i < bound; i += LANES) mask(load(a, aAt, aStep, i).compare(VectorOperators.EQ, load(b, bAt, bStep, i))).intoArray(o, oAt + i); }
            case GATE -> {
                for (; i < bound; i += LANES) {
                    FloatVector x = load(a, aAt, aStep, i);
                    FloatVector.zero(F).blend(x, load(b, bAt, bStep, i).compare(VectorOperators.GT, 0f)).intoArray(o, oAt + i);
                }
            }
            case POW -> { /* the scalar loop below: see exp */ }
            default -> { for (; i < bound; i += LANES) apply(op, load(a, aAt, aStep, i), load(b, bAt, bStep, i)).intoArray(o, oAt + i); }
        }
        for (; i < n; i++) o[oAt + i] = op.apply(a[aAt + i * aStep], b[bAt + i * bStep]);
    }

    /** The less common binary ops, one vector at a time. */
    private static FloatVector apply(BinaryOp op, FloatVector a, FloatVector b) {
        return switch (op) {
            case ADD -> a.add(b);
            case SUB -> a.sub(b);
            case MUL -> a.mul(b);
            case DIV -> a.div(b);
            case POW -> throw new AssertionError("pow runs in the scalar loop");
            case MAX -> a.lanewise(VectorOperators.MAX, b).blend(a, a.test(VectorOperators.IS_NAN)).blend(b, b.test(VectorOperators.IS_NAN));
            case MIN -> a.lanewise(VectorOperators.MIN, b).blend(a, a.test(VectorOperators.IS_NAN)).blend(b, b.test(VectorOperators.IS_NAN));
            case GT -> mask(a.compare(VectorOperators.GT, b));
            case GE -> mask(a.compare(VectorOperators.GE, b));
            case LT -> mask(a.compare(VectorOperators.LT, b));
            case EQ -> mask(a.compare(VectorOperators.EQ, b));
            case GATE -> FloatVector.zero(F).blend(a, b.compare(VectorOperators.GT, 0f));
        };
    }

    private static FloatVector mask(VectorMask<Float> m) {
        return FloatVector.zero(F).blend(1f, m);
    }

    /**
     * Σ of a vector's lanes, left to right. Not {@code reduceLanes(ADD)}: its order differs between
     * the interpreter and C2's intrinsic, so results would change bits once a loop gets compiled,
     * and the same seed must give the same numbers.
     */
    static float sumLanes(FloatVector v) {
        float s = 0f;
        for (int i = 0; i < LANES; i++) s += v.lane(i);
        return s;
    }

    /** Σ x[at … at+n). */
    static float sum(float[] x, int at, int n) {
        int bound = F.loopBound(n), i = 0;
        FloatVector acc = FloatVector.zero(F);
        for (; i < bound; i += LANES) acc = acc.add(FloatVector.fromArray(F, x, at + i));
        float s = sumLanes(acc);
        for (; i < n; i++) s += x[at + i];
        return s;
    }

    /** max x[at … at+n) (NaN if any element is NaN, −∞ for n = 0). */
    static float max(float[] x, int at, int n) {
        int bound = F.loopBound(n), i = 0;
        FloatVector acc = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (; i < bound; i += LANES) acc = acc.lanewise(VectorOperators.MAX, FloatVector.fromArray(F, x, at + i));
        float m = acc.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) m = Math.max(m, x[at + i]);
        return m;
    }

    /**
     * The index of the first maximum of x[at … at+n), n ≥ 1, or of the first NaN if there is one (PyTorch's
     * argmax): the maximum by vectors, then a search for where it first occurs.
     */
    static int argmax(float[] x, int at, int n) {
        float m = max(x, at, n);
        if (Float.isNaN(m)) {
            for (int i = 0; i < n; i++) if (Float.isNaN(x[at + i])) return i;
        }
        for (int i = 0; i < n; i++) if (x[at + i] == m) return i;
        return 0;  // not reached: m is one of the elements
    }

    /** True when no element of x[at … at+n) is NaN or infinite (x − x is 0 exactly for finite x). */
    static boolean allFinite(float[] x, int at, int n) {
        int bound = F.loopBound(n), i = 0;
        FloatVector acc = FloatVector.zero(F);
        for (; i < bound; i += LANES) {
            FloatVector v = FloatVector.fromArray(F, x, at + i);
            acc = acc.add(v.sub(v));
        }
        float s = sumLanes(acc);
        for (; i < n; i++) s += x[at + i] - x[at + i];
        return s == 0f;
    }

    /** o[oAt + i] op= x[xAt + i] for i &lt; n (op is ADD or MAX): one row of an [outer, n, inner] reduction. */
    static void accumulate(BinaryOp op, float[] x, int xAt, float[] o, int oAt, int n) {
        zip(op, o, oAt, 1, x, xAt, 1, o, oAt, n);
    }
}
