package jgrad.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jgrad.backend.simd.Simd;

/**
 * What a measurement depends on, printed next to it (#22): the CPU model, its widest vector
 * instruction set (from the {@code flags} line of /proc/cpuinfo: AVX-512 when {@code avx512f} is
 * there, else AVX2, else AVX, else SSE), the Vector API's preferred width and the width the simd
 * backend uses ({@code -Djgrad.simd.bits}). A machine without /proc/cpuinfo reports "unknown".
 *
 * @param cpu           the first "model name" of /proc/cpuinfo
 * @param isa           AVX-512, AVX2, AVX, SSE or unknown
 * @param preferredBits {@code FloatVector.SPECIES_PREFERRED}'s width
 * @param simdBits      the width in use; 0 when the simd backend is off
 */
public record MachineInfo(String cpu, String isa, int preferredBits, int simdBits) {

    /** This machine, now. */
    public static MachineInfo here() {
        String text;
        try {
            text = Files.readString(Path.of("/proc/cpuinfo"));
        } catch (IOException | RuntimeException e) {
            text = "";
        }
        return fromCpuinfo(text, Simd.PREFERRED_BITS, Simd.BITS);
    }

    /** Parses the text of /proc/cpuinfo (only its first processor is read). */
    static MachineInfo fromCpuinfo(String cpuinfo, int preferredBits, int simdBits) {
        String model = "unknown";
        List<String> flags = List.of();
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            String key = line.substring(0, colon).strip(), value = line.substring(colon + 1).strip();
            if (key.equals("model name") && model.equals("unknown")) model = value;
            if (key.equals("flags") && flags.isEmpty()) flags = List.of(value.split("\\s+"));
        }
        String isa = flags.contains("avx512f") ? "AVX-512" : flags.contains("avx2") ? "AVX2" : flags.contains("avx") ? "AVX"
                : flags.contains("sse2") ? "SSE" : "unknown";
        return new MachineInfo(model, isa, preferredBits, simdBits);
    }

    /** One line for a report's header: "AMD EPYC, AVX-512, vectors 512-bit preferred, 256-bit in use". */
    public String describe() {
        return cpu + ", " + isa + ", vectors " + preferredBits + "-bit preferred, "
                + (simdBits == 0 ? "simd off" : simdBits + "-bit in use");
    }

    /** The same as JSON fields: cpu, isa, preferred_bits, simd_bits. */
    public Map<String, Object> fields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpu", cpu);
        m.put("isa", isa);
        m.put("preferred_bits", preferredBits);
        m.put("simd_bits", simdBits);
        return m;
    }
}
