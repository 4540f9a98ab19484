package jgrad.tune;

import java.nio.file.Path;
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

    static List<FrozenTrial> readTrials(Connection db, long study) throws SQLException {
        Map<Integer, Map<String, Object>> params = new TreeMap<>();
        try (PreparedStatement s = db.prepareStatement("SELECT number, name, kind, value FROM trial_params WHERE study_id = ? ORDER BY number, rowid")) {
            s.setLong(1, study);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    Object v = switch (r.getString(3)) {
                        case "float" -> r.getDouble(4);
                        case "int" -> r.getLong(4);
                        default -> r.getString(4);
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
