package jgrad.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StudyTest {
    @TempDir Path dir;

    private Study study(StudyStorage db, String name, Sampler sampler, Pruner pruner) {
        return Study.builder(db, name, Spaces.trainLike()).direction(Direction.MAXIMIZE).seed(7).sampler(sampler).pruner(pruner).create();
    }

    /** The configurations and values of a study, trial by trial, as text. */
    private static List<String> record(Study s) {
        return s.trials().stream().map(t -> t.number() + " " + t.state() + " " + t.params() + " " + t.value() + " " + t.intermediate()).toList();
    }

    @Test
    void theSameStudyWithOneAndTwoConcurrentTrialsGivesTheSameTrials() {
        try (StudyStorage db = new SqliteStorage(dir.resolve("s.db"))) {
            Study one = study(db, "one", new TpeSampler(), new MedianPruner(3, 1));
            Study two = study(db, "two", new TpeSampler(), new MedianPruner(3, 1));
            one.optimize(Spaces::fakeTraining, 30, null, 1);
            two.optimize(t -> {
                // trials finish in another order when they run two at a time
                Thread.sleep((t.number() * 7919L) % 5);
                return Spaces.fakeTraining(t);
            }, 30, null, 2);
            List<String> a = record(one), b = record(two);
            assertThat(a).hasSize(30);
            assertThat(b).isEqualTo(a);
            assertThat(one.trials()).extracting(FrozenTrial::state).contains(TrialState.PRUNED, TrialState.COMPLETE);
        }
    }

    @Test
    void everyTrialIsFinishedWithItsStateAndTheBestIsTheLargestValue() {
        try (StudyStorage db = new SqliteStorage(dir.resolve("s.db"))) {
            Study s = study(db, "s", new RandomSampler(), Pruner.NONE);
            int ran = s.optimize(t -> {
                if (t.number() == 3) throw new IllegalStateException("out of memory, say");
                if (t.number() == 4) return Double.NaN;
                if (t.number() == 5) {
                    t.report(1, 0.5);
                    throw new TrialPruned(1);
                }
                return Spaces.fakeTraining(t);
            }, 12, null, 3);
            assertThat(ran).isEqualTo(12);
            List<FrozenTrial> trials = s.trials();
            assertThat(trials).extracting(FrozenTrial::number).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
            assertThat(trials.get(3).state()).isEqualTo(TrialState.FAIL);
            assertThat(trials.get(4).state()).isEqualTo(TrialState.FAIL);
            assertThat(trials.get(5).state()).isEqualTo(TrialState.PRUNED);
            assertThat(trials.get(5).value()).isEqualTo(0.5);
            double max = trials.stream().filter(t -> t.state() == TrialState.COMPLETE).mapToDouble(FrozenTrial::value).max().orElseThrow();
            assertThat(s.best().orElseThrow().value()).isEqualTo(max);
            assertThat(trials).allSatisfy(t -> assertThat(t.state().finished()).isTrue());
        }
    }

    @Test
    void aConfigurationAlreadyTriedIsNotRunTwiceAndASmallSpaceRunsOut() {
        SearchSpace small = SearchSpaceParser.parse("""
                {"optimizer": {"type": "choice", "values": ["sgd", "adam"]},
                 "momentum": {"type": "choice", "values": ["0.5", "0.9"], "when": {"optimizer": "sgd"}},
                 "batch-size": {"type": "choice", "values": [32, 64]}}""", null);
        try (StudyStorage db = new SqliteStorage(dir.resolve("s.db"))) {
            for (Sampler sampler : List.of(new RandomSampler(), new TpeSampler(2, 24, 1.0), new GridSampler())) {
                Study s = Study.builder(db, sampler.name(), small).seed(3).sampler(sampler).create();
                AtomicInteger runs = new AtomicInteger();
                s.optimize(t -> runs.incrementAndGet(), 50, null, 2);
                Set<String> hashes = new HashSet<>();
                for (FrozenTrial t : s.trials()) assertThat(hashes.add(SearchSpace.hash(t.params()))).as(sampler.name() + " " + t).isTrue();
                // sgd × 2 momenta × 2 batch sizes + adam × 2 batch sizes
                assertThat(runs.get()).as(sampler.name()).isEqualTo(6);
                assertThat(s.trials()).as(sampler.name()).hasSize(6).allMatch(t -> t.state() == TrialState.COMPLETE);
            }
        }
    }

    @Test
    void aTimeoutStopsStartingTrials() {
        try (StudyStorage db = new SqliteStorage(dir.resolve("s.db"))) {
            Study s = study(db, "s", new RandomSampler(), Pruner.NONE);
            long t0 = System.nanoTime();
            s.optimize(t -> {
                Thread.sleep(100);
                return 1;
            }, 1000, Duration.ofMillis(350), 1);
            // Each trial takes 100 ms, so at most 4 can start within 350 ms and a fifth straddle it;
            // on a loaded machine fewer start (one, seen under a load average of 15), never more.
            assertThat((System.nanoTime() - t0) / 1e9).isLessThan(3);
            assertThat(s.trials().size()).isBetween(1, 5);
        }
    }

    @Test
    void aStudyIsLoadedOnlyWithItsOwnSpaceDirectionAndSeed() {
        try (StudyStorage db = new SqliteStorage(dir.resolve("s.db"))) {
            study(db, "s", new RandomSampler(), Pruner.NONE).optimize(Spaces::fakeTraining, 3, null, 1);
            assertThatThrownBy(() -> study(db, "s", new RandomSampler(), Pruner.NONE)).hasMessageStartingWith("study 's' already exists");
            SearchSpace other = SearchSpaceParser.parse(Spaces.TRAIN_LIKE.replace("\"high\": 6", "\"high\": 7"), null);
            assertThatThrownBy(() -> Study.builder(db, "s", other).seed(7).load()).hasMessageStartingWith("study 's' was made with another search space");
            assertThatThrownBy(() -> Study.builder(db, "s", Spaces.trainLike()).seed(8).load()).hasMessage("study 's' was made with seed 7, not 8");
            assertThatThrownBy(() -> Study.builder(db, "s", Spaces.trainLike()).seed(7).direction(Direction.MINIMIZE).load())
                    .hasMessageContaining("direction maximize");
            assertThatThrownBy(() -> Study.builder(db, "nope", Spaces.trainLike()).load()).hasMessageStartingWith("no study 'nope'");
            Study again = Study.builder(db, "s", Spaces.trainLike()).seed(7).sampler(new RandomSampler()).load();
            again.optimize(Spaces::fakeTraining, 5, null, 1);
            assertThat(again.trials()).extracting(FrozenTrial::number).containsExactly(0, 1, 2, 3, 4);
        }
    }

    @Test
    void suggestChecksWhatTheObjectiveAsksForAgainstTheSpace() {
        try (StudyStorage db = new SqliteStorage(dir.resolve("s.db"))) {
            Study s = study(db, "s", new RandomSampler(), Pruner.NONE);
            s.optimize(t -> t.suggestFloat("lr", 0.001, 1.0, true), 1, null, 1);
            s.optimize(t -> t.suggestFloat("learning_rate", 0.0001, 1.0, true), 2, null, 1);
            s.optimize(t -> t.suggestInt("lr", 1, 2), 3, null, 1);
            assertThat(s.trials()).extracting(FrozenTrial::state).containsOnly(TrialState.FAIL);
        }
    }
}
