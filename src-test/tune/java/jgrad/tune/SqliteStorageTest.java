package jgrad.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStorageTest {
    @TempDir Path dir;

    @Test
    void trialsAndTheirParametersValuesAndStatesSurviveReopening() {
        Path f = dir.resolve("s.db");
        long id;
        try (StudyStorage db = new SqliteStorage(f)) {
            id = db.createStudy("a", Direction.MINIMIZE, 5, "h", "space", 2).id();
            assertThat(db.claimTrial(id, "me", 2)).contains(0);
            assertThat(db.claimTrial(id, "me", 2)).contains(1);
            assertThat(db.claimTrial(id, "me", 2)).isEmpty();
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("lr", 0.25);
            p.put("epochs", 3L);
            p.put("optimizer", "sgd");
            db.setParams(id, 0, p, SearchSpace.hash(p));
            db.reportIntermediate(id, 0, 1, 0.5);
            db.reportIntermediate(id, 0, 2, 0.25);
            db.finishTrial(id, 0, TrialState.COMPLETE, 0.25, 1.5);
        }
        try (StudyStorage db = new SqliteStorage(f)) {
            StudyStorage.StudyInfo info = db.findStudy("a").orElseThrow();
            assertThat(info).isEqualTo(new StudyStorage.StudyInfo(id, "a", Direction.MINIMIZE, 5, "h", "space", 2));
            FrozenTrial t = db.trials(id).get(0);
            assertThat(t.params()).containsExactly(Map.entry("lr", 0.25), Map.entry("epochs", 3L), Map.entry("optimizer", "sgd"));
            assertThat(t.intermediate()).containsExactly(Map.entry(1, 0.5), Map.entry(2, 0.25));
            assertThat(t.state()).isEqualTo(TrialState.COMPLETE);
            assertThat(t.value()).isEqualTo(0.25);
            assertThat(db.trials(id).get(1).state()).isEqualTo(TrialState.RUNNING);
            // the owner "me" is no process: its running trial becomes INTERRUPTED, and is claimed again first
            assertThat(db.interruptDeadOwners(id, Owners::alive)).isEqualTo(1);
            assertThat(db.trials(id).get(1).state()).isEqualTo(TrialState.INTERRUPTED);
            assertThat(db.claimTrial(id, Owners.self(), 2)).contains(1);
            assertThat(db.trials(id).get(1).attempts()).isEqualTo(2);
            assertThat(db.interruptDeadOwners(id, Owners::alive)).as("this process is alive").isZero();
        }
    }

    @Test
    void aFileOfANewerSchemaIsRefused() throws Exception {
        Path f = dir.resolve("s.db");
        new SqliteStorage(f).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + f); Statement s = c.createStatement()) {
            s.execute("UPDATE jgrad_schema SET version = 99");
        }
        assertThatThrownBy(() -> new SqliteStorage(f)).hasMessage("storage " + f + " has schema version 99, newer than this jgrad's 1: use a newer jgrad");
    }

    @Test
    void aFileThatIsNotADatabaseOrAMissingFolderIsOneLine() throws Exception {
        Path junk = dir.resolve("junk.db");
        Files.write(junk, "this is not SQLite, it is a text file with enough bytes to have a header".repeat(20).getBytes());
        assertThatThrownBy(() -> new SqliteStorage(junk)).hasMessageStartingWith("storage " + junk + " cannot be opened as a study file")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(Files.readString(junk)).as("left as it was").startsWith("this is not SQLite");
        Path nowhere = dir.resolve("no/such/folder/s.db");
        assertThatThrownBy(() -> new SqliteStorage(nowhere)).hasMessage("storage " + nowhere + ": folder " + nowhere.getParent() + " does not exist");
        assertThatThrownBy(() -> new SqliteStorage(dir)).hasMessage("storage " + dir + " is a folder, not a study file");
    }
}
