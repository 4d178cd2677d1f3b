"""The bundled fonts: files, licences, stored coverage, weights and fallback chains."""

import json
import os
import subprocess
import sys
from functools import cache

import pytest
from fontTools.ttLib import TTCollection, TTFont

from poster_app.layout import fonts
from poster_app.layout.fonts import FONTS_DIR, chain, condensed_alternative, faces, families

SCRIPT_CODES = {
    "Latn",
    "Cyrl",
    "Grek",
    "Arab",
    "Hebr",
    "Deva",
    "Beng",
    "Taml",
    "Sinh",
    "Thai",
    "Laoo",
    "Mymr",
    "Khmr",
    "Geor",
    "Armn",
    "Ethi",
    "Hani",
    "Hira",
    "Kana",
    "Hang",
    "Bopo",
    "Zsym",
    "Zmth",
}
# Debian ships these symbol fonts in Regular only; they draw pictographs the heavy faces lack.
REGULAR_ONLY = {"NotoSansSymbols2-Regular.ttf", "NotoSansMath-Regular.ttf"}
# Noto Nastaliq Urdu Bold declares usWeightClass 400 in its OS/2 table.
MISDECLARED_WEIGHT = {"NotoNastaliqUrdu-Bold.ttf"}
ALL_FACES = faces()


def face_id(face):
    return face.key


@cache
def declared(file, index):
    """Return (OS/2 weight class, name table family) of a font file's face."""
    with TTFont(FONTS_DIR / file, fontNumber=index, lazy=True) as font:
        return font["OS/2"].usWeightClass, font["name"].getDebugName(1)


def manifest():
    return json.loads((FONTS_DIR / "manifest.json").read_text(encoding="utf-8"))


def test_fonts_dir_is_the_repository_fonts_folder():
    assert fonts.Path(fonts.__file__).parents[2] / "fonts" == FONTS_DIR
    assert (FONTS_DIR / "manifest.json").is_file()


