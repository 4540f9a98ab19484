package jgrad.vision;

import static org.assertj.core.api.Assertions.assertThat;

import jgrad.tensor.Generator;
import org.junit.jupiter.api.Test;

/** The random transforms: how often they fire, and that what they draw stays in its range. */
class RandomTransformsTest {
    static Image ramp() {
        Image img = Image.zeros(1, 6, 8);
        for (int y = 0; y < 6; y++) for (int x = 0; x < 8; x++) img.set(0, y, x, (y * 8 + x) / 48f);
        return img;
    }

    @Test
    void flipsFireWithTheirProbability() {
        Generator g = new Generator(1);
        Transform flip = Transforms.randomHorizontalFlip(0.3f);
        int flipped = 0;
        for (int i = 0; i < 4000; i++) if (flip.apply(ramp(), g).get(0, 0, 0) != 0f) flipped++;
        // 30% of 4000 = 1200, σ ≈ 29
        assertThat(flipped).isBetween(1080, 1320);
    }

    @Test
    void randomCropsCoverEveryOffsetOfThePaddedImage() {
        Generator g = new Generator(2);
        Transform crop = Transforms.randomCrop(6, 8, 1);
        boolean[] seen = new boolean[9];  // (3 tops) × (3 lefts) on the 8×10 padded image
        for (int i = 0; i < 500; i++) {
            Image out = crop.apply(ramp(), g);
            assertThat(out.h()).isEqualTo(6);
            assertThat(out.w()).isEqualTo(8);
            // which of the 3×3 possible windows of the padded image is it?
            Image padded = Functional.pad(ramp(), 1, 1, 1, 1, Functional.PadMode.CONSTANT, 0);
            int top = -1, left = -1;
            for (int t = 0; t < 3; t++) for (int l = 0; l < 3; l++) {
                if (java.util.Arrays.equals(Functional.crop(padded, t, l, 6, 8).data(), out.data())) { top = t; left = l; }
            }
            assertThat(top).as("a crop of the padded image").isNotNegative();
            seen[top * 3 + left] = true;
        }
        for (boolean s : seen) assertThat(s).isTrue();
    }

    @Test
    void colorJitterFactorsStayInTheirRange() {
        Generator g = new Generator(3);
        Transform jitter = Transforms.colorJitter(0.4f, 0f, 0f);  // brightness only: out = clamp(f·in)
        Image in = Image.zeros(1, 1, 1);
        in.set(0, 0, 0, 0.5f);
        float lo = 1, hi = 0;
        for (int i = 0; i < 2000; i++) {
            float f = jitter.apply(in, g).get(0, 0, 0) / 0.5f;
            lo = Math.min(lo, f);
            hi = Math.max(hi, f);
        }
        assertThat(lo).isBetween(0.6f, 0.62f);
        assertThat(hi).isBetween(1.38f, 1.4f);
    }

    @Test
    void randomErasingErasesAnAreaInItsRange() {
        Generator g = new Generator(4);
        Transform erase = Transforms.randomErasing(1f, 0.1f, 0.3f, 0.5f, 2f, -1f);
        Image big = Image.zeros(1, 20, 20);
        for (int i = 0; i < 300; i++) {
            int erased = 0;
            for (float v : erase.apply(big, g).data()) if (v == -1f) erased++;
            assertThat(erased).as("erased pixels of 400").isBetween(25, 150);
        }
    }

    @Test
    void composeRunsInOrderAndTheSameSeedGivesTheSameAugmentation() {
        Transform t = Transforms.compose(Transforms.randomCrop(4, 4, 0), Transforms.randomHorizontalFlip(0.5f), Transforms.lambda(Functional::invert));
        Image a = t.apply(ramp(), new Generator(9)), b = t.apply(ramp(), new Generator(9));
        assertThat(a.data()).containsExactly(b.data());
        assertThat(a.h()).isEqualTo(4);
    }

    @Test
    void randomRotationStaysWithinItsAngleAndRandomResizedCropGivesTheSize() {
        Generator g = new Generator(5);
        Image square = Image.zeros(1, 9, 9);
        square.set(0, 4, 8, 1f);  // a dot on the right edge, on the centre row
        int moved = 0;
        for (int i = 0; i < 200; i++) {
            Image out = Transforms.randomRotation(20f).apply(square, g);
            int found = -1;
            for (int y = 0; y < 9; y++) for (int x = 6; x < 9; x++) if (out.get(0, y, x) == 1f) found = y;
            // the dot (radius 4 from the centre) stays within ±20°: at most 4·sin 20° ≈ 1.4 rows away, in the last three columns
            assertThat(found).as("the dot is still in the last three columns, draw %d", i).isNotNegative();
            assertThat(Math.abs(found - 4)).isLessThanOrEqualTo(2);
            if (found != 4) moved++;
        }
        assertThat(moved).as("some angles move the dot to another row").isPositive();
        Image out = Transforms.randomResizedCrop(5, 7, 0.3f, 1f, 0.75f, 1.33f).apply(ramp(), g);
        assertThat(new int[] {out.h(), out.w()}).containsExactly(5, 7);
    }

    @Test
    void theOtherRandomTransformsKeepTheSizeAndFireWithTheirProbability() {
        Generator g = new Generator(6);
        Image rgb = Image.zeros(3, 6, 8);
        for (int i = 0; i < rgb.data().length; i++) rgb.data()[i] = (i * 37 % 100) / 100f;
        for (Transform t : new Transform[] {Transforms.randomAffine(30, 0.1f, 0.1f, 0.8f, 1.2f, 10), Transforms.colorJitter(0.2f, 0.2f, 0.2f, 0.1f),
                Transforms.randomPosterize(4, 1f), Transforms.randomAdjustSharpness(2f, 1f), Transforms.randomAutocontrast(1f),
                Transforms.randomEqualize(1f), Transforms.randomPerspective(0.5f, 1f)}) {
            Image out = t.apply(rgb, g);
            assertThat(new int[] {out.c(), out.h(), out.w()}).containsExactly(3, 6, 8);
        }
        int changed = 0;
        for (int i = 0; i < 1000; i++) if (!java.util.Arrays.equals(Transforms.randomAutocontrast(0.25f).apply(rgb, g).data(), rgb.data())) changed++;
        assertThat(changed).as("p = 0.25 of 1000").isBetween(200, 300);
    }
}
