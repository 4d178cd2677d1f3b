"""Render the slogan corpus as preview PNGs and contact sheets, for looking at, not testing.

Run:  .venv/bin/python bench/samples.py --out samples        (what `make samples` does)

Writes
  OUT/contact-sheet.png   every corpus entry in both styles (fill, stack) on portrait A4
  OUT/shapes-sheet.png    ~8 entries on A4 landscape, a 300x100cm banner and a 1080x1080px
                          square, plus a few with a signature line
  OUT/themes-sheet.png    every theme x {en, ru, ar, si, zh} x {A4, 300x100cm}: real slogans
                          with an emphasised word and a signature, then each theme with a
                          logo and a QR code (issue 13)
  OUT/corpus/ID-STYLE.png, OUT/shapes/ID-SHAPE[-sig].png, OUT/themes/THEME-LANG-SIZE.png
                          the individual previews

Every cell has a thin grey border (the page edge) and a small label below it. An entry the
engine refuses is drawn as a red cell carrying the error, so one failure does not hide the rest.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PIL import Image, ImageDraw, ImageFont  # noqa: E402

from poster_app.layout import Spec, plan, render_png  # noqa: E402
from poster_app.layout.corpus import CORPUS  # noqa: E402
from poster_app.layout.design import image_id  # noqa: E402
from poster_app.layout.themes import THEMES  # noqa: E402

LABEL_FONT = ROOT / "fonts" / "NotoSans-Black.ttf"
LABEL_SIZE = 13
LABEL_H = 22
GAP = 12
BORDER = (150, 150, 150)
SHEET_BG = (232, 232, 232)
PREVIEW_W = 300  # portrait A4 cells
SHAPE_BOX = 360  # other shapes fit inside SHAPE_BOX x SHAPE_BOX
STYLES = ("fill", "stack")
SHAPES = {  # label: (size, orientation)
    "a4-landscape": ("a4", "landscape"),
    "banner-300x100cm": ("300x100cm", None),
    "1080x1080px": ("1080x1080px", None),
}
SHAPE_IDS = ["en", "ru-demo", "de", "ar", "th", "km", "zh-Hans", "mixed-fsb"]
SIGNATURE = "Solidarity from Narrm/Melbourne"
# A designer's checks (issue 12): typed lines kept, sentences and words whole, no one-letter
# line ends, the family kept, translations that look smaller. (label, spec options)
FTP = (
    "Fight The Patriots!\nFlog Torturing Police!\nFlay the Prosecutor!\n"
    "Flames to Penitentiaries!\nFree the Prisoners!"
)
DESIGNER = [
    ("FTP banner, typed lines", {"text": FTP, "size": "300x100cm"}),
    ("FTP banner, one line typed", {"text": FTP.replace("\n", " "), "size": "300x100cm"}),
    ("typed lines", {"text": "FREE THEM ALL\nSTOP THE TORTURE", "size": "300x100cm"}),
    (
        "Melbourne banner",
        {
            "text": "Love, Rage and Solidarity from ‘Australia’ to Russian Anarchists\n"
            "STOP THE TORTURE!\nFCKFSB!",
            "size": "300x100cm",
        },
    ),
    ("ru one-letter", {"text": "Свободу узников и прекратить пытки в тюрьмах", "lang": "ru"}),
    ("ru one-letter", {"text": "Свобода у нас и у вас", "lang": "ru", "size": "300x100cm"}),
    ("pl one-letter", {"text": "Solidarność z więźniami i z ich rodzinami", "lang": "pl"}),
    ("zh words", {"text": "释放政治犯", "lang": "zh-Hans"}),
    ("vi words", {"text": "Tự do cho tù nhân chính trị!", "lang": "vi"}),
    ("ka hyphenation", {"text": "თავისუფლება პოლიტპატიმრებს", "lang": "ka"}),
    ("hy hyphenation", {"text": "Ազատություն քաղաքական բանտարկյալներին", "lang": "hy"}),
    ("serif kept", {"text": "Свободу всем политзаключённым!", "lang": "ru", "family": "serif"}),
    ("stack judgement", {"text": "Свободу всем фигурантам дела", "lang": "ru", "style": "stack"}),
    ("stack judgement", {"text": "FREE THEM ALL", "style": "stack"}),
    (
        "ru + tpi",
        {
            "text": "СВОБОДУ АНАРХИСТАМ — ОГОНЬ ТЮРЬМАМ!",
            "lang": "ru",
            "also": [["tpi", "Fridom long ol anarkis!"]],
        },
    ),
    (
        "en + ar + zh",
        {
            "text": "Free all political prisoners",
            "size": "300x100cm",
            "also": [["ar", "الحرية للمعتقلين السياسيين"], ["zh-Hans", "释放所有政治犯"]],
        },
    ),
]
SIGNATURE_IDS = ["en", "ar", "th", "ja"]
# Issue 13's contact sheet: real slogans (/work/shared/demo/actions.json for en and ru, the
# phrasebook's translations for ar, si, zh), one word emphasised, a group's signature.
THEMED = {
    "en": "Release the Russian *Network* Ⓐ",
    "ru": "СВОБОДУ АНАРХИСТАМ — *ОГОНЬ ТЮРЬМАМ!*",
    "ar": "*الحرية* للمعتقلين السياسيين",
    "si": "දේශපාලන සිරකරුවන් *නිදහස්* කරන්න",
    "zh-Hans": "*释放*政治犯",
}
THEMED_SIGNATURE = {"en": "Anarchist Black Cross", "ar": "صليب أسود", "zh-Hans": "团结"}
THEMED_SIZES = {"A4": ("a4", 150), "300x100cm": ("300x100cm", 450)}  # label: (size, cell px)


@dataclass
class Cell:
    image: Image.Image
    label: str


def preview(spec: Spec, width: int, image: bytes | None = None) -> Image.Image:
    """The engine's own PNG of `spec`, `width` px wide."""
    data = render_png(plan(spec, image=image), width=width)
    return Image.open(io.BytesIO(data)).convert("RGB")


