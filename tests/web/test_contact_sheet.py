"""The campaign's contact sheet: the grid fills the page, captions stay in their cells."""

from __future__ import annotations

import itertools
import re
import subprocess
from functools import cache

import pytest
from PIL import Image

from poster_app.contact_sheet import Entry, contact_sheet
from poster_app.layout import Spec, plan, render_png

SIZES = {
    "a4": "A4 (210 x 297 mm)",
    "square-1080px": "Square image (1080 x 1080 px)",
    "banner-300x100cm": "Cloth banner (300 x 100 cm)",
    "story-1080x1920px": "Story (1080 x 1920 px)",
}
LANGS = {
    "ru": ("Russian", "Нет пыткам"),
    "en": ("English", "Stop torture"),
    "ar": ("Arabic", "لا للتعذيب"),
    "ta": ("Tamil", "சித்திரவதையை நிறுத்து"),
    "zh-Hans": ("Chinese (Simplified)", "停止酷刑"),
}
RED = (200, 16, 46)


@cache
def thumb(name: str) -> bytes:
    tag, size = name.split("-", 1) if not name.startswith("zh-") else ("zh-Hans", name[8:])
    return render_png(
        plan(Spec(text=LANGS[tag][1], lang=tag, size=size, fg="#ffffff", bg="#c8102e")), width=360
    )


def sheet(langs: int, sizes: list[str], failed: str = "") -> tuple[bytes, list[Entry]]:
    entries = [
        Entry(f"{tag}-{size}", f"{name} ({tag}) - {SIZES[size]}", failed if tag == "en" else "")
        for tag, (name, _text) in list(LANGS.items())[:langs]
        for size in sizes
    ]
    return contact_sheet("Stop torture", entries, lambda e: thumb(e.name)), entries


def words(pdf: bytes, page: int) -> list[tuple[str, tuple[float, ...]]]:
    out = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-bbox", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return [
        (m[5], tuple(map(float, m.groups()[:4])))
        for m in re.finditer(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', out
        )
    ]


@pytest.mark.parametrize(
    ("langs", "sizes"), [(1, ["a4", "square-1080px"]), (3, list(SIZES)), (5, list(SIZES))]
)
def test_no_caption_runs_into_another(langs, sizes):
    pdf, entries = sheet(langs, sizes)
    found = words(pdf, 1)
    for (a, box_a), (b, box_b) in itertools.combinations(found, 2):
        across = min(box_a[2], box_b[2]) - max(box_a[0], box_b[0])
        down = min(box_a[3], box_b[3]) - max(box_a[1], box_b[1])
        assert across <= 0.2 or down <= 0.2, f"{a!r} and {b!r} overlap"
    text = " ".join(word for word, _box in found)
    assert "Square image (1080 x 1080 px)" in text  # whole, not '(108Ru1080 px)'


def test_two_banners_fill_the_page_not_a_corner_of_it(tmp_path):
    pdf, _entries = sheet(1, ["a4", "square-1080px"])
    (tmp_path / "s.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "20",
            "-png",
            "-singlefile",
            str(tmp_path / "s.pdf"),
            str(tmp_path / "s"),
        ],
        check=True,
    )
    image = Image.open(tmp_path / "s.png").convert("RGB")
    red = sum(
        1
        for pixel in image.get_flattened_data()
        if sum(abs(a - b) for a, b in zip(pixel, RED, strict=True)) < 60
    )
    assert red / (image.width * image.height) > 0.35  # was 5 %: two small cells of an 18-cell grid


def test_eighteen_a_page_and_failures_say_why():
    pdf, _entries = sheet(5, list(SIZES), failed="No bundled font has these characters: 𒀀")
    info = subprocess.run(
        ["pdfinfo", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert re.search(r"Pages:\s+2\b", info)
    assert "Failed: No bundled font" in " ".join(word for word, _box in words(pdf, 1))
