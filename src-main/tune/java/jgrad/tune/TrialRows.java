package jgrad.tune;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A study and its trials read back from the tables both storages share (trials, trial_params,
 * trial_values; {@link SqliteSchema}, {@link PostgresSchema}). They differ in two things only, given
 * here: the column that keeps a trial's parameters in the order they were suggested (SQLite's
 * rowid, PostgreSQL's ord), and whether parameter values are stored typed (SQLite) or as text with
 * their kind (PostgreSQL: a double written by Double.toString reads back exactly).
 */
final class TrialRows {
    private TrialRows() {}

    /** The study called {@code name}, if there is one. */
    static Optional<StudyStorage.StudyInfo> study(Connection db, String name) throws SQLException {
        try (PreparedStatement s = db.prepareStatement("SELECT id, name, direction, seed, space_hash, space, lag FROM studies WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) return Optional.empty();
                return Optional.of(new StudyStorage.StudyInfo(r.getLong(1), r.getString(2), Direction.valueOf(r.getString(3)), r.getLong(4), r.getString(5), r.getString(6), r.getInt(7)));
            }
        }
    }

    static List<FrozenTrial> read(Connection db, long study, String paramOrder, boolean valuesAsText) throws SQLException {
        Map<Integer, Map<String, Object>> params = new TreeMap<>();
        try (PreparedStatement s = db.prepareStatement("SELECT number, name, kind, value FROM trial_params WHERE study_id = ? ORDER BY number, "
                + paramOrder)) {
            s.setLong(1, study);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    String kind = r.getString(3);
                    Object v = valuesAsText ? fromText(kind, r.getString(4)) : switch (kind) {
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

    private static Object fromText(String kind, String text) {
        return switch (kind) {
            case "float" -> Double.parseDouble(text);
            case "int" -> Long.parseLong(text);
            default -> text;
        };
    }
}
