package jgrad.tune;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Optional;

/**
 * Who runs a trial: "host:pid:start-millis" of a process. A trial is RUNNING only while its owner
 * lives; on this host, an owner is alive when a process with that pid exists and started at that
 * time (a reused pid is not mistaken for the old process). Owners on other hosts are taken as alive
 * (a shared storage across machines needs heartbeats: the PostgreSQL storage's business).
 */
public final class Owners {
    private static final String HOST = host();
    private static final String SELF = HOST + ":" + ProcessHandle.current().pid() + ":" + startMillis(ProcessHandle.current()).orElse(0L);

    private Owners() {}

    /** This process. */
    public static String self() {
        return SELF;
    }

    public static boolean alive(String owner) {
        if (owner == null) return false;
        String[] f = owner.split(":");
        if (f.length != 3) return false;
        if (!f[0].equals(HOST)) return true;
        try {
            long pid = Long.parseLong(f[1]), start = Long.parseLong(f[2]);
            Optional<ProcessHandle> p = ProcessHandle.of(pid);
            return p.isPresent() && p.get().isAlive() && startMillis(p.get()).map(s -> s == start).orElse(true);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Optional<Long> startMillis(ProcessHandle p) {
        return p.info().startInstant().map(Instant::toEpochMilli);
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName().replace(':', '_');
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }
}
