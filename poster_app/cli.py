"""The `poster` command line: `poster render TEXT [options]` writes a PNG or PDF banner.

Exit status: 0 ok, 2 bad input (one line on stderr), 1 a broken installation.
Flask is never imported here, so the command starts fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Literal

from .layout.options import SHEETS, PrintOptionError, PrintOptions, RenderOptions
from .layout.pages import page_names
from .layout.spec import IMAGE_POSITIONS, STYLES, Spec

USAGE_EXAMPLE = 'poster render "СВОБОДУ АНАРХИСТАМ!" --lang ru --size a3 --out banner.pdf'


class _Parser(argparse.ArgumentParser):
    """argparse with the one-line error the rest of the command line gives (exit status 2)."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="poster", description="Make print-ready banners.", epilog=f"example: {USAGE_EXAMPLE}"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("themes", help="list the themes: name, then what it looks like")
    render = commands.add_parser("render", help="lay out a slogan and write a PNG or PDF")
    render.add_argument(
        "text", help=r"the slogan; \n forces a line break, *words* are set in the accent colour"
    )
    render.add_argument("--lang", default="en", help="BCP 47 language tag (ru, ar, zh-Hant …)")
    render.add_argument(
        "--size", default="a4", help=f"{', '.join(page_names())} or WxH with mm, cm, in or px"
    )
    render.add_argument("--orientation", choices=("portrait", "landscape"))
    render.add_argument("--style", choices=STYLES, default="fill")
    render.add_argument("--family", default="sans", help="sans, condensed or serif")
    render.add_argument("--fg", help="the ink's colour (default: the theme's)")
    render.add_argument("--bg", help="the paper's colour (default: the theme's)")
    render.add_argument("--signature", default="", help="a smaller line at the bottom")
    render.add_argument(
        "--also",
        action="append",
        default=[],
        metavar="LANG:TEXT",
        help="the slogan in another language, set smaller below (up to 2)",
    )
    render.add_argument(
        "--smart-punctuation",
        action="store_true",
        help="typographic quotes, apostrophes and dashes for the language (« », „ “, ’, —)",
    )
    render.add_argument("--dpi", type=int, help="PNG resolution (default: 300 up to A3, 150 above)")
    render.add_argument("--out", help="FILE.png or FILE.pdf (default: poster.png)")
    render.add_argument("--json", action="store_true", help="print the layout as JSON")
    render.add_argument(
        "--symbols", action="store_true", help="draw symbols typed as letters: (A) as Ⓐ"
    )
    design = render.add_argument_group("design")
    design.add_argument("--theme", default="plain", help="see `poster themes`")
    design.add_argument("--accent", help="the colour of *emphasised* words (default: the theme's)")
    design.add_argument(
        "--image", type=Path, help="a logo or photo (PNG, JPEG, WebP) beside the text"
    )
    design.add_argument("--image-position", choices=IMAGE_POSITIONS)
    design.add_argument("--qr", help="a QR code of this address, in a corner")
    design.add_argument("--qr-caption", default="", help="a short line under the QR code")
    design.add_argument(
        "--grid", help="a labelled painting grid of this step (e.g. 10cm), to copy onto cloth"
    )
    printing = render.add_argument_group("print options (PDF only)")
    printing.add_argument(
        "--tile",
        choices=SHEETS,
        help="split over home-printer sheets, with an assembly map first",
    )
    printing.add_argument(
        "--overlap",
        type=length_mm,
        default=None,
        help="glue margin between tiled sheets (default 10mm)",
    )
    printing.add_argument(
        "--bleed",
        type=length_mm,
        default=None,
        help="background past the trim for a print shop, e.g. 3mm",
    )
    printing.add_argument("--crop-marks", action="store_true", help="trim marks outside the bleed")
    printing.add_argument(
        "--hem",
        type=length_mm,
        default=None,
        help="cloth banner hem and grommet guide layer, e.g. 40mm",
    )
    return parser


_LENGTH_MM = {"mm": 1.0, "cm": 10.0, "in": 25.4, "": 1.0}


def length_mm(text: str) -> float:
    """`10mm`, `1cm`, `0.5in` or a bare number of millimetres, as millimetres."""
    import re

    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(mm|cm|in|)\s*", text.lower())
    if not m:
        raise argparse.ArgumentTypeError(f"{text!r} is not a length like 10mm, 1cm or 0.5in")
    return float(m.group(1)) * _LENGTH_MM[m.group(2)]


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from .config import cache_dir, fonts_dir
    from .layout.settings import configure

    configure(fonts_dir(), cache_dir())
    if args.command == "themes":
        return list_themes()
    try:
        return render(args)
    except ValueError as e:  # bad input: SpecError, MissingGlyphs, over the pixel cap
        print(f"poster: {e}", file=sys.stderr)
        return 2
    except RuntimeError as e:  # e.g. Pillow without raqm: the installation, not the input
        print(f"poster: {e}", file=sys.stderr)
        return 1


