package jgrad.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The peak memory of this process, measured the way the PyTorch peer measures its own: the peak
 * resident set size ({@code VmHWM} in {@code /proc/self/status}, Linux), which counts the Java heap
 * as far as it was touched, the JIT's code, thread stacks and any off-heap memory alike. Read
 * after a case has run in a fresh process ({@code jmh/peers/lockstep.py --fresh}), it is that
 * case's peak; in a long-running process, the largest case's so far.
 */
public final class PeakMemory {
    private PeakMemory() {}

    /** Peak resident set size in MB (2²⁰ bytes), or -1 where /proc/self/status is not there. */
    public static double rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;  // "VmHWM:  123456 kB"
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
