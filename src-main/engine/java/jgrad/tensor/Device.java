package jgrad.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import jgrad.backend.Backend;
import jgrad.backend.BackendProvider;

/**
 * Where a tensor's memory lives and which {@link Backend} runs its kernels. Every tensor has one;
 * ops refuse to mix tensors from two devices.
 *
 * <p>Devices are named {@code kind} or {@code kind:N}, and each kind is served by a
 * {@link BackendProvider} found on the classpath: {@code cpu} (the default, the Vector API
 * backend), {@code reference} (the plain-loop oracle; {@code -Djgrad.cpu=reference} or
 * {@code -Djgrad.simd.bits=0} makes {@code cpu} use it too), and with the {@code jgrad-opencl} jar
 * {@code opencl} and {@code opencl:N} ({@code ./jgrad devices} lists them). Each device is opened
 * once, on first use.
 */
public final class Device {
    private static final Map<String, BackendProvider> PROVIDERS = loadProviders();
    private static final Map<String, Device> OPENED = new ConcurrentHashMap<>();
    private static final Device REFERENCE = of("reference");
    private static final Device CPU = chooseCpu();
    private static volatile Device defaultDevice = CPU;

    private final String name;
    private final Backend backend;

    public Device(String name, Backend backend) {
        this.name = Objects.requireNonNull(name);
        this.backend = Objects.requireNonNull(backend);
    }

    private static Map<String, BackendProvider> loadProviders() {
        Map<String, BackendProvider> byKind = new java.util.LinkedHashMap<>();
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class, Device.class.getClassLoader())) {
            BackendProvider before = byKind.putIfAbsent(p.kind(), p);
            if (before != null) {
                throw new IllegalStateException("two backends registered for devices '" + p.kind() + "': "
                        + before.getClass().getName() + " and " + p.getClass().getName());
            }
        }
        if (!byKind.containsKey("reference")) {
            throw new IllegalStateException("no 'reference' backend registered: is jgrad-engine's "
                    + "META-INF/services/jgrad.backend.BackendProvider on the classpath?");
        }
        return byKind;
    }

    /** The {@code cpu} provider's backend, or the reference backend when it is unavailable (SIMD off). */
    private static Device chooseCpu() {
        BackendProvider p = PROVIDERS.get("cpu");
        boolean reference = "reference".equals(System.getProperty("jgrad.cpu")) || p == null || !p.available();
        return reference ? new Device("cpu", REFERENCE.backend) : of("cpu");
    }

    /** The CPU device. */
    public static Device cpu() {
        return CPU;
    }

    /** The single-threaded plain-loop backend, the oracle the others are tested against. */
    public static Device reference() {
        return REFERENCE;
    }

    /**
     * The device named {@code spec} as given on the command line: {@code cpu}, {@code reference},
     * {@code opencl}, {@code opencl:N}, … (whatever kinds are registered).
     */
    public static Device of(String spec) {
        if (spec.equals("cpu") && CPU != null) return CPU;
        String kind = spec.contains(":") ? spec.substring(0, spec.indexOf(':')) : spec;
        BackendProvider p = PROVIDERS.get(kind);
        if (p == null) {
            String hint = kind.equals("opencl") ? " (the OpenCL backend, jgrad-opencl, is not on the classpath)" : "";
            throw new IllegalArgumentException("unknown device '" + spec + "'" + hint + ": expected one of " + known());
        }
        String name = p.resolve(spec);
        return OPENED.computeIfAbsent(name, n -> new Device(n, p.open(n)));
    }

    /** The device names the registered providers accept, for messages. */
    private static String known() {
        List<String> names = new ArrayList<>();
        for (String kind : PROVIDERS.keySet()) {
            names.add(kind);
            if (!kind.equals("cpu") && !kind.equals("reference")) names.add(kind + ":N");
        }
        return String.join(", ", names);
    }

    /** Every registered provider, {@code cpu} and {@code reference} first: what {@code ./jgrad devices} lists. */
    public static List<BackendProvider> providers() {
        List<BackendProvider> all = new ArrayList<>(PROVIDERS.values());
        List<String> first = List.of("cpu", "reference");
        all.sort(java.util.Comparator.comparingInt((BackendProvider p) -> first.contains(p.kind()) ? first.indexOf(p.kind()) : first.size())
                .thenComparing(BackendProvider::kind));
        return all;
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
