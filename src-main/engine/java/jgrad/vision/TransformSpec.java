package jgrad.vision;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Transforms written as text, for the command line: {@code "Resize(32),RandomRotation(30),RandomHorizontalFlip(0.5)"}.
 * Names as torchvision's (case does not matter); arguments are numbers. Unknown names and wrong
 * argument counts are errors that list what is understood.
 */
public final class TransformSpec {
    private TransformSpec() {}

    static final String KNOWN = "Resize(size) or Resize(h,w), CenterCrop(size[,w]), Pad(p), RandomCrop(size[,padding]), "
            + "RandomResizedCrop(size), RandomHorizontalFlip([p]), RandomVerticalFlip([p]), RandomRotation(degrees), Grayscale([channels]), "
            + "RandomGrayscale([p]), ColorJitter(brightness,contrast,saturation[,hue]), GaussianBlur(kernel[,sigmaMin,sigmaMax]), "
            + "RandomAffine(degrees[,tx,ty,scaleMin,scaleMax,shear]), RandomPosterize(bits[,p]), RandomAdjustSharpness(factor[,p]), "
            + "RandomAutocontrast([p]), RandomEqualize([p]), RandomPerspective([distortion,p]), "
            + "RandomInvert([p]), RandomSolarize(threshold[,p]), RandomErasing([p])";

    public static Transform parse(String spec) {
        List<Transform> steps = new ArrayList<>();
        for (String part : split(spec)) {
            String s = part.trim();
            if (s.isEmpty()) continue;
            int open = s.indexOf('(');
            String name = (open < 0 ? s : s.substring(0, open)).trim().toLowerCase(Locale.ROOT);
            float[] a = open < 0 ? new float[0] : numbers(s, s.substring(open + 1, s.lastIndexOf(')') < 0 ? s.length() : s.lastIndexOf(')')));
            steps.add(switch (name) {
                case "resize" -> a.length == 1 ? Transforms.resize((int) arg(s, a, 0)) : Transforms.resize((int) arg(s, a, 0), (int) arg(s, a, 1));
                case "centercrop" -> Transforms.centerCrop((int) arg(s, a, 0), (int) (a.length > 1 ? a[1] : a[0]));
                case "pad" -> Transforms.pad((int) arg(s, a, 0), Functional.PadMode.CONSTANT, 0);
                case "randomcrop" -> Transforms.randomCrop((int) arg(s, a, 0), (int) arg(s, a, 0), a.length > 1 ? (int) a[1] : 0);
                case "randomresizedcrop" -> Transforms.randomResizedCrop((int) arg(s, a, 0), (int) arg(s, a, 0), 0.08f, 1f, 0.75f, 4f / 3);
                case "randomhorizontalflip" -> Transforms.randomHorizontalFlip(a.length > 0 ? a[0] : 0.5f);
                case "randomverticalflip" -> Transforms.randomVerticalFlip(a.length > 0 ? a[0] : 0.5f);
                case "randomrotation" -> Transforms.randomRotation(arg(s, a, 0));
                case "grayscale" -> Transforms.grayscale(a.length > 0 ? (int) a[0] : 1);
                case "randomgrayscale" -> Transforms.randomGrayscale(a.length > 0 ? a[0] : 0.1f);
                case "colorjitter" -> Transforms.colorJitter(arg(s, a, 0), a.length > 1 ? a[1] : 0, a.length > 2 ? a[2] : 0, a.length > 3 ? a[3] : 0);
                case "randomaffine" -> Transforms.randomAffine(arg(s, a, 0), a.length > 1 ? a[1] : 0, a.length > 2 ? a[2] : 0,
                        a.length > 3 ? a[3] : 1, a.length > 4 ? a[4] : 1, a.length > 5 ? a[5] : 0);
                case "randomposterize" -> Transforms.randomPosterize((int) arg(s, a, 0), a.length > 1 ? a[1] : 0.5f);
                case "randomadjustsharpness" -> Transforms.randomAdjustSharpness(arg(s, a, 0), a.length > 1 ? a[1] : 0.5f);
                case "randomautocontrast" -> Transforms.randomAutocontrast(a.length > 0 ? a[0] : 0.5f);
                case "randomequalize" -> Transforms.randomEqualize(a.length > 0 ? a[0] : 0.5f);
                case "randomperspective" -> Transforms.randomPerspective(a.length > 0 ? a[0] : 0.5f, a.length > 1 ? a[1] : 0.5f);
                case "gaussianblur" -> Transforms.gaussianBlur((int) arg(s, a, 0), a.length > 1 ? a[1] : 0.1f, a.length > 2 ? a[2] : 2f);
                case "randominvert" -> Transforms.randomInvert(a.length > 0 ? a[0] : 0.5f);
                case "randomsolarize" -> Transforms.randomSolarize(arg(s, a, 0), a.length > 1 ? a[1] : 0.5f);
                case "randomerasing" -> Transforms.randomErasing(a.length > 0 ? a[0] : 0.5f, 0.02f, 0.33f, 0.3f, 3.3f, 0f);
                default -> throw new IllegalArgumentException("unknown transform '" + s + "'; known: " + KNOWN);
            });
        }
        return Transforms.compose(steps.toArray(Transform[]::new));
    }

    /** Splits on the commas between transforms, not those inside parentheses. */
    private static List<String> split(String spec) {
        List<String> out = new ArrayList<>();
        int depth = 0, from = 0;
        for (int i = 0; i < spec.length(); i++) {
            char c = spec.charAt(i);
            if (c == '(') depth++;
            else if (c == ')') depth--;
            else if (c == ',' && depth == 0) {
                out.add(spec.substring(from, i));
                from = i + 1;
            }
        }
        out.add(spec.substring(from));
        return out;
    }

    private static float[] numbers(String whole, String inside) {
        if (inside.isBlank()) return new float[0];
        String[] parts = inside.split(",");
        float[] v = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                v[i] = Float.parseFloat(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("transform '" + whole + "': '" + parts[i].trim() + "' is not a number");
            }
        }
        return v;
    }

    private static float arg(String whole, float[] a, int i) {
        if (i >= a.length) throw new IllegalArgumentException("transform '" + whole + "' needs at least " + (i + 1) + " argument(s); known: " + KNOWN);
        return a[i];
    }
}
