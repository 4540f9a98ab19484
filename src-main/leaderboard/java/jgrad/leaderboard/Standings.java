package jgrad.leaderboard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The board: one line per participant who has submitted, showing the submission the competition
 * keeps (the best public score, the earliest on a tie; or the latest), ranked by its public score,
 * or once closed by its private score, ties going to whoever got there first. A closed board also
 * gives each line its public rank, so the shake-up shows.
 */
public final class Standings {
    private Standings() {}

    /**
     * One line of the board.
     *
     * @param privateScore the kept submission's private score, null until the competition is closed
     * @param publicRank   the rank by public score (equal to rank while open)
     */
    public record Line(int rank, int publicRank, String name, double score, Double privateScore, int submissions, String last,
                       String config, long submissionId) {}

    public static List<Line> of(Competition c, boolean closed, List<BoardStore.Row> rows) {
        Map<String, BoardStore.Row> kept = new LinkedHashMap<>();
        Map<String, Integer> count = new LinkedHashMap<>();
        Map<String, String> last = new LinkedHashMap<>();
        for (BoardStore.Row r : rows) {  // oldest first
            count.merge(r.participant(), 1, Integer::sum);
            last.put(r.participant(), r.created());
            BoardStore.Row k = kept.get(r.participant());
            if (k == null || c.keep() == Competition.Keep.LATEST || r.publicScore() > k.publicScore()) kept.put(r.participant(), r);
        }
        Comparator<BoardStore.Row> byPublic = Comparator.comparingDouble(BoardStore.Row::publicScore).reversed().thenComparingLong(BoardStore.Row::id);
        Comparator<BoardStore.Row> byPrivate = Comparator.comparingDouble(BoardStore.Row::privateScore).reversed().thenComparingLong(BoardStore.Row::id);
        List<BoardStore.Row> publicOrder = new ArrayList<>(kept.values());
        publicOrder.sort(byPublic);
        List<BoardStore.Row> order = new ArrayList<>(kept.values());
        order.sort(closed ? byPrivate : byPublic);
        List<Line> lines = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            BoardStore.Row r = order.get(i);
            String n = r.participant();
            lines.add(new Line(i + 1, publicOrder.indexOf(r) + 1, n, r.publicScore(), closed ? r.privateScore() : null, count.get(n), last.get(n),
                    r.config(), r.id()));
        }
        return lines;
    }
}
