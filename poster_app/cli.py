"""The `poster` command line: `poster render TEXT [options]` writes a PNG or PDF banner.

Exit status: 0 ok, 2 bad input (one line on stderr), 1 a broken installation.
Flask is never imported here, so the command starts fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .layout.pages import page_names
from .layout.spec import STYLES, Spec

USAGE_EXAMPLE = 'poster render "СВОБОДУ АНАРХИСТАМ!" --lang ru --size a3 --out banner.pdf'


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="poster", description="Make print-ready banners.",
                                     epilog=f"example: {USAGE_EXAMPLE}")
    commands = parser.add_subparsers(dest="command", required=True)
    render = commands.add_parser("render", help="lay out a slogan and write a PNG or PDF")
    render.add_argument("text", help=r"the slogan; \n forces a line break")
    render.add_argument("--lang", default="en", help="BCP 47 language tag (ru, ar, zh-Hant …)")
    render.add_argument("--size", default="a4",
                        help=f"{', '.join(page_names())} or WxH with mm, cm, in or px")
    render.add_argument("--orientation", choices=("portrait", "landscape"))
    render.add_argument("--style", choices=STYLES, default="fill")
    render.add_argument("--family", default="sans", help="sans, condensed or serif")
    render.add_argument("--fg", default="#000000", help="text colour")
    render.add_argument("--bg", default="#ffffff", help="background colour")
    render.add_argument("--signature", default="", help="a smaller line at the bottom")
    render.add_argument("--dpi", type=int, help="PNG resolution (default: 300 up to A3, 150 above)")
    render.add_argument("--out", help="FILE.png or FILE.pdf (default: poster.png)")
    render.add_argument("--json", action="store_true", help="print the layout as JSON")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return render(args)
    except ValueError as e:  # bad input: SpecError, MissingGlyphs, over the pixel cap
        print(f"poster: {e}", file=sys.stderr)
        return 2
    except RuntimeError as e:  # e.g. Pillow without raqm: the installation, not the input
        print(f"poster: {e}", file=sys.stderr)
        return 1


def render(args: argparse.Namespace) -> int:
    from .layout.describe import layout_json, missing_json
    from .layout.fit import plan
    from .layout.itemize import MissingGlyphs

    out = Path(args.out or "poster.png")
    if out.suffix.lower() not in (".png", ".pdf"):
        raise ValueError(f"--out must end in .png or .pdf (not {out.name!r})")
    spec = Spec(text=args.text.replace("\\n", "\n"), lang=args.lang, size=args.size,
                orientation=args.orientation, style=args.style, family=args.family,
                fg=args.fg, bg=args.bg, signature=args.signature, dpi=args.dpi)
    try:
        layout = plan(spec)
    except MissingGlyphs as e:
        if args.json:
            print(json.dumps(missing_json(e.chars), ensure_ascii=False, indent=2))
        raise
    dpi = spec.dpi or layout.page.native_dpi
    if args.json:
        print(json.dumps(layout_json(layout, dpi), ensure_ascii=False, indent=2))
    if args.out or not args.json:
        write(layout, out, dpi)
    return 0


def write(layout, out: Path, dpi: float) -> None:
    """Write to a temporary name, then rename: no half-written banner is ever left."""
    if out.suffix.lower() == ".pdf":
        from .layout.pdf import render_pdf
        data = render_pdf(layout)
    else:
        from .layout.png import render_png
        data = render_png(layout, dpi=dpi)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(out)


if __name__ == "__main__":
    sys.exit(main())
