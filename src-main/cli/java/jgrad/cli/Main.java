package jgrad.cli;

import java.io.IOException;
import jgrad.mnist.MnistCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./jgrad}: parses the command line and runs a subcommand. */
@Command(name = "jgrad", mixinStandardHelpOptions = true, version = "jgrad 0.1.0",
        description = "Deep learning from scratch in pure Java.",
        subcommands = {MnistCommand.class, TrainCommand.class, TransformsCommand.class, CharLmCommand.class, BenchCommand.class, DevicesCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Launcher commands (handled by the ./jgrad script itself):",
                "  test      Run the whole test suite (mvn test).",
                "  build     Rebuild now (otherwise automatic when sources change)."})
public final class Main implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // Expected failures (bad option values, missing or corrupt files) get one clear line.
            if (e instanceof IllegalArgumentException || e instanceof IOException || e instanceof IllegalStateException) {
                commandLine.getErr().println("error: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        System.exit(cli.execute(args));
    }
}
