package jgrad.backend.simd;

import static jgrad.backend.simd.Simd.F;
import static jgrad.backend.simd.Simd.LANES;

import jdk.incubator.vector.FloatVector;
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

    /** o[oAt + i] = op(x[xAt + i]) for i &lt; n. */
    static void map(UnaryOp op, float[] x, int xAt, float[] o, int oAt, int n) {
        int bound = F.loopBound(n), i = 0;
        for (; i < bound; i += LANES) {
            FloatVector v = FloatVector.fromArray(F, x, xAt + i);
            apply(op, v).intoArray(o, oAt + i);
        }
        for (; i < n; i++) o[oAt + i] = op.apply(x[xAt + i]);
    }

    private static FloatVector apply(UnaryOp op, FloatVector v) {
        FloatVector ONE = v.broadcast(1f), ZERO = v.broadcast(0f);
        return switch (op) {
            case NEG -> v.neg();
            case EXP -> v.lanewise(VectorOperators.EXP);
            case LOG -> v.lanewise(VectorOperators.LOG);
            case SIGMOID -> ONE.div(ONE.add(v.neg().lanewise(VectorOperators.EXP)));
            case TANH -> v.lanewise(VectorOperators.TANH);
            case RELU -> v.max(ZERO);
            case SQRT -> v.sqrt();
            case ABS -> v.abs();
            case SIGN -> ZERO.blend(ONE, v.compare(VectorOperators.GT, 0f)).blend(ONE.neg(), v.compare(VectorOperators.LT, 0f))
                    .blend(v, v.test(VectorOperators.IS_NAN));
            case RECIPROCAL -> ONE.div(v);
            case SQUARE -> v.mul(v);
        };
    }

    /**
     * o[oAt + i] = op(a[aAt + i·aStep], b[bAt + i·bStep]) for i &lt; n, where a step is 1 (a run of
     * elements) or 0 (one element repeated: a broadcast operand).
     */
    static void zip(BinaryOp op, float[] a, int aAt, int aStep, float[] b, int bAt, int bStep, float[] o, int oAt, int n) {
        int bound = F.loopBound(n), i = 0;
        FloatVector aBroadcast = aStep == 0 && n > 0 ? FloatVector.broadcast(F, a[aAt]) : null;
        FloatVector bBroadcast = bStep == 0 && n > 0 ? FloatVector.broadcast(F, b[bAt]) : null;
        for (; i < bound; i += LANES) {
            FloatVector va = aBroadcast != null ? aBroadcast : FloatVector.fromArray(F, a, aAt + i);
            FloatVector vb = bBroadcast != null ? bBroadcast : FloatVector.fromArray(F, b, bAt + i);
            apply(op, va, vb).intoArray(o, oAt + i);
        }
        for (; i < n; i++) o[oAt + i] = op.apply(a[aAt + i * aStep], b[bAt + i * bStep]);
    }

    static FloatVector apply(BinaryOp op, FloatVector a, FloatVector b) {
        return switch (op) {
            case ADD -> a.add(b);
            case SUB -> a.sub(b);
            case MUL -> a.mul(b);
            case DIV -> a.div(b);
            case POW -> a.lanewise(VectorOperators.POW, b);
            case MAX -> a.lanewise(VectorOperators.MAX, b).blend(a, a.test(VectorOperators.IS_NAN)).blend(b, b.test(VectorOperators.IS_NAN));
            case MIN -> a.lanewise(VectorOperators.MIN, b).blend(a, a.test(VectorOperators.IS_NAN)).blend(b, b.test(VectorOperators.IS_NAN));
            case GT -> mask(a.compare(VectorOperators.GT, b));
            case GE -> mask(a.compare(VectorOperators.GE, b));
            case LT -> mask(a.compare(VectorOperators.LT, b));
            case EQ -> mask(a.compare(VectorOperators.EQ, b));
        };
    }

    private static FloatVector mask(VectorMask<Float> m) {
        return FloatVector.zero(F).blend(1f, m);
    }

    /** Σ x[at … at+n). */
    static float sum(float[] x, int at, int n) {
        int bound = F.loopBound(n), i = 0;
        FloatVector acc = FloatVector.zero(F);
        for (; i < bound; i += LANES) acc = acc.add(FloatVector.fromArray(F, x, at + i));
        float s = acc.reduceLanes(VectorOperators.ADD);
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

    /** o[oAt + i] op= x[xAt + i] for i &lt; n (op is ADD or MAX): one row of an [outer, n, inner] reduction. */
    static void accumulate(BinaryOp op, float[] x, int xAt, float[] o, int oAt, int n) {
        zip(op, o, oAt, 1, x, xAt, 1, o, oAt, n);
    }
}
