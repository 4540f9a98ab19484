package jgrad.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.function.UnaryOperator;
import javax.imageio.ImageIO;
import jgrad.TorchFixture;
import jgrad.tensor.Device;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Every deterministic image operation against torchvision 0.14 on a random 3×10×12 image
 * (fixture: src-test/engine/resources/torch/vision_fixture.py).
 */
class TransformsTest {
    static final TorchFixture T = TorchFixture.load("vision_fixture.txt");
    static final Image IMG = Image.of(T.tensor("img"));

    static java.util.stream.Stream<Arguments> ops() {
        return java.util.stream.Stream.of(
                Arguments.of("normalize", (UnaryOperator<Image>) x -> Functional.normalize(x, new float[] {0.5f, 0.4f, 0.3f}, new float[] {0.2f, 0.25f, 0.3f})),
                Arguments.of("resize.down", (UnaryOperator<Image>) x -> Functional.resize(x, 5, 7)),
                Arguments.of("resize.up", (UnaryOperator<Image>) x -> Functional.resize(x, 17, 19)),
                Arguments.of("resize.short", (UnaryOperator<Image>) x -> Functional.resize(x, 8)),
                Arguments.of("centercrop", (UnaryOperator<Image>) x -> Functional.centerCrop(x, 6, 5)),
                Arguments.of("centercrop.odd", (UnaryOperator<Image>) x -> Functional.centerCrop(x, 7, 8)),
                Arguments.of("crop", (UnaryOperator<Image>) x -> Functional.crop(x, 2, 3, 5, 6)),
                Arguments.of("pad.constant", (UnaryOperator<Image>) x -> Functional.pad(x, 2, 1, 3, 2, Functional.PadMode.CONSTANT, 0.5f)),
                Arguments.of("pad.edge", (UnaryOperator<Image>) x -> Functional.pad(x, 2, 1, 3, 2, Functional.PadMode.EDGE, 0)),
                Arguments.of("pad.reflect", (UnaryOperator<Image>) x -> Functional.pad(x, 2, 1, 3, 2, Functional.PadMode.REFLECT, 0)),
                Arguments.of("pad.symmetric", (UnaryOperator<Image>) x -> Functional.pad(x, 2, 1, 3, 2, Functional.PadMode.SYMMETRIC, 0)),
                Arguments.of("hflip", (UnaryOperator<Image>) Functional::hflip),
                Arguments.of("vflip", (UnaryOperator<Image>) Functional::vflip),
                Arguments.of("grayscale", (UnaryOperator<Image>) x -> Functional.grayscale(x, 1)),
                Arguments.of("grayscale3", (UnaryOperator<Image>) x -> Functional.grayscale(x, 3)),
                Arguments.of("brightness", (UnaryOperator<Image>) x -> Functional.adjustBrightness(x, 1.4f)),
                Arguments.of("contrast", (UnaryOperator<Image>) x -> Functional.adjustContrast(x, 0.6f)),
                Arguments.of("saturation", (UnaryOperator<Image>) x -> Functional.adjustSaturation(x, 1.7f)),
                Arguments.of("blur", (UnaryOperator<Image>) x -> Functional.gaussianBlur(x, 5, 3, 1.2f, 0.8f)),
                Arguments.of("invert", (UnaryOperator<Image>) Functional::invert),
                Arguments.of("solarize", (UnaryOperator<Image>) x -> Functional.solarize(x, 0.6f)),
                Arguments.of("erase", (UnaryOperator<Image>) x -> Functional.erase(x, 1, 2, 4, 5, 0.25f)),
                Arguments.of("rotate.30", (UnaryOperator<Image>) x -> Functional.rotate(x, 30f, Functional.Interpolation.NEAREST)),
                Arguments.of("rotate.-45.bilinear", (UnaryOperator<Image>) x -> Functional.rotate(x, -45f, Functional.Interpolation.BILINEAR)),
                Arguments.of("rotate.90", (UnaryOperator<Image>) x -> Functional.rotate(x, 90f, Functional.Interpolation.NEAREST)),
                Arguments.of("resizedcrop", (UnaryOperator<Image>) x -> Functional.resizedCrop(x, 1, 2, 6, 8, 5, 5)),
                Arguments.of("affine", (UnaryOperator<Image>) x -> Functional.affine(x, 15f, 2, -1, 0.9f, 10f, 5f, Functional.Interpolation.NEAREST)),
                Arguments.of("hue", (UnaryOperator<Image>) x -> Functional.adjustHue(x, 0.2f)),
                Arguments.of("hue.neg", (UnaryOperator<Image>) x -> Functional.adjustHue(x, -0.35f)),
                Arguments.of("autocontrast", (UnaryOperator<Image>) Functional::autocontrast),
                Arguments.of("sharpness", (UnaryOperator<Image>) x -> Functional.adjustSharpness(x, 1.8f)),
                Arguments.of("posterize", (UnaryOperator<Image>) x -> Functional.posterize(x, 3)),
                Arguments.of("equalize", (UnaryOperator<Image>) Functional::equalize),
                Arguments.of("perspective", (UnaryOperator<Image>) x -> Functional.perspective(x, new int[][] {{0, 0}, {11, 0}, {11, 9}, {0, 9}},
                        new int[][] {{1, 2}, {10, 0}, {11, 8}, {2, 9}}, Functional.Interpolation.BILINEAR)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ops")
    void matchesTorchvision(String key, UnaryOperator<Image> op) {
        Image out = op.apply(IMG);
        // perspective: torchvision solves its 8×8 system by float32 least squares, we exactly in
        // double; the coefficients differ by ~1e-7 relative, the sampled values by a few 1e-6
        double atol = key.equals("perspective") ? 1e-5 : 1e-6;
        T.assertMatches(key, out.toTensor(Device.reference()), 1e-5, atol);
        assertThat(IMG.data()).as("the input is left alone").containsExactly(T.values("img"));
    }

    @Test
    void eightBitQuantizationIsTorchvisionsConvertImageDtype() {
        int[] bytes = Functional.toBytes(IMG);
        float[] expected = T.values("uint8");
        for (int i = 0; i < bytes.length; i++) assertThat((float) bytes[i]).as("value %d", i).isEqualTo(expected[i]);
        Image q = Functional.convertImageDtype(IMG);
        assertThat(q.data()[0]).isEqualTo(expected[0] / 255f);
    }

    @Test
    void toTensorOfAPngMatchesTorchvision() throws IOException {
        var png = ImageIO.read(TransformsTest.class.getResourceAsStream("/torch/vision_rgb.png"));
        T.assertMatches("totensor.png", Image.of(png).toTensor(Device.reference()), 0, 1e-7);
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> Functional.crop(IMG, 8, 0, 5, 5)).hasMessageContaining("leaves the 10×12 image");
        assertThatThrownBy(() -> Functional.gaussianBlur(IMG, 4, 3, 1, 1)).hasMessageContaining("odd");
        assertThatThrownBy(() -> Functional.pad(IMG, 12, 0, 0, 0, Functional.PadMode.REFLECT, 0)).hasMessageContaining("smaller than the image");
        assertThatThrownBy(() -> Functional.normalize(IMG, new float[] {0}, new float[] {1})).hasMessageContaining("3 channels");
    }
}
