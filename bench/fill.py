"""Page fill of the slogan corpus: the share of a portrait A4 page inside the ink's bounding
box, per entry and style, and the medians. Issue 12 asks that every entry fills ≥ 20 % and
that the median does not drop.

Run:  .venv/bin/python bench/fill.py
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from poster_app.layout import Spec, plan  # noqa: E402
from poster_app.layout.corpus import CORPUS  # noqa: E402

STYLES = ("fill", "stack")


def page_fill(entry: str, style: str) -> float:
    lang, text = CORPUS[entry]
    layout = plan(Spec(text=text, lang=lang, size="a4", style=style))
    ink = layout.ink
    return ink.width * ink.height / (layout.page.width * layout.page.height)


def main() -> int:
    fills: dict[str, list[float]] = {s: [] for s in STYLES}
    print(f"{'entry':<18} {'fill':>6} {'stack':>6}   lines (fill)")
    for entry in CORPUS:
        row = [page_fill(entry, s) for s in STYLES]
        for s, f in zip(STYLES, row, strict=True):
            fills[s].append(f)
        lang, text = CORPUS[entry]
        lines = plan(Spec(text=text, lang=lang, size="a4")).lines
        print(f"{entry:<18} {row[0]:6.1%} {row[1]:6.1%}   " + " / ".join(li.text for li in lines))
    for s in STYLES:
        print(f"{s:<6} median {statistics.median(fills[s]):.1%}   lowest {min(fills[s]):.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
