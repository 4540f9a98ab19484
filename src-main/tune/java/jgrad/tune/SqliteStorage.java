package jgrad.tune;

import java.nio.file.Files;
import java.nio.file.Path;
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
import java.util.Properties;
import java.util.function.Predicate;

/**
 * Studies in one SQLite file. Many processes share the file: WAL journal (readers do not block the
 * writer), every transaction BEGIN IMMEDIATE (it takes the write lock first, so two transactions
 * never deadlock upgrading a read lock, which SQLite answers "database is locked" at once) and a
 * busy timeout of a minute (a writer waits for another's lock instead of failing). Inside one
 * process all calls go through one connection, one at a time. The schema is created on first
 * use and versioned ({@link SqliteSchema}).
 */
public final class SqliteStorage implements StudyStorage {
    private final Connection db;
    private final Path file;

    /** Opens (creating if needed) the study file, or fails with a one-line error naming it. */
    public SqliteStorage(Path file) {
        this.file = file;
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) throw new IllegalArgumentException("storage " + file + ": folder " + dir + " does not exist");
        if (Files.isDirectory(file)) throw new IllegalArgumentException("storage " + file + " is a folder, not a study file");
        Properties p = new Properties();
        p.setProperty("journal_mode", "WAL");
        p.setProperty("busy_timeout", "60000");
        p.setProperty("synchronous", "NORMAL");
        p.setProperty("foreign_keys", "true");
        try {
            db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), p);
        } catch (SQLException e) {
            throw new IllegalArgumentException("storage " + file + " cannot be opened as a study file: " + oneLine(e));
        }
        try {
            tx(() -> {
                SqliteSchema.createOrCheck(db, file);
                return null;
            });
        } catch (IllegalStateException e) {
            close();
            String why = e.getCause() instanceof SQLException q ? oneLine(q) : e.getMessage();
            throw new IllegalArgumentException("storage " + file + " cannot be opened as a study file: " + why);
        } catch (IllegalArgumentException e) {
            close();
            throw e;
        }
    }

    @FunctionalInterface
    private interface Tx<T> {
        T run() throws SQLException;
    }

    /**
     * Runs one transaction, serialised with every other call of this process. BEGIN and COMMIT are
     * issued here, the connection staying in auto-commit between calls: the driver's own
     * transactions begin the next one at each commit, and an IMMEDIATE one would hold the write
     * lock while this process sleeps.
     */
    private synchronized <T> T tx(Tx<T> body) {
        try {
            exec(db, "BEGIN IMMEDIATE");
        } catch (SQLException e) {
            throw new IllegalStateException("storage " + file + ": " + oneLine(e), e);
        }
        try {
            T r = body.run();
            exec(db, "COMMIT");
            return r;
        } catch (SQLException | RuntimeException e) {
            try { exec(db, "ROLLBACK"); } catch (SQLException ignored) { /* the first error is the one to report */ }
            if (e instanceof RuntimeException re) throw re;
            throw new IllegalStateException("storage " + file + ": " + oneLine((SQLException) e), e);
        }
    }

    private static String oneLine(SQLException e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.replace('\n', ' ');
    }

    @Override
    public StudyInfo createStudy(String name, Direction direction, long seed, String spaceHash, String space, int lag) {
        return tx(() -> {
            if (TrialRows.study(db, name).isPresent()) throw new IllegalArgumentException("study '" + name + "' already exists in " + file + " (use --resume to continue it)");
            try (PreparedStatement s = db.prepareStatement("INSERT INTO studies(name, direction, seed, space_hash, space, lag, created) VALUES (?,?,?,?,?,?,datetime('now'))")) {
                s.setString(1, name);
                s.setString(2, direction.name());
                s.setLong(3, seed);
                s.setString(4, spaceHash);
                s.setString(5, space);
                s.setInt(6, lag);
                s.executeUpdate();
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
            Integer interrupted = null;
            try (PreparedStatement s = db.prepareStatement("SELECT min(number) FROM trials WHERE study_id = ? AND state = 'INTERRUPTED'")) {
                s.setLong(1, study);
                try (ResultSet r = s.executeQuery()) {
                    if (r.next() && r.getObject(1) != null) interrupted = r.getInt(1);
                }
            }
            if (interrupted != null) {
                update("UPDATE trials SET state = 'RUNNING', owner = ?, attempts = attempts + 1, started = datetime('now') WHERE study_id = ? AND number = ?",
                        owner, study, interrupted);
                return Optional.of(interrupted);
            }
            int count, next;
            try (PreparedStatement s = db.prepareStatement("SELECT count(*), coalesce(max(number) + 1, 0) FROM trials WHERE study_id = ?")) {
                s.setLong(1, study);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    count = r.getInt(1);
                    next = r.getInt(2);
                }
            }
            if (count >= maxTrials) return Optional.empty();
            update("INSERT INTO trials(study_id, number, state, owner, attempts, started) VALUES (?, ?, 'RUNNING', ?, 1, datetime('now'))", study, next, owner);
            return Optional.of(next);
        });
    }

    @Override
    public void setParams(long study, int number, Map<String, Object> params, String hash) {
        tx(() -> {
            update("DELETE FROM trial_params WHERE study_id = ? AND number = ?", study, number);
            for (Map.Entry<String, Object> e : params.entrySet()) {
                Object v = e.getValue();
                String kind = v instanceof Double ? "float" : v instanceof Long ? "int" : "choice";
                update("INSERT INTO trial_params(study_id, number, name, kind, value) VALUES (?,?,?,?,?)", study, number, e.getKey(), kind, v);
            }
            update("UPDATE trials SET params_hash = ? WHERE study_id = ? AND number = ?", hash, study, number);
            return null;
        });
    }

    @Override
    public void reportIntermediate(long study, int number, int step, double value) {
        tx(() -> update("INSERT OR REPLACE INTO trial_values(study_id, number, step, value) VALUES (?,?,?,?)", study, number, step, value));
    }

    @Override
    public void finishTrial(long study, int number, TrialState state, double value, double seconds) {
        tx(() -> update("UPDATE trials SET state = ?, value = ?, seconds = ?, finished = datetime('now') WHERE study_id = ? AND number = ?",
                state.name(), Double.isNaN(value) ? null : value, seconds, study, number));
    }

    @Override
    public void releaseTrial(long study, int number) {
        tx(() -> update("DELETE FROM trials WHERE study_id = ? AND number = ? AND params_hash IS NULL", study, number));
    }

    @Override
    public List<FrozenTrial> trials(long study) {
        return tx(() -> SqliteSchema.readTrials(db, study));
    }

    @Override
    public int interruptDeadOwners(long study, Predicate<String> alive) {
        return tx(() -> {
            List<Object[]> running = new ArrayList<>();
            try (PreparedStatement s = db.prepareStatement("SELECT number, owner FROM trials WHERE study_id = ? AND state = 'RUNNING'")) {
                s.setLong(1, study);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) running.add(new Object[] {r.getInt(1), r.getString(2)});
                }
            }
            int n = 0;
            for (Object[] t : running) {
                if (alive.test((String) t[1])) continue;
                n += update("UPDATE trials SET state = 'INTERRUPTED' WHERE study_id = ? AND number = ? AND state = 'RUNNING'", study, t[0]);
                update("DELETE FROM trial_values WHERE study_id = ? AND number = ?", study, t[0]);
            }
            return n;
        });
    }

    private int update(String sql, Object... args) throws SQLException {
        try (PreparedStatement s = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) s.setObject(i + 1, args[i]);
            return s.executeUpdate();
        }
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw new IllegalStateException("storage " + file + ": " + oneLine(e), e);
        }
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