def error_cell(
    spec_size: tuple[int, int], message: str, font: ImageFont.FreeTypeFont
) -> Image.Image:
    img = Image.new("RGB", spec_size, (255, 225, 225))
    draw = ImageDraw.Draw(img)
    words, line, y = message.split(), "", 8
    for w in words:  # naive wrap of the error text
        trial = f"{line} {w}".strip()
        if draw.textlength(trial, font=font) > spec_size[0] - 16 and line:
            draw.text((8, y), line, fill=(160, 0, 0), font=font)
            y += LABEL_SIZE + 4
            line = w
        else:
            line = trial
    draw.text((8, y), line, fill=(160, 0, 0), font=font)
    return img


def fit_width(size: str, orientation: str | None, box: int) -> int:
    """Preview width so that the page fits inside box x box."""
    page = Spec(text="x", size=size, orientation=orientation).page
    if page.width >= page.height:
        return box
    return max(1, round(box * page.width / page.height))


def make_cell(
    spec_kwargs: dict,
    width: int,
    label: str,
    out: Path,
    font: ImageFont.FreeTypeFont,
    image: bytes | None = None,
) -> Cell:
    try:
        spec = Spec(**spec_kwargs, image=image_id(image) if image else "")
        img = preview(spec, width, image)
    except Exception as e:  # noqa: BLE001 -- a sample sheet shows failures, it does not stop
        page = Spec(
            text="x", size=spec_kwargs.get("size", "a4"), orientation=spec_kwargs.get("orientation")
        ).page
        h = max(1, round(width * page.height / page.width))
        img = error_cell((width, h), f"{type(e).__name__}: {e}", font)
        label += "  ERROR"
        print(f"  {label}: {type(e).__name__}: {e}", file=sys.stderr)
    out.parent.mkdir(parents=True, exist_ok=True)
    img.save(out)
    return Cell(img, label)


