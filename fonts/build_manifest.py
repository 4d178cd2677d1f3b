"""Copy the Noto fonts we bundle into fonts/ and write fonts/manifest.json.

Run on a machine with fonts-noto-core, fonts-noto-extra and fonts-noto-cjk-extra installed
(Debian 12), npm on the path and skia-pathops installed (`pip install -e '.[fonts]'`), for the
monochrome emoji face that Debian lacks (see heavy_emoji.py):
    python fonts/build_manifest.py && python -m poster_app.layout.fonts --rebuild
"""

import json
import shutil
import subprocess
from pathlib import Path

import heavy_emoji
from fontTools.ttLib import TTCollection, TTFont

TT = Path("/usr/share/fonts/truetype/noto")
OT = Path("/usr/share/fonts/opentype/noto")
DEST = Path(__file__).resolve().parent
DEST.mkdir(exist_ok=True)


def version(pkg):
    out = subprocess.run(
        ["dpkg-query", "-W", "-f=${Version}", pkg], capture_output=True, text=True, check=True
    )
    return f"Debian {pkg} {out.stdout}"


CORE, EXTRA = "fonts-noto-core", "fonts-noto-extra"


def pkg_of(path):
    out = subprocess.run(["dpkg", "-S", str(path)], capture_output=True, text=True, check=True)
    return out.stdout.split(":")[0]


SCRIPTS = {
    "": ["Latn", "Cyrl", "Grek"],
    "Arabic": ["Arab"],
    "Hebrew": ["Hebr"],
    "Devanagari": ["Deva"],
    "Bengali": ["Beng"],
    "Tamil": ["Taml"],
    "Sinhala": ["Sinh"],
    "Thai": ["Thai"],
    "Lao": ["Laoo"],
    "Myanmar": ["Mymr"],
    "Khmer": ["Khmr"],
    "Georgian": ["Geor"],
    "Armenian": ["Armn"],
    "Ethiopic": ["Ethi"],
}
entries = []


def add(src, family, scripts, width, index=0, languages=(), weight=None, origin=None):
    src = Path(src)
    if src.parent != DEST:
        shutil.copyfile(src, DEST / src.name)
    if src.suffix == ".ttc":
        font = TTCollection(src, lazy=True).fonts[index]
    else:
        font = TTFont(src, lazy=True)
    entry = {
        "family": family,
        "scripts": list(scripts),
        "file": src.name,
        "index": index,
        "weight": weight or font["OS/2"].usWeightClass,
        "width": width,
        "name": font["name"].getDebugName(4),
        "origin": origin or version(pkg_of(src)),
        "licence": "OFL-1.1",
    }
    if languages:
        entry["languages"] = list(languages)
    entries.append(entry)


# sans: Latin first (the default), then each script.
for key, scripts in SCRIPTS.items():
    add(TT / f"NotoSans{key}-Black.ttf", "sans", scripts, "normal")
# symbols: heavy Symbols first, then the emoji, then Symbols2 and Math (only Regular exists in
# Debian); the chain orders them by weight.
add(TT / "NotoSansSymbols-Black.ttf", "sans", ["Zsym"], "normal")
# Noto Emoji (monochrome) emboldened to the slogans' weight: see heavy_emoji.py.
add(
    heavy_emoji.build(DEST),
    "sans",
    ["Zsym"],
    "normal",
    origin=f"npm {heavy_emoji.PACKAGE}, emboldened by fonts/heavy_emoji.py",
)
add(TT / "NotoSansSymbols2-Regular.ttf", "sans", ["Zsym"], "normal")
add(TT / "NotoSansMath-Regular.ttf", "sans", ["Zmth"], "normal")
# CJK: one face per language, read from the name table.
LANGS = {"JP": ["ja"], "KR": ["ko"], "SC": ["zh-Hans"], "TC": ["zh-Hant"], "HK": ["zh-HK"]}
ttc = OT / "NotoSansCJK-Black.ttc"
for i, font in enumerate(TTCollection(ttc, lazy=True).fonts):
    region = font["name"].getDebugName(1).split()[3]
    add(
        ttc,
        "sans",
        ["Hani", "Hira", "Kana", "Hang", "Bopo"],
        "normal",
        index=i,
        languages=LANGS[region],
    )
# condensed
for key, scripts in SCRIPTS.items():
    p = TT / f"NotoSans{key}-ExtraCondensedBlack.ttf"
    if p.exists():
        add(p, "condensed", scripts, "extra-condensed")
# serif
for key, scripts in SCRIPTS.items():
    if key == "Arabic":
        add(TT / "NotoNaskhArabic-Bold.ttf", "serif", scripts, "normal")
        # Nastaliq is the traditional Urdu style; its OS/2 says 400 although the face is "Bold".
        add(
            TT / "NotoNastaliqUrdu-Bold.ttf",
            "serif",
            scripts,
            "normal",
            languages=["ur"],
            weight=700,
        )
        continue
    p = TT / f"NotoSerif{key}-Black.ttf"
    if p.exists():
        add(p, "serif", scripts, "normal")
add(TT / "NotoSerif-ExtraCondensedBlack.ttf", "serif", SCRIPTS[""], "extra-condensed")

manifest = {
    "families": [
        {"id": "sans", "label": "Sans (Noto Sans Black)"},
        {"id": "condensed", "label": "Condensed (Noto Sans ExtraCondensed Black)"},
        {"id": "serif", "label": "Serif (Noto Serif Black)"},
    ],
    "faces": entries,
}
(DEST / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
for e in entries:
    print(
        e["family"],
        e["file"],
        e["index"],
        e["scripts"],
        e["weight"],
        e["width"],
        e.get("languages"),
    )
