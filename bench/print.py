"""Print benchmark: time and peak memory of the big outputs of issue 5.

Run:  .venv/bin/python bench/print.py [--runs 3]

Each case runs in its own fresh Python process (imports and plan() first, untimed); the time is
time.perf_counter around the render call, median of `--runs`; the peak is that process's VmHWM
(its own high-water RSS: Python + engine + fonts + the render), max over the runs. Cases:

    A0 @300 DPI PNG            9933 × 14043 px (139 Mpx, under the 150 Mpx cap)
    300 × 100 cm @150 DPI PNG  17717 × 5906 px (105 Mpx); target peak ≤ 500 MB
    tiled PDF, 100 × 70 cm on A4  (17 pages: map + 16 sheets)
    print-shop PDF, 300 × 100 cm, 3 mm bleed, crop marks, 40 mm hem
    300 × 100 cm @300 DPI PNG  refused (over the cap) with the message that suggests the PDF

Figures are printed and written to bench/out/print.txt. A benchmark, not a test: the numbers
depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out" / "print.txt"
TEXT = "СВОБОДУ АНАРХИСТАМ!"

CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
kind, size, dpi = sys.argv[2], sys.argv[3], float(sys.argv[4])
from poster_app.layout import Spec, plan
from poster_app.layout.png import render_png
from poster_app.layout.pdf import render_pdf
from poster_app.layout.tiles import render_tiles
layout = plan(Spec(text=sys.argv[5], lang="ru", size=size))
t = time.perf_counter()
try:
    if kind == "png":
        data = render_png(layout, dpi=dpi)
    elif kind == "tiles":
        data = render_tiles(layout, "a4")
    else:
        data = render_pdf(layout, bleed_mm=3, crop_marks=True, hem_mm=40)
    result = {"ms": (time.perf_counter() - t) * 1e3, "bytes": len(data)}
except ValueError as e:
    result = {"refused": str(e)}
result["peak_mb"] = next(int(l.split()[1]) for l in open("/proc/self/status")
                         if l.startswith("VmHWM")) / 1024
print(json.dumps(result))
"""

CASES = [
    ("A0 @300 DPI PNG", "png", "a0", 300),
    ("300×100 cm @150 DPI PNG", "png", "300x100cm", 150),
    ("100×70 cm tiled on A4 (PDF)", "tiles", "100x70cm", 0),
    ("300×100 cm print-shop PDF (bleed, marks, hem)", "pdf", "300x100cm", 0),
    ("300×100 cm @300 DPI PNG (over the cap)", "png", "300x100cm", 300),
]


def run(kind: str, size: str, dpi: float) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(ROOT), kind, size, str(dpi), TEXT],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    lines = [f"{'case':48} {'time':>9} {'peak RSS':>9} {'output':>10}"]
    for name, kind, size, dpi in CASES:
        results = [run(kind, size, dpi) for _ in range(args.runs)]
        peak = max(r["peak_mb"] for r in results)
        if "refused" in results[0]:
            lines.append(f"{name:48} {'refused':>9} {peak:>6.0f} MB  {results[0]['refused']}")
        else:
            ms = statistics.median(r["ms"] for r in results)
            size_mb = results[0]["bytes"] / 1e6
            lines.append(f"{name:48} {ms / 1e3:>7.2f} s {peak:>6.0f} MB {size_mb:>7.2f} MB")
        print(lines[-1], flush=True)
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text("\n".join(lines) + f"\n(median time, max peak over {args.runs} runs)\n")


if __name__ == "__main__":
    main()
