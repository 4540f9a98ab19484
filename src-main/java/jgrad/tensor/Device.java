package jgrad.tensor;

import java.util.Objects;
import jgrad.backend.Backend;
import jgrad.backend.reference.ReferenceBackend;

/**
 * Where a tensor's memory lives and which {@link Backend} runs its kernels. Every tensor has one;
 * ops refuse to mix tensors from two devices.
 *
 * <p>{@code cpu} is the default. {@code reference} is the plain-loop oracle (also selectable for
 * {@code cpu} with {@code -Djgrad.cpu=reference}).
 */
public final class Device {
    private static final Device REFERENCE = new Device("reference", new ReferenceBackend());
    private static final Device CPU = REFERENCE.renamed("cpu");
    private static volatile Device defaultDevice = CPU;

    private final String name;
    private final Backend backend;

    public Device(String name, Backend backend) {
        this.name = Objects.requireNonNull(name);
        this.backend = Objects.requireNonNull(backend);
    }

    private Device renamed(String newName) {
        return new Device(newName, backend);
    }

    /** The CPU device. */
    public static Device cpu() {
        return CPU;
    }

    /** The single-threaded plain-loop backend, the oracle the others are tested against. */
    public static Device reference() {
        return REFERENCE;
    }

    /** Parses a device name as given on the command line: {@code cpu} or {@code reference}. */
    public static Device of(String spec) {
        return switch (spec) {
            case "cpu" -> CPU;
            case "reference" -> REFERENCE;
            default -> throw new IllegalArgumentException(
                    "unknown device '" + spec + "': expected one of cpu, reference");
        };
    }

    /** The device that tensor factories use when none is named. */
    public static Device getDefault() {
        return defaultDevice;
    }

    public static void setDefault(Device device) {
        defaultDevice = Objects.requireNonNull(device);
    }

    public String name() {
        return name;
    }

    public Backend backend() {
        return backend;
    }

    @Override
    public String toString() {
        return name;
    }
}
