package jgrad.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import jgrad.tune.FrozenTrial;
import jgrad.tune.Study;
import jgrad.tune.TrialState;

/**
 * What {@code ./jgrad tune} prints as trials run: a line when one starts, a progress bar at each
 * epoch, its end with the best so far; at the end, the table of every trial and the best one.
 * Lines, not a redrawn screen, so that a log file reads the same.
 */
final class TuneTable implements Study.Listener {
    private final PrintStream out;
    private final String metric;
    private final Study study;
    /** Each running trial's number of epochs (for its progress bar). */
    final Map<Integer, Integer> epochs = new ConcurrentHashMap<>();

    TuneTable(PrintStream out, String metric, Study study) {
        this.out = out;
        this.metric = metric;
        this.study = study;
    }

    static String params(Map<String, Object> p) {
        return p.entrySet().stream().map(e -> e.getKey() + "=" + format(e.getValue())).collect(Collectors.joining(" "));
    }

    static String format(Object v) {
        return v instanceof Double d ? String.format(Locale.ROOT, "%.4g", d) : v.toString();
    }

    @Override
    public synchronized void started(int number, Map<String, Object> params, int attempt) {
        out.printf(Locale.ROOT, "trial %3d  started%s  %s%n", number, attempt > 1 ? " again (attempt " + attempt + ")" : "", params(params));
    }

    @Override
    public synchronized void reported(int number, int step, double value) {
        int total = Math.max(step, epochs.getOrDefault(number, step));
        int filled = (int) Math.round(20.0 * step / total);
        out.printf(Locale.ROOT, "trial %3d  [%s%s] epoch %d/%d  %s %.4f%n", number, "#".repeat(filled), ".".repeat(20 - filled), step, total, metric, value);
    }

    @Override
    public synchronized void finished(FrozenTrial t, String failure) {
        epochs.remove(t.number());
        String what = switch (t.state()) {
            case COMPLETE -> String.format(Locale.ROOT, "COMPLETE  %s %.4f", metric, t.value());
            case PRUNED -> String.format(Locale.ROOT, "PRUNED at epoch %d  %s %.4f", t.intermediate().isEmpty() ? 0 : t.intermediate().lastKey(), metric, t.value());
            default -> "FAIL  " + failure;
        };
        String best = study.best().map(b -> String.format(Locale.ROOT, "  | best: trial %d, %.4f", b.number(), b.value())).orElse("");
        out.printf(Locale.ROOT, "trial %3d  %s  (%.1f s)%s%n", t.number(), what, t.seconds(), best);
    }

    /** Every trial, then the best. */
    void summary(List<String> trainArgs) {
        List<FrozenTrial> trials = study.trials();
        out.printf(Locale.ROOT, "%nStudy '%s': %d trials (%d complete, %d pruned, %d failed, %d interrupted)%n", study.name(), trials.size(),
                count(trials, TrialState.COMPLETE), count(trials, TrialState.PRUNED), count(trials, TrialState.FAIL), count(trials, TrialState.INTERRUPTED));
        out.printf(Locale.ROOT, "%6s  %-11s %10s %8s  %s%n", "trial", "state", metric, "seconds", "parameters");
        for (FrozenTrial t : trials) {
            out.printf(Locale.ROOT, "%6d  %-11s %10s %8.1f  %s%n", t.number(), t.state(), Double.isNaN(t.value()) ? "-" : String.format(Locale.ROOT, "%.4f", t.value()),
                    t.seconds(), params(t.params()));
        }
        study.best().ifPresentOrElse(b -> {
            out.printf(Locale.ROOT, "%nBest trial %d: %s %.4f  %s%n", b.number(), metric, b.value(), params(b.params()));
            StringBuilder cmd = new StringBuilder("./jgrad train");
            for (String a : trainArgs) cmd.append(' ').append(a);
            b.params().forEach((k, v) -> cmd.append(" --").append(k).append(' ').append(v));
            cmd.append(" --seed ").append(jgrad.tune.Seeds.mix(study.seed(), b.number()));
            out.println("Train it: " + cmd);
        }, () -> out.println("\nNo trial completed."));
    }

    private static long count(List<FrozenTrial> ts, TrialState s) {
        return ts.stream().filter(t -> t.state() == s).count();
    }
}
