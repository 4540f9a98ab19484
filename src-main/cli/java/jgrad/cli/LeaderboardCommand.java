package jgrad.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import jgrad.data.mnist.MnistDataset;
import jgrad.leaderboard.BoardClient;
import jgrad.leaderboard.BoardServer;
import jgrad.leaderboard.BoardStore;
import jgrad.leaderboard.Competition;
import jgrad.leaderboard.Standings;
import jgrad.mnist.DataOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./jgrad leaderboard}: run a competition (docs/leaderboard.md). The organiser creates it
 * from a data set's test labels, adds participants (each gets a token) and serves it; participants
 * submit predictions; the organiser closes it, revealing the private board.
 */
@Command(name = "leaderboard", mixinStandardHelpOptions = true,
        description = "A leaderboard that scores predictions itself on test labels the participants never see (public/private split, "
                + "tokens, daily limit), with a web page and a JSON API.",
        subcommands = {LeaderboardCommand.Create.class, LeaderboardCommand.AddParticipant.class, LeaderboardCommand.Serve.class,
            LeaderboardCommand.Submit.class, LeaderboardCommand.Close.class, LeaderboardCommand.Board.class})
public final class LeaderboardCommand implements Runnable {
    static final String DEFAULT_DB = "runs/leaderboard/board.db";

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** --db and --competition, shared by the organiser's commands. */
    static final class Where {
        @Option(names = "--db", paramLabel = "FILE|JDBC-URL", defaultValue = DEFAULT_DB,
                description = "the SQLite file, or jdbc:postgresql://host/db?user=..&password=.. (default: ${DEFAULT-VALUE})")
        String db;
        @Option(names = "--competition", paramLabel = "NAME", description = "which competition (default: the only one in --db)")
        String competition;

