package jgrad.mnist;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Draws 28×28 grey images in the terminal, two pixel rows per text line, side by side with captions. */
final class DigitArt {
    private static final String RAMP = " .:-=+*#%@";

    private DigitArt() {}

    static void print(PrintStream out, List<byte[]> images, List<String> captions) {
        List<String[]> drawn = new ArrayList<>();
        for (byte[] img : images) drawn.add(draw(img));
        int lines = drawn.isEmpty() ? 0 : drawn.get(0).length;
        for (int l = 0; l < lines; l++) {
            StringBuilder sb = new StringBuilder();
            for (String[] d : drawn) sb.append(d[l]).append("  ");
            out.println(sb.toString().stripTrailing());
        }
        StringBuilder caption = new StringBuilder();
        for (String c : captions) caption.append(String.format("%-30s", c));
        out.println(caption.toString().stripTrailing());
    }

    /** 14 lines of 28 characters: each character shows the mean of two vertically adjacent pixels. */
    private static String[] draw(byte[] img) {
        String[] lines = new String[14];
        for (int r = 0; r < 14; r++) {
            StringBuilder sb = new StringBuilder();
            for (int c = 0; c < 28; c++) {
                int v = ((img[2 * r * 28 + c] & 0xff) + (img[(2 * r + 1) * 28 + c] & 0xff)) / 2;
                sb.append(RAMP.charAt(v * (RAMP.length() - 1) / 255));
            }
            lines[r] = sb.toString();
        }
        return lines;
    }
}
