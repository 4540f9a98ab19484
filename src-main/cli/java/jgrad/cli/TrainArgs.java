package jgrad.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import jgrad.tune.Distribution;
import jgrad.tune.GridSampler;
import jgrad.tune.Param;
import jgrad.tune.SearchSpace;
import picocli.CommandLine;

/**
 * The {@code train} options {@code tune} passes to every trial, and how a trial's configuration
 * becomes a {@link TrainCommand}: parsed by train's own picocli model, so tune accepts and checks
 * exactly what train does.
 */
final class TrainArgs {
    /** Options that cannot be passed through: tune sets or refuses them per trial. */
    private static final Set<String> REFUSED = Set.of("--checkpoint", "--json", "--resume-anyway", "--out", "--seed");
    private final List<String> args;

    TrainArgs(List<String> args) {
        this.args = List.copyOf(args);
        for (String a : args) {
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (REFUSED.contains(name)) throw new IllegalArgumentException(name + " cannot be passed to the trials of tune (each trial has its own)");
        }
        parse(this.args);  // an unknown or malformed train option fails here, before any trial
    }

    /** The train options that take a value, less {@code excluded}: the names a search space may use. */
    Set<String> tunable(Set<String> excluded) {
        Set<String> names = new TreeSet<>();
        for (CommandLine.Model.OptionSpec o : new CommandLine(new TrainCommand()).getCommandSpec().options()) {
            String n = o.longestName().replaceFirst("^--", "");
            if (o.arity().max() > 0 && !excluded.contains(n)) names.add(n);
        }
        return names;
    }

    /**
     * Refuses a parameter also given as a fixed option, and any value train would refuse (a float
     * for --batch-size), trying each parameter's ends and choices before any trial runs.
     */
    void check(SearchSpace space) {
        for (Param p : space.params()) {
            for (String a : args) {
                if (a.equals("--" + p.name()) || a.startsWith("--" + p.name() + "=")) {
                    throw new IllegalArgumentException("search space: '" + p.name() + "' is searched and also given as --" + p.name() + ": leave one out");
                }
            }
            List<Object> tries = switch (p.distribution()) {
                case Distribution.FloatRange f -> List.of(f.low(), f.high());
                case Distribution.IntRange r -> List.of(r.low(), r.high());
                case Distribution.Choice c -> GridSampler.points(c);
            };
            for (Object v : tries) {
                List<String> a = new ArrayList<>(args);
                a.add("--" + p.name());
                a.add(v.toString());
                try {
                    parse(a);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("search space: " + p.name() + " = " + v + " is not a value of train's --" + p.name() + ": " + e.getMessage());
                }
            }
        }
    }

    /** A train command with these options, the configuration and {@code extra}. */
    TrainCommand command(Map<String, Object> params, List<String> extra) {
        List<String> a = new ArrayList<>(args);
        params.forEach((k, v) -> {
            a.add("--" + k);
            a.add(v.toString());
        });
        a.addAll(extra);
        return parse(a);
    }

    private static TrainCommand parse(List<String> a) {
        TrainCommand cmd = new TrainCommand();
        try {
            new CommandLine(cmd).parseArgs(a.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException("train option: " + e.getMessage());
        }
        return cmd;
    }
}
