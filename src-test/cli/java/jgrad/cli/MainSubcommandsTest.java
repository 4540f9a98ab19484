package jgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Main builds only the subcommand it is asked for (start-up time, #22), and all of them otherwise. */
class MainSubcommandsTest {
    private static final List<String> ALL = List.of("mnist", "train", "tune", "leaderboard", "transforms", "charlm", "pretrain", "transfer-demo", "bench", "devices", "help");

    @Test
    void aNamedSubcommandIsTheOnlyOneBuilt() {
        assertThat(Main.commandLine(List.of("mnist", "--epochs", "1")).getSubcommands().keySet()).containsExactly("mnist");
        assertThat(Main.commandLine(List.of("bench", "--lockstep")).getSubcommands().keySet()).containsExactly("bench");
    }

    @Test
    void helpNoneOrAnUnknownNameBuildsAllInHelpOrder() {
        assertThat(Main.commandLine(List.of()).getSubcommands().keySet()).containsExactlyElementsOf(ALL);
        assertThat(Main.commandLine(List.of("--help")).getSubcommands().keySet()).containsExactlyElementsOf(ALL);
        assertThat(Main.commandLine(List.of("help", "mnist")).getSubcommands().keySet()).containsExactlyElementsOf(ALL);
        assertThat(Main.commandLine(List.of("minst")).getSubcommands().keySet()).containsExactlyElementsOf(ALL);
    }

    @Test
    void aMistypedSubcommandIsStillRefusedAndHelpListsAll() {
        MainTest.Run r = MainTest.jgrad(false, "minst");
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err()).contains("Unmatched argument at index 0: 'minst'");
        MainTest.Run help = MainTest.jgrad(false, "--help");
        assertThat(help.out()).contains("mnist", "train", "tune", "leaderboard", "transforms", "charlm", "pretrain", "transfer-demo", "bench", "devices");
    }
}
