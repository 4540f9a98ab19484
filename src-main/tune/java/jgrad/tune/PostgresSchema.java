package jgrad.tune;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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

    static List<FrozenTrial> readTrials(Connection db, long study) throws SQLException {
        Map<Integer, Map<String, Object>> params = new TreeMap<>();
        try (PreparedStatement s = db.prepareStatement("SELECT number, name, kind, value FROM trial_params WHERE study_id = ? ORDER BY number, ord")) {
            s.setLong(1, study);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    String text = r.getString(4);
                    Object v = switch (r.getString(3)) {
                        case "float" -> Double.parseDouble(text);
                        case "int" -> Long.parseLong(text);
                        default -> text;
                    };
                    params.computeIfAbsent(r.getInt(1), k -> new LinkedHashMap<>()).put(r.getString(2), v);
                }
            }
        }
        Map<Integer, TreeMap<Integer, Double>> values = new TreeMap<>();
        try (PreparedStatement s = db.prepareStatement("SELECT number, step, value FROM trial_values WHERE study_id = ?")) {
            s.setLong(1, study);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    double v = r.getDouble(3);
                    values.computeIfAbsent(r.getInt(1), k -> new TreeMap<>()).put(r.getInt(2), r.wasNull() ? Double.NaN : v);
                }
            }
        }
        List<FrozenTrial> out = new ArrayList<>();
        try (PreparedStatement s = db.prepareStatement("SELECT number, state, value, attempts, seconds FROM trials WHERE study_id = ? ORDER BY number")) {
            s.setLong(1, study);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    int n = r.getInt(1);
                    double v = r.getDouble(3);
                    if (r.wasNull()) v = Double.NaN;
                    out.add(new FrozenTrial(n, TrialState.valueOf(r.getString(2)), params.getOrDefault(n, Map.of()), v,
                            values.getOrDefault(n, new TreeMap<>()), r.getInt(4), r.getDouble(5)));
                }
            }
        }
        return out;
    }
}
