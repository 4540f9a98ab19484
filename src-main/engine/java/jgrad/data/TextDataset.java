package jgrad.data;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.TreeSet;
import jgrad.tensor.Device;
import jgrad.tensor.Tensor;

/**
 * A text cut into sequences for a character-level language model: sample i is the {@code seqLen}
 * characters starting at i·seqLen, as ids into the text's sorted vocabulary, and its targets are the
 * same characters shifted by one (each position predicts the next character).
 *
 * <p>Shapes of a batch: inputs [N, T] and targets [N, T], ids stored as floats (whole numbers below
 * the vocabulary size), for an {@code Embedding} and a cross-entropy over every position.
 * {@link #get} gives the sequence with the character after it as its label.
 */
public final class TextDataset implements Dataset {
    private final char[] vocabulary;
    private final int[] ids;
    private final int seqLen;

    public TextDataset(String text, int seqLen) {
        if (seqLen < 1) throw new IllegalArgumentException("TextDataset: the sequence length must be ≥ 1, got " + seqLen);
        if (text.length() < seqLen + 1) {
            throw new IllegalArgumentException("TextDataset: a text of " + text.length() + " characters is too short for one sequence of "
                    + seqLen + " and its next character");
        }
        TreeSet<Character> chars = new TreeSet<>();
        for (int i = 0; i < text.length(); i++) chars.add(text.charAt(i));
        vocabulary = new char[chars.size()];
        int k = 0;
        for (char c : chars) vocabulary[k++] = c;
        this.seqLen = seqLen;
        this.ids = encode(text);
    }

    /** The dataset of the UTF-8 text of {@code file} ({@link #readText}). */
    public static TextDataset read(Path file, int seqLen) throws IOException {
        String text = readText(file);
        try {
            return new TextDataset(text, seqLen);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
    }

    /** The UTF-8 text of {@code file}; a missing or non-UTF-8 file is a one-line error naming it. */
    public static String readText(Path file) throws IOException {
        byte[] bytes;
        if (Files.isDirectory(file)) throw new IllegalArgumentException("text file " + file + " is a folder: give a UTF-8 text file");
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("text file " + file + " does not exist");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("text file " + file + " is not UTF-8 text");
        }
    }

    /** The distinct characters of the text, sorted: id i is character i. */
    public String vocabulary() {
        return new String(vocabulary);
    }

    public int vocabularySize() {
        return vocabulary.length;
    }

    public int seqLen() {
        return seqLen;
    }

    /** The ids of {@code s}; a character outside the vocabulary is an error naming it. */
    public int[] encode(String s) {
        int[] out = new int[s.length()];
        for (int i = 0; i < out.length; i++) {
            int id = Arrays.binarySearch(vocabulary, s.charAt(i));
            if (id < 0) throw new IllegalArgumentException("character '" + s.charAt(i) + "' (U+" + String.format("%04X", (int) s.charAt(i)) + ") is not in the vocabulary");
            out[i] = id;
        }
        return out;
    }

    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder(ids.length);
        for (int id : ids) sb.append(vocabulary[id]);
        return sb.toString();
    }

    @Override
    public int size() {
        return (ids.length - 1) / seqLen;
    }

    @Override
    public Sample get(int index) {
        float[] x = new float[seqLen];
        for (int t = 0; t < seqLen; t++) x[t] = ids[index * seqLen + t];
        return new Sample(Tensor.of(x, seqLen), ids[index * seqLen + seqLen]);
    }

    @Override
    public Batch batch(int[] indices, Device device) {
        if (indices.length == 0) throw new IllegalArgumentException("an empty batch");
        float[] x = new float[indices.length * seqLen], y = new float[indices.length * seqLen];
        for (int n = 0; n < indices.length; n++) {
            int start = indices[n] * seqLen;
            for (int t = 0; t < seqLen; t++) {
                x[n * seqLen + t] = ids[start + t];
                y[n * seqLen + t] = ids[start + t + 1];
            }
        }
        return new Batch(Tensor.of(device, x, indices.length, seqLen), Tensor.of(device, y, indices.length, seqLen));
    }
}
