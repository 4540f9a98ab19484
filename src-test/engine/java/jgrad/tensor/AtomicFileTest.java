package jgrad.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic writes: all or nothing, no temporary file left, stale ones of dead runs cleaned, folders checked. */
class AtomicFileTest {
    @TempDir Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesAndReplacesLeavingNoTemporaryFile() throws IOException {
        Path f = dir.resolve("a.txt");
        AtomicFile.writeString(f, "one");
        AtomicFile.writeString(f, "two");
        assertThat(Files.readString(f)).isEqualTo("two");
        assertThat(names()).containsExactly("a.txt");
    }

    @Test
    void aWriteThatFailsHalfWayLeavesTheOldFileAndNoTemporary() throws IOException {
        Path f = dir.resolve("a.txt");
        AtomicFile.writeString(f, "old");
        assertThatThrownBy(() -> AtomicFile.write(f, out -> {
            out.write("half of the new".getBytes());
            throw new IOException("No space left on device");
        })).isInstanceOf(IOException.class).hasMessageContaining("could not write " + f).hasMessageContaining("No space left")
                .hasMessageContaining("unchanged");
        assertThat(Files.readString(f)).isEqualTo("old");
        assertThat(names()).containsExactly("a.txt");
    }

    /** Issue #17 group 4: an empty folder given as the output was deleted by ImageIO. */
    @Test
    void aFolderIsNeverReplaced() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("out"));
        assertThatThrownBy(() -> AtomicFile.writeString(folder, "x")).hasMessageContaining("is a folder");
        assertThat(folder).isEmptyDirectory();
    }

    /** Issue #17 group 4: a kill during the checkpoint's rename left a .tmp file for ever. */
    @Test
    void temporariesOfProcessesThatAreGoneAreCleanedAtTheNextWrite() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        Path dead = Files.writeString(dir.resolve(".checkpoint.jgrad." + p.pid() + ".1f" + AtomicFile.TMP_SUFFIX), "half");
        Path live = Files.writeString(dir.resolve(".other.jgrad." + ProcessHandle.current().pid() + ".2e" + AtomicFile.TMP_SUFFIX), "in use");
        Path mine = Files.writeString(dir.resolve("notes.tmp"), "not ours");
        AtomicFile.writeString(dir.resolve("checkpoint.jgrad"), "new");
        assertThat(dead).doesNotExist();
        assertThat(live).as("a running process's temporary stays").exists();
        assertThat(mine).as("only our suffix is touched").exists();
        assertThat(AtomicFile.isStale(".x." + ProcessHandle.current().pid() + ".1" + AtomicFile.TMP_SUFFIX)).isFalse();
    }

    @Test
    void aFolderUnderAFileIsRefusedByTheCheck() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertThatThrownBy(() -> AtomicFile.checkWritableFolder(file.resolve("sub"), "--out"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--out").hasMessageContaining(file + " is a file");
        assertThatThrownBy(() -> AtomicFile.checkWritableFolder(file, "--checkpoint"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is a file, not a folder");
        assertThatThrownBy(() -> AtomicFile.checkWritableFile(dir, "--json")).hasMessageContaining("is a folder");
        AtomicFile.checkWritableFolder(dir.resolve("new/deeper"), "--out");
        assertThat(dir.resolve("new/deeper")).isEmptyDirectory();
    }

    @Test
    void aReadOnlyFolderIsRefusedByTheCheck() throws IOException {
        Path ro = Files.createDirectory(dir.resolve("ro"));
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeTrue(!Files.isWritable(ro), "running as root: permissions do not stop writes");
            assertThatThrownBy(() -> AtomicFile.checkWritableFolder(ro, "--out")).hasMessageContaining("cannot write there");
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