def list_themes() -> int:
    from .layout.themes import THEMES

    width = max(len(name) for name in THEMES)
    for name, look in THEMES.items():
        print(f"{name:<{width}}  {look.description}")
    return 0


def read_image(path: Path) -> bytes:
    """The image file checked and re-encoded without its metadata, as the web app stores it
    (a PDF embeds the file: a photo's GPS position must not travel with the banner)."""
    from .photos import PhotoError, clean_banner_image

    try:
        with path.open("rb") as f:
            return clean_banner_image(f).data
    except OSError as e:
        raise ValueError(f"--image: cannot read {path}: {e.strerror}") from None
    except PhotoError as e:
        raise ValueError(f"--image: {path.name}: {e}") from None


def render(args: argparse.Namespace) -> int:
    from .layout.describe import layout_json, missing_json
    from .layout.design import image_id
    from .layout.fit import plan
    from .layout.itemize import MissingGlyphs
    from .layout.symbols import offers, with_symbols

    out = Path(args.out or "poster.png")
    if out.suffix.lower() not in (".png", ".pdf"):
        raise ValueError(f"--out must end in .png or .pdf (not {out.name!r})")
    printing = print_options(args, out)
    text, signature = args.text.replace("\\n", "\n"), args.signature
    if args.symbols:
        text, signature = with_symbols(text), with_symbols(signature)
    for typed, symbol, name in offers(f"{text} {signature}"):
        print(f"poster: {typed} can be drawn as {symbol} ({name}): add --symbols", file=sys.stderr)
    image = read_image(args.image) if args.image else None
    spec = Spec(
        text=text,
        lang=args.lang,
        size=args.size,
        orientation=args.orientation,
        style=args.style,
        family=args.family,
        fg=args.fg or "",
        bg=args.bg or "",
        signature=signature,
        dpi=args.dpi,
        also=tuple(item.replace("\\n", "\n") for item in args.also),
        smart_punctuation=args.smart_punctuation,
        theme=args.theme,
        accent=args.accent or "",
        image=image_id(image) if image else "",
        image_position=args.image_position,
        qr=args.qr or "",
        qr_caption=args.qr_caption,
        grid=args.grid or 0,
    )
    file_format: Literal["png", "pdf"] = "pdf" if out.suffix.lower() == ".pdf" else "png"
    options = RenderOptions(format=file_format, dpi=spec.dpi)
    try:
        layout = plan(spec, image=image)
    except MissingGlyphs as e:
        if args.json:
            print(json.dumps(missing_json(e.chars), ensure_ascii=False, indent=2))
        raise
    if args.json:
        dpi = spec.dpi or layout.page.native_dpi
        print(json.dumps(layout_json(layout, dpi), ensure_ascii=False, indent=2))
    if args.out or not args.json:
        write(layout, out, options, printing)
        if printing.hem_mm:
            warn_hem(layout, printing.hem_mm)
    return 0


def warn_hem(layout, hem_mm: float) -> None:
    """Say so (without failing) when the slogan's ink reaches into the hem that gets folded."""
    from .layout.geometry import PT_PER_MM, Box

    page, hem = layout.page, hem_mm * PT_PER_MM
    if not Box(hem, hem, page.width - hem, page.height - hem).contains(layout.ink):
        print(
            f"poster: note: the slogan reaches into the {hem_mm:g} mm hem; a narrower hem or a "
            "bigger page keeps it clear of the fold and the grommets",
            file=sys.stderr,
        )


def print_options(args: argparse.Namespace, out: Path) -> PrintOptions:
    """The print flags as PrintOptions; they make PDFs, so refuse them with a PNG."""
    flags = [
        name
        for name, on in (
            ("--tile", args.tile),
            ("--overlap", args.overlap is not None),
            ("--bleed", args.bleed is not None),
            ("--crop-marks", args.crop_marks),
            ("--hem", args.hem is not None),
        )
        if on
    ]
    if flags and out.suffix.lower() != ".pdf":
        raise ValueError(f"{', '.join(flags)} make a PDF; use --out FILE.pdf")
    try:
        return PrintOptions(
            tile=args.tile,
            overlap_mm=args.overlap,
            bleed_mm=args.bleed or 0,
            crop_marks=args.crop_marks,
            hem_mm=args.hem or 0,
        )
    except PrintOptionError as e:
        raise ValueError(f"--{e.field}: {e}") from None


def write(layout, out: Path, options: RenderOptions, printing: PrintOptions) -> None:
    """Write to a temporary name, then rename: no half-written banner is ever left."""
    from .config import max_pixels
    from .files import write_atomic
    from .layout.options import render_file

    write_atomic(out, render_file(layout, options, printing, max_pixels()))


if __name__ == "__main__":
    sys.exit(main())
