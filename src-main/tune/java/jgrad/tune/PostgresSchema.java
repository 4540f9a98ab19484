package jgrad.tune;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * The PostgreSQL tables, version {@value #VERSION}: the SQLite schema's ({@link SqliteSchema}) with
 * typed columns, a heartbeat per trial, and parameter values as text with their kind (a double
 * written by Double.toString reads back exactly).
 */
final class PostgresSchema {
    static final int VERSION = 1;

    private PostgresSchema() {}

    static void createOrCheck(Connection db, String where) throws SQLException {
        // one process at a time creates or migrates the schema
        PostgresStorage.exec(db, "SELECT pg_advisory_xact_lock(7406231)");
        PostgresStorage.exec(db, "CREATE TABLE IF NOT EXISTS jgrad_schema(version INTEGER NOT NULL)");
        int version = 0;
        try (PreparedStatement s = db.prepareStatement("SELECT coalesce(max(version), 0) FROM jgrad_schema"); ResultSet r = s.executeQuery()) {
            if (r.next()) version = r.getInt(1);
        }
        if (version > VERSION) {
            throw new IllegalArgumentException("storage " + where + " has schema version " + version + ", newer than this jgrad's " + VERSION + ": use a newer jgrad");
        }
        if (version == VERSION) return;
        PostgresStorage.exec(db, "CREATE TABLE studies(id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL UNIQUE, direction TEXT NOT NULL, "
                + "seed BIGINT NOT NULL, space_hash TEXT NOT NULL, space TEXT NOT NULL, lag INTEGER NOT NULL, created TIMESTAMPTZ)");
        PostgresStorage.exec(db, "CREATE TABLE trials(study_id BIGINT NOT NULL REFERENCES studies(id), number INTEGER NOT NULL, "
                + "state TEXT NOT NULL, params_hash TEXT, value DOUBLE PRECISION, owner TEXT, attempts INTEGER NOT NULL, seconds DOUBLE PRECISION, "
                + "started TIMESTAMPTZ, finished TIMESTAMPTZ, heartbeat TIMESTAMPTZ, PRIMARY KEY(study_id, number))");
        PostgresStorage.exec(db, "CREATE TABLE trial_params(study_id BIGINT NOT NULL, number INTEGER NOT NULL, name TEXT NOT NULL, "
                + "kind TEXT NOT NULL, value TEXT NOT NULL, ord INTEGER NOT NULL, PRIMARY KEY(study_id, number, name))");
        PostgresStorage.exec(db, "CREATE TABLE trial_values(study_id BIGINT NOT NULL, number INTEGER NOT NULL, step INTEGER NOT NULL, "
                + "value DOUBLE PRECISION, PRIMARY KEY(study_id, number, step))");
        PostgresStorage.exec(db, "INSERT INTO jgrad_schema(version) VALUES (" + VERSION + ")");
    }

    /** The study's trials ({@link TrialRows}: parameters in suggestion order by {@code ord}). */
    static List<FrozenTrial> readTrials(Connection db, long study) throws SQLException {
        return TrialRows.read(db, study, "ord", true);
    }
}
