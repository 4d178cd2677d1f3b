"""Engine benchmark: per corpus entry layout / PNG / PDF time and peak memory, then the whole
`poster render` process next to ImageMagick `caption:`, and the A0 @300 DPI peak memory.

Run:  .venv/bin/python bench/engine.py [--runs 7] [--only ID ...] [--skip-corpus]
      (`make bench` runs it with the defaults)

A benchmark, not a test: the numbers depend on the machine and its load. Each measurement kind
(layout, png, pdf) of each entry runs in its own fresh Python process, so the peak RSS reported
for it (ru_maxrss of that process, taken with os.wait4) is its own: Python + engine + fonts +
that work. Times inside a process are time.perf_counter around the call only (imports done
first). Figures are printed and written to bench/out/engine.txt.

Targets (issue 2, on a 2-core machine): `poster render` A4 @300 DPI PNG ≤ 0.35× the wall time of
`convert -size 2480x3508 -font fonts/NotoSans-Black.ttf caption:TEXT`; A0 @300 DPI PNG peak
RSS ≤ 400 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from poster_app.layout.corpus import CORPUS  # noqa: E402

PYTHON = sys.executable
POSTER = str(Path(sys.executable).parent / "poster")
OUT_DIR = ROOT / "bench" / "out"
FONT = ROOT / "fonts" / "NotoSans-Black.ttf"  # what the engine picks for English, sans
CLI_ID = "en"  # the English slogan for the CLI comparison
RATIO_TARGET = 0.35
A0_RSS_TARGET_MB = 400

CHILD = r"""
import json, statistics, sys, time
sys.path.insert(0, sys.argv[1])
kind, lang, text = sys.argv[2], sys.argv[3], sys.argv[4]
from poster_app.layout import Spec, configure, plan, render_png, render_pdf
import poster_app.layout.fit, poster_app.layout.png, poster_app.layout.pdf  # noqa
from poster_app.config import cache_dir, fonts_dir
configure(fonts_dir(), cache_dir())  # as the app and the command line do
spec = Spec(text=text, lang=lang, size="a4")
res = {}
t = time.perf_counter(); layout = plan(spec); res["cold"] = (time.perf_counter() - t) * 1e3
def timed(f, n):
    out = []
    for _ in range(n):
        t = time.perf_counter(); f(); out.append((time.perf_counter() - t) * 1e3)
    return out
if kind == "layout":
    # plan() again on an equal Spec: the font, shaping and break caches are warm
    res["warm"] = statistics.median(timed(lambda: plan(Spec(text=text, lang=lang, size="a4")), 5))
elif kind == "png":
    ts = timed(lambda: render_png(layout, dpi=300), 3)
    res["first"], res["median"] = ts[0], statistics.median(ts)
elif kind == "pdf":
    ts = timed(lambda: render_pdf(layout), 3)
    res["first"], res["median"] = ts[0], statistics.median(ts)
print(json.dumps(res))
"""


def run_measured(argv: list[str], **kw) -> tuple[float, float, str, str, int]:
    """Run argv to completion; return (wall s, peak RSS MB, stdout, stderr, status)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t = time.perf_counter()
        p = subprocess.Popen(argv, stdout=out, stderr=err, **kw)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return wall, usage.ru_maxrss / 1024, out.read().decode(), err.read().decode(), p.returncode


def child(kind: str, lang: str, text: str) -> tuple[dict, float]:
    _, rss, out, err, rc = run_measured([PYTHON, "-c", CHILD, str(ROOT), kind, lang, text])
    if rc != 0:
        last = (err.strip().splitlines() or ["?"])[-1]
        return {"error": last}, rss
    return json.loads(out), rss


def fmt(x: float | None, digits: int = 0) -> str:
    return "—" if x is None else f"{x:.{digits}f}"


def corpus_table(ids: list[str], emit) -> None:
    head = (
        f"{'id':<16} {'lang':<8} {'plan cold':>9} {'plan warm':>9} {'png 300':>8} "
        f"{'pdf 1st':>8} {'pdf med':>8} {'RSS plan':>8} {'RSS png':>8} {'RSS pdf':>8}"
    )
    emit("Per corpus entry, portrait A4, fill. Times in ms; RSS = peak of that process in MB.")
    emit("plan cold = first plan() in a fresh process (engine imported, fonts not yet loaded);")
    emit("plan warm = median of 5 more; png 300 = median of 3 render_png(dpi=300);")
    emit("pdf 1st / med = first / median of 3 render_pdf.")
    emit(head)
    emit("-" * len(head))
    rows = []
    for cid in ids:
        lang, text = CORPUS[cid]
        lay, rss_l = child("layout", lang, text)
        png, rss_p = child("png", lang, text)
        pdf, rss_d = child("pdf", lang, text)
        errors = [r["error"] for r in (lay, png, pdf) if "error" in r]
        row = {
            "id": cid,
            "cold": lay.get("cold"),
            "warm": lay.get("warm"),
            "png": png.get("median"),
            "pdf": pdf.get("first"),
            "pdfm": pdf.get("median"),
            "rss": (rss_l, rss_p, rss_d),
        }
        rows.append(row)
        emit(
            f"{cid:<16} {lang:<8} {fmt(row['cold']):>9} {fmt(row['warm'], 1):>9} "
            f"{fmt(row['png']):>8} {fmt(row['pdf']):>8} {fmt(row['pdfm']):>8} "
            f"{rss_l:>8.0f} {rss_p:>8.0f} {rss_d:>8.0f}"
            + (f"   ERROR {errors[0]}" if errors else "")
        )
    ok = [
        r for r in rows if r["cold"] is not None and r["png"] is not None and r["pdf"] is not None
    ]
    if ok:
        emit("")
        for key, name in (("cold", "plan cold"), ("png", "png 300"), ("pdf", "pdf 1st")):
            vals = [r[key] for r in ok]
            slow = sorted(ok, key=lambda r: r[key], reverse=True)[:3]
            emit(
                f"{name:<10} median {statistics.median(vals):7.0f} ms   max {max(vals):7.0f} ms   "
                "slowest: " + ", ".join(f"{r['id']} {r[key]:.0f}" for r in slow)
            )
        peak = max(ok, key=lambda r: max(r["rss"]))
        emit(f"peak RSS   {max(peak['rss']):.0f} MB ({peak['id']})")


