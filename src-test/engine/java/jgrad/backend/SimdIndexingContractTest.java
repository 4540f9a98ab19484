package jgrad.backend;

import jgrad.backend.simd.SimdBackend;

/** The indexing primitives on the simd backend (which runs the reference loops for them) against the reference. */
class SimdIndexingContractTest extends IndexingContractTest {
    private final Backend backend = new SimdBackend();

    @Override
    protected Backend backend() {
        return backend;
    }
}
