package jgrad.leaderboard;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Competitions, participants and submissions in one SQLite file (the default: WAL, synchronous
 * FULL so that a reply of success means the row is on disk, every write transaction BEGIN
 * IMMEDIATE, one writer) or in PostgreSQL through a JDBC URL (several servers behind a load
 * balancer: a submission locks its participant's row, so the daily limit holds across servers).
 * Prepared statements only. One connection per store; calls are serialised in arrival order.
 */
public final class BoardStore implements AutoCloseable {
    private final Connection db;
    private final boolean postgres;
    private final String where;
    private final Clock clock;
    /** One transaction at a time on the connection, served in arrival order (a fair lock: no request waits behind later ones). */
    private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock(true);

    /** A submission that was scored and stored. */
    public record Accepted(long id, String participant, double publicScore, int today, int dailyLimit) {}

    /** One stored submission, as the board and the history read it. */
    public record Row(long id, String participant, String created, double publicScore, double privateScore, String config, String note) {}

    private BoardStore(Connection db, boolean postgres, String where, Clock clock) {
        this.db = db;
        this.postgres = postgres;
        this.where = where;
        this.clock = clock;
    }

    /** Opens (creating the tables if needed) an SQLite file or a {@code jdbc:postgresql:} URL, or fails with one line naming it. */
    public static BoardStore open(String fileOrUrl, Clock clock) {
        boolean pg = fileOrUrl.startsWith("jdbc:postgresql:");
        String where = pg && fileOrUrl.contains("?") ? fileOrUrl.substring(0, fileOrUrl.indexOf('?')) : fileOrUrl;  // no password in messages
        if (fileOrUrl.startsWith("jdbc:") && !pg) throw new IllegalArgumentException("--db " + where + ": only jdbc:postgresql: URLs or an SQLite file");
        Connection c;
        try {
            if (pg) {
                c = DriverManager.getConnection(fileOrUrl);
                c.setAutoCommit(false);
            } else {
                Path file = Path.of(fileOrUrl);
                Path dir = file.toAbsolutePath().getParent();
                if (dir != null && !Files.isDirectory(dir)) throw new IllegalArgumentException("--db " + file + ": folder " + dir + " does not exist");
                if (Files.isDirectory(file)) throw new IllegalArgumentException("--db " + file + " is a folder, not a database file");
                Properties p = new Properties();
                p.setProperty("journal_mode", "WAL");
                p.setProperty("synchronous", "FULL");
                p.setProperty("busy_timeout", "30000");
                p.setProperty("foreign_keys", "true");
                c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), p);
            }
        } catch (SQLException e) {
            throw new IllegalArgumentException("leaderboard database " + where + " cannot be opened: " + oneLine(e));
        }
        BoardStore s = new BoardStore(c, pg, where, clock);
        try {
            s.tx(() -> {
                BoardSchema.createOrCheck(c, pg, where);
                return null;
            });
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    @FunctionalInterface
    private interface Tx<T> {
        T run() throws SQLException;
    }

    /** One transaction; an ApiError or any failure rolls it back, so a refused submission leaves nothing. */
    private <T> T tx(Tx<T> body) {
        lock.lock();
        try {
            return txLocked(body);
        } finally {
            lock.unlock();
        }
    }

    private <T> T txLocked(Tx<T> body) {
        try {
            if (!postgres) exec("BEGIN IMMEDIATE");
            T r = body.run();
            if (postgres) db.commit();
            else exec("COMMIT");
            return r;
        } catch (SQLException e) {
            rollback();
            throw new IllegalStateException("leaderboard database " + where + ": " + oneLine(e), e);
        } catch (RuntimeException e) {
            rollback();
            throw e;
        }
    }

    private void rollback() {
        try {
            if (postgres) db.rollback();
            else exec("ROLLBACK");
        } catch (SQLException ignored) {
            // no transaction was open (BEGIN itself failed)
        }
    }

    private void exec(String sql) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute(sql);
        }
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("\\s+", " ").strip();
    }

    private String now() {
        return Instant.now(clock).truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
    }

    /** Creates a competition; its name must be new in this database. */
    public Competition create(String name, String dataset, int classes, byte[] labels, boolean[] isPublic, Competition.Keep keep,
                              int dailyLimit, String joinCode) {
        Competition.checkName("competition name", name);
        new Competition(0, name, dataset, classes, labels, isPublic, keep, dailyLimit, false);  // checks labels, split, limit
        long id = tx(() -> {
            try (PreparedStatement q = db.prepareStatement("SELECT 1 FROM lb_competitions WHERE name = ?")) {
                q.setString(1, name);
                try (ResultSet r = q.executeQuery()) {
                    if (r.next()) throw new ApiError(409, "a competition named '" + name + "' already exists in " + where);
                }
            }
            try (PreparedStatement s = db.prepareStatement("INSERT INTO lb_competitions(name, dataset, classes, labels, public_mask, keep, "
                    + "daily_limit, join_code_hash, closed, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?) RETURNING id")) {
                s.setString(1, name);
                s.setString(2, dataset);
                s.setInt(3, classes);
                s.setBytes(4, labels);
                s.setBytes(5, mask(isPublic));
                s.setString(6, keep.word());
                s.setInt(7, dailyLimit);
                s.setString(8, joinCode == null ? null : Tokens.hash(joinCode));
                s.setString(9, now());
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    return r.getLong(1);
                }
            }
        });
        return competition(name);
    }

    /** The competition named {@code name}, or the only one when {@code name} is null. */
    public Competition competition(String name) {
        return tx(() -> {
            String sql = "SELECT id, name, dataset, classes, labels, public_mask, keep, daily_limit, closed FROM lb_competitions"
                    + (name == null ? " ORDER BY id" : " WHERE name = ?");
            try (PreparedStatement q = db.prepareStatement(sql)) {
                if (name != null) q.setString(1, name);
                try (ResultSet r = q.executeQuery()) {
                    if (!r.next()) {
                        throw new IllegalArgumentException(name == null ? "no competition in " + where + " (create one with ./jgrad leaderboard create)"
                                : "no competition named '" + name + "' in " + where);
                    }
                    Competition c = new Competition(r.getLong(1), r.getString(2), r.getString(3), r.getInt(4), r.getBytes(5),
                            unmask(r.getBytes(6)), Competition.Keep.parse(r.getString(7)), r.getInt(8), r.getInt(9) != 0);
                    if (name == null && r.next()) {
                        throw new IllegalArgumentException(where + " holds several competitions: name one with --competition");
                    }
                    return c;
                }
            }
        });
    }

    /** Adds a participant and returns their token, shown once: only its hash is stored. */
    public String addParticipant(Competition c, String name) {
        String clean = Competition.checkName("participant name", name);
        String token = Tokens.newToken();
        tx(() -> {
            try (PreparedStatement q = db.prepareStatement("SELECT 1 FROM lb_participants WHERE competition_id = ? AND name = ?")) {
                q.setLong(1, c.id());
                q.setString(2, clean);
                try (ResultSet r = q.executeQuery()) {
                    if (r.next()) throw new ApiError(409, "participant name '" + clean + "' is taken in " + c.name());
                }
            }
            try (PreparedStatement s = db.prepareStatement("INSERT INTO lb_participants(competition_id, name, token_hash, created) VALUES (?, ?, ?, ?)")) {
                s.setLong(1, c.id());
                s.setString(2, clean);
                s.setString(3, Tokens.hash(token));
                s.setString(4, now());
                s.executeUpdate();
            }
            return null;
        });
        return token;
    }

    /** A participant joins with the organiser's join code; returns their new token. 401 for a wrong code or none set. */
    public String join(Competition c, String code, String name) {
        String hash = tx(() -> {
            try (PreparedStatement q = db.prepareStatement("SELECT join_code_hash FROM lb_competitions WHERE id = ?")) {
                q.setLong(1, c.id());
                try (ResultSet r = q.executeQuery()) {
                    r.next();
                    return r.getString(1);
                }
            }
        });
        if (hash == null) throw new ApiError(401, "this competition has no join code: ask the organiser for a token");
        if (code == null || !java.security.MessageDigest.isEqual(hash.getBytes(), Tokens.hash(code).getBytes())) {
            throw new ApiError(401, "wrong join code");
        }
        return addParticipant(c, name);
    }

    /**
     * Scores and stores one submission, or refuses it with nothing stored: 401 for a token that is
     * no participant's, 403 once closed, 429 past the daily limit. The token alone says whose it
     * is: no field of the body can name another participant.
     */
    public Accepted submit(Competition c, String token, int[] predicted, String config, String note) {
        Scoring.Scores scores = Scoring.score(c, predicted);
        byte[] stored = new byte[predicted.length];
        for (int i = 0; i < predicted.length; i++) stored[i] = (byte) predicted[i];
        Instant t = Instant.now(clock);
        String day = t.atOffset(ZoneOffset.UTC).toLocalDate().toString();
        return tx(() -> {
            long pid;
            String pname;
            try (PreparedStatement q = db.prepareStatement("SELECT id, name FROM lb_participants WHERE token_hash = ? AND competition_id = ?"
                    + (postgres ? " FOR UPDATE" : ""))) {
                q.setString(1, Tokens.hash(token));
                q.setLong(2, c.id());
                try (ResultSet r = q.executeQuery()) {
                    if (!r.next()) throw new ApiError(401, "unknown token: no participant of " + c.name() + " has it");
                    pid = r.getLong(1);
                    pname = r.getString(2);
                }
            }
            try (PreparedStatement q = db.prepareStatement("SELECT closed FROM lb_competitions WHERE id = ?")) {
                q.setLong(1, c.id());
                try (ResultSet r = q.executeQuery()) {
                    r.next();
                    if (r.getInt(1) != 0) throw new ApiError(403, "competition " + c.name() + " is closed: no more submissions");
                }
            }
            int today;
            try (PreparedStatement q = db.prepareStatement("SELECT count(*) FROM lb_submissions WHERE participant_id = ? AND day = ?")) {
                q.setLong(1, pid);
                q.setString(2, day);
                try (ResultSet r = q.executeQuery()) {
                    r.next();
                    today = r.getInt(1);
                }
            }
            if (today >= c.dailyLimit()) {
                throw new ApiError(429, "daily limit reached: " + pname + " has made " + today + " of " + c.dailyLimit() + " submissions today (UTC)");
            }
            try (PreparedStatement s = db.prepareStatement("INSERT INTO lb_submissions(competition_id, participant_id, created, day, public_score, "
                    + "private_score, predictions, config, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
                s.setLong(1, c.id());
                s.setLong(2, pid);
                s.setString(3, t.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString());
                s.setString(4, day);
                s.setDouble(5, scores.publicScore());
                s.setDouble(6, scores.privateScore());
                s.setBytes(7, stored);
                s.setString(8, config);
                s.setString(9, note);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    return new Accepted(r.getLong(1), pname, scores.publicScore(), today + 1, c.dailyLimit());
                }
            }
        });
    }

    /** Closes the competition: no more submissions, and the board shows the private scores. */
    public void close(Competition c) {
        tx(() -> {
            try (PreparedStatement s = db.prepareStatement("UPDATE lb_competitions SET closed = 1 WHERE id = ?")) {
                s.setLong(1, c.id());
                s.executeUpdate();
            }
            return null;
        });
    }

    /** Whether the competition is closed now (another process may have closed it). */
    public boolean isClosed(Competition c) {
        return tx(() -> {
            try (PreparedStatement q = db.prepareStatement("SELECT closed FROM lb_competitions WHERE id = ?")) {
                q.setLong(1, c.id());
                try (ResultSet r = q.executeQuery()) {
                    r.next();
                    return r.getInt(1) != 0;
                }
            }
        });
    }

    /** Every submission of the competition, oldest first ({@code participant} null: everyone's). */
    public List<Row> rows(Competition c, String participant) {
        return tx(() -> {
            String sql = "SELECT s.id, p.name, s.created, s.public_score, s.private_score, s.config, s.note FROM lb_submissions s "
                    + "JOIN lb_participants p ON p.id = s.participant_id WHERE s.competition_id = ?" + (participant == null ? "" : " AND p.name = ?")
                    + " ORDER BY s.id";
            List<Row> out = new ArrayList<>();
            try (PreparedStatement q = db.prepareStatement(sql)) {
                q.setLong(1, c.id());
                if (participant != null) q.setString(2, participant);
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) out.add(new Row(r.getLong(1), r.getString(2), r.getString(3), r.getDouble(4), r.getDouble(5), r.getString(6), r.getString(7)));
                }
            }
            return out;
        });
    }

    /** The stored predictions of one submission (for audits and tests). */
    public byte[] predictions(long submissionId) {
        return tx(() -> {
            try (PreparedStatement q = db.prepareStatement("SELECT predictions FROM lb_submissions WHERE id = ?")) {
                q.setLong(1, submissionId);
                try (ResultSet r = q.executeQuery()) {
                    return r.next() ? r.getBytes(1) : null;
                }
            }
        });
    }

    /** The participants' names, in the order they were added. */
    public List<String> participants(Competition c) {
        return tx(() -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement q = db.prepareStatement("SELECT name FROM lb_participants WHERE competition_id = ? ORDER BY id")) {
                q.setLong(1, c.id());
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) out.add(r.getString(1));
                }
            }
            return out;
        });
    }

    static byte[] mask(boolean[] isPublic) {
        byte[] b = new byte[isPublic.length];
        for (int i = 0; i < b.length; i++) b[i] = (byte) (isPublic[i] ? 1 : 0);
        return b;
    }

    static boolean[] unmask(byte[] b) {
        boolean[] m = new boolean[b.length];
        for (int i = 0; i < b.length; i++) m[i] = b[i] != 0;
        return m;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            db.close();
        } catch (SQLException ignored) {
            // closing: nothing left to save
        } finally {
            lock.unlock();
        }
    }
}
