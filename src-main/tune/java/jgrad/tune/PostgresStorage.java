package jgrad.tune;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Studies in a PostgreSQL database, for workers on many machines sharing one study
 * ({@code --storage jdbc:postgresql://host/db?user=...}). Every write transaction first locks the
 * study's row ({@code SELECT ... FOR UPDATE}), so the writes to one study are serialised across
 * all workers as SQLite's write lock serialises them on one machine; claims are made inside such a
 * transaction. Workers heartbeat their running trials ({@link #heartbeat}); a RUNNING trial whose
 * heartbeat is older than {@code staleSeconds}, or whose owner on this host is gone, is made
 * INTERRUPTED and claimed again. The schema ({@link PostgresSchema}) is created on first use under
 * an advisory lock and versioned like SQLite's.
 */
public final class PostgresStorage implements StudyStorage {
    private final Connection db;
    private final String where;
    private final int staleSeconds;

    /** Connects, or fails with a one-line error naming the URL without its parameters (a password stays out of messages). */
    public PostgresStorage(String url, int staleSeconds) {
        this.where = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
        this.staleSeconds = staleSeconds;
        try {
            db = DriverManager.getConnection(url);
            db.setAutoCommit(false);
        } catch (SQLException e) {
            throw new IllegalArgumentException("storage " + where + " cannot be reached: " + oneLine(e));
        }
        try {
            tx(() -> {
                PostgresSchema.createOrCheck(db, where);
                return null;
            });
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @FunctionalInterface
    private interface Tx<T> {
        T run() throws SQLException;
    }

    private synchronized <T> T tx(Tx<T> body) {
        try {
            T r = body.run();
            db.commit();
            return r;
        } catch (SQLException | RuntimeException e) {
            try { db.rollback(); } catch (SQLException ignored) { /* the first error is the one to report */ }
            if (e instanceof RuntimeException re) throw re;
            throw new IllegalStateException("storage " + where + ": " + oneLine((SQLException) e), e);
        }
    }

    static String oneLine(SQLException e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse("").strip();
    }

    /** Locks the study's row until the transaction ends: the writes to one study go one at a time. */
    private void lockStudy(long study) throws SQLException {
        query("SELECT id FROM studies WHERE id = ? FOR UPDATE", study);
    }

    @Override
    public StudyInfo createStudy(String name, Direction direction, long seed, String spaceHash, String space, int lag) {
        return tx(() -> {
            if (TrialRows.study(db, name).isPresent()) throw new IllegalArgumentException("study '" + name + "' already exists in " + where + " (use --resume to continue it)");
            try {
                update("INSERT INTO studies(name, direction, seed, space_hash, space, lag, created) VALUES (?,?,?,?,?,?,now())",
                        name, direction.name(), seed, spaceHash, space, lag);
            } catch (SQLException e) {
                if ("23505".equals(e.getSQLState())) throw new IllegalArgumentException("study '" + name + "' already exists in " + where + " (use --resume to continue it)");
                throw e;
            }
            return TrialRows.study(db, name).orElseThrow();
        });
    }

    @Override
    public Optional<StudyInfo> findStudy(String name) {
        return tx(() -> TrialRows.study(db, name));
    }

    @Override
    public Optional<Integer> claimTrial(long study, String owner, int maxTrials) {
        return tx(() -> {
            lockStudy(study);
            List<Object[]> interrupted = query("SELECT min(number) FROM trials WHERE study_id = ? AND state = 'INTERRUPTED'", study);
            if (interrupted.getFirst()[0] != null) {
                int n = ((Number) interrupted.getFirst()[0]).intValue();
                update("UPDATE trials SET state = 'RUNNING', owner = ?, attempts = attempts + 1, started = now(), heartbeat = now() WHERE study_id = ? AND number = ?",
                        owner, study, n);
                return Optional.of(n);
            }
            Object[] c = query("SELECT count(*), coalesce(max(number) + 1, 0) FROM trials WHERE study_id = ?", study).getFirst();
            if (((Number) c[0]).intValue() >= maxTrials) return Optional.empty();
            int next = ((Number) c[1]).intValue();
            update("INSERT INTO trials(study_id, number, state, owner, attempts, started, heartbeat) VALUES (?, ?, 'RUNNING', ?, 1, now(), now())", study, next, owner);
            return Optional.of(next);
        });
    }

    @Override
    public void setParams(long study, int number, Map<String, Object> params, String hash) {
        tx(() -> {
            lockStudy(study);
            update("DELETE FROM trial_params WHERE study_id = ? AND number = ?", study, number);
            int order = 0;
            for (Map.Entry<String, Object> e : params.entrySet()) {
                Object v = e.getValue();
                String kind = v instanceof Double ? "float" : v instanceof Long ? "int" : "choice";
                update("INSERT INTO trial_params(study_id, number, name, kind, value, ord) VALUES (?,?,?,?,?,?)", study, number, e.getKey(), kind, v.toString(), order++);
            }
            update("UPDATE trials SET params_hash = ? WHERE study_id = ? AND number = ?", hash, study, number);
            return null;
        });
    }

    @Override
    public void reportIntermediate(long study, int number, int step, double value) {
        tx(() -> update("INSERT INTO trial_values(study_id, number, step, value) VALUES (?,?,?,?) "
                + "ON CONFLICT (study_id, number, step) DO UPDATE SET value = EXCLUDED.value", study, number, step, Double.isNaN(value) ? null : value)
                + update("UPDATE trials SET heartbeat = now() WHERE study_id = ? AND number = ?", study, number));
    }

    @Override
    public void finishTrial(long study, int number, TrialState state, double value, double seconds) {
        tx(() -> update("UPDATE trials SET state = ?, value = ?, seconds = ?, finished = now() WHERE study_id = ? AND number = ?",
                state.name(), Double.isNaN(value) ? null : value, seconds, study, number));
    }

    @Override
    public void releaseTrial(long study, int number) {
        tx(() -> {
            lockStudy(study);
            return update("DELETE FROM trials WHERE study_id = ? AND number = ? AND params_hash IS NULL", study, number);
        });
    }

    @Override
    public List<FrozenTrial> trials(long study) {
        return tx(() -> PostgresSchema.readTrials(db, study));
    }

    @Override
    public void heartbeat(long study, String owner) {
        tx(() -> update("UPDATE trials SET heartbeat = now() WHERE study_id = ? AND owner = ? AND state = 'RUNNING'", study, owner));
    }

    @Override
    public int interruptDeadOwners(long study, Predicate<String> alive) {
        return tx(() -> {
            lockStudy(study);
            List<Object[]> running = query("SELECT number, owner, extract(epoch FROM now() - heartbeat) FROM trials WHERE study_id = ? AND state = 'RUNNING'", study);
            int n = 0;
            for (Object[] t : running) {
                boolean stale = t[2] != null && ((Number) t[2]).doubleValue() > staleSeconds;
                if (!stale && alive.test((String) t[1])) continue;
                n += update("UPDATE trials SET state = 'INTERRUPTED' WHERE study_id = ? AND number = ? AND state = 'RUNNING'", study, t[0]);
                update("DELETE FROM trial_values WHERE study_id = ? AND number = ?", study, t[0]);
            }
            return n;
        });
    }

    private List<Object[]> query(String sql, Object... args) throws SQLException {
        try (PreparedStatement s = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) s.setObject(i + 1, args[i]);
            try (ResultSet r = s.executeQuery()) {
                List<Object[]> rows = new ArrayList<>();
                int cols = r.getMetaData().getColumnCount();
                while (r.next()) {
                    Object[] row = new Object[cols];
                    for (int c = 0; c < cols; c++) row[c] = r.getObject(c + 1);
                    rows.add(row);
                }
                return rows;
            }
        }
    }

    private int update(String sql, Object... args) throws SQLException {
        try (PreparedStatement s = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) s.setObject(i + 1, args[i]);
            return s.executeUpdate();
        }
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw new IllegalStateException("storage " + where + ": " + oneLine(e), e);
        }
    }
}
