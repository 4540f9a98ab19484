package jgrad.backend.simd;

import java.util.List;
import jgrad.backend.Backend;
import jgrad.backend.BackendProvider;

/**
 * Registers the Vector API backend as the device {@code cpu}, unless SIMD is off or the JVM was
 * started without {@code --add-modules jdk.incubator.vector} (then {@code cpu} is the reference backend).
 */
public final class SimdProvider implements BackendProvider {
    @Override
    public String kind() {
        return "cpu";
    }

    @Override
    public boolean available() {
        try {
            return Simd.enabled();
        } catch (LinkageError e) {
            return false;  // the jdk.incubator.vector module is not in this JVM
        }
    }

    @Override
    public Backend open(String name) {
        return new SimdBackend();
    }

    @Override
    public List<String> describeDevices() {
        return List.of(String.format("cpu        %s, %d threads",
                available() ? "Vector API backend, " + Simd.BITS + "-bit vectors" : "SIMD off (the reference backend)",
                available() ? Simd.threads() : 1));  // (Simd is touched only when available)
    }
}
