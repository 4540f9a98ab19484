package jgrad.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The split, the scoring and the board's ranking, on cases small enough to check by hand. */
class CompetitionTest {
    @Test
    void theSplitIsSeededAndHasTheAskedShare() {
        boolean[] a = Competition.split(1000, 0.3, 5), b = Competition.split(1000, 0.3, 5), c = Competition.split(1000, 0.3, 6);
        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
        int pub = 0;
        for (boolean x : a) if (x) pub++;
        assertThat(pub).isEqualTo(300);
        assertThatThrownBy(() -> Competition.split(10, 1.0, 1)).hasMessageContaining("--public-fraction");
        assertThatThrownBy(() -> Competition.split(10, 0.01, 1)).hasMessageContaining("empty");
    }

    /** Labels 0..5, public = items 0, 1, 2: predictions right at 0, 1 (public 2/3) and at 3 (private 1/3). */
    @Test
    void accuracyIsCountedPerPart() {
        Competition c = new Competition(1, "c", "mnist", 10, new byte[] {0, 1, 2, 3, 4, 5},
                new boolean[] {true, true, true, false, false, false}, Competition.Keep.BEST, 5, false);
        Scoring.Scores s = Scoring.score(c, new int[] {0, 1, 9, 3, 9, 9});
        assertThat(s.publicScore()).isEqualTo(2.0 / 3);
        assertThat(s.privateScore()).isEqualTo(1.0 / 3);
        assertThatThrownBy(() -> Scoring.score(c, new int[5])).hasMessage("5 predictions for a test set of 6");
    }

    private static BoardStore.Row row(long id, String who, double pub, double priv) {
        return new BoardStore.Row(id, who, "2026-12-05T00:00:0" + id + "Z", pub, priv, "{}", "");
    }

    @Test
    void theBoardKeepsTheBestOrTheLatestAndRanksByPrivateOnceClosed() {
        List<BoardStore.Row> rows = List.of(row(1, "ann", 0.80, 0.70), row(2, "bob", 0.85, 0.60), row(3, "ann", 0.90, 0.50), row(4, "ann", 0.70, 0.95),
                row(5, "cy", 0.85, 0.65));
        Competition best = new Competition(1, "c", "mnist", 10, new byte[2], new boolean[] {true, false}, Competition.Keep.BEST, 5, false);
        Competition latest = new Competition(1, "c", "mnist", 10, new byte[2], new boolean[] {true, false}, Competition.Keep.LATEST, 5, false);
        // best: ann 0.90 (id 3), bob 0.85 (id 2, earlier than cy's 0.85)
        List<Standings.Line> open = Standings.of(best, false, rows);
        assertThat(open).extracting(Standings.Line::name).containsExactly("ann", "bob", "cy");
        assertThat(open).extracting(Standings.Line::score).containsExactly(0.90, 0.85, 0.85);
        assertThat(open).extracting(Standings.Line::submissions).containsExactly(3, 1, 1);
        assertThat(open.get(0).last()).isEqualTo("2026-12-05T00:00:04Z");
        assertThat(open.get(0).privateScore()).isNull();
        // closed: the kept submissions' private scores decide: cy 0.65, bob 0.60, ann 0.50 (the shake-up)
        List<Standings.Line> closed = Standings.of(best, true, rows);
        assertThat(closed).extracting(Standings.Line::name).containsExactly("cy", "bob", "ann");
        assertThat(closed).extracting(Standings.Line::publicRank).containsExactly(3, 2, 1);
        // latest: ann's last one (0.70) is kept
        assertThat(Standings.of(latest, false, rows)).extracting(Standings.Line::name).containsExactly("bob", "cy", "ann");
    }

    @Test
    void namesMayHoldAnyTextButControlCharactersAndMustBeShort() {
        assertThat(Competition.checkName("name", "Robert'); DROP TABLE lb_submissions;--")).isEqualTo("Robert'); DROP TABLE lb_submissions;--");
        assertThat(Competition.checkName("name", "<script>alert(1)</script>")).isEqualTo("<script>alert(1)</script>");
        assertThatThrownBy(() -> Competition.checkName("participant name", " ")).hasMessage("participant name must not be empty");
        assertThatThrownBy(() -> Competition.checkName("participant name", "a\nb")).hasMessage("participant name contains a control character at 1");
        assertThatThrownBy(() -> Competition.checkName("participant name", "x".repeat(61))).hasMessage("participant name is 61 characters, more than 60");
    }
}
