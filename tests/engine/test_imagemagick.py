"""Our banners against ImageMagick's `caption:` on the same box with the same font file.

`convert -size WxH -font FONT -gravity center caption:TEXT` picks the largest point size at
which its word wrap fits the box (the page minus 5 % margins, as Spec's default). Our text
must cover at least as many pixels, and for Chinese, Japanese and Thai clearly more (×1.2):
ImageMagick breaks them badly (停|止 across lines) or fails outright ("width or height exceeds
limit" when it cannot auto-size a text without spaces), which counts as ours being larger.

Where auto-size fails we also ask ImageMagick for its best fixed point size (bisected, wrapped
to the box width, no taller than the box) so the comparison has teeth anyway.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from functools import cache

import pytest
from PIL import Image

from poster_app.layout.corpus import CORPUS
from poster_app.layout.fit import plan
from poster_app.layout.fontcache import font_path
from poster_app.layout.geometry import Layout
from poster_app.layout.png import render_png
from poster_app.layout.spec import Spec

# Debian's own binary: a `convert` earlier on PATH may be a wrapper around it.
CONVERT = shutil.which("convert", path="/usr/bin:/bin") or shutil.which("convert")
pytestmark = pytest.mark.skipif(not CONVERT, reason="ImageMagick missing")

DPI = 72
CLEARLY = 1.2
# corpus entry → must ours be clearly larger (CJK and Thai)?
ENTRIES = {
    "en": False,
    "es": False,
    "ru": False,
    "el": False,
    "ar": False,
    "fa": False,
    "he": False,
    "am": False,
    "hi": False,
    "ko": False,
    "zh-Hans": True,
    "zh-Hant": True,
    "ja": True,
    "th": True,
    "km": True,
}


@cache
def layout_of(entry: str) -> Layout:
    lang, text = CORPUS[entry]
    return plan(Spec(text=text, lang=lang))


def ink_pixels(image: Image.Image) -> int:
    """Pixels nearer black than white (both sides draw black on white)."""
    return image.convert("L").point(lambda v: 255 if v < 128 else 0).histogram()[255]


def box_px(layout: Layout) -> tuple[int, int]:
    k = DPI / 72
    return round(layout.box.width * k), round(layout.box.height * k)


def caption(text: str, font: str, size: str, pointsize: float | None = None) -> Image.Image | None:
    """ImageMagick's caption of `text` on a canvas of `size` ('WxH' or 'W'), or None on failure."""
    args = [CONVERT, "-size", size, "-font", font_path(font), "-gravity", "center"]
    if pointsize is not None:
        args += ["-pointsize", f"{pointsize:.2f}"]
    # `caption:` reads %-escapes and a leading @ as a file name.
    label = text.replace("\\", "\\\\").replace("%", "%%")
    if label.startswith("@"):
        label = "\\" + label
    done = subprocess.run(
        [*args, f"caption:{label}", "png:-"], check=False, capture_output=True, timeout=60
    )
    if done.returncode or not done.stdout:
        return None
    return Image.open(io.BytesIO(done.stdout))


def best_fixed_caption(text: str, font: str, width: int, height: int) -> int:
    """Ink of ImageMagick's largest fixed-size caption that wraps to `width` within `height`."""

    def fits(points: float) -> Image.Image | None:
        image = caption(text, font, str(width), points)
        if image is None or image.height > height:
            return None
        bbox = image.convert("L").point(lambda v: 255 if v < 128 else 0).getbbox()
        return image if bbox and bbox[2] - bbox[0] <= width else None

    low, high, best = 4.0, float(height), None
    while high - low > 1:
        mid = (low + high) / 2
        image = fits(mid)
        if image is None:
            high = mid
        else:
            low, best = mid, image
    return ink_pixels(best) if best is not None else 0


@pytest.mark.parametrize("entry", list(ENTRIES))
def test_never_smaller_than_imagemagick_caption(entry):
    layout = layout_of(entry)
    _, text = CORPUS[entry]
    ours = ink_pixels(Image.open(io.BytesIO(render_png(layout, dpi=DPI))))
    assert ours > 0
    width, height = box_px(layout)
    theirs_image = caption(text, layout.lines[0].runs[0].font, f"{width}x{height}")
    if theirs_image is None:
        return  # ImageMagick cannot set it at all: ours is larger by any measure
    theirs = ink_pixels(theirs_image)
    factor = CLEARLY if ENTRIES[entry] else 1.0
    assert ours >= factor * theirs, (ours, theirs, round(ours / theirs, 2))


# Against ImageMagick's best fixed size, which breaks Chinese and Japanese between any two
# characters (停|止), ours keeps words whole and so is not 1.2× larger there (measured at
# 72 DPI: zh-Hans 1.07, zh-Hant 1.17, ja 1.18) — but never smaller. Khmer, which ImageMagick
# can only break at spaces, is clearly larger (km 1.24). Thai was too (1.73) while the engine
# broke inside its phrases for size; it now keeps phrases and one-syllable words whole
# (issue 12), in Thai's narrower width, and is about as large (1.0).
BEST_SIZE = {
    "zh-Hans": 1.0,
    "zh-Hant": 1.0,
    "ja": 1.0,
    "hi": 1.0,
    "ko": 1.0,
    "th": 1.0,
    "km": CLEARLY,
}


@pytest.mark.parametrize("entry", list(BEST_SIZE))
def test_not_smaller_than_imagemagick_at_its_best_fixed_size(entry):
    layout = layout_of(entry)
    _, text = CORPUS[entry]
    ours = ink_pixels(Image.open(io.BytesIO(render_png(layout, dpi=DPI))))
    width, height = box_px(layout)
    theirs = best_fixed_caption(text, layout.lines[0].runs[0].font, width, height)
    assert theirs > 0
    assert ours >= BEST_SIZE[entry] * theirs, (ours, theirs, round(ours / theirs, 2))
