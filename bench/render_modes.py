"""Compare two ways of colouring the PNG mask: palette (L → P in place) and RGB compose.

Run:  .venv/bin/python bench/render_modes.py [a4 a0 ...]

Each (page, mode) runs in a fresh process so that its peak RSS (ru_maxrss) is its own; the
figure is the whole process (Python, Pillow, fonts, the images and the PNG encoder).
Not a test: numbers depend on the machine. The result is recorded in layout/render_png.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FALLBACK_FONT = "/usr/share/fonts/truetype/noto/NotoSans-Black.ttf"

CHILD = r"""
import importlib, io, json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from PIL import Image
from poster_app.layout.geometry import Box, Layout, Line, Run
from poster_app.layout.pages import parse_page
rp = importlib.import_module("poster_app.layout.png")  # the module, not the function

size, mode, font = sys.argv[2], sys.argv[3], sys.argv[4]
page = parse_page(size)
dpi = 300
# The worst case for memory: three lines of huge text that fill the page, as plan() makes them.
text = "FREEDOM"
pt = page.width * 0.9 / (rp.pil_font(font, 0, 100).getlength(text) / 100)
adv = rp.pil_font(font, 0, pt).getlength(text)
lines = []
for i in range(3):
    baseline = page.height * (0.3 + 0.3 * i)
    run = Run(text, font, 0, pt, "ltr", "Latn", "en", (page.width - adv) / 2, baseline, adv)
    lines.append(Line(text, pt, (run,), Box(0, 0, page.width, page.height)))
layout = Layout(page, Box(0, 0, page.width, page.height), tuple(lines), (0, 0, 0),
                (255, 255, 255), "fill", "en", "ltr")
t0 = time.perf_counter()
px = rp.pixel_size(page, dpi)
mask = rp.Painter(layout, dpi / 72, px).coverage()
if mode == "palette":
    image = rp.colour_mask(mask, layout.fg, layout.bg)
else:
    image = Image.new("RGB", px, layout.bg)
    image.paste(layout.fg, (0, 0), mask)
    del mask
out = io.BytesIO()
image.save(out, format="PNG", dpi=(dpi, dpi), compress_level=6)
t = time.perf_counter() - t0
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"size": size, "mode": mode, "px": px, "seconds": round(t, 2),
                  "peak_rss_mb": round(rss), "png_mb": round(len(out.getvalue()) / 1e6, 2)}))
"""


def main(sizes: list[str]) -> None:
    font = FALLBACK_FONT
    if (ROOT / "fonts" / "NotoSans-Black.ttf").exists():
        font = "NotoSans-Black.ttf"
    print(f"{'page':6} {'mode':8} {'pixels':>13} {'time s':>7} {'peak RSS MB':>12} {'PNG MB':>7}")
    for size in sizes:
        for mode in ("palette", "rgb"):
            done = subprocess.run(
                [sys.executable, "-c", CHILD, str(ROOT), size, mode, font],
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode:
                sys.exit(done.stderr)
            r = json.loads(done.stdout)
            print(
                f"{size:6} {mode:8} {r['px'][0]:>6}×{r['px'][1]:<6} {r['seconds']:>7} "
                f"{r['peak_rss_mb']:>12} {r['png_mb']:>7}"
            )


if __name__ == "__main__":
    main(sys.argv[1:] or ["a4", "a0"])