def sheet(cells: list[Cell], columns: int, font: ImageFont.FreeTypeFont, title: str) -> Image.Image:
    """A grid of cells, each with a 1 px border and a label below, under a title line."""
    cw = max(c.image.width for c in cells) + 2
    ch = max(c.image.height for c in cells) + 2
    rows = -(-len(cells) // columns)
    title_h = 34
    W = GAP + columns * (cw + GAP)
    H = title_h + GAP + rows * (ch + LABEL_H + GAP)
    out = Image.new("RGB", (W, H), SHEET_BG)
    draw = ImageDraw.Draw(out)
    draw.text((GAP, 8), title, fill=(0, 0, 0), font=ImageFont.truetype(str(LABEL_FONT), 18))
    for n, cell in enumerate(cells):
        r, c = divmod(n, columns)
        x = GAP + c * (cw + GAP)
        y = title_h + GAP + r * (ch + LABEL_H + GAP)
        iw, ih = cell.image.size
        ox = x + (cw - 2 - iw) // 2  # centre smaller pages in their slot
        out.paste(cell.image, (ox + 1, y + 1))
        draw.rectangle((ox, y, ox + iw + 1, y + ih + 1), outline=BORDER)
        draw.text((x, y + ch + 3), cell.label, fill=(40, 40, 40), font=font)
    return out


def _designer_sheet(out: Path, font) -> None:
    cells = []
    for n, (label, options) in enumerate(DESIGNER):
        size = options.get("size", "a4")
        cells.append(
            make_cell(
                options,
                fit_width(size, None, SHAPE_BOX),
                f"{label} · {options.get('lang', 'en')} · {size}",
                out / "designer" / f"{n:02d}.png",
                font,
            )
        )
    path = out / "designer-sheet.png"
    sheet(cells, 4, font, "A designer's checks (issue 12)").save(path)
    print(f"{path}: {len(cells)} cells")


def _themes_sheet(out: Path, font) -> None:
    """Every theme in five scripts on A4 and on a 300 x 100 cm banner, then with a logo and a
    QR code: one sheet to judge the themes by (issue 13)."""
    parts = []
    for size_label, (size, width) in THEMED_SIZES.items():
        cells = [
            make_cell(
                {
                    "text": text,
                    "lang": lang,
                    "size": size,
                    "theme": name,
                    "signature": THEMED_SIGNATURE.get(lang, ""),
                },
                width,
                f"{name} · {lang}",
                out / "themes" / f"{name}-{lang}-{size_label}.png",
                font,
            )
            for name in THEMES
            for lang, text in THEMED.items()
        ]
        parts.append(sheet(cells, len(THEMED), font, f"Themes on {size_label}"))
    logo = _logo()
    cells = [
        make_cell(
            {
                "text": "Free them *all*",
                "size": size,
                "theme": name,
                "qr": "https://example.org/free-them-all",
                "qr_caption": "example.org",
            },
            width,
            f"{name} · logo + QR · {size_label}",
            out / "themes" / f"{name}-logo-qr-{size_label}.png",
            font,
            image=logo,
        )
        for name in THEMES
        for size_label, (size, width) in THEMED_SIZES.items()
    ]
    parts.append(sheet(cells, 4, font, "With a transparent logo and a QR code"))
    path = out / "themes-sheet.png"
    _stack(parts).save(path)
    print(f"{path}: {len(THEMES) * (2 * len(THEMED) + 2)} cells")


def _logo() -> bytes:
    """A round transparent logo, as a group's would be (a red disc, a black star)."""
    from poster_app.photos import clean_banner_image

    img = Image.new("RGBA", (600, 600), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.ellipse((10, 10, 590, 590), fill=(212, 0, 0, 255))
    draw.regular_polygon((300, 300, 220), 5, fill=(0, 0, 0, 255))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return clean_banner_image(io.BytesIO(buf.getvalue())).data


def _stack(images: list[Image.Image]) -> Image.Image:
    """Images one under the other on the sheet's ground."""
    out = Image.new("RGB", (max(i.width for i in images), sum(i.height for i in images)), SHEET_BG)
    y = 0
    for image in images:
        out.paste(image, (0, y))
        y += image.height
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="samples", help="output directory (default: samples)")
    ap.add_argument("--width", type=int, default=PREVIEW_W, help="A4 preview width in px")
    ap.add_argument("--themes", action="store_true", help="only the themes sheet")
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    font = ImageFont.truetype(str(LABEL_FONT), LABEL_SIZE)
    t0 = time.perf_counter()
    _themes_sheet(out, font)
    if args.themes:
        print(f"done in {time.perf_counter() - t0:.1f} s")
        return 0

    # 1. The whole corpus, both styles, portrait A4; fill and stack side by side.
    cells = []
    for cid, (lang, text) in CORPUS.items():
        for style in STYLES:
            cells.append(
                make_cell(
                    {"text": text, "lang": lang, "size": "a4", "style": style},
                    args.width,
                    f"{cid} · {lang} · {style}",
                    out / "corpus" / f"{cid}-{style}.png",
                    font,
                )
            )
    path = out / "contact-sheet.png"
    sheet(cells, 8, font, f"Corpus, portrait A4, fill | stack ({len(CORPUS)} entries)").save(path)
    print(f"{path}: {len(cells)} cells")

    # 2. Other page shapes for a few entries, then a few with a signature line.
    cells = []
    for cid in SHAPE_IDS:
        lang, text = CORPUS[cid]
        for shape, (size, orient) in SHAPES.items():
            cells.append(
                make_cell(
                    {"text": text, "lang": lang, "size": size, "orientation": orient},
                    fit_width(size, orient, SHAPE_BOX),
                    f"{cid} · {lang} · fill · {shape}",
                    out / "shapes" / f"{cid}-{shape}.png",
                    font,
                )
            )
    for cid in SIGNATURE_IDS:
        lang, text = CORPUS[cid]
        for style in STYLES:
            for shape, (size, orient) in (
                ("a4", ("a4", None)),
                ("banner-300x100cm", SHAPES["banner-300x100cm"]),
            ):
                cells.append(
                    make_cell(
                        {
                            "text": text,
                            "lang": lang,
                            "size": size,
                            "orientation": orient,
                            "style": style,
                            "signature": SIGNATURE,
                        },
                        fit_width(size, orient, SHAPE_BOX),
                        f"{cid} · {lang} · {style} · {shape} · sig",
                        out / "shapes" / f"{cid}-{shape}-{style}-sig.png",
                        font,
                    )
                )
    path = out / "shapes-sheet.png"
    _designer_sheet(out, font)
    path = out / "shapes-sheet.png"
    sheet(
        cells,
        6,
        font,
        "Page shapes (A4 landscape, 300x100 cm, 1080 px square); "
        f"signature \u201c{SIGNATURE}\u201d",
    ).save(path)
    print(f"{path}: {len(cells)} cells")
    print(f"done in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
