package jgrad.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The labels CSV: Excel's byte-order mark, encodings, empty labels, missing files (issue #17, group 7). */
class LabelsCsvTest {
    @TempDir Path dir;

    @Test
    void aByteOrderMarkIsSkipped() throws IOException {
        // the probe: a CSV saved by Excel ("CSV UTF-8") was rejected as having no column 'file'
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] text = "file,label\r\na.png,cat\r\nb.png,dög\r\n".getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[bom.length + text.length];
        System.arraycopy(bom, 0, all, 0, 3);
        System.arraycopy(text, 0, all, 3, text.length);
        List<LabelsCsv.Row> rows = LabelsCsv.read(Files.write(dir.resolve("excel.csv"), all), "file", "label");
        assertThat(rows).extracting(LabelsCsv.Row::file).containsExactly("a.png", "b.png");
        assertThat(rows).extracting(LabelsCsv.Row::label).containsExactly("cat", "dög");
        assertThat(rows.get(1).where()).isEqualTo("row 3 of " + dir.resolve("excel.csv"));
    }

    @Test
    void aLatin1FileSaysWhichEncodingWasExpectedAndWhere() throws IOException {
        // the probe: a Latin-1 CSV said only "Input length = 1"
        Path csv = Files.write(dir.resolve("latin1.csv"), "file,label\na.png,cat\nb.png,dög\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> LabelsCsv.read(csv, "file", "label"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(csv + ", line 3: byte 0xF6 at column 8 is not UTF-8, the encoding expected; "
                        + "save the file as UTF-8 (a Latin-1 or Windows-1252 file is not read)");
    }

    @Test
    void anEmptyLabelIsAnErrorNamingTheRow() {
        // the probe: an empty label became a class named ''
        byte[] csv = "file,label\na.png,cat\nb.png,\n".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> LabelsCsv.parse(csv, "labels.csv", "file", "label"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("labels.csv, row 3: the label column 'label' is empty");
        byte[] noFile = "file,label\n\"\",cat\n".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> LabelsCsv.parse(noFile, "labels.csv", "file", "label"))
                .hasMessage("labels.csv, row 2: the file column 'file' is empty");
    }

    @Test
    void aMissingFileAndAFolderSaySoWithThePath() throws IOException {
        Path missing = dir.resolve("nope.csv");
        assertThatThrownBy(() -> LabelsCsv.read(missing, "file", "label"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(missing + ": no such file (expected a CSV file with a header row)");
        Path folder = Files.createDirectories(dir.resolve("folder.csv"));
        assertThatThrownBy(() -> LabelsCsv.read(folder, "file", "label"))
                .hasMessage(folder + " is a folder: expected a CSV file (a header row, then one row per image)");
    }

    @Test
    void headerAndRowShapesAreChecked() {
        assertThatThrownBy(() -> LabelsCsv.parse(new byte[0], "e.csv", "file", "label")).hasMessage("e.csv is empty: expected a header row");
        assertThatThrownBy(() -> LabelsCsv.parse("name,label\n".getBytes(StandardCharsets.UTF_8), "h.csv", "file", "label"))
                .hasMessage("h.csv: no column 'file'; the columns are [name, label]");
        assertThatThrownBy(() -> LabelsCsv.parse("file,x,label\na.png\n".getBytes(StandardCharsets.UTF_8), "r.csv", "file", "label"))
                .hasMessage("r.csv, row 2: 1 cells, the header has 3");
        assertThat(LabelsCsv.parse("file,label\n\n\"a, b.png\",\"say \"\"hi\"\"\"\n".getBytes(StandardCharsets.UTF_8), "q.csv", "file", "label"))
                .containsExactly(new LabelsCsv.Row("a, b.png", "say \"hi\"", 3, "row 3 of q.csv"));
    }
}
