package jgrad.tensor;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import jgrad.backend.Backend;
import jgrad.backend.reference.ReferenceBackend;
import jgrad.backend.simd.Simd;
import jgrad.backend.opencl.OpenCl;
import jgrad.backend.opencl.OpenClBackend;
import jgrad.backend.simd.SimdBackend;

/**
 * Where a tensor's memory lives and which {@link Backend} runs its kernels. Every tensor has one;
 * ops refuse to mix tensors from two devices.
 *
 * <p>{@code cpu} is the default: the Vector API backend ({@code jgrad.backend.simd}). {@code reference}
 * is the plain-loop oracle; {@code -Djgrad.cpu=reference} or {@code -Djgrad.simd.bits=0} makes
 * {@code cpu} use it too. {@code opencl} is the first OpenCL GPU (or OpenCL device 0), {@code opencl:N}
 * the N-th OpenCL device ({@code ./jgrad devices} lists them); each is opened once, on first use.
 */
public final class Device {
    private static final Device REFERENCE = new Device("reference", new ReferenceBackend());
    private static final Device CPU = chooseCpu();
    private static volatile Device defaultDevice = CPU;
    private static final Map<Integer, Device> OPENCL = new ConcurrentHashMap<>();

    private final String name;
    private final Backend backend;

    public Device(String name, Backend backend) {
        this.name = Objects.requireNonNull(name);
        this.backend = Objects.requireNonNull(backend);
    }

    /** The Vector API backend, unless SIMD is off ({@code -Djgrad.simd.bits=0}) or {@code -Djgrad.cpu=reference}. */
    private static Device chooseCpu() {
        boolean reference = "reference".equals(System.getProperty("jgrad.cpu")) || !Simd.enabled();
        return new Device("cpu", reference ? REFERENCE.backend : new SimdBackend());
    }

    /** The CPU device. */
    public static Device cpu() {
        return CPU;
    }

    /** The single-threaded plain-loop backend, the oracle the others are tested against. */
    public static Device reference() {
        return REFERENCE;
    }

    /** Parses a device name as given on the command line: {@code cpu}, {@code reference}, {@code opencl} or {@code opencl:N}. */
    public static Device of(String spec) {
        if (spec.equals("opencl") || spec.startsWith("opencl:")) return opencl(OpenCl.find(spec));
        return switch (spec) {
            case "cpu" -> CPU;
            case "reference" -> REFERENCE;
            default -> throw new IllegalArgumentException(
                    "unknown device '" + spec + "': expected one of cpu, reference, opencl, opencl:N");
        };
    }

    /** The device for one OpenCL device, its context created the first time. */
    private static Device opencl(OpenCl.DeviceInfo info) {
        return OPENCL.computeIfAbsent(info.index(), i -> new Device("opencl:" + i, new OpenClBackend(info)));
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
