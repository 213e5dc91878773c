"""NumPy painting for the dashboard's network view (lesson 06): every unit's map becomes pixels by a colour
look-up, pasted straight into the rendered figure's pixel buffer. One array operation per layer replaces
one matplotlib image per unit, which is what lets the whole network redraw more than 25 times a second."""
import io

import matplotlib
import numpy as np
import torch
from matplotlib import font_manager
from PIL import Image, ImageDraw, ImageFont

# Diverging: orange below zero, white at zero, purple above (ColorBrewer's PuOr, safe for colour-blind eyes,
# and apart from the class colours blue, vermillion and green).
CMAP = matplotlib.colormaps["PuOr"]
LUT = (255 * CMAP(np.linspace(0.0, 1.0, 256))[:, :3]).round().astype(np.uint8)
NEGATIVE, POSITIVE = CMAP(0.1), CMAP(0.9)   # the weights' colours: a line is drawn in its sign's colour


def colours(values, scale):
    """Values → RGB bytes on the diverging map, -scale → orange, 0 → white, +scale → purple."""
    index = np.clip(np.rint(127.5 + 127.5 * values / max(scale, 1e-12)), 0, 255).astype(np.intp)
    return LUT[index]


def tiles(rgb, side, size):
    """Colours (side², n, 3) on a side × side grid (x fastest, y upward) → n images (n, size, size, 3), y down."""
    n = rgb.shape[1]
    maps = rgb.transpose(1, 0, 2).reshape(n, side, side, 3)[:, ::-1]   # image rows run downward: flip y
    pick = (np.arange(size) * side) // size                       # nearest grid point for each pixel
    return maps[:, pick][:, :, pick]


def paste(buffer, image, x, y):
    """Put an RGB image (h, w, 3) into an RGBA pixel buffer with its top-left corner at column x, row y."""
    h, w = image.shape[:2]
    buffer[y:y + h, x:x + w, :3] = image
    buffer[y:y + h, x:x + w, 3] = 255


def class_mix(probs, class_colours):
    """Each point's class colours weighted by its probabilities, lightened so that the dots stand out."""
    return 0.45 + 0.55 * probs @ class_colours


def upsample(image, size):
    """An (n, n, 3) image with y upward → (size, size, 3) float32 with y downward, smoothed (bilinear).
    torch, not a NumPy matrix product: NumPy's BLAS threads would fight the training thread for the cores."""
    chw = torch.from_numpy(np.ascontiguousarray(image, dtype=np.float32)).permute(2, 0, 1)[None]
    smooth = torch.nn.functional.interpolate(chw, size=(size, size), mode="bilinear", align_corners=False)
    return smooth[0].permute(1, 2, 0).flip(0).numpy()


class Writer:
    """Numbers that change every frame, written onto the pixels with Pillow in matplotlib's own font: about a
    tenth of the time matplotlib takes to lay out and render a text artist."""

    def __init__(self):
        self.path = font_manager.findfont("DejaVu Sans")
        self.fonts = {}

    def write(self, pixels, items):
        """items: (x, y, text, size in pixels, anchor such as "mb" = middle, bottom; grey level 0-255)."""
        for x, y, text, size, anchor, grey in items:
            if size not in self.fonts:
                self.fonts[size] = ImageFont.truetype(self.path, size)
            left, top, right, bottom = self.fonts[size].getbbox(text, anchor=anchor)
            mask = Image.new("L", (right - left, bottom - top))
            ImageDraw.Draw(mask).text((-left, -top), text, fill=255, font=self.fonts[size], anchor=anchor)
            ink = np.asarray(mask, dtype=np.float32)[:, :, None] / 255       # how much of each pixel is text
            x0, y0 = int(x) + left, int(y) + top
            region = pixels[y0:y0 + ink.shape[0], x0:x0 + ink.shape[1], :3]
            region[:] = (region * (1 - ink) + grey * ink).astype(np.uint8)


def composite(rgb, overlay):
    """Lay a premultiplied RGBA overlay (colour·alpha, alpha) of floats in [0, 1] over an RGB image; uint8."""
    colour, alpha = overlay
    return (255 * (rgb * (1 - alpha) + colour)).astype(np.uint8)  # float32 throughout: half the memory traffic


def encode_jpeg(rgba):
    """An (h, w, 4) RGBA uint8 array → JPEG bytes of its RGB part. Quality 92 with full-resolution colour (no
    chroma subsampling), so thin coloured lines and small text keep their colour and edges: a channel differs from
    the rendered pixel by about 1 in 255 on average. On this 1000 × 560 picture it takes about a third of the
    time of the fastest PNG (zlib level 1, no filter) for a smaller file; that CPU goes to training instead."""
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(rgba[:, :, :3])).save(buffer, "JPEG", quality=92, subsampling=0)
    return buffer.getvalue()
