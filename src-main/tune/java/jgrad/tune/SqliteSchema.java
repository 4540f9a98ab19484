package jgrad.tune;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * The study file's tables, version {@value #VERSION}: studies; trials (one row per number, with
 * state, owner, configuration hash, value); trial_params (one row per parameter); trial_values
 * (what each trial reported at each step). A newer file is refused, an older one migrated.
 */
final class SqliteSchema {
    static final int VERSION = 1;

    private SqliteSchema() {}

    static void createOrCheck(Connection db, Path file) throws SQLException {
        SqliteStorage.exec(db, "CREATE TABLE IF NOT EXISTS jgrad_schema(version INTEGER NOT NULL)");
        int version = 0;
        try (PreparedStatement s = db.prepareStatement("SELECT max(version) FROM jgrad_schema"); ResultSet r = s.executeQuery()) {
            if (r.next()) version = r.getInt(1);
        }
        if (version > VERSION) {
            throw new IllegalArgumentException("storage " + file + " has schema version " + version + ", newer than this jgrad's " + VERSION + ": use a newer jgrad");
        }
        if (version == VERSION) return;
        // version 0 → 1: the first schema (later versions add their steps here, in order)
        SqliteStorage.exec(db, "CREATE TABLE studies(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, direction TEXT NOT NULL, "
                + "seed INTEGER NOT NULL, space_hash TEXT NOT NULL, space TEXT NOT NULL, lag INTEGER NOT NULL, created TEXT)");
        SqliteStorage.exec(db, "CREATE TABLE trials(study_id INTEGER NOT NULL REFERENCES studies(id), number INTEGER NOT NULL, "
                + "state TEXT NOT NULL, params_hash TEXT, value REAL, owner TEXT, attempts INTEGER NOT NULL, seconds REAL, "
                + "started TEXT, finished TEXT, PRIMARY KEY(study_id, number))");
        SqliteStorage.exec(db, "CREATE TABLE trial_params(study_id INTEGER NOT NULL, number INTEGER NOT NULL, name TEXT NOT NULL, "
                + "kind TEXT NOT NULL, value, PRIMARY KEY(study_id, number, name))");
        SqliteStorage.exec(db, "CREATE TABLE trial_values(study_id INTEGER NOT NULL, number INTEGER NOT NULL, step INTEGER NOT NULL, "
                + "value REAL, PRIMARY KEY(study_id, number, step))");
        SqliteStorage.exec(db, "INSERT INTO jgrad_schema(version) VALUES (" + VERSION + ")");
    }

    /** The study's trials ({@link TrialRows}: parameters in suggestion order by {@code rowid}). */
    static List<FrozenTrial> readTrials(Connection db, long study) throws SQLException {
        return TrialRows.read(db, study, "rowid", false);
    }
}
