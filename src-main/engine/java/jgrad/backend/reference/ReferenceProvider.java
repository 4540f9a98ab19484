package jgrad.backend.reference;

import java.util.List;
import jgrad.backend.Backend;
import jgrad.backend.BackendProvider;

/** Registers the plain-loop oracle as the device {@code reference}. */
public final class ReferenceProvider implements BackendProvider {
    @Override
    public String kind() {
        return "reference";
    }

    @Override
    public Backend open(String name) {
        return new ReferenceBackend();
    }

    @Override
    public List<String> describeDevices() {
        return List.of("reference  plain loops, 1 thread (the oracle)");
    }
}
