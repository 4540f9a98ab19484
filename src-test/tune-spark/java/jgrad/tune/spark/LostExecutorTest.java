package jgrad.tune.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import jgrad.tune.ClusterRunner;
import jgrad.tune.FrozenTrial;
import jgrad.tune.Owners;
import jgrad.tune.SqliteStorage;
import jgrad.tune.Study;
import jgrad.tune.StudyStorage;
import jgrad.tune.TrialState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An executor lost mid-trial: a worker process (standing for an executor) killed with SIGKILL while
 * its trials run, then the study finished as Spark tasks on local[2]. The dead worker's trials are
 * reclaimed and run again under their numbers; none is lost, none run twice to the end, and the
 * study is the one a single thread makes with the same seed. And the driver's check after a round
 * ({@link LeftOver}): a trial whose owner died after every task had ended is handed to a new round.
 */
class LostExecutorTest {
    @TempDir Path dir;

    @Test
    void aKilledWorkersTrialsAreRunAgainBySparkTasksAndEveryTrialEndsOnce() throws Exception {
        Path db = dir.resolve("study.db"), log = dir.resolve("started.log");
        int n = 10;
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), ToyWorker.class.getName(),
                db.toString(), "lost", "" + n, log.toString(), "2", "150").redirectErrorStream(true).redirectOutput(dir.resolve("worker.out").toFile()).start();
        List<Integer> wereRunning;
        try (StudyStorage watch = new SqliteStorage(db)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                List<FrozenTrial> ts = watch.findStudy("lost").map(i -> watch.trials(i.id())).orElse(List.of());
                assertThat(System.nanoTime()).as("the worker got going: " + ts + ", alive " + p.isAlive()).isLessThan(deadline);
                if (ts.stream().filter(t -> t.state().finished()).count() >= 2 && ts.stream().anyMatch(t -> t.state() == TrialState.RUNNING && !t.intermediate().isEmpty())) break;
                Thread.sleep(10);
            }
            p.destroyForcibly().waitFor();
            wereRunning = watch.trials(watch.findStudy("lost").orElseThrow().id()).stream().filter(t -> t.state() == TrialState.RUNNING).map(FrozenTrial::number).toList();
        }
        assertThat(wereRunning).as("the kill left trials RUNNING").isNotEmpty();
        int before = Files.readAllLines(log).size();
        Map<Integer, Long> startsBefore = starts(log);  // a trial just claimed may have died before its start line
        assertThat(wereRunning).as("a killed trial had started (it reported a value)").anyMatch(r -> startsBefore.getOrDefault(r, 0L) == 1);

        ClusterRunner.Job job = new ClusterRunner.Job(ToyWorker.class.getName(), List.of(db.toString(), "lost", "" + n, log.toString()), db.toString(), "lost");
        new SparkRunner().run("local[2]", 0, job);

        try (StudyStorage s = new SqliteStorage(db)) {
            List<FrozenTrial> ts = s.trials(s.findStudy("lost").orElseThrow().id());
            assertThat(ts).extracting(FrozenTrial::number).containsExactlyElementsOf(IntStream.range(0, n).boxed().toList());
            assertThat(ts).allSatisfy(t -> assertThat(t.state().finished()).as("trial " + t.number() + " " + t.state()).isTrue());
            for (int r : wereRunning) assertThat(ts.get(r).attempts()).as("trial " + r + " was run again").isEqualTo(2);
            assertThat(SparkStudyTest.record(ts)).as("the same trials as one thread").isEqualTo(reference(n));
        }
        // each trial started once, the killed ones once more in a Spark task than in the dead worker
        Map<Integer, Long> starts = starts(log);
        for (int i = 0; i < n; i++) {
            long expected = wereRunning.contains(i) ? startsBefore.getOrDefault(i, 0L) + 1 : 1L;
            assertThat(starts.get(i)).as("starts of trial " + i).isEqualTo(expected);
        }
        assertThat(before).isLessThan(n);
    }

    private static Map<Integer, Long> starts(Path log) throws java.io.IOException {
        return Files.readAllLines(log).stream().map(Integer::valueOf).collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    @Test
    void aTrialWhoseOwnerDiedAfterTheTasksEndedIsHandedToANewRound() throws Exception {
        Path db = dir.resolve("left.db");
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String dead = Owners.self().split(":")[0] + ":" + gone.pid() + ":1";
        try (StudyStorage s = new SqliteStorage(db)) {
            Study study = ToyWorker.study(s, "left");
            long id = s.findStudy("left").orElseThrow().id();
            for (int i = 0; i < 3; i++) assertThat(s.claimTrial(id, i == 1 ? dead : Owners.self(), 3)).contains(i);
            s.finishTrial(id, 0, TrialState.COMPLETE, 0.5, 1);
            s.finishTrial(id, 2, TrialState.COMPLETE, 0.5, 1);
            ClusterRunner.Job job = new ClusterRunner.Job(ToyWorker.class.getName(), List.of(), db.toString(), "left");
            assertThat(new LeftOver(job).awaitRerun()).as("trial 1's owner is dead: run it again").isTrue();
            assertThat(study.trials().get(1).state()).isEqualTo(TrialState.INTERRUPTED);
            s.finishTrial(id, 1, TrialState.COMPLETE, 0.5, 1);
            assertThat(new LeftOver(job).awaitRerun()).as("every trial finished").isFalse();
        }
    }

    private List<String> reference(int n) throws Exception {
        try (StudyStorage s = new SqliteStorage(dir.resolve("reference.db"))) {
            Study r = ToyWorker.study(s, "reference");
            r.optimize(ToyWorker::fakeTraining, n, null, 1);
            return SparkStudyTest.record(r.trials());
        }
    }
}
