package jgrad.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The storage contract on an SQLite file, and what only a file has: bad paths, the token never on disk. */
class SqliteBoardStoreTest extends BoardStoreContract {
    @TempDir Path dir;

    @Override
    BoardStore open() {
        return BoardStore.open(dir.resolve("board.db").toString(), clock);
    }

    @Test
    void theFileHoldsNoTokenOnlyItsHash() throws Exception {
        String token;
        try (BoardStore s = open()) {
            Competition c = Fixtures.create(s, "c", 10, Competition.Keep.BEST, 5, null);
            token = s.addParticipant(c, "ann");
        }
        byte[] all = Files.readAllBytes(dir.resolve("board.db"));
        Path wal = dir.resolve("board.db-wal");
        if (Files.exists(wal)) all = concat(all, Files.readAllBytes(wal));
        String text = new String(all, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(text).doesNotContain(token).contains(Tokens.hash(token));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Test
    void aMissingFolderOrAFolderOrAnotherJdbcUrlIsNamed() {
        assertThatThrownBy(() -> BoardStore.open(dir.resolve("no/board.db").toString(), clock)).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> BoardStore.open(dir.toString(), clock)).hasMessageContaining("is a folder");
        assertThatThrownBy(() -> BoardStore.open("jdbc:mysql://x/y", clock)).hasMessageContaining("only jdbc:postgresql:");
    }

    @Test
    void withSeveralCompetitionsOneMustBeNamed() {
        try (BoardStore s = open()) {
            Fixtures.create(s, "a", 10, Competition.Keep.BEST, 5, null);
            assertThat(s.competition(null).name()).isEqualTo("a");
            Fixtures.create(s, "b", 10, Competition.Keep.BEST, 5, null);
            assertThatThrownBy(() -> s.competition(null)).hasMessageContaining("several competitions");
            assertThatThrownBy(() -> s.competition("z")).hasMessageContaining("no competition named 'z'");
            assertThatThrownBy(() -> Fixtures.create(s, "a", 10, Competition.Keep.BEST, 5, null)).hasMessageContaining("already exists");
        }
    }
}
