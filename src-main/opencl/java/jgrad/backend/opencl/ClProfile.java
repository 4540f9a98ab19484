package jgrad.backend.opencl;

import static org.jocl.CL.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_event;

/**
 * Where a GPU program's time goes, per kernel: how often it ran, how long the device spent in it
 * (OpenCL profiling events), and how long the host spent setting arguments and enqueueing it.
 * Switched on with {@code -Djgrad.opencl.profile=true}; the table is printed when the JVM exits.
 * Profiling adds an event per launch, so it slows the run a little: use it to compare, not to time.
 */
final class ClProfile {
    private record Pending(String name, cl_event event) {}

    private static final class Totals {
        long calls, deviceNanos, hostNanos;
    }

    private final List<Pending> pending = new ArrayList<>();
    private final Map<String, Totals> totals = new TreeMap<>();

    ClProfile(String device) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> print(device)));
    }

    synchronized void record(String name, cl_event event, long hostNanos) {
        totals.computeIfAbsent(name, n -> new Totals()).hostNanos += hostNanos;
        pending.add(new Pending(name, event));
        if (pending.size() >= 4096) collect();
    }

    /** Waits for the recorded commands and adds up their device times. */
    private synchronized void collect() {
        if (pending.isEmpty()) return;
        cl_event[] events = pending.stream().map(Pending::event).toArray(cl_event[]::new);
        clWaitForEvents(events.length, events);
        long[] start = new long[1], end = new long[1];
        for (Pending p : pending) {
            clGetEventProfilingInfo(p.event, CL_PROFILING_COMMAND_START, Sizeof.cl_ulong, Pointer.to(start), null);
            clGetEventProfilingInfo(p.event, CL_PROFILING_COMMAND_END, Sizeof.cl_ulong, Pointer.to(end), null);
            Totals t = totals.get(p.name);
            t.calls++;
            t.deviceNanos += end[0] - start[0];
            clReleaseEvent(p.event);
        }
        pending.clear();
    }

    private synchronized void print(String device) {
        collect();
        long device_ = 0, host = 0;
        for (Totals t : totals.values()) {
            device_ += t.deviceNanos;
            host += t.hostNanos;
        }
        System.err.printf(Locale.ROOT, "%nOpenCL profile on %s (device time: kernels running; host time: setting arguments and enqueueing)%n", device);
        System.err.printf(Locale.ROOT, "%-40s %9s %12s %10s %12s %10s%n", "kernel", "calls", "device ms", "µs/call", "host ms", "µs/call");
        for (Map.Entry<String, Totals> e : totals.entrySet()) {
            Totals t = e.getValue();
            if (t.calls == 0) continue;
            System.err.printf(Locale.ROOT, "%-40s %9d %12.2f %10.2f %12.2f %10.2f%n", e.getKey(), t.calls, t.deviceNanos / 1e6,
                    t.deviceNanos / 1e3 / t.calls, t.hostNanos / 1e6, t.hostNanos / 1e3 / t.calls);
        }
        System.err.printf(Locale.ROOT, "%-40s %9s %12.2f %10s %12.2f%n", "total", "", device_ / 1e6, "", host / 1e6);
    }
}
