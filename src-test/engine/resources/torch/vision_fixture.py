"""Writes vision_fixture.txt: torchvision 0.14's transforms on small CHW float images, for jgrad.vision.

Run from this directory with Debian's python3-torch and python3-torchvision (apt-get install
python3-torchvision), with /usr/bin/python3:
    /usr/bin/python3 vision_fixture.py
It also writes vision_rgb.png (a 12×10 RGB image) and the tensor torchvision's ToTensor makes of it.
CI has no Python: the tests read only the committed files. Format: fixture_io.py.
"""
import numpy as np
import torch

from fixture_io import put, write
import torchvision
import torchvision.transforms.functional as F
from PIL import Image

torch.manual_seed(20261127)


img = torch.rand(3, 10, 12)  # C, H, W in [0, 1)
put("img", img)
put("normalize", F.normalize(img, [0.5, 0.4, 0.3], [0.2, 0.25, 0.3]))
put("resize.down", F.resize(img, [5, 7], antialias=True))
put("resize.up", F.resize(img, [17, 19], antialias=True))
put("resize.short", F.resize(img, 8, antialias=True))       # the shorter side (10) to 8, keeping the aspect ratio
put("centercrop", F.center_crop(img, [6, 5]))
put("centercrop.odd", F.center_crop(img, [7, 8]))
put("crop", F.crop(img, 2, 3, 5, 6))
for mode in ("constant", "edge", "reflect", "symmetric"):
    put(f"pad.{mode}", F.pad(img, [2, 1, 3, 2], fill=0.5 if mode == "constant" else 0, padding_mode=mode))
put("hflip", F.hflip(img))
put("vflip", F.vflip(img))
put("grayscale", F.rgb_to_grayscale(img, num_output_channels=1))
put("grayscale3", F.rgb_to_grayscale(img, num_output_channels=3))
put("brightness", F.adjust_brightness(img, 1.4))
put("contrast", F.adjust_contrast(img, 0.6))
put("saturation", F.adjust_saturation(img, 1.7))
put("blur", F.gaussian_blur(img, [5, 3], [1.2, 0.8]))
put("invert", F.invert(img))
put("solarize", F.solarize(img, 0.6))
put("erase", F.erase(img, 1, 2, 4, 5, torch.tensor(0.25)))

from torchvision.transforms import InterpolationMode
put("rotate.30", F.rotate(img, 30.0))
put("rotate.-45.bilinear", F.rotate(img, -45.0, interpolation=InterpolationMode.BILINEAR))
put("rotate.90", F.rotate(img, 90.0))
put("resizedcrop", F.resized_crop(img, 1, 2, 6, 8, [5, 5], antialias=True))

put("affine", F.affine(img, angle=15.0, translate=[2, -1], scale=0.9, shear=[10.0, 5.0]))
put("hue", F.adjust_hue(img, 0.2))
put("hue.neg", F.adjust_hue(img, -0.35))
put("autocontrast", F.autocontrast(img))
put("sharpness", F.adjust_sharpness(img, 1.8))
u8 = F.convert_image_dtype(img, torch.uint8)
put("uint8", u8.float())
put("posterize", F.convert_image_dtype(F.posterize(u8, 3), torch.float32))
put("equalize", F.convert_image_dtype(F.equalize(u8), torch.float32))

put("perspective", F.perspective(img, [[0, 0], [11, 0], [11, 9], [0, 9]], [[1, 2], [10, 0], [11, 8], [2, 9]]))

rgb = (np.random.RandomState(7).rand(10, 12, 3) * 255).astype(np.uint8)
Image.fromarray(rgb, "RGB").save("vision_rgb.png")
put("totensor.png", torchvision.transforms.ToTensor()(Image.open("vision_rgb.png")))

write("vision_fixture.txt", "# written by vision_fixture.py with torch " + torch.__version__ + ", torchvision " + torchvision.__version__)
