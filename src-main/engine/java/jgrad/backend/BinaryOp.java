package jgrad.backend;

/**
 * Elementwise functions of two arguments. Comparisons return 1 for true and 0 for false, so that a
 * comparison is a mask that can be multiplied in.
 */
public enum BinaryOp {
    ADD {
        public float apply(float a, float b) { return a + b; }
    },
    SUB {
        public float apply(float a, float b) { return a - b; }
    },
    MUL {
        public float apply(float a, float b) { return a * b; }
    },
    DIV {
        public float apply(float a, float b) { return a / b; }
    },
    POW {
        public float apply(float a, float b) { return (float) Math.pow(a, b); }
    },
    MAX {
        public float apply(float a, float b) { return Math.max(a, b); }
    },
    MIN {
        public float apply(float a, float b) { return Math.min(a, b); }
    },
    GT {
        public float apply(float a, float b) { return a > b ? 1f : 0f; }
    },
    GE {
        public float apply(float a, float b) { return a >= b ? 1f : 0f; }
    },
    LT {
        public float apply(float a, float b) { return a < b ? 1f : 0f; }
    },
    EQ {
        public float apply(float a, float b) { return a == b ? 1f : 0f; }
    },
    /**
     * a where b &gt; 0, else 0: the upstream gradient let through where the ReLU's output was positive
     * (PyTorch's threshold_backward). One pass instead of a comparison and a product.
     */
    GATE {
        public float apply(float a, float b) { return b > 0 ? a : 0f; }
    };

    public abstract float apply(float a, float b);
}
