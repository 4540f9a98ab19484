package jgrad.backend.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector shape used by every kernel, chosen once at start-up:
 * {@code FloatVector.SPECIES_PREFERRED} (512 bits on AVX-512 machines, 256 on AVX2), or the
 * system property {@code jgrad.simd.bits} = 512, 256, 128 or 64. Setting it to 0 turns the simd
 * backend off: {@code Device.cpu()} is then the reference backend, which lets the two be
 * compared in one build.
 */
public final class Simd {
    private Simd() {}

    /** The Vector API's preferred width on this machine (512 with AVX-512, 256 with AVX2), whatever is in use. */
    public static final int PREFERRED_BITS = FloatVector.SPECIES_PREFERRED.vectorBitSize();

    /** The configured width in bits; 0 means SIMD is off. */
    public static final int BITS = configuredBits();

    /** The species for kernels. Static final, so C2 constant-folds it into every loop. */
    static final VectorSpecies<Float> F = species(BITS);

    /** Floats per vector. */
    static final int LANES = F.length();

    public static boolean enabled() {
        return BITS != 0;
    }

    /** Threads the simd backend splits big kernels over: the cores, or {@code -Djgrad.threads}. */
    public static int threads() {
        return Parallel.THREADS;
    }

    private static int configuredBits() {
        String p = System.getProperty("jgrad.simd.bits", "preferred");
        if (p.equals("preferred")) return PREFERRED_BITS;
        try {
            int bits = Integer.parseInt(p);
            if (bits == 0 || bits == 64 || bits == 128 || bits == 256 || bits == 512) return bits;
        } catch (NumberFormatException ignored) {
            // fall through to the error below
        }
        throw new IllegalArgumentException("-Djgrad.simd.bits=" + p + ": expected preferred, 512, 256, 128, 64 or 0 (off)");
    }

    private static VectorSpecies<Float> species(int bits) {
        return switch (bits) {
            case 512 -> FloatVector.SPECIES_512;
            case 256 -> FloatVector.SPECIES_256;
            case 128 -> FloatVector.SPECIES_128;
            case 64 -> FloatVector.SPECIES_64;
            default -> FloatVector.SPECIES_PREFERRED;  // unused when off
        };
    }
}