def cli_vs_imagemagick(runs: int, emit) -> None:
    lang, text = CORPUS[CLI_ID]
    # Debian's own binary: a `convert` earlier on PATH may be a wrapper that adds its own start-up.
    convert = (
        shutil.which("convert", path="/usr/bin:/bin")
        or shutil.which("magick")
        or shutil.which("convert")
    )
    # The command as installed: pip compiles the package's bytecode at install time, so
    # `poster` does not compile its ~40 modules on every run (130 ms here) — which it would
    # from a checkout under PYTHONDONTWRITEBYTECODE (set on the team's machines).
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(ROOT / "poster_app")], check=True)
    with tempfile.TemporaryDirectory() as tmp:
        poster_png, im_png = str(Path(tmp) / "x.png"), str(Path(tmp) / "im.png")
        poster_cmd = [
            POSTER,
            "render",
            text,
            "--lang",
            lang,
            "--size",
            "a4",
            "--dpi",
            "300",
            "--out",
            poster_png,
        ]
        im_cmd = (
            [convert, "-size", "2480x3508", "-font", str(FONT), f"caption:{text}", im_png]
            if convert
            else None
        )
        emit("")
        emit(f"Whole process, A4 @300 DPI PNG, {runs} runs each (+1 warm-up), interleaved:")
        emit("  poster:  " + " ".join(_q(a) for a in poster_cmd[:-1]) + " x.png")
        if im_cmd:
            emit("  convert: " + " ".join(_q(a) for a in im_cmd[:-1]) + " x.png")
        times: dict[str, list[float]] = {"poster": [], "convert": []}
        rss: dict[str, float] = {"poster": 0.0, "convert": 0.0}
        for i in range(runs + 1):
            for name, cmd in (("poster", poster_cmd), ("convert", im_cmd)):
                if cmd is None:
                    continue
                wall, peak, _, err, rc = run_measured(cmd, cwd=tmp)
                if rc != 0:
                    emit(f"  {name} failed (exit {rc}): {err.strip()[-300:]}")
                    return
                if i:  # run 0 warms the page cache
                    times[name].append(wall * 1e3)
                    rss[name] = max(rss[name], peak)
        p = statistics.median(times["poster"])
        emit(
            f"  poster  median {p:7.0f} ms  (min {min(times['poster']):.0f}, "
            f"max {max(times['poster']):.0f})  peak RSS {rss['poster']:.0f} MB"
        )
        if not im_cmd:
            emit("  ImageMagick convert not found: no ratio")
            return
        c = statistics.median(times["convert"])
        emit(
            f"  convert median {c:7.0f} ms  (min {min(times['convert']):.0f}, "
            f"max {max(times['convert']):.0f})  peak RSS {rss['convert']:.0f} MB"
        )
        ratio = p / c
        emit(
            f"  ratio poster/convert = {ratio:.2f}x   (target <= {RATIO_TARGET}x: "
            f"{'met' if ratio <= RATIO_TARGET else 'NOT met'})"
        )


def a0_peak(emit) -> None:
    lang, text = CORPUS[CLI_ID]
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [
            POSTER,
            "render",
            text,
            "--lang",
            lang,
            "--size",
            "a0",
            "--dpi",
            "300",
            "--out",
            "a0.png",
        ]
        wall, peak, _, err, rc = run_measured(cmd, cwd=tmp)
        emit("")
        emit("A0 @300 DPI PNG (9933x14043 px), whole process:")
        emit("  " + " ".join(_q(a) for a in cmd))
        if rc != 0:
            emit(f"  failed (exit {rc}): {err.strip()[-300:]}")
            return
        size = (Path(tmp) / "a0.png").stat().st_size / 1e6
        emit(
            f"  wall {wall * 1e3:.0f} ms   peak RSS {peak:.0f} MB   file {size:.1f} MB   "
            f"(target <= {A0_RSS_TARGET_MB} MB: {'met' if peak <= A0_RSS_TARGET_MB else 'NOT met'})"
        )


def _q(arg: str) -> str:
    return arg if arg and all(c.isalnum() or c in "-_./:=" for c in arg) else repr(arg)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7, help="CLI runs each (median; default 7)")
    ap.add_argument("--only", nargs="*", metavar="ID", help="corpus ids (default: all)")
    ap.add_argument("--skip-corpus", action="store_true", help="only the whole-process figures")
    args = ap.parse_args(argv)
    ids = args.only or list(CORPUS)
    unknown = [i for i in ids if i not in CORPUS]
    if unknown:
        ap.error(f"unknown corpus id(s): {', '.join(unknown)}")

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    lines: list[str] = []

    def emit(s: str) -> None:
        print(s, flush=True)
        lines.append(s)

    emit(
        f"poster_app engine benchmark — {time.strftime('%Y-%m-%d %H:%M:%S')}, "
        f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}"
    )
    if not args.skip_corpus:
        corpus_table(ids, emit)
    cli_vs_imagemagick(max(1, args.runs), emit)
    a0_peak(emit)
    (OUT_DIR / "engine.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"\nwritten to {OUT_DIR.relative_to(ROOT) / 'engine.txt'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
