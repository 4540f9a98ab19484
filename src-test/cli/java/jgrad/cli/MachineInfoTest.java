package jgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The machine line next to every benchmark result (#22), read from /proc/cpuinfo's text. */
class MachineInfoTest {
    private static String cpuinfo(String model, String flags) {
        // two processors: only the first is read
        return "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: " + model + "\nflags\t\t: " + flags + "\n\n"
                + "processor\t: 1\nmodel name\t: other\nflags\t\t: fpu\n";
    }

    @Test
    void avx512fMakesAnAvx512Machine() {
        MachineInfo m = MachineInfo.fromCpuinfo(cpuinfo("AMD EPYC", "fpu sse2 avx avx2 fma avx512f avx512dq avx512bw avx512vl"), 512, 256);
        assertThat(m).isEqualTo(new MachineInfo("AMD EPYC", "AVX-512", 512, 256));
        assertThat(m.describe()).isEqualTo("AMD EPYC, AVX-512, vectors 512-bit preferred, 256-bit in use");
        assertThat(m.fields()).containsExactly(java.util.Map.entry("cpu", "AMD EPYC"), java.util.Map.entry("isa", "AVX-512"),
                java.util.Map.entry("preferred_bits", 512), java.util.Map.entry("simd_bits", 256));
    }

    @Test
    void avx2WithoutAvx512fIsAvx2EvenWithOtherAvx512Words() {
        // "avx512_vnni"-like words do not count without avx512f itself; avx2 is matched as a whole word
        MachineInfo m = MachineInfo.fromCpuinfo(cpuinfo("Intel(R) Xeon(R) CPU @ 2.20GHz", "sse2 avx avx2 avx_vnni"), 256, 256);
        assertThat(m.isa()).isEqualTo("AVX2");
        assertThat(MachineInfo.fromCpuinfo(cpuinfo("old", "sse2 avx"), 256, 256).isa()).isEqualTo("AVX");
        assertThat(MachineInfo.fromCpuinfo(cpuinfo("older", "sse sse2"), 128, 128).isa()).isEqualTo("SSE");
    }

    @Test
    void noCpuinfoSaysUnknownAndSimdOffSaysSo() {
        MachineInfo m = MachineInfo.fromCpuinfo("", 256, 0);
        assertThat(m).isEqualTo(new MachineInfo("unknown", "unknown", 256, 0));
        assertThat(m.describe()).isEqualTo("unknown, unknown, vectors 256-bit preferred, simd off");
    }
}
