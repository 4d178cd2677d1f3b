"""PDF time by script in one long-lived process, as a web worker renders them: CJK against English.

Run:  .venv/bin/python bench/pdf_fonts.py [--runs 9]

Lays out one slogan per language, then renders their PDFs round-robin `--runs` times in this
process (so each document pays only what is not kept between documents) and prints, per
language, the first PDF's time and the median of the others, and each median as a ratio to
English's — ratios within one run, since the machine is shared. Peak RSS is the process's.
The target (issue 14): a Chinese PDF ≤ 2× an English one.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from poster_app.layout.fit import plan  # noqa: E402
from poster_app.layout.pdf import render_pdf  # noqa: E402
from poster_app.layout.spec import Spec  # noqa: E402

SLOGANS = {
    "en": "Freedom for all political prisoners!",
    "zh-Hans": "释放所有政治犯，停止酷刑，拆除牢笼！",
    "zh-Hant": "釋放所有政治犯，停止酷刑，拆除牢籠！",
    "ja": "すべての政治犯を釈放せよ！拷問をやめろ！",
    "ko": "모든 양심수를 석방하라! 고문을 중단하라!",
    "ar": "الحرية للمعتقلين السياسيين",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    layouts = {lang: plan(Spec(text=text, lang=lang)) for lang, text in SLOGANS.items()}
    times: dict[str, list[float]] = {lang: [] for lang in layouts}
    for _ in range(args.runs):
        for lang, layout in layouts.items():
            start = time.perf_counter()
            render_pdf(layout)
            times[lang].append((time.perf_counter() - start) * 1000)
    english = statistics.median(times["en"][1:])
    print(f"{'language':10} {'first':>8} {'median':>8} {'× en':>6}")
    for lang, ms in times.items():
        median = statistics.median(ms[1:])
        print(f"{lang:10} {ms[0]:7.0f}ms {median:7.0f}ms {median / english:6.2f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MB ({args.runs} PDFs per language)")


if __name__ == "__main__":
    main()
