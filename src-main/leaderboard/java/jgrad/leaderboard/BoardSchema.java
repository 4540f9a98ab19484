package jgrad.leaderboard;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The leaderboard's tables, version {@value #VERSION}, the same in SQLite and PostgreSQL but for
 * three column types: lb_competitions (the labels and the public/private split as bytes, the keep
 * rule, the daily limit, a join code's hash, closed), lb_participants (name, SHA-256 of the token),
 * lb_submissions (every submission: time, UTC day, both scores, the predictions, config, note).
 * Created by the tool on first use; a newer version is refused.
 */
final class BoardSchema {
    static final int VERSION = 1;

    private BoardSchema() {}

    static void createOrCheck(Connection db, boolean postgres, String where) throws SQLException {
        String id = postgres ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY";
        String bytes = postgres ? "BYTEA" : "BLOB";
        String real = postgres ? "DOUBLE PRECISION" : "REAL";
        try (Statement s = db.createStatement()) {
            // several servers may start at once on a fresh PostgreSQL database: one creates the tables
            if (postgres) s.execute("SELECT pg_advisory_xact_lock(7714021)");
            s.execute("CREATE TABLE IF NOT EXISTS lb_schema(version INTEGER NOT NULL)");
        }
        int version = 0;
        try (PreparedStatement s = db.prepareStatement("SELECT max(version) FROM lb_schema"); ResultSet r = s.executeQuery()) {
            if (r.next()) version = r.getInt(1);
        }
        if (version > VERSION) {
            throw new IllegalArgumentException("leaderboard database " + where + " has schema version " + version + ", newer than this jgrad's " + VERSION);
        }
        if (version == VERSION) return;
        try (Statement s = db.createStatement()) {
            s.execute("CREATE TABLE lb_competitions(id " + id + ", name TEXT NOT NULL UNIQUE, dataset TEXT NOT NULL, classes INTEGER NOT NULL, "
                    + "labels " + bytes + " NOT NULL, public_mask " + bytes + " NOT NULL, keep TEXT NOT NULL, daily_limit INTEGER NOT NULL, "
                    + "join_code_hash TEXT, closed INTEGER NOT NULL, created TEXT NOT NULL)");
            s.execute("CREATE TABLE lb_participants(id " + id + ", competition_id BIGINT NOT NULL REFERENCES lb_competitions(id), "
                    + "name TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, created TEXT NOT NULL, UNIQUE(competition_id, name))");
            s.execute("CREATE TABLE lb_submissions(id " + id + ", competition_id BIGINT NOT NULL REFERENCES lb_competitions(id), "
                    + "participant_id BIGINT NOT NULL REFERENCES lb_participants(id), created TEXT NOT NULL, day TEXT NOT NULL, "
                    + "public_score " + real + " NOT NULL, private_score " + real + " NOT NULL, predictions " + bytes + " NOT NULL, "
                    + "config TEXT NOT NULL, note TEXT NOT NULL)");
            s.execute("CREATE INDEX lb_submissions_by_participant ON lb_submissions(participant_id, day)");
        }
        try (PreparedStatement s = db.prepareStatement("INSERT INTO lb_schema(version) VALUES (?)")) {
            s.setInt(1, VERSION);
            s.executeUpdate();
        }
    }
}
