"""The slogan phrasebook: common solidarity slogans and their translations.

The English phrases and their translator notes live here; translations live in gettext
catalogs of their own domain, `translations/phrases/<locale>/LC_MESSAGES/phrases.po`, so a
translator adds a language with ordinary tools (Poedit, `pybabel init -D phrases`). Each
entry's msgctxt is the phrase id, so an id stays stable when the English wording is edited.

A phrase that a language has no translation for is None there — never English instead:
a banner in the wrong language is worse than a banner the person types themselves.
Pure Python: no Flask.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel.messages.catalog import Catalog

DOMAIN = "phrases"
ROOT = Path(__file__).resolve().parent.parent / "translations" / DOMAIN
TEMPLATE = ROOT / f"{DOMAIN}.pot"


@dataclass(frozen=True)
class Phrase:
    """A slogan in English with a note for translators about its meaning and tone."""

    id: str
    text: str
    comment: str


PHRASES: tuple[Phrase, ...] = (
    Phrase(
        "political-prisoners",
        "Freedom to political prisoners",
        "Demand to release people jailed for their views or activism. Short and firm, "
        "as chanted at a prison gate.",
    ),
    Phrase(
        "stop-torture",
        "Stop torture",
        "Demand, addressed to the state. Use the usual form of protest signs "
        "('No to torture!' is fine).",
    ),
    Phrase(
        "no-cages",
        "Cages are not for humans or animals",
        "Against locking up people and animals alike. Plain statement, not poetic.",
    ),
    Phrase(
        "no-borders",
        "No borders",
        "Against state borders and border controls (the 'No Border' movement), "
        "not 'without limits'.",
    ),
    Phrase(
        "solidarity-weapon",
        "Solidarity is our weapon",
        "Classic labour-movement slogan; 'weapon' is figurative.",
    ),
    Phrase(
        "free-them-all",
        "Free them all",
        "About all prisoners of one case or country; imperative, addressed to the state.",
    ),
    Phrase(
        "not-alone",
        "You are not alone",
        "Addressed to prisoners or the persecuted, plural 'you'; warm, not formal.",
    ),
    Phrase("no-war", "No to war", "Anti-war demand; as short as the language allows."),
    Phrase(
        "no-one-illegal",
        "No one is illegal",
        "Migrant-rights slogan (German 'Kein Mensch ist illegal'): a person cannot be "
        "illegal, whatever their papers.",
    ),
    Phrase(
        "refugees-welcome",
        "Refugees welcome",
        "Greeting to refugees, said by the people of the host country.",
    ),
    Phrase(
        "stop-deportations", "Stop deportations", "Demand to stop expelling migrants and refugees."
    ),
    Phrase(
        "journalism-not-crime",
        "Journalism is not a crime",
        "For jailed reporters; 'journalism' as the work, not the profession's members.",
    ),
    Phrase(
        "protest-not-crime",
        "Protest is not a crime",
        "Street protest and demonstrations; the right to protest.",
    ),
    Phrase(
        "stop-repression",
        "Stop repression",
        "Political repression by the state: arrests, raids, trials of activists.",
    ),
    Phrase(
        "stop-police-violence",
        "Stop police violence",
        "Brutality by police and other security forces.",
    ),
    Phrase(
        "death-penalty",
        "Abolish the death penalty",
        "Against capital punishment and executions; the short local slogan "
        "('No to executions') is fine.",
    ),
    Phrase(
        "close-camps",
        "Close the camps",
        "Detention and internment camps (for migrants, for ethnic minorities), "
        "not refugee or holiday camps; say 'detention camps' if 'camps' alone is unclear.",
    ),
    Phrase("human-rights", "Human rights for all", "Universal human rights; neutral tone."),
    Phrase(
        "no-justice-no-peace",
        "No justice, no peace",
        "Protest chant: there will be no calm without justice. Keep the two halves parallel.",
    ),
    Phrase(
        "women-life-freedom",
        "Woman, life, freedom",
        "Kurdish 'Jin, jiyan, azadî', Persian 'Zan, zendegi, azadi': use the wording "
        "already used in your language, three words.",
    ),
    Phrase("free-speech", "Freedom of speech", "Freedom of expression, as a right."),
    Phrase(
        "international-solidarity",
        "Long live international solidarity",
        "Cheer at the end of a march; use the language's 'long live' (¡Viva!, Hoch!).",
    ),
)


def phrases() -> list[Phrase]:
    """Every phrase, in the phrasebook's order."""
    return list(PHRASES)


