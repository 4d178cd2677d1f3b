"""Build fonts/PosterEmoji-Heavy.ttf: monochrome Noto Emoji at the weight of a Black slogan.

Debian 12 ships Noto Emoji only in colour. The monochrome face (OFL-1.1) has a weight axis
that ends at 700, and its Bold lines are a third as thick as Noto Sans Black's stems: beside
a slogan a raised fist looked drawn in pencil. So the static Bold instance, fetched from npm's
@expo-google-fonts/noto-emoji (Google's own static instances, checked by hash), is emboldened
here: every outline grows by EMBOLDEN font units on each side (the union of the glyph and its
round-joined stroke, with skia-pathops), which brings its lines to about 0.6 of the letters'
stems while keeping the fingers of ✊ and the feathers of 🕊 apart (0.75 and more closed them
up). Advances stay as they were.

Two more changes, both for a one-colour banner:
- U+2764 ❤ is drawn with the solid heart of U+2665: Noto Emoji hatches it to say "red".
- The face is renamed Poster Emoji Heavy: a modified font must not pass for Google's Noto.

Run through fonts/build_manifest.py (needs npm and `pip install skia-pathops`); the result is
the same bytes on every machine (the timestamp is not touched).
"""

from __future__ import annotations

import hashlib
import io
import subprocess
import tarfile
import tempfile
from pathlib import Path

from fontTools.ttLib import TTFont

PACKAGE = "@expo-google-fonts/noto-emoji@0.4.7"
MEMBER = "package/700Bold/NotoEmoji_700Bold.ttf"
SHA256 = "4a3232c18f9c6312d34eb5b3ddc670c2060ff15f42d584c8aca331b6205c6ad9"
LICENCE_MEMBER = "package/LICENSE_FONT"
FILE = "PosterEmoji-Heavy.ttf"
LICENCE_FILE = "OFL-NotoEmoji.txt"
EMBOLDEN = 42  # font units of 2048 per em, added on each side of every outline
WEIGHT = 900
NAMES = {
    1: "Poster Emoji Heavy",
    2: "Regular",
    3: "3.006;poster_app;PosterEmoji-Heavy",
    4: "Poster Emoji Heavy",
    6: "PosterEmoji-Heavy",
    10: (
        f"Noto Emoji Bold 3.006 (Google LLC, OFL-1.1) with outlines emboldened by {EMBOLDEN} "
        "units and U+2764 drawn as a solid heart, by poster_app's fonts/heavy_emoji.py."
    ),
}


def fetch() -> tuple[bytes, bytes]:
    """The Noto Emoji Bold font and its licence, from the npm package, checked by hash."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["npm", "pack", "--silent", PACKAGE], cwd=tmp, check=True, capture_output=True
        )
        (tgz,) = Path(tmp).glob("*.tgz")
        with tarfile.open(tgz) as tar:
            font, licence = (tar.extractfile(m).read() for m in (MEMBER, LICENCE_MEMBER))
    digest = hashlib.sha256(font).hexdigest()
    if digest != SHA256:
        raise SystemExit(f"{PACKAGE}: {MEMBER} has sha256 {digest}, expected {SHA256}")
    return font, licence


def embolden(font: TTFont, units: float) -> None:
    """Grow every simple glyph's outline by `units` on each side; advances stay."""
    import pathops  # skia-pathops: only this build step needs it
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    glyphs, glyf, hmtx = font.getGlyphSet(), font["glyf"], font["hmtx"]
    for name in font.getGlyphOrder():
        if glyf[name].isComposite() or glyf[name].numberOfContours <= 0:
            continue  # composites move their emboldened components
        fill = _path(glyphs[name])
        stroke = _path(glyphs[name])
        stroke.stroke(2 * units, pathops.LineCap.BUTT_CAP, pathops.LineJoin.ROUND_JOIN, 4)
        stroke.convertConicsToQuads()
        try:
            bold = pathops.op(fill, stroke, pathops.PathOp.UNION, fix_winding=True)
        except pathops.PathOpsError:
            # A few glyphs have overlapping contours that Skia cannot union as they are.
            fill.simplify(fix_winding=True)
            stroke.simplify(fix_winding=True)
            bold = pathops.op(fill, stroke, pathops.PathOp.UNION, fix_winding=True)
        pen = TTGlyphPen(None)
        bold.draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=False))
        glyf[name] = pen.glyph()
        glyf[name].recalcBounds(glyf)
        hmtx[name] = (hmtx[name][0], glyf[name].xMin)


def _path(glyph):
    import pathops

    path = pathops.Path()
    glyph.draw(path.getPen())
    return path


def solid_heart(font: TTFont) -> None:
    """Map U+2764 ❤ to the glyph of U+2665 ♥ in every cmap subtable that has both."""
    for table in font["cmap"].tables:
        if table.format != 14 and 0x2764 in table.cmap and 0x2665 in table.cmap:
            table.cmap[0x2764] = table.cmap[0x2665]


def rename(font: TTFont) -> None:
    """Name the face Poster Emoji Heavy, weight 900, a family of its own with one style."""
    os2 = font["OS/2"]
    os2.usWeightClass = WEIGHT
    os2.fsSelection = (os2.fsSelection & ~0x21) | 0x40  # not BOLD nor ITALIC: REGULAR
    font["head"].macStyle &= ~1
    del font["STAT"]  # described the variable original's weights
    table = font["name"]
    table.names = [
        r for r in table.names if r.nameID in NAMES or r.nameID in (0, 5, 7, 8, 9, 11, 12, 13, 14)
    ]
    for name_id, text in NAMES.items():
        table.removeNames(nameID=name_id)
        table.setName(text, name_id, 3, 1, 0x409)


def build(dest: Path) -> Path:
    """Write the heavy emoji face and the licence of Noto Emoji into `dest`; return the face."""
    raw, licence = fetch()
    font = TTFont(io.BytesIO(raw), recalcTimestamp=False)
    embolden(font, EMBOLDEN)
    solid_heart(font)
    rename(font)
    out = dest / FILE
    font.save(out)
    (dest / LICENCE_FILE).write_bytes(licence)
    return out
