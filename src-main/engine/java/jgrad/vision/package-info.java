/**
 * Images and torchvision's transforms: {@link jgrad.vision.Image} (C×H×W floats on the host),
 * {@link jgrad.vision.Transforms} (the transforms by name, random ones included) over
 * {@link jgrad.vision.Functional} (the deterministic operations, by concept in Geometry, Warps,
 * ColorAdjust, Filters and EightBit), {@link jgrad.vision.ImageDataset}, and
 * {@link jgrad.vision.ImageClassification} (how a weight's pictures are prepared, torchvision's {@code weights.transforms()}).
 * Read first: {@code Transforms}.
 */
package jgrad.vision;
