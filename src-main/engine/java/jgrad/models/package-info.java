/**
 * Ready-made networks. The zoo ({@link jgrad.models.Models}): torchvision's {@link jgrad.models.ResNet}
 * (18, 34, 50; blocks {@link jgrad.models.BasicBlock}, {@link jgrad.models.Bottleneck}),
 * {@link jgrad.models.Vgg} (11, 16, with or without batch norm) and {@link jgrad.models.MobileNetV2},
 * with torchvision's state-dict keys so that PyTorch weights (as safetensors) load key for key.
 * jgrad's own: {@link jgrad.models.LeNet5}, {@link jgrad.models.Mlp} and a small VGG-style net for
 * Fashion-MNIST ({@link jgrad.models.SmallVgg}), and {@link jgrad.models.ResNetMini}, the small ResNet that
 * {@code ./jgrad pretrain} pretrains on Fashion-MNIST as jgrad's own backbone for transfer learning. Read {@code Models} first; docs/transfer-learning.md.
 */
package jgrad.models;
