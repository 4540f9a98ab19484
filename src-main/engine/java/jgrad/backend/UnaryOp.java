package jgrad.backend;

/**
 * Elementwise functions of one argument. {@link #apply} is the definition every backend must match;
 * the reference backend calls it directly. No derivatives here: those live with the ops, above the
 * seam.
 */
public enum UnaryOp {
    NEG {
        public float apply(float x) { return -x; }
    },
    EXP {
        public float apply(float x) { return (float) Math.exp(x); }
    },
    LOG {
        public float apply(float x) { return (float) Math.log(x); }
    },
    /** σ(x) = 1 / (1 + e⁻ˣ), written so that neither branch overflows. */
    SIGMOID {
        public float apply(float x) {
            if (x >= 0) return (float) (1.0 / (1.0 + Math.exp(-x)));
            double e = Math.exp(x);
            return (float) (e / (1.0 + e));
        }
    },
    TANH {
        public float apply(float x) { return (float) Math.tanh(x); }
    },
    RELU {
        public float apply(float x) { return x > 0 ? x : 0f; }
    },
    SQRT {
        public float apply(float x) { return (float) Math.sqrt(x); }
    },
    ABS {
        public float apply(float x) { return Math.abs(x); }
    },
    /** −1, 0 or 1. */
    SIGN {
        public float apply(float x) { return Math.signum(x); }
    },
    RECIPROCAL {
        public float apply(float x) { return 1f / x; }
    },
    SQUARE {
        public float apply(float x) { return x * x; }
    },
    /** The largest whole number ≤ x. */
    FLOOR {
        public float apply(float x) { return (float) Math.floor(x); }
    },
    /** min(max(x, 0), 6), MobileNet's bounded ReLU. */
    RELU6 {
        public float apply(float x) { return x > 0 ? Math.min(x, 6f) : 0f; }
    };

    public abstract float apply(float x);
}
