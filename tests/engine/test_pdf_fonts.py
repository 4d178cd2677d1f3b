"""PDF fonts are parsed once per process and each document still gets exactly its glyphs.

fpdf2 parsed every font for every document and subset that parse in place; for the 19 MB CJK
collection that made a Chinese PDF 10-12× an English one. poster_app/layout/pdffonts.py keeps
one parse per face and builds each document's font from it (bench/pdf_fonts.py times it).
"""

from __future__ import annotations

import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest

from poster_app.layout import pdffonts
from poster_app.layout.fit import plan
from poster_app.layout.pdf import render_pdf
from poster_app.layout.spec import Spec

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")

SLOGANS = [
    ("zh-Hans", "释放所有政治犯！"),
    ("zh-Hans", "停止酷刑，拆除牢笼"),
    ("ja", "拷問をやめろ！"),
    ("ko", "고문을 중단하라!"),
    ("ar", "لا للتعذيب"),
    ("en", "Free them all ✊"),
]


def text_of(pdf: bytes, tmp_path, name: str) -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return "".join(out.stdout.translate(dict.fromkeys(range(0x202A, 0x202D))).split())


def test_a_face_is_parsed_once_for_many_documents():
    first = plan(Spec(text="释放所有政治犯！", lang="zh-Hans"))
    second = plan(Spec(text="停止酷刑，拆除牢笼", lang="zh-Hans"))
    render_pdf(first)
    parsed = dict(pdffonts._faces)
    for layout in (second, first, second):
        render_pdf(layout)
    assert pdffonts._faces == parsed  # the same objects: nothing parsed again


def test_a_glyph_is_drawn_once_for_every_document_that_uses_it(monkeypatch):
    layout = plan(Spec(text="释放所有政治犯！", lang="zh-Hans"))
    first = render_pdf(layout)
    monkeypatch.setattr(pdffonts, "_outlines", {})  # as in a new process
    drawn: list[str] = []
    outline = pdffonts._outline
    monkeypatch.setattr(pdffonts, "_outline", lambda *a: drawn.append(a[-1]) or outline(*a))
    assert render_pdf(layout) == first  # drawn anew: the same bytes
    glyphs = len(drawn)
    assert glyphs == len(set(drawn)) >= 9  # eight characters and .notdef, once each
    assert render_pdf(layout) == first
    render_pdf(plan(Spec(text="所有政治犯", lang="zh-Hans")))
    assert len(drawn) == glyphs, "every glyph of these was drawn for the first document"
    render_pdf(plan(Spec(text="所有人", lang="zh-Hans")))
    assert len(drawn) == glyphs + 1, drawn  # 人 only


def test_the_drawn_glyphs_a_process_keeps_are_bounded(monkeypatch):
    layout = plan(Spec(text="释放所有政治犯！", lang="zh-Hans"))
    first = render_pdf(layout)
    monkeypatch.setattr(pdffonts, "_outlines", {})
    monkeypatch.setattr(pdffonts, "MAX_OUTLINES", 12)
    assert render_pdf(layout) == first
    other = plan(Spec(text="所有人都自由", lang="zh-Hans"))  # five glyphs more: 14 in all
    render_pdf(other)
    (kept,) = pdffonts._outlines.values()
    assert len(kept) <= 12  # the face started afresh with this document's glyphs
    assert render_pdf(layout) == first  # and the bytes never depend on what was kept


@needs_poppler
def test_documents_do_not_disturb_one_another(tmp_path):
    layouts = [plan(Spec(text=text, lang=lang)) for lang, text in SLOGANS]
    before = [render_pdf(layout) for layout in layouts]
    after = [render_pdf(layout) for layout in reversed(layouts)][::-1]
    assert after == before, "the same layout gives the same bytes whatever came before"
    for (lang, text), pdf in zip(SLOGANS, before, strict=True):
        assert text_of(pdf, tmp_path, lang) == "".join(text.split())


@needs_poppler
def test_documents_rendered_at_once_in_threads_are_right(tmp_path):
    layouts = [plan(Spec(text=text, lang=lang)) for lang, text in SLOGANS] * 3
    expected = [render_pdf(layout) for layout in layouts]
    with ThreadPoolExecutor(max_workers=6) as pool:
        assert list(pool.map(render_pdf, layouts)) == expected


@needs_poppler
def test_the_cjk_font_is_embedded_with_only_the_glyphs_used(tmp_path):
    pdf = render_pdf(plan(Spec(text="释放所有政治犯！", lang="zh-Hans")))
    assert len(pdf) < 30_000, "a subset, not the 19 MB collection"
    path = tmp_path / "zh.pdf"
    path.write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    assert "NotoSansCJKSCBlack" in fonts.stdout
    assert all(" yes yes yes " in line for line in fonts.stdout.splitlines()[2:])
