"""The phrasebook: catalogs compile, every phrase renders in every language it has, no guessing."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from poster_app import phrasebook
from poster_app.layout import MissingGlyphs, Spec, plan

CATALOGS = sorted(phrasebook.ROOT.glob("*/LC_MESSAGES/phrases.po"))
PAIRS = [
    (p.id, lang)
    for p in phrasebook.phrases()
    for lang in phrasebook.languages()
    if phrasebook.translate(p.id, lang)
]


def read(path):
    with path.open("rb") as f:
        return read_po(f)


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: p.parent.parent.name)
def test_every_catalog_compiles_and_reads_back(po):
    catalog = read(po)
    assert not list(catalog.check()), f"{po}: format errors"
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    compiled = read_mo(buffer)
    for message in catalog:
        if message.id and message.string and not message.fuzzy:
            assert compiled.get(message.id, context=message.context).string == message.string


def test_pybabel_compiles_the_phrase_domain(tmp_path):
    po = phrasebook.ROOT / "ru" / "LC_MESSAGES" / "phrases.po"
    out = tmp_path / "phrases.mo"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "compile",
            "-D",
            "phrases",
            "-i",
            str(po),
            "-o",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    with out.open("rb") as f:
        assert read_mo(f).get("Stop torture", context="stop-torture").string == "Нет пыткам"


def test_the_template_is_up_to_date_with_the_phrases():
    """`make phrases-extract` has been run: the .pot holds every phrase with its note."""
    template = read(phrasebook.TEMPLATE)
    written = {(m.context, m.id, tuple(m.auto_comments)) for m in template if m.id}
    wanted = {(p.id, p.text, (p.comment,)) for p in phrasebook.phrases()}
    assert {(c, i) for c, i, _ in written} == {(c, i) for c, i, _ in wanted}
    for context, _id, comments in written:
        assert " ".join(comments) == phrasebook.phrase(context).comment


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: p.parent.parent.name)
def test_every_catalog_lists_every_phrase_with_its_note(po):
    catalog = read(po)
    for p in phrasebook.phrases():
        message = catalog.get(p.text, context=p.id)
        assert message is not None, f"{po}: {p.id} missing (run make phrases-update)"
        assert message.auto_comments, f"{po}: {p.id} has no translator note"


def test_enough_phrases_and_languages():
    phrases = phrasebook.phrases()
    assert len(phrases) >= 20
    assert len({p.id for p in phrases}) == len(phrases)
    full = [
        lang
        for lang in phrasebook.languages()
        if sum(bool(phrasebook.translate(p.id, lang)) for p in phrases) >= 20
    ]
    assert len(full) >= 12, full


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_english_and_russian_are_complete(lang):
    assert all(phrasebook.translate(p.id, lang) for p in phrasebook.phrases())


def test_no_translation_is_none_never_english():
    assert phrasebook.translate("no-borders", "id") is None
    assert phrasebook.translate("stop-torture", "tpi") is None
    assert phrasebook.translate("stop-torture", "xx") is None
    assert phrasebook.translate("no-such-phrase", "ru") is None
    assert phrasebook.translate("stop-torture", "ru") == "Нет пыткам"
    assert phrasebook.translate("stop-torture", "zh-Hans") == "停止酷刑"
    assert phrasebook.translations("no-borders").keys() >= {"en", "ru", "ar"}
    assert "id" not in phrasebook.translations("no-borders")


def test_languages_are_engine_tags():
    from poster_app.layout import language

    for lang in phrasebook.languages():
        assert language(lang).tag == lang


@pytest.mark.slow
@pytest.mark.parametrize(("phrase_id", "lang"), PAIRS, ids=[f"{p}-{lang}" for p, lang in PAIRS])
def test_every_phrase_renders_in_every_language_it_has(phrase_id, lang):
    text = phrasebook.translate(phrase_id, lang)
    assert text == text.strip() and "\n" not in text
    try:
        layout = plan(Spec(text=text, lang=lang, size="a4"))
    except MissingGlyphs as e:
        pytest.fail(f"{phrase_id} in {lang}: no font for {e.chars!r}")
    assert layout.lines
