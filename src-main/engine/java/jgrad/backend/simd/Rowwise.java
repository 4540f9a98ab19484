package jgrad.backend.simd;

import static jgrad.backend.simd.Simd.F;
import static jgrad.backend.simd.Simd.LANES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** Vector loops for the fused primitives: a softmax row and an SGD update. */
final class Rowwise {
    private Rowwise() {}

    /**
     * One row: o = softmax(x) or log softmax(x), over n elements. Three passes: the maximum m, then
     * s = Σ e^(x−m), then the output. Returns log s (so log Σ eˣ = m + log s; the cross-entropy needs it).
     */
    static float softmax(boolean log, float[] x, int xAt, float[] o, int oAt, int n) {
        float m = Pointwise.max(x, xAt, n);
        int bound = F.loopBound(n), i = 0;
        FloatVector acc = FloatVector.zero(F);
        for (; i < bound; i += LANES) {
            FloatVector e = Pointwise.exp(FloatVector.fromArray(F, x, xAt + i).sub(m));
            acc = acc.add(e);
            if (!log) e.intoArray(o, oAt + i);
        }
        float s = Pointwise.sumLanes(acc);
        for (; i < n; i++) {
            float e = (float) Math.exp(x[xAt + i] - m);
            s += e;
            if (!log) o[oAt + i] = e;
        }
        float logSum = (float) Math.log(s);
        if (log) {
            // (x − m) − log s, in that order: x − m is exact for nearby values, so large scores keep their precision
            int j = 0;
            for (; j < bound; j += LANES) FloatVector.fromArray(F, x, xAt + j).sub(m).sub(logSum).intoArray(o, oAt + j);
            for (; j < n; j++) o[oAt + j] = (x[xAt + j] - m) - logSum;
        } else {
            float inv = 1f / s;
            int j = 0;
            for (; j < bound; j += LANES) FloatVector.fromArray(F, o, oAt + j).mul(inv).intoArray(o, oAt + j);
            for (; j < n; j++) o[oAt + j] *= inv;
        }
        return logSum;
    }

    /** The SGD update of {@link jgrad.backend.Backend#sgdStep}, a vector at a time. */
    static void sgd(float[] p, int pAt, float[] g, int gAt, float[] v, int vAt, int n, float lr, float momentum, float dampening,
                    float weightDecay, boolean nesterov, boolean first) {
        int bound = F.loopBound(n), i = 0;
        for (; i < bound; i += LANES) {
            FloatVector theta = FloatVector.fromArray(F, p, pAt + i);
            FloatVector d = FloatVector.fromArray(F, g, gAt + i).add(theta.mul(weightDecay));
            if (momentum != 0) {
                FloatVector vi = first ? d : FloatVector.fromArray(F, v, vAt + i).mul(momentum).add(d.mul(1 - dampening));
                vi.intoArray(v, vAt + i);
                d = nesterov ? d.add(vi.mul(momentum)) : vi;
            }
            theta.sub(d.mul(lr)).intoArray(p, pAt + i);
        }
        for (; i < n; i++) {
            float theta = p[pAt + i];
            float d = g[gAt + i] + weightDecay * theta;
            if (momentum != 0) {
                float vi = first ? d : momentum * v[vAt + i] + (1 - dampening) * d;
                v[vAt + i] = vi;
                d = nesterov ? d + momentum * vi : vi;
            }
            p[pAt + i] = theta - lr * d;
        }
    }

    /** Adam, as ReferenceBackend.adamStep: the same formula lane by lane, the tail in scalars. */
    static void adam(float[] p, int pAt, float[] g, int gAt, float[] m, float[] v, int from, int to, float lr, float beta1, float beta2,
                     float eps, float weightDecay, float biasCorrection1, float biasCorrection2) {
        float stepSize = lr / biasCorrection1, c2Sqrt = (float) Math.sqrt(biasCorrection2);
        int i = from;
        for (; i + LANES <= to; i += LANES) {
            FloatVector theta = FloatVector.fromArray(F, p, pAt + i);
            FloatVector d = FloatVector.fromArray(F, g, gAt + i).add(theta.mul(weightDecay));
            FloatVector mi = FloatVector.fromArray(F, m, i).mul(beta1).add(d.mul(1 - beta1));
            FloatVector vi = FloatVector.fromArray(F, v, i).mul(beta2).add(d.mul(d).mul(1 - beta2));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            FloatVector denom = vi.sqrt().div(c2Sqrt).add(eps);
            theta.sub(mi.mul(stepSize).div(denom)).intoArray(p, pAt + i);
        }
        jgrad.backend.reference.ReferenceBackend.adam(p, pAt, g, gAt, m, v, i, to, lr, beta1, beta2, eps, weightDecay,
                biasCorrection1, biasCorrection2);
    }
}
