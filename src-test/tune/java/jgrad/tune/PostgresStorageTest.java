package jgrad.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL storage against a real server: the URL in JGRAD_TEST_POSTGRES_URL (.ci/run starts
 * Debian's postgresql on the loopback address and sets it; without it these tests are skipped).
 * Each test makes studies of its own names, so the database may be reused.
 */
class PostgresStorageTest {
    private static final String URL = System.getenv("JGRAD_TEST_POSTGRES_URL");
    @TempDir Path dir;

    @BeforeAll
    static void needsAServer() {
        Assumptions.assumeTrue(URL != null, "JGRAD_TEST_POSTGRES_URL is not set (.ci/run sets it after starting PostgreSQL)");
    }

    private static String unique(String name) {
        return name + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    }

    @Test
    void trialsAreClaimedStoredAndReclaimedWhenTheirOwnerStopsBeating() throws Exception {
        try (StudyStorage db = new PostgresStorage(URL, 1)) {
            long id = db.createStudy(unique("contract"), Direction.MINIMIZE, 5, "h", "space", 2).id();
            assertThat(db.claimTrial(id, Owners.self(), 2)).contains(0);
            assertThat(db.claimTrial(id, Owners.self(), 2)).contains(1);
            assertThat(db.claimTrial(id, Owners.self(), 2)).isEmpty();
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("lr", 0.1 + 0.2);   // 0.30000000000000004 must come back exactly
            p.put("epochs", 3L);
            p.put("optimizer", "sgd");
            db.setParams(id, 0, p, SearchSpace.hash(p));
            db.reportIntermediate(id, 0, 1, 0.5);
            db.reportIntermediate(id, 0, 1, 0.25);
            db.finishTrial(id, 0, TrialState.COMPLETE, 0.25, 1.5);
            FrozenTrial t = db.trials(id).get(0);
            assertThat(t.params()).containsExactly(Map.entry("lr", 0.1 + 0.2), Map.entry("epochs", 3L), Map.entry("optimizer", "sgd"));
            assertThat(t.intermediate()).containsExactly(Map.entry(1, 0.25));
            assertThat(t.value()).isEqualTo(0.25);
            // trial 1's owner (this process) is alive and beating: it stays RUNNING
            db.heartbeat(id, Owners.self());
            assertThat(db.interruptDeadOwners(id, Owners::alive)).isZero();
            // no beat for longer than the stale time (1 s): another machine's worker takes it as dead
            Thread.sleep(1500);
            assertThat(db.interruptDeadOwners(id, owner -> true)).isEqualTo(1);
            assertThat(db.trials(id).get(1).state()).isEqualTo(TrialState.INTERRUPTED);
            assertThat(db.claimTrial(id, Owners.self(), 2)).contains(1);
            assertThat(db.trials(id).get(1).attempts()).isEqualTo(2);
        }
    }

    @Test
    void fourWorkerProcessesRecordEveryTrialOnce() throws Exception {
        String study = unique("four");
        Path log = dir.resolve("completed.log");
        int n = 24;
        try (StudyStorage s = new PostgresStorage(URL, 60)) {
            StudyWorkerMain.study(s, study);
        }
        List<Process> ps = new ArrayList<>();
        for (int i = 0; i < 4; i++) ps.add(StudyWorkerMain.start(dir, URL, study, n, 2, 2, log));
        for (Process p : ps) {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        }
        try (StudyStorage check = new PostgresStorage(URL, 60)) {
            List<FrozenTrial> ts = check.trials(check.findStudy(study).orElseThrow().id());
            assertThat(ts).extracting(FrozenTrial::number).containsExactlyElementsOf(WorkerProcessesTest.range(n));
            assertThat(ts).allSatisfy(t -> assertThat(t.state().finished()).isTrue());
            assertThat(WorkerProcessesTest.completions(log).values()).allMatch(k -> k == 1);
            assertThat(WorkerProcessesTest.record(ts)).as("the trials of one process on SQLite").isEqualTo(WorkerProcessesTest.reference(dir, n));
        }
    }

    @Test
    void anUnreachableServerIsOneLineWithoutThePassword() {
        assertThatThrownBy(() -> StudyStorage.open("jdbc:postgresql://127.0.0.1:1/nowhere?user=u&password=secret&connectTimeout=2"))
                .hasMessageStartingWith("storage jdbc:postgresql://127.0.0.1:1/nowhere cannot be reached: ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret").doesNotContain("\n"));
        assertThatThrownBy(() -> StudyStorage.open("jdbc:mysql://h/db?password=x")).hasMessage("storage jdbc:mysql://h/db: only jdbc:postgresql: URLs or SQLite file paths are supported");
    }
}
