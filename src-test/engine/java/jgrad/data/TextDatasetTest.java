package jgrad.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import jgrad.tensor.Device;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextDatasetTest {
    @Test
    void sequencesAndTheirShiftedTargetsOverASortedVocabulary() {
        TextDataset d = new TextDataset("hello world", 3);
        assertThat(d.vocabulary()).isEqualTo(" dehlorw");
        assertThat(d.size()).as("(11 − 1) / 3 whole sequences").isEqualTo(3);
        Batch b = d.batch(new int[] {1, 0}, Device.cpu());
        assertThat(b.inputs().shape()).containsExactly(2, 3);
        assertThat(d.decode(toInts(b.inputs().toFloatArray()))).isEqualTo("lo hel");
        assertThat(d.decode(toInts(b.targets().toFloatArray()))).as("each position's next character").isEqualTo("o well");
        assertThat(d.get(2).label()).as("the character after 'wor'").isEqualTo(d.encode("l")[0]);
        assertThat(d.decode(d.encode("hold"))).isEqualTo("hold");
    }

    private static int[] toInts(float[] f) {
        int[] out = new int[f.length];
        for (int i = 0; i < f.length; i++) out[i] = (int) f[i];
        return out;
    }

    @Test
    void badTextsAndCharactersAreClearErrors(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> new TextDataset("abc", 3)).hasMessageContaining("too short");
        assertThatThrownBy(() -> new TextDataset("hello", 2).encode("hex")).hasMessageContaining("'x'");
        assertThatThrownBy(() -> TextDataset.read(dir.resolve("missing.txt"), 4)).hasMessageContaining("missing.txt").hasMessageContaining("does not exist");
        Files.write(dir.resolve("bin.txt"), new byte[] {(byte) 0xff, (byte) 0xfe, 0x41, 0x42, 0x43, 0x44});
        assertThatThrownBy(() -> TextDataset.read(dir.resolve("bin.txt"), 2)).hasMessageContaining("bin.txt").hasMessageContaining("UTF-8");
        // issue #17 group 7: a folder said only "Is a directory"
        assertThatThrownBy(() -> TextDataset.readText(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("text file " + dir + " is a folder: give a UTF-8 text file");
        Files.writeString(dir.resolve("ok.txt"), "to be or not to be");
        assertThat(TextDataset.read(dir.resolve("ok.txt"), 4).size()).isEqualTo(4);
    }
}
