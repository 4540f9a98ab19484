package jgrad.tensor;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import jgrad.backend.Layout;

/**
 * Named tensors in one binary file (state dicts, checkpoints): a magic number, the count, then per
 * tensor its name, shape and float32 values, big-endian. Written atomically: to a temporary file in
 * the same folder, then renamed over the target, so a crash leaves the old file or the new one,
 * never half of one.
 */
public final class TensorFile {
    private static final int MAGIC = 0x4A475244; // "JGRD"

    private TensorFile() {}

    public static void save(Map<String, Tensor> tensors, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try (OutputStream os = Files.newOutputStream(tmp);
                 DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(os))) {
                out.writeInt(MAGIC);
                out.writeInt(tensors.size());
                for (var e : tensors.entrySet()) {
                    out.writeUTF(e.getKey());
                    int[] shape = e.getValue().shape();
                    out.writeInt(shape.length);
                    for (int s : shape) out.writeInt(s);
                    for (float v : e.getValue().toFloatArray()) out.writeFloat(v);
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The tensors of a file written by {@link #save}, on the default device, in file order. */
    public static Map<String, Tensor> load(Path file) throws IOException {
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (InputStream is = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(is))) {
            if (in.readInt() != MAGIC) throw new IOException(file + " is not a jgrad tensor file (bad magic number)");
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                int[] shape = new int[in.readInt()];
                for (int d = 0; d < shape.length; d++) shape[d] = in.readInt();
                float[] v = new float[Layout.sizeOf(shape)];
                for (int j = 0; j < v.length; j++) v[j] = in.readFloat();
                out.put(name, Tensor.of(v, shape));
            }
        } catch (java.io.EOFException e) {
            throw new IOException(file + " is truncated: it ends early", e);
        }
        return out;
    }
}
