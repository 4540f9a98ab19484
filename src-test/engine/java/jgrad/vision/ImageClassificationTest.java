package jgrad.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * A weight's preprocessing ({@link ImageClassification}, torchvision's {@code weights.transforms()}):
 * resize, centre crop, channels, normalisation, on pictures whose every output value is worked out
 * by hand.
 */
class ImageClassificationTest {
    /** A c×h×w picture with every channel constant: {@code values[ch]}. */
    private static Image flat(int h, int w, float... values) {
        Image img = Image.zeros(values.length, h, w);
        for (int ch = 0; ch < values.length; ch++) for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.set(ch, y, x, values[ch]);
        return img;
    }

    @Test
    void anRgbPictureBecomesOneGreyChannelOfTheWeightsSizeNormalised() {
        ImageClassification p = new ImageClassification(28, 28, 1, new float[] {0.5f}, new float[] {0.25f});
        Image out = p.transform().apply(flat(40, 30, 1f, 0.5f, 0f), null);
        assertThat(out.c()).isEqualTo(1);
        assertThat(out.h()).isEqualTo(28);
        assertThat(out.w()).isEqualTo(28);
        // grey = 0.2989·1 + 0.587·0.5 + 0.114·0 = 0.5924; (0.5924 − 0.5) / 0.25 = 0.3696
        for (float v : out.data()) assertThat(v).isCloseTo(0.3696f, within(1e-5f));
    }

    @Test
    void aGreyPictureIsCopiedToThreeChannelsForRgbWeights() {
        ImageClassification p = ImageClassification.imagenet(8);
        Image out = p.transform().apply(flat(8, 8, 0.485f + 0.229f), null);
        assertThat(out.c()).isEqualTo(3);
        // channel 0: (0.714 − 0.485) / 0.229 = 1; channel 1: (0.714 − 0.456) / 0.224 = 1.15179; channel 2: (0.714 − 0.406) / 0.225 = 1.36889
        assertThat(out.get(0, 3, 3)).isCloseTo(1f, within(1e-5f));
        assertThat(out.get(1, 3, 3)).isCloseTo(1.151786f, within(1e-5f));
        assertThat(out.get(2, 3, 3)).isCloseTo(1.368889f, within(1e-5f));
        assertThat(p.geometry().apply(flat(8, 8, 0.3f, 0.6f, 0.9f), null).data()).as("RGB stays RGB").startsWith(0.3f).endsWith(0.9f);
    }

    @Test
    void theCentreCropKeepsTheMiddleOfTheResizedPicture() {
        Image ramp = Image.zeros(1, 8, 8);
        for (int y = 0; y < 8; y++) for (int x = 0; x < 8; x++) ramp.set(0, y, x, x / 10f);
        ImageClassification p = new ImageClassification(8, 4, 1, new float[] {0}, new float[] {1});
        Image out = p.transform().apply(ramp, null);
        assertThat(out.h()).isEqualTo(4);
        assertThat(out.w()).isEqualTo(4);
        assertThat(new float[] {out.get(0, 0, 0), out.get(0, 0, 1), out.get(0, 0, 2), out.get(0, 0, 3)}).as("columns 2 to 5")
                .containsExactly(0.2f, 0.3f, 0.4f, 0.5f);
        assertThat(p).hasToString("resize 8, crop 4×4, 1 channel, mean [0.0], std [1.0]");
    }

    @Test
    void overridesKeepWhatTheyDoNotChange() {
        ImageClassification m = ImageClassification.mnist();
        assertThat(m.withSize(32)).isEqualTo(new ImageClassification(32, 32, 1, new float[] {0}, new float[] {1}));
        assertThat(m.withChannels(3)).isEqualTo(new ImageClassification(28, 28, 3, new float[] {0, 0, 0}, new float[] {1, 1, 1}));
        assertThat(m.withNormalization(new float[] {0.2860f}, new float[] {0.3530f}).mean()).containsExactly(0.2860f);
        assertThat(m).isNotEqualTo(ImageClassification.imagenet(28)).hasSameHashCodeAs(ImageClassification.mnist());
        float[] mean = m.mean();
        mean[0] = 9;
        assertThat(m.mean()).as("a copy: the record cannot be changed through it").containsExactly(0f);
    }

    @Test
    void badSettingsAreRefusedNamingTheValue() {
        float[] one = {0}, three = {0, 0, 0};
        assertThatThrownBy(() -> new ImageClassification(28, 28, 2, one, one)).hasMessage("channels must be 1 (grey) or 3 (RGB), got 2");
        assertThatThrownBy(() -> new ImageClassification(28, 32, 1, one, one)).hasMessage("crop 32 must be in 1..28 (the resize)");
        assertThatThrownBy(() -> new ImageClassification(28, 28, 1, three, one))
                .hasMessage("3 means and 1 standard deviations for 1 channel(s): give one per channel");
        assertThatThrownBy(() -> new ImageClassification(28, 28, 1, one, new float[] {0})).hasMessage("a standard deviation must be > 0, got 0.0");
        assertThatThrownBy(() -> ImageClassification.imagenet(28).withChannels(1))
                .hasMessage("the normalisation has 3 means and standard deviations, for 3 channels: give 1 of each for 1");
    }
}
