package jgrad.leaderboard;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The prediction file a participant submits: CSV, UTF-8, a header line {@code index,label}, then one
 * line per test item, {@code index,label}, in any order, each index 0..n−1 exactly once, each label
 * an integer class 0..classes−1 (e.g. {@code 0,7}). Windows line ends and a final newline are
 * fine; blank lines are not. Kaggle's sample-submission shape. Every refusal is an
 * IllegalArgumentException naming the file and the line.
 */
public final class PredictionsFile {
    public static final String HEADER = "index,label";
    /** Larger files are refused before they are read: 10,000 labels take about 90 KB. */
    public static final long MAX_BYTES = 16L << 20;

    private PredictionsFile() {}

    public static int[] read(Path file, int n, int classes) {
        try {
            if (!Files.isRegularFile(file)) throw new IllegalArgumentException("predictions file " + file + " does not exist or is not a file");
            if (Files.size(file) > MAX_BYTES) throw new IllegalArgumentException("predictions file " + file + " is larger than " + MAX_BYTES + " bytes");
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
            return parse(text, file.toString(), n, classes);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("predictions file " + file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new IllegalArgumentException("predictions file " + file + " cannot be read: " + e.getMessage());
        }
    }

    public static int[] parse(String text, String what, int n, int classes) {
        String[] lines = text.split("\r?\n", -1);
        int count = lines.length;
        if (count > 0 && lines[count - 1].isEmpty()) count--;  // the final newline
        if (count == 0 || !lines[0].strip().equals(HEADER)) {
            throw new IllegalArgumentException(what + ": line 1 must be the header '" + HEADER + "', got '" + Submission.shorten(count == 0 ? "" : lines[0]) + "'");
        }
        if (count - 1 != n) throw new IllegalArgumentException(what + " has " + (count - 1) + " predictions, the test set has " + n);
        int[] labels = new int[n];
        boolean[] seen = new boolean[n];
        for (int k = 1; k < count; k++) {
            String line = lines[k];
            int comma = line.indexOf(',');
            if (comma < 0 || line.indexOf(',', comma + 1) >= 0) {
                throw new IllegalArgumentException(what + ": line " + (k + 1) + " must be 'index,label', got '" + Submission.shorten(line) + "'");
            }
            int index = integer(line.substring(0, comma), what, k, "index");
            int label = integer(line.substring(comma + 1), what, k, "label");
            if (index < 0 || index >= n) throw new IllegalArgumentException(what + ": line " + (k + 1) + ": index " + index + " is not in 0.." + (n - 1));
            if (seen[index]) throw new IllegalArgumentException(what + ": line " + (k + 1) + ": index " + index + " appears twice");
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException(what + ": line " + (k + 1) + ": label " + label + " is not a class in 0.." + (classes - 1));
            }
            seen[index] = true;
            labels[index] = label;
        }
        return labels;
    }

    private static int integer(String s, String what, int k, String field) {
        String t = s.strip();
        if (t.isEmpty() || t.length() > 9 || !t.chars().allMatch(ch -> ch >= '0' && ch <= '9' || ch == '-') || t.lastIndexOf('-') > 0 || t.equals("-")) {
            throw new IllegalArgumentException(what + ": line " + (k + 1) + ": " + field + " '" + Submission.shorten(s) + "' is not an integer");
        }
        return Integer.parseInt(t);
    }

    /** The file's text for these predictions (what train --submit writes next to its model). */
    public static String format(int[] labels) {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        for (int i = 0; i < labels.length; i++) b.append(i).append(',').append(labels[i]).append('\n');
        return b.toString();
    }
}