        BoardStore open() throws IOException {
            if (db.equals(DEFAULT_DB)) Files.createDirectories(Path.of(db).getParent());
            return BoardStore.open(db, Clock.systemUTC());
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a competition on a data set's test set, its labels kept in --db.")
    static final class Create implements java.util.concurrent.Callable<Integer> {
        @Mixin Where where = new Where();
        @Mixin DataOptions data = new DataOptions();
        @Option(names = "--name", description = "the competition's name (default: the data set's)")
        String name;
        @Option(names = "--public-fraction", defaultValue = "0.5", description = "share of the test set scored on every submission; the rest is private until the close (default: ${DEFAULT-VALUE})")
        double publicFraction;
        @Option(names = "--seed", defaultValue = "1", description = "seed of the public/private split (default: ${DEFAULT-VALUE})")
        long seed;
        @Option(names = "--keep", defaultValue = "best", description = "which submission the board shows: best or latest (default: ${DEFAULT-VALUE})")
        String keep;
        @Option(names = "--daily-limit", defaultValue = "20", description = "submissions per participant per UTC day (default: ${DEFAULT-VALUE})")
        int dailyLimit;
        @Option(names = "--join-code", paramLabel = "CODE", description = "let participants join with this code (POST /api/join) instead of a token from add-participant")
        String joinCode;

        @Override
        public Integer call() throws IOException {
            Competition.Keep k = Competition.Keep.parse(keep);
            if (dailyLimit < 1) throw new IllegalArgumentException("--daily-limit must be ≥ 1, got " + dailyLimit);
            MnistDataset test = MnistDataset.load(data.dir(System.out), false);
            byte[] labels = new byte[test.size()];
            for (int i = 0; i < labels.length; i++) labels[i] = (byte) test.label(i);
            boolean[] split = Competition.split(labels.length, publicFraction, seed);
            try (BoardStore store = where.open()) {
                Competition c = store.create(name == null ? data.dataset() : name, data.dataset(), MnistDataset.CLASSES, labels, split, k, dailyLimit, joinCode);
                System.out.printf(Locale.ROOT, "Created competition '%s' in %s: %s test set, %,d images, %,d public and %,d private (seed %d); "
                        + "board keeps each participant's %s; %d submissions a day%s%n", c.name(), where.db.replaceFirst("\\?.*", ""), c.dataset(), c.size(),
                        c.publicCount(), c.size() - c.publicCount(), seed, k.word(), dailyLimit, joinCode == null ? "" : "; join code set");
            }
            return 0;
        }
    }

    @Command(name = "add-participant", mixinStandardHelpOptions = true, description = "Add participants; prints each one's token (shown once: only its hash is kept).")
    static final class AddParticipant implements java.util.concurrent.Callable<Integer> {
        @Mixin Where where = new Where();
        @Parameters(paramLabel = "NAME", arity = "1..*", description = "participants' names")
        List<String> names;

        @Override
        public Integer call() throws IOException {
            try (BoardStore store = where.open()) {
                Competition c = store.competition(where.competition);
                for (String n : names) System.out.println(n.strip() + "\t" + store.addParticipant(c, n));
            }
            return 0;
        }
    }

    @Command(name = "serve", mixinStandardHelpOptions = true, description = "Serve the competition: the web page at / and the JSON API at /api (until stopped).")
    static final class Serve implements java.util.concurrent.Callable<Integer> {
        @Mixin Where where = new Where();
        @Option(names = "--port", defaultValue = "8080", description = "(default: ${DEFAULT-VALUE}; 0: any free port)")
        int port;
        @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to listen on; 0.0.0.0 for a class on the network (default: ${DEFAULT-VALUE})")
        String host;
        @Option(names = "--max-body", defaultValue = "262144", description = "largest request body in bytes; larger ones get 413 unread (default: ${DEFAULT-VALUE})")
        int maxBody;

        @Override
        public Integer call() throws Exception {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("--port must be in 0..65535, got " + port);
            BoardStore store = where.open();
            Competition c = store.competition(where.competition);
            BoardServer server;
            try {
                server = new BoardServer(store, c, host, port, maxBody);
            } catch (java.net.BindException e) {
                store.close();
                throw new IllegalArgumentException("--port " + port + " on " + host + ": " + e.getMessage());
            }
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                store.close();
                stop.countDown();
            }));
            System.out.printf("Serving competition '%s' (%s, %d test images) at http://%s:%d/ ; Ctrl-C stops it%n", c.name(), c.dataset(), c.size(), host, server.port());
            System.out.flush();
            stop.await();
            return 0;
        }
    }

    @Command(name = "submit", mixinStandardHelpOptions = true, description = "Submit a predictions file (CSV: index,label) to a leaderboard; prints the public score.")
    static final class Submit implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--to", required = true, paramLabel = "URL", description = "the leaderboard, e.g. http://host:8080/")
        String to;
        @Option(names = "--token", required = true, description = "your token")
        String token;
        @Option(names = "--predictions", required = true, paramLabel = "FILE", description = "CSV with the header index,label and one line per test image")
        Path predictions;
        @Option(names = "--config", paramLabel = "JSON", description = "the configuration that made it, a JSON object, e.g. '{\"lr\": 0.05}'")
        String config;
        @Option(names = "--note", paramLabel = "TEXT", description = "a note shown in your history")
        String note;

        @Override
        public Integer call() {
            BoardClient.Receipt r = new BoardClient(to).submitFile(token, predictions, config, note);
            System.out.printf(Locale.ROOT, "Submitted as %s: public score %.2f%% (submission %d of %d today, id %d)%n", r.name(), 100 * r.publicScore(),
                    r.today(), r.dailyLimit(), r.id());
            return 0;
        }
    }

    @Command(name = "close", mixinStandardHelpOptions = true, description = "Close the competition: no more submissions; the board ranks by the private part.")
    static final class Close implements java.util.concurrent.Callable<Integer> {
        @Mixin Where where = new Where();

        @Override
        public Integer call() throws IOException {
            try (BoardStore store = where.open()) {
                Competition c = store.competition(where.competition);
                store.close(c);
                System.out.println("Closed competition '" + c.name() + "'. Final (private) board:");
                print(Standings.of(c, true, store.rows(c, null)), true, System.out);
            }
            return 0;
        }
    }

    @Command(name = "board", mixinStandardHelpOptions = true, description = "Print the board (the public one while open, the private one once closed).")
    static final class Board implements java.util.concurrent.Callable<Integer> {
        @Mixin Where where = new Where();

        @Override
        public Integer call() throws IOException {
            try (BoardStore store = where.open()) {
                Competition c = store.competition(where.competition);
                boolean closed = store.isClosed(c);
                print(Standings.of(c, closed, store.rows(c, null)), closed, System.out);
            }
            return 0;
        }
    }

    static void print(List<Standings.Line> lines, boolean closed, PrintStream out) {
        out.println(closed ? "rank  (public)  private   public  entries  name" : "rank   public  entries  name");
        for (Standings.Line l : lines) {
            if (closed) out.printf(Locale.ROOT, "%4d  (%6d)  %6.2f%%  %6.2f%%  %7d  %s%n", l.rank(), l.publicRank(), 100 * l.privateScore(), 100 * l.score(), l.submissions(), l.name());
            else out.printf(Locale.ROOT, "%4d  %6.2f%%  %7d  %s%n", l.rank(), 100 * l.score(), l.submissions(), l.name());
        }
    }
}
