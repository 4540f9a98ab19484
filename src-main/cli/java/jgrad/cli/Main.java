package jgrad.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import jgrad.mnist.MnistCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code ./jgrad}: parses the command line and runs a subcommand. Whatever goes
 * wrong reaches the user as one line ({@link Failure}); {@code --debug} anywhere on the command line,
 * or {@code JGRAD_DEBUG=1} in the environment, prints the stack trace as well.
 */
@Command(name = "jgrad", mixinStandardHelpOptions = true, version = "jgrad 0.1.0",
        description = "Deep learning from scratch in pure Java.",
        footer = {"", "Any command takes --debug (or JGRAD_DEBUG=1) to print the stack trace of an error.",
                "", "Launcher commands (handled by the ./jgrad script itself):",
                "  test      Run the whole test suite (mvn test).",
                "  build     Rebuild now (otherwise automatic when sources change)."})
public final class Main implements Runnable {

    /**
     * The subcommands, in the order help lists them. Only the one named on the command line is built
     * (picocli reads each command's annotations, mixins and option types when it is added: about 180
     * classes and tenths of a second before the first training step; #22); all when none is named.
     */
    private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();
    static {
        COMMANDS.put("mnist", MnistCommand::new);
        COMMANDS.put("train", TrainCommand::new);
        COMMANDS.put("tune", TuneCommand::new);
        COMMANDS.put("leaderboard", LeaderboardCommand::new);
        COMMANDS.put("transforms", TransformsCommand::new);
        COMMANDS.put("charlm", CharLmCommand::new);
        COMMANDS.put("pretrain", PretrainCommand::new);
        COMMANDS.put("transfer-demo", TransferDemoCommand::new);
        COMMANDS.put("bench", BenchCommand::new);
        COMMANDS.put("devices", DevicesCommand::new);
        COMMANDS.put("help", CommandLine.HelpCommand::new);
    }

    /** The command line for {@code args}: the subcommand {@code args} starts with, or all of them. */
    static CommandLine commandLine(List<String> args) {
        CommandLine cli = new CommandLine(new Main());
        String first = args.isEmpty() ? "" : args.get(0);
        for (Map.Entry<String, Supplier<Object>> c : COMMANDS.entrySet()) {
            if (!COMMANDS.containsKey(first) || first.equals("help") || c.getKey().equals(first)) cli.addSubcommand(c.getKey(), c.getValue().get());
        }
        return cli;
    }

    @Override
    public void run() {
        commandLine(List.of()).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, "1".equals(System.getenv("JGRAD_DEBUG"))));
    }

    /** Runs {@code args} (with or without {@code --debug}) and returns the exit code: 0, 2 for an error, 1 for a bug. */
    static int run(String[] args, PrintStream out, PrintStream err, boolean debug) {
        List<String> rest = new ArrayList<>();
        for (String a : args) {
            if (a.equals("--debug")) debug = true;
            else rest.add(a);
        }
        boolean showTrace = debug;
        CommandLine cli = commandLine(rest);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> report(e, commandLine.getErr(), showTrace));
        // a bad option or value: one line naming it and where the options are listed, not the whole usage
        cli.setParameterExceptionHandler((e, a) -> {
            PrintWriter w = e.getCommandLine().getErr();
            w.println("error: " + e.getMessage() + " (" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help lists the options)");
            w.flush();
            return 2;
        });
        try {
            return cli.execute(rest.toArray(String[]::new));
        } catch (Throwable e) {  // an Error thrown past picocli's handler (e.g. out of memory while parsing)
            return report(e, new PrintWriter(err, true), showTrace);
        }
    }

    private static int report(Throwable e, PrintWriter err, boolean showTrace) {
        Failure f = Failure.of(e);
        err.println("error: " + f.line());
        if (showTrace) e.printStackTrace(err);
        err.flush();
        return f.expected() ? 2 : 1;
    }
}
