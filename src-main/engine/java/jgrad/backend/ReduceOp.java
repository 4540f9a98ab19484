package jgrad.backend;

/** Reductions along one axis. */
public enum ReduceOp {
    /** Σ xᵢ (0 over no elements). */
    SUM,
    /** max xᵢ (−∞ over no elements; NaN if any element is NaN). */
    MAX,
    /** The index of the first maximum, stored as a float (exact up to 2²⁴). */
    ARGMAX
}
