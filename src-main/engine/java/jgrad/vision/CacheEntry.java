package jgrad.vision;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import jgrad.tensor.AtomicFile;
import jgrad.tensor.DamagedFileException;

/**
 * One preprocessed image in {@link ImageDataset}'s disk cache, big-endian:
 * {@code "JGIC" c h w float32 × c·h·w CRC32C}, the checksum over every byte before it. Written
 * atomically ({@link AtomicFile}); read with the sizes checked against the file's length before
 * anything is allocated, and the checksum verified.
 *
 * <p>Checked by: {@code jgrad.vision.CacheEntryTest}.
 */
final class CacheEntry {
    private static final int MAGIC = 0x4A474943; // "JGIC"

    private CacheEntry() {}

    static void write(Path file, Image img) throws IOException {
        float[] d = img.data();
        ByteBuffer b = ByteBuffer.allocate(20 + 4 * d.length);
        b.putInt(MAGIC).putInt(img.c()).putInt(img.h()).putInt(img.w());
        b.asFloatBuffer().put(d);
        b.position(16 + 4 * d.length);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 16 + 4 * d.length);
        b.putInt((int) crc.getValue());
        AtomicFile.writeBytes(file, b.array());
    }

    /** The image in {@code file}; a {@link DamagedFileException} if it is not one written by {@link #write}. */
    static Image read(Path file) throws IOException {
        long length = Files.size(file);
        if (length < 20) throw new DamagedFileException(file, "is too short (" + length + " bytes) to be a cached image");
        if (length > Integer.MAX_VALUE - 8) throw new DamagedFileException(file, "is too large (" + length + " bytes) to be a cached image");
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        if (b.capacity() != length) throw new DamagedFileException(file, "changed while it was read");
        int magic = b.getInt(), c = b.getInt(), h = b.getInt(), w = b.getInt();
        if (magic != MAGIC) throw new DamagedFileException(file, "is not a cached image (bad magic number)");
        if (c < 0 || h < 0 || w < 0 || 20 + 4L * c * h * w != length) {
            throw new DamagedFileException(file, "its header says " + c + "×" + h + "×" + w + " but the file has " + length + " bytes");
        }
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, (int) length - 4);
        int stored = b.getInt((int) length - 4);
        if (stored != (int) crc.getValue()) throw new DamagedFileException(file, "its checksum (CRC32C) is wrong: the entry is damaged");
        float[] d = new float[c * h * w];
        b.asFloatBuffer().get(d);
        return new Image(c, h, w, d);
    }
}
