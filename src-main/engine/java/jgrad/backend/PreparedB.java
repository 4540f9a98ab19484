package jgrad.backend;

/**
 * The right operand of many matrix products, made ready once ({@link Backend#prepareB}): a recurrent
 * layer multiplies by the same W_hh at every time step, and a backend whose GEMM first copies B
 * into its kernel's layout (the Vector API backend packs it into strips) can do that once per
 * sequence instead of once per step. op(B) is k×n. The backend that made it reads it; what it
 * holds is the backend's business ({@link Plain}: B where it lies, for backends that need no
 * preparation). B must not change while a prepared copy of it is in use.
 */
public interface PreparedB {
    int k();

    int n();

    /** B where it lies, with its flag and leading dimension: {@link Backend#prepareB}'s default. */
    record Plain(boolean transB, int k, int n, Buffer b, int offset, int ld) implements PreparedB {}
}
