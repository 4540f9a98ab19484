package jgrad.vision;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An annotations CSV: a header row, then one row per image with a file column and a label column.
 * Read as UTF-8; a byte-order mark at the start (Excel's "CSV UTF-8") is skipped. Refused, with
 * the file and line named: a missing file or a folder, bytes that are not UTF-8 (a Latin-1 file),
 * a missing column, a row with too few cells, an empty file name or label.
 *
 * <p>Cells: commas separate, double quotes group (a doubled quote inside is one quote); blank lines
 * are skipped. Checked by: {@code jgrad.vision.LabelsCsvTest}, {@code jgrad.vision.LabelsCsvFuzzTest}.
 */
public final class LabelsCsv {
    private LabelsCsv() {}

    /** One image row: the file name as written, its label, and where it was ("row 3 of labels.csv"). */
    public record Row(String file, String label, int line, String where) {}

    /** The rows of {@code csv}, with the errors above as {@link IllegalArgumentException}. */
    public static List<Row> read(Path csv, String fileColumn, String labelColumn) throws IOException {
        if (Files.isDirectory(csv)) throw new IllegalArgumentException(csv + " is a folder: expected a CSV file (a header row, then one row per image)");
        if (!Files.exists(csv)) throw new IllegalArgumentException(csv + ": no such file (expected a CSV file with a header row)");
        return parse(Files.readAllBytes(csv), csv.toString(), fileColumn, labelColumn);
    }

    /** As {@link #read} from the file's bytes; {@code name} names it in messages. */
    public static List<Row> parse(byte[] bytes, String name, String fileColumn, String labelColumn) {
        List<String> lines = lines(bytes, name);
        if (lines.isEmpty() || lines.get(0).isBlank()) throw new IllegalArgumentException(name + " is empty: expected a header row");
        List<String> header = splitCsv(lines.get(0));
        int fileAt = header.indexOf(fileColumn), labelAt = header.indexOf(labelColumn);
        if (fileAt < 0 || labelAt < 0) {
            throw new IllegalArgumentException(name + ": no column '" + (fileAt < 0 ? fileColumn : labelColumn) + "'; the columns are " + header);
        }
        List<Row> rows = new ArrayList<>();
        for (int r = 1; r < lines.size(); r++) {
            if (lines.get(r).isBlank()) continue;
            List<String> cells = splitCsv(lines.get(r));
            if (cells.size() <= Math.max(fileAt, labelAt)) {
                throw new IllegalArgumentException(name + ", row " + (r + 1) + ": " + cells.size() + " cells, the header has " + header.size());
            }
            String file = cells.get(fileAt), label = cells.get(labelAt);
            if (file.isEmpty() || label.isEmpty()) {
                throw new IllegalArgumentException(name + ", row " + (r + 1) + ": the " + (file.isEmpty() ? "file" : "label")
                        + " column '" + (file.isEmpty() ? fileColumn : labelColumn) + "' is empty");
            }
            rows.add(new Row(file, label, r + 1, "row " + (r + 1) + " of " + name));
        }
        return rows;
    }

    /** The text's lines, decoded as UTF-8 after an optional byte-order mark; a byte that is not UTF-8 names its line. */
    static List<String> lines(byte[] bytes, String name) {
        int start = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        List<String> lines = new ArrayList<>();
        int lineStart = start;
        for (int i = start; i <= bytes.length; i++) {
            if (i < bytes.length && bytes[i] != '\n') continue;
            int end = i > lineStart && bytes[i - 1] == '\r' ? i - 1 : i;
            try {
                lines.add(utf8.decode(ByteBuffer.wrap(bytes, lineStart, end - lineStart)).toString());
            } catch (CharacterCodingException e) {
                int col = firstBadByte(bytes, lineStart, end);
                throw new IllegalArgumentException(name + ", line " + (lines.size() + 1) + ": byte 0x"
                        + String.format("%02X", bytes[lineStart + col] & 0xFF) + " at column " + (col + 1)
                        + " is not UTF-8, the encoding expected; save the file as UTF-8 (a Latin-1 or Windows-1252 file is not read)");
            }
            lineStart = i + 1;
        }
        if (lines.size() > 1 && lines.get(lines.size() - 1).isEmpty()) lines.remove(lines.size() - 1);
        return lines;
    }

    /** The offset in [from, to) of the first byte a UTF-8 decoder refuses. */
    private static int firstBadByte(byte[] b, int from, int to) {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(b, from, to - from);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(to - from + 1);
        var result = utf8.decode(in, out, true);
        return result.isError() ? in.position() - from : 0;
    }

    /** Cells of one CSV line: commas separate, double quotes group (a doubled quote inside is one quote). */
    static List<String> splitCsv(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                cells.add(cur.toString().trim());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        cells.add(cur.toString().trim());
        return cells;
    }
}
