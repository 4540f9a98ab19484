package jgrad.backend;

import java.util.List;

/**
 * How the engine finds a backend: one implementation per kind of device, registered in its jar's
 * {@code META-INF/services/jgrad.backend.BackendProvider} and loaded with {@link java.util.ServiceLoader}.
 * {@code jgrad.tensor.Device} names no backend: {@code Device.of("opencl:1")} asks the provider of
 * kind {@code opencl} to resolve and open it. A new backend is one package and one registration
 * (docs/architecture.md, "How to add a backend").
 *
 * <p>The engine registers {@code reference} (the plain-loop oracle) and {@code cpu} (the Vector API
 * backend); {@code jgrad-opencl} registers {@code opencl} when its jar is on the classpath.
 */
public interface BackendProvider {
    /** The kind of device served, the part of a device name before ':' ({@code cpu}, {@code reference}, {@code opencl}). */
    String kind();

    /**
     * Whether the backend can run in this JVM. The {@code cpu} provider is unavailable when SIMD is
     * off ({@code -Djgrad.simd.bits=0}, {@code -Djgrad.cpu=reference}); {@code cpu} then runs on the
     * reference backend.
     */
    default boolean available() {
        return true;
    }

    /**
     * The canonical name of the device that {@code spec} names ({@code opencl} → {@code opencl:0}),
     * so that two spellings of one device share it. Throws an {@link IllegalArgumentException} or
     * {@link IllegalStateException} whose message names the device and what is wrong.
     */
    default String resolve(String spec) {
        if (!spec.equals(kind())) {
            throw new IllegalArgumentException("device '" + spec + "': the " + kind() + " backend has one device, '" + kind() + "'");
        }
        return spec;
    }

    /** A backend for the device {@code name} returned by {@link #resolve}; called once per name. */
    Backend open(String name);

    /** One line per device of this kind, for {@code ./jgrad devices}. */
    List<String> describeDevices();
}
