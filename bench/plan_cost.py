"""Planning cost of the costliest specs: 500-character slogans in the scripts that cut into
the most break opportunities (Chinese, Japanese, Thai, Arabic), alone and with two 500-character
translations, on A4 and on a 300 x 100 cm banner.

Run:  .venv/bin/python bench/plan_cost.py [--only zh-Hans ja] [--no-also]

Each spec is planned in a fresh Python process (engine imported, fonts not yet loaded), so the
time is what one request costs a web worker that has never seen the text. A benchmark, not a
test: figures depend on the machine; compare them within one run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from poster_app.layout.corpus import CORPUS  # noqa: E402

LONG = 500  # the Spec's limit on a slogan (and on each translation)
LANGS = ("zh-Hans", "ja", "th", "ar")
PAGES = ("a4", "300x100cm")
# The two translations set below each slogan: the costliest other scripts.
ALSO = {
    "zh-Hans": ("ja", "th"),
    "ja": ("zh-Hans", "th"),
    "th": ("zh-Hans", "ja"),
    "ar": ("ja", "th"),
}

CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
spec_args = json.loads(sys.argv[2])
from poster_app.layout import Spec, configure, plan
import poster_app.layout.fit  # noqa: imports done before the clock starts
from poster_app.config import cache_dir, fonts_dir
configure(fonts_dir(), cache_dir())  # as the app and the command line do
spec = Spec(**spec_args)
t = time.perf_counter()
layout = plan(spec)
cold = time.perf_counter() - t
t = time.perf_counter()
plan(spec)
warm = time.perf_counter() - t
print(json.dumps({"cold": cold, "warm": warm, "lines": len(layout.lines),
                  "size": min(li.size for li in layout.lines if li.block == 0)}))
"""


def long_text(lang: str) -> str:
    """The corpus slogan of `lang` repeated, spaced, up to exactly LONG characters."""
    text = CORPUS[lang][1]
    out = text
    while len(out) < LONG:
        out += " " + text
    return out[:LONG].rstrip()


def spec_args(lang: str, size: str, also: bool) -> dict:
    args = {"text": long_text(lang), "lang": lang, "size": size}
    if also:
        args["also"] = [[other, long_text(other)] for other in ALSO[lang]]
    return args


def measure(args: dict) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(ROOT), json.dumps(args, ensure_ascii=False)],
        capture_output=True,
        text=True,
    )
    if out.returncode:
        return {"error": (out.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(out.stdout)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", choices=LANGS)
    ap.add_argument("--no-also", action="store_true", help="skip the specs with translations")
    args = ap.parse_args(argv)
    print(
        f"plan() of 500-character slogans — {time.strftime('%Y-%m-%d %H:%M:%S')}, "
        f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}"
    )
    print(f"{'slogan':<8} {'also':<14} {'page':<10} {'cold s':>7} {'warm s':>7} {'lines':>5}")
    worst = 0.0
    for lang in args.only or LANGS:
        for also in (False,) if args.no_also else (False, True):
            for size in PAGES:
                res = measure(spec_args(lang, size, also))
                label = "+".join(ALSO[lang]) if also else "—"
                if "error" in res:
                    print(f"{lang:<8} {label:<14} {size:<10} ERROR {res['error']}")
                    continue
                worst = max(worst, res["cold"])
                print(
                    f"{lang:<8} {label:<14} {size:<10} {res['cold']:7.2f} {res['warm']:7.2f} "
                    f"{res['lines']:5d}",
                    flush=True,
                )
    print(f"worst cold plan: {worst:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