def phrase(phrase_id: str) -> Phrase | None:
    """The phrase with this id, or None."""
    return next((p for p in PHRASES if p.id == phrase_id), None)


def languages() -> list[str]:
    """Language tags (BCP 47, as the engine names them) with a catalog, English first."""
    return ["en"] + sorted(_catalog_dirs())


def translate(phrase_id: str, lang: str) -> str | None:
    """The phrase in a language, or None when that language has no translation of it."""
    found = phrase(phrase_id)
    if found is None:
        return None
    if lang == "en":
        return found.text
    catalog = _catalog(_catalog_dirs().get(lang, ""))
    if catalog is None:
        return None
    message = catalog.get(found.text, context=found.id)
    if message is None or message.fuzzy or not isinstance(message.string, str):
        return None  # (a plural entry's string is a tuple: phrases have none)
    return message.string or None


def translations(phrase_id: str) -> dict[str, str]:
    """The phrase in every language that has it: {lang: text}."""
    found = {lang: translate(phrase_id, lang) for lang in languages()}
    return {lang: text for lang, text in found.items() if text}


def table() -> dict[str, dict[str, str]]:
    """Every phrase's translations, {phrase id: {lang: text}} (for the form's script)."""
    return {p.id: translations(p.id) for p in PHRASES}


@lru_cache(maxsize=1)
def table_json() -> tuple[str, bytes]:
    """The table as JSON bytes and a digest of them: the forms' script fetches it once, by a
    name that changes when a translation does, and browsers keep it."""
    body = json.dumps(table(), ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(body).hexdigest()[:10], body


@lru_cache(maxsize=1)
def _catalog_dirs() -> dict[str, str]:
    """Language tag → locale folder name ('zh-Hans' → 'zh_Hans')."""
    return (
        {
            d.name.replace("_", "-"): d.name
            for d in sorted(ROOT.iterdir())
            if (d / "LC_MESSAGES" / f"{DOMAIN}.po").exists()
        }
        if ROOT.is_dir()
        else {}
    )


@lru_cache(maxsize=64)
def _catalog(locale_dir: str) -> Catalog | None:
    """Read a catalog: the compiled .mo if it is up to date, else the .po itself."""
    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po

    if not locale_dir:
        return None
    po = ROOT / locale_dir / "LC_MESSAGES" / f"{DOMAIN}.po"
    mo = po.with_suffix(".mo")
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as f:
            return read_mo(f)
    with po.open("rb") as f:
        return read_po(f, locale=locale_dir)


def template() -> Catalog:
    """The catalog template (phrases.pot): every English phrase with its translator note."""
    catalog = Catalog(
        project="poster_app phrasebook",
        domain=DOMAIN,
        msgid_bugs_address="",
        copyright_holder="poster_app contributors",
        fuzzy=False,
    )
    for p in PHRASES:
        catalog.add(p.text, context=p.id, auto_comments=[p.comment])
    return catalog


def write_template(path: Path = TEMPLATE) -> None:
    """Write phrases.pot from the phrases above (`make phrases-extract`)."""
    from babel.messages.pofile import write_po

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(f, template(), width=100, omit_header=False, no_location=True)


if __name__ == "__main__":  # python -m poster_app.phrasebook extract
    if sys.argv[1:] != ["extract"]:
        sys.exit("usage: python -m poster_app.phrasebook extract")
    write_template()