def test_the_fonts_dir_is_a_setting_the_command_line_passes_to_the_engine(tmp_path):
    """POSTER_FONTS_DIR is read by config.py (issue 15), not by the engine: importing the
    engine keeps the bundled folder; the command line configures the engine with it."""
    env = {**os.environ, "POSTER_FONTS_DIR": str(tmp_path)}
    code = (
        "from poster_app.layout import fontcache, fonts; print(fontcache.fonts_dir()); "
        "from poster_app import cli; cli.main(['themes']); print(fontcache.fonts_dir())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    lines = out.stdout.strip().splitlines()
    assert lines[0] == str(FONTS_DIR)
    assert lines[-1] == str(tmp_path)


def test_the_engine_reads_no_environment():
    """Every setting is read in config.py; the engine takes them as parameters (issue 15)."""
    engine = fonts.Path(fonts.__file__).parent
    readers = [p.name for p in engine.glob("*.py") if "os.environ" in p.read_text(encoding="utf-8")]
    assert readers == []


def test_licence_and_readme_are_bundled():
    licence = (FONTS_DIR / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    assert "Google" in licence and "Adobe" in licence
    emoji_licence = (FONTS_DIR / "OFL-NotoEmoji.txt").read_text(encoding="utf-8")
    assert "SIL Open Font License, Version 1.1" in emoji_licence
    assert emoji_licence.startswith("Copyright 2013 Google LLC")
    assert "Debian" in (FONTS_DIR / "README.md").read_text(encoding="utf-8")


def test_every_font_file_is_listed_and_total_size_is_reasonable():
    listed = {entry["file"] for entry in manifest()["faces"]}
    on_disk = {p.name for p in FONTS_DIR.iterdir() if p.suffix in (".ttf", ".otf", ".ttc")}
    assert listed == on_disk
    total = sum(p.stat().st_size for p in FONTS_DIR.iterdir())
    assert total < 60 * 1024 * 1024


@pytest.mark.parametrize("entry", manifest()["faces"], ids=lambda e: f"{e['file']}#{e['index']}")
def test_manifest_entry(entry):
    path = FONTS_DIR / entry["file"]
    assert path.is_file() and not path.is_symlink()
    assert entry["family"] in {fid for fid, _ in families()}
    assert set(entry["scripts"]) <= SCRIPT_CODES
    assert entry["width"] in ("normal", "condensed", "extra-condensed")
    assert entry["licence"] == "OFL-1.1"
    assert entry["origin"].startswith(("Debian fonts-noto-", "npm @expo-google-fonts/noto-emoji"))
    if path.suffix == ".ttc":
        collection = TTCollection(path, lazy=True)
        try:
            assert 0 <= entry["index"] < len(collection.fonts)
        finally:
            collection.close()
    else:
        assert entry["index"] == 0


@pytest.mark.parametrize("face", ALL_FACES, ids=face_id)
def test_stored_coverage_matches_the_real_cmap(face):
    real = fonts.real_coverage(face)
    assert fonts._coverage()[face.key] == (real[0::2], real[1::2])


@pytest.mark.parametrize("face", ALL_FACES, ids=face_id)
def test_face_is_heavy(face):
    weight, _ = declared(face.file, face.index)
    if face.file in REGULAR_ONLY:
        assert face.scripts[0] in ("Zsym", "Zmth") and face.weight == weight == 400
    elif face.file in MISDECLARED_WEIGHT:
        assert face.weight == 700 and "Bold" in face.file
    else:
        assert face.weight == weight >= 700


@pytest.mark.parametrize(
    ("index", "language", "region"),
    [
        (0, "ja", "JP"),
        (1, "ko", "KR"),
        (2, "zh-Hans", "SC"),
        (3, "zh-Hant", "TC"),
        (4, "zh-HK", "HK"),
    ],
)
def test_cjk_faces_are_indexed_by_their_name_table(index, language, region):
    (face,) = [f for f in ALL_FACES if f.file == "NotoSansCJK-Black.ttc" and f.index == index]
    assert face.languages == (language,)
    assert declared(face.file, face.index)[1] == f"Noto Sans CJK {region} Black"


def test_families_for_the_form():
    assert [fid for fid, _ in families()] == ["sans", "condensed", "serif"]
    assert all(label for _, label in families())


@pytest.mark.parametrize(
    ("char", "file"),
    [
        ("A", "NotoSans-Black.ttf"),
        ("\u24b6", "NotoSansSymbols-Black.ttf"),
        ("\u2605", "NotoSansSymbols2-Regular.ttf"),
        ("\u05d0", "NotoSansHebrew-Black.ttf"),
        ("\u6c34", "NotoSansCJK-Black.ttc"),
    ],
)
def test_covers(char, file):
    face = next(f for f in ALL_FACES if f.file == file)
    assert fonts.covers(face, char) and fonts.covers(face, ord(char))
    assert not fonts.covers(face, 0x12000)


@pytest.mark.parametrize(
    ("family", "script", "lang", "first", "second"),
    [
        ("sans", "Latn", "en", "NotoSans-Black.ttf", None),
        ("sans", "Cyrl", "ru", "NotoSans-Black.ttf", None),
        ("condensed", "Latn", "de", "NotoSans-ExtraCondensedBlack.ttf", None),
        ("serif", "Grek", "el", "NotoSerif-Black.ttf", None),
        ("sans", "Arab", "ar", "NotoSansArabic-Black.ttf", "NotoSans-Black.ttf"),
        ("sans", "Arab", "ur", "NotoSansArabic-Black.ttf", "NotoSans-Black.ttf"),
        ("serif", "Arab", "fa", "NotoNaskhArabic-Bold.ttf", "NotoSerif-Black.ttf"),
        ("serif", "Arab", "ur", "NotoNastaliqUrdu-Bold.ttf", "NotoSerif-Black.ttf"),
        (
            "condensed",
            "Hebr",
            "he",
            "NotoSansHebrew-ExtraCondensedBlack.ttf",
            "NotoSans-ExtraCondensedBlack.ttf",
        ),
        (
            "condensed",
            "Beng",
            "bn",
            "NotoSansBengali-Black.ttf",
            "NotoSans-ExtraCondensedBlack.ttf",
        ),
        ("serif", "Thai", "th", "NotoSerifThai-Black.ttf", "NotoSerif-Black.ttf"),
        ("sans", "Ethi", "am", "NotoSansEthiopic-Black.ttf", "NotoSans-Black.ttf"),
        ("serif", "Hani", "zh", "NotoSansCJK-Black.ttc#2", "NotoSerif-Black.ttf"),
        ("sans", "Hani", "zh-Hans", "NotoSansCJK-Black.ttc#2", "NotoSans-Black.ttf"),
        ("sans", "Hans", "zh-CN", "NotoSansCJK-Black.ttc#2", "NotoSans-Black.ttf"),
        ("sans", "Hani", "zh-Hant", "NotoSansCJK-Black.ttc#3", "NotoSans-Black.ttf"),
        ("sans", "Hani", "zh-TW", "NotoSansCJK-Black.ttc#3", "NotoSans-Black.ttf"),
        ("sans", "Hant", "zh-Hant-HK", "NotoSansCJK-Black.ttc#4", "NotoSans-Black.ttf"),
        ("sans", "Hani", "zh-HK", "NotoSansCJK-Black.ttc#4", "NotoSans-Black.ttf"),
        ("sans", "Jpan", "ja", "NotoSansCJK-Black.ttc", "NotoSans-Black.ttf"),
        ("sans", "Hani", "ja", "NotoSansCJK-Black.ttc", "NotoSans-Black.ttf"),
        ("sans", "Hang", "ko", "NotoSansCJK-Black.ttc#1", "NotoSans-Black.ttf"),
        ("sans", "Kore", "ko-KR", "NotoSansCJK-Black.ttc#1", "NotoSans-Black.ttf"),
        ("sans", "Cher", "chr", "NotoSans-Black.ttf", None),
    ],
)
def test_chain_order(family, script, lang, first, second):
    faces_in_chain = chain(family, script, lang)
    keys = [f.key for f in faces_in_chain]
    assert keys[0] == first
    symbols = ["NotoSansSymbols-Black.ttf", "PosterEmoji-Heavy.ttf", "NotoSansSymbols2-Regular.ttf"]
    assert keys[1:5] == ([second] if second else []) + symbols + ([] if second else [keys[4]])
    assert sorted(keys) == sorted(f.key for f in ALL_FACES), "every face, each once"
    assert keys[-1] == "NotoSansMath-Regular.ttf"


def test_chain_puts_this_familys_faces_before_others():
    keys = [f.key for f in chain("condensed", "Thai", "th")]
    assert keys.index("NotoSansArabic-ExtraCondensedBlack.ttf") < keys.index(
        "NotoSansArabic-Black.ttf"
    )


@pytest.mark.parametrize("family", ["bold", "", "Sans"])
def test_chain_rejects_unknown_family(family):
    with pytest.raises(ValueError) as excinfo:
        chain(family, "Latn", "en")
    assert str(excinfo.value) == (
        f"unknown type family {family!r}; expected one of 'sans', 'condensed', 'serif'"
    )


@pytest.mark.parametrize(
    ("file", "narrower"),
    [
        ("NotoSans-Black.ttf", "NotoSans-ExtraCondensedBlack.ttf"),
        ("NotoSansArabic-Black.ttf", "NotoSansArabic-ExtraCondensedBlack.ttf"),
        ("NotoSansMyanmar-Black.ttf", "NotoSansMyanmar-ExtraCondensedBlack.ttf"),
        ("NotoSerif-Black.ttf", "NotoSerif-ExtraCondensedBlack.ttf"),
        ("NotoSans-ExtraCondensedBlack.ttf", None),
        ("NotoSansBengali-Black.ttf", None),
        ("NotoSerifThai-Black.ttf", None),
        ("NotoSansCJK-Black.ttc", None),
    ],
)
def test_condensed_alternative(file, narrower):
    face = next(f for f in ALL_FACES if f.file == file)
    alternative = condensed_alternative(face)
    assert (alternative.file if alternative else None) == narrower
    if alternative:
        assert alternative.scripts == face.scripts


def test_start_up_parses_no_font():
    code = (
        "import sys\n"
        "from poster_app.layout.fonts import chain\n"
        "from poster_app.layout.itemize import itemize\n"
        "itemize('Свободу 自由 ★', chain('sans', 'Cyrl', 'ru'))\n"
        "print(sorted(m for m in sys.modules if m.startswith('fontTools.ttLib')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
