package jgrad.tune;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real worker processes on one SQLite file ({@link StudyWorkerMain}): killed with SIGKILL mid-trial
 * and resumed, and four at once. Each ends with every trial recorded once and the same trials as
 * a run in one process.
 */
class WorkerProcessesTest {
    @TempDir Path dir;

    private Process worker(Path db, String study, int n, int concurrency, long millisPerEpoch, Path log) throws IOException {
        return StudyWorkerMain.start(dir, db.toString(), study, n, concurrency, millisPerEpoch, log);
    }

    /** What must not differ between runs: each trial's number, state, configuration, value and reports. */
    static List<String> record(List<FrozenTrial> trials) {
        return trials.stream().map(t -> t.number() + " " + t.state() + " " + t.params() + " " + t.value() + " " + t.intermediate()).toList();
    }

    static List<String> reference(Path dir, int n) {
        try (StudyStorage db = new SqliteStorage(dir.resolve("reference.db"))) {
            Study s = StudyWorkerMain.study(db, "reference");
            s.optimize(Spaces::fakeTraining, n, null, 1);
            return record(s.trials());
        }
    }

    static Map<String, Long> completions(Path log) throws IOException {
        return Files.readAllLines(log).stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    @Test
    void killedWithSigkillMidTrialThenResumedNoTrialIsLostDuplicatedOrStuck() throws Exception {
        Path db = dir.resolve("study.db"), log = dir.resolve("completed.log");
        int n = 14;
        Process p = worker(db, "kill", n, 2, 60, log);
        // wait until some trials are done and two are running, then kill -9
        try (StudyStorage watch = new SqliteStorage(db)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                List<FrozenTrial> ts = watch.findStudy("kill").map(i -> watch.trials(i.id())).orElse(List.of());
                assertThat(System.nanoTime()).as("the worker got going: " + ts + " alive " + p.isAlive()).isLessThan(deadline);
                long done = ts.stream().filter(t -> t.state().finished()).count();
                long running = ts.stream().filter(t -> t.state() == TrialState.RUNNING && !t.intermediate().isEmpty()).count();
                if (done >= 4 && running >= 1) break;
                Thread.sleep(10);
            }
        }
        p.destroyForcibly().waitFor();
        List<Integer> wereRunning;
        try (StudyStorage watch = new SqliteStorage(db)) {
            List<FrozenTrial> ts = watch.trials(watch.findStudy("kill").orElseThrow().id());
            wereRunning = ts.stream().filter(t -> t.state() == TrialState.RUNNING).map(FrozenTrial::number).toList();
            assertThat(wereRunning).as("the kill left trials RUNNING").isNotEmpty();
            assertThat(ts.size()).as("killed before the end").isLessThan(n + 1);
        }
        // resume: the dead process's trials become INTERRUPTED and run again, then the rest
        Process resumed = worker(db, "kill", n, 2, 0, log);
        assertThat(resumed.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(resumed.exitValue()).isZero();
        try (StudyStorage check = new SqliteStorage(db)) {
            List<FrozenTrial> ts = check.trials(check.findStudy("kill").orElseThrow().id());
            assertThat(ts).extracting(FrozenTrial::number).containsExactlyElementsOf(range(n));
            assertThat(ts).allSatisfy(t -> assertThat(t.state().finished()).as("trial " + t.number()).isTrue());
            for (int r : wereRunning) assertThat(ts.get(r).attempts()).as("trial " + r + " was run again").isEqualTo(2);
            assertThat(record(ts)).as("the same trials as one uninterrupted run").isEqualTo(reference(dir, n));
            long completedObjectives = ts.stream().filter(t -> t.state() == TrialState.COMPLETE).count();
            Map<String, Long> c = completions(log);
            assertThat(c.values()).as("no objective run completed twice").allMatch(k -> k == 1);
            assertThat((long) c.size()).isEqualTo(completedObjectives);
        }
    }

    @Test
    void fourWorkerProcessesOnOneFileRecordEveryTrialOnce() throws Exception {
        Path db = dir.resolve("study.db"), log = dir.resolve("completed.log");
        int n = 40;
        try (StudyStorage s = new SqliteStorage(db)) {
            StudyWorkerMain.study(s, "four");    // created once, so that the four only load it
        }
        List<Process> ps = new ArrayList<>();
        for (int i = 0; i < 4; i++) ps.add(worker(db, "four", n, 2, 2, log));
        for (Process p : ps) {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("no worker failed (no 'database is locked')").isZero();
        }
        try (StudyStorage check = new SqliteStorage(db)) {
            List<FrozenTrial> ts = check.trials(check.findStudy("four").orElseThrow().id());
            assertThat(ts).extracting(FrozenTrial::number).containsExactlyElementsOf(range(n));
            assertThat(ts).allSatisfy(t -> assertThat(t.state().finished()).isTrue());
            assertThat(ts).allSatisfy(t -> assertThat(t.attempts()).isEqualTo(1));
            assertThat(completions(log).values()).allMatch(k -> k == 1);
            assertThat(record(ts)).as("eight workers in four processes give the trials of one").isEqualTo(reference(dir, n));
        }
    }

    static List<Integer> range(int n) {
        List<Integer> r = new ArrayList<>();
        for (int i = 0; i < n; i++) r.add(i);
        return r;
    }
}
