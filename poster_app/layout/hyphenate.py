"""Where a long word may take a hyphen at a line end.

pyphen's patterns (LibreOffice's, from TeX) for the languages it has, TeX's hyph-utf8
patterns for Georgian, converted once into `hyphenation/`, and the syllable rules of Armenian
orthography for Armenian (hyph-utf8's Armenian patterns only break a vowel from a consonant
and a vowel, so its long words had few fair points). German compounds join where the first
level of LibreOffice's two-level German patterns puts a break (that level holds some 69,000
words and compounds); Dutch, Danish, Swedish and Norwegian ones after a linking -s- or before
a common head word (_COMPOUND_RULES). A hyphen at a join ("Abschiebe-haftanstalten",
"Ytrings-frihed") costs less than one inside a part. Only words of HYPHENATE_FROM letters or
more are hyphenated, at most once, leaving at least HYPHEN_MIN_PART letters on each side: a
banner reads better with whole common words and no "по-" fragments.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path

from .languages import Language

HYPHENATE_FROM = 12  # letters
HYPHEN_MIN_PART = 5
# Georgian and Armenian words run long ("თავისუფლება", freedom, has 11 letters): a slogan
# of two such words fills a fifth of a page unless they are hyphenated from 8 letters on.
_LONG_WORDS = {"ka": (8, 4), "hy": (8, 3)}  # language: (hyphenate from, shortest part)
_HYPHEN_MIN = 2  # what the patterns themselves may leave on either side
_PATTERNS_DIR = Path(__file__).with_name("hyphenation")
_OWN = {"ka": "hyph_ka.dic"}
# Armenian vowels, the diphthongs յա, յու, յո counted as vowels (մա-տյան), longest first.
_ARMENIAN_VOWELS = ("յու", "յա", "յո", "ու", "ա", "ե", "է", "ը", "ի", "ո", "օ", "և")
_HYPHENATING_SCRIPTS = frozenset({"Latn", "Cyrl", "Grek", "Geor", "Armn"})
_COMPOUND_LEVEL = frozenset({"de"})  # dictionaries whose first level marks compound joins
# Dutch and the Nordic languages have no compound level in their patterns. Their compounds
# mostly join (1) after a derivational suffix with the linking -s- that such a first part
# takes (vrijheids|strijd, ytrings|frihed, solidaritets|aktion, fængsels|straf), or (2)
# before a free word that often heads a compound on a banner (pers|vrijheid,
# menneske|rettigheder, polis|våld, flyktning|leir).
_NORWEGIAN = (
    ("ings", "hets", "tets", "sels", "sjons", "skaps", "doms", "nings"),
    "frihet rettighet rettferdighet kamp leir vold bevegelse fange fengsel straff aksjon "
    "krig politi stat solidaritet",
)
_COMPOUND_RULES = {
    "nl": (
        ("heids", "teits", "ings", "schaps", "doms", "nings"),
        "vrijheid recht strijd kamp geweld beweging gevangen actie centrum oorlog politie "
        "staat solidariteit",
    ),
    "da": (
        ("ings", "heds", "tets", "sels", "tions", "skabs", "doms", "nings"),
        "frihed rettighed retfærdighed kamp lejr vold bevægelse fange fængsel straf aktion "
        "krig politi stat solidaritet",
    ),
    "sv": (
        ("ings", "hets", "tets", "tions", "skaps", "doms", "nings"),
        "frihet rättighet rättvisa kamp läger våld rörelse fånge fängelse straff aktion "
        "krig polis stat solidaritet",
    ),
    "nb": _NORWEGIAN,
    "nn": _NORWEGIAN,
    "no": _NORWEGIAN,
}


def hyphenation_cuts(word: str, lang: Language) -> list[tuple[int, float]]:
    """At most one (offset, penalty) where `word` (trailing punctuation allowed) may break."""
    from .opportunities import COMPOUND, HYPHEN

    if not long_enough(word, lang):
        return []
    part = _LONG_WORDS.get(lang.code, (0, HYPHEN_MIN_PART))[1]
    joins = [k for k in _points(word, lang, compounds=True) if _fair(k, word, part)]
    if joins:
        return [(_middlemost(joins, word), COMPOUND)]
    points = [k for k in _points(word, lang, compounds=False) if _fair(k, word, part)]
    # Where words run long, a hyphen is what readers expect: it costs like a compound's.
    penalty = COMPOUND if lang.code in _LONG_WORDS else HYPHEN
    return [(_middlemost(points, word), penalty)] if points else []


def long_enough(word: str, lang: Language) -> bool:
    """Is the word long enough to be hyphenated at all?"""
    least = _LONG_WORDS.get(lang.code, (HYPHENATE_FROM, 0))[0]
    return sum(ch.isalpha() for ch in word) >= least


def runs_long(lang: Language) -> bool:
    """Do the language's words run so long that they are hyphenated from 8 letters?"""
    return lang.code in _LONG_WORDS


def hyphenation_points(word: str, lang: Language) -> list[int]:
    """Every offset in word where the patterns allow a hyphen; [] where the language has none."""
    return _points(word, lang, compounds=False)


def _fair(k: int, word: str, part: int) -> bool:
    return part <= k <= len(word.rstrip(".,!?;:»\"'")) - part


def _middlemost(points: list[int], word: str) -> int:
    return min(points, key=lambda k: abs(2 * k - len(word)))


