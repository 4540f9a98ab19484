package jgrad.backend;

import jgrad.backend.reference.ReferenceBackend;

/** The indexing primitives on the reference backend: the hand cases, and the oracle against itself. */
class ReferenceIndexingContractTest extends IndexingContractTest {
    private final Backend backend = new ReferenceBackend();

    @Override
    protected Backend backend() {
        return backend;
    }
}