def _points(word: str, lang: Language, compounds: bool) -> list[int]:
    if lang.code == "hy":
        return [] if compounds else armenian_syllables(word)
    if compounds and lang.code in _COMPOUND_RULES:
        return compound_joins(word, lang)
    dictionary = _hyphenator(lang.tag, lang.code, lang.script, compounds)
    if dictionary is None:
        return []
    return [
        int(point)
        for point in dictionary.positions(word)
        if _HYPHEN_MIN <= point <= len(word) - _HYPHEN_MIN
    ]


def compound_joins(word: str, lang: Language) -> list[int]:
    """Offsets of a Dutch, Danish, Swedish or Norwegian word where its compound's parts
    likely join (_COMPOUND_RULES): after a suffix with its linking -s-, or before a common
    head word. A join is a syllable break, whether or not the (small) patterns have it."""
    endings, heads = _COMPOUND_RULES[lang.code]
    lower, starts = word.lower(), tuple(heads.split())
    return [
        k
        for k in range(_HYPHEN_MIN, len(word) - _HYPHEN_MIN + 1)
        if lower[k - 1].isalpha() and (lower[:k].endswith(endings) or lower[k:].startswith(starts))
    ]


def armenian_syllables(word: str) -> list[int]:
    """Offsets where an Armenian word's syllables meet, by the rules of its orthography: a
    lone consonant between two vowels opens the next syllable (ա-ման), of several the last
    one does (մատ-նոց, կար-կուտ), two vowels side by side part (մի-ա-սին); յա, յու, յո are
    vowels here (մա-տյան, Ազա-տու-թյուն). At least _HYPHEN_MIN letters stay on each side."""
    lower = word.lower()
    vowels: list[tuple[int, int]] = []
    i = 0
    while i < len(lower):
        vowel = next((v for v in _ARMENIAN_VOWELS if lower.startswith(v, i)), None)
        if vowel:
            vowels.append((i, i + len(vowel)))
        i += len(vowel) if vowel else 1
    points = []
    for (_, end), (start, _) in zip(vowels, vowels[1:], strict=False):
        between = lower[end:start]
        if all("\u0561" <= ch <= "\u0586" for ch in between):  # letters only, no mark or dash
            points.append(start - 1 if between else start)
    return [k for k in points if _HYPHEN_MIN <= k <= len(word) - _HYPHEN_MIN]


@lru_cache(maxsize=64)
def _hyphenator(tag: str, code: str, script: str, compounds: bool):
    if script not in _HYPHENATING_SCRIPTS:
        return None  # Thai, Khmer, CJK… wrap between words, never with a hyphen
    import pyphen  # only slogans with a long word need it

    if code in _OWN:
        if compounds:
            return None
        path = _PATTERNS_DIR / _OWN[code]
    else:
        # Norwegian without a written standard named ("no") is Bokmål, as most of it is.
        name = pyphen.language_fallback(
            "_".join(["nb" if code == "no" else code, *tag.split("-")[1:]])
        )
        if name is None or (compounds and code not in _COMPOUND_LEVEL):
            return None
        path = Path(pyphen.LANGUAGES[name])
        if compounds:
            path = _first_level(path)
    _load_parsed(pyphen, path)
    return pyphen.Pyphen(filename=str(path), left=_HYPHEN_MIN, right=_HYPHEN_MIN)


_cache: list[Path | None] = [None]  # settings.configure: a folder kept between processes


def use_cache_dir(path: str | Path | None) -> None:
    """Keep derived dictionaries and parsed patterns in `path` between processes (parsing the
    German patterns takes seconds); None: only for this process, in a temporary folder."""
    _cache[0] = Path(path) if path else None


def _cache_dir() -> Path:
    if _cache[0] is not None:
        return _cache[0]
    return Path(_scratch().name)


@lru_cache(maxsize=1)
def _scratch() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="poster-hyphenation-")


def _first_level(path: Path) -> Path:
    """The patterns before NEXTLEVEL (the compound joins) as a dictionary file of their own."""
    import pyphen

    out = _cache_dir() / f"compounds-{path.stem}-{pyphen.VERSION}-{path.stat().st_size}.dic"
    if not out.exists():
        with path.open("rb") as f:
            encoding = f.readline().decode().strip()
        text = path.read_text(encoding).split("\nNEXTLEVEL", 1)[0]
        _write(out, text.encode(encoding))
    return out


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as f:
        f.write(data)
    os.replace(f.name, path)


def _load_parsed(pyphen, path: Path) -> None:
    """Put the parsed dictionary in pyphen's cache from our own pickle of it.

    Parsing the German dictionary takes 1–2.5 s; unpickling our earlier parse, 50 ms. The
    pickle is ours (written here, keyed by pyphen's version and the file's size and time).
    """
    if path in pyphen.hdcache or str(path) in pyphen.hdcache:
        return
    if _cache[0] is None:  # no folder kept between processes: parse
        pyphen.hdcache[path] = pyphen.HyphDict(path)
        return
    stat = path.stat()
    name = f"hyph-{path.stem}-{pyphen.VERSION}-{stat.st_size}-{int(stat.st_mtime)}.pickle"
    cache = _cache_dir() / name
    try:
        with open(cache, "rb") as f:
            pyphen.hdcache[path] = pickle.load(f)
        return
    except (OSError, pickle.UnpicklingError, EOFError):
        pass
    pyphen.hdcache[path] = parsed = pyphen.HyphDict(path)
    with contextlib.suppress(OSError):  # a read-only home only costs time
        _write(cache, pickle.dumps(parsed, protocol=pickle.HIGHEST_PROTOCOL))
