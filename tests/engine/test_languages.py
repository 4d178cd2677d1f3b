import pytest

from poster_app.layout import languages
from poster_app.layout.languages import (
    SUPPORTED,
    Language,
    language,
    shaper_language,
    supported_languages,
)


@pytest.mark.parametrize(
    ("tag", "script", "variant", "direction", "native", "english"),
    [
        ("ru", "Cyrl", "Cyrl", "ltr", "русский", "Russian"),
        ("ar", "Arab", "Arab", "rtl", "العربية", "Arabic"),
        ("fa", "Arab", "Arab", "rtl", "فارسی", "Persian"),
        ("ur", "Arab", "Arab", "rtl", "اردو", "Urdu"),
        ("he", "Hebr", "Hebr", "rtl", "עברית", "Hebrew"),
        ("zh-Hans", "Hani", "Hans", "ltr", "中文 (简体)", "Chinese (Simplified)"),
        ("zh-Hant", "Hani", "Hant", "ltr", "中文 (繁體)", "Chinese (Traditional)"),
        ("ja", "Hani", "Jpan", "ltr", "日本語", "Japanese"),
        ("ko", "Hang", "Kore", "ltr", "한국어", "Korean"),
        ("th", "Thai", "Thai", "ltr", "ไทย", "Thai"),
        ("si", "Sinh", "Sinh", "ltr", "සිංහල", "Sinhala"),
        ("ta", "Taml", "Taml", "ltr", "தமிழ்", "Tamil"),
        ("tpi", "Latn", "Latn", "ltr", "Tok Pisin", "Tok Pisin"),
        ("sr-Latn", "Latn", "Latn", "ltr", "srpski (latinica)", "Serbian (Latin)"),
        ("sr-Cyrl", "Cyrl", "Cyrl", "ltr", "српски (ћирилица)", "Serbian (Cyrillic)"),
        ("km", "Khmr", "Khmr", "ltr", "ខ្មែរ", "Khmer"),
        ("my", "Mymr", "Mymr", "ltr", "မြန်မာ", "Burmese"),
        ("am", "Ethi", "Ethi", "ltr", "አማርኛ", "Amharic"),
        ("tl", "Latn", "Latn", "ltr", "Filipino", "Filipino"),
        ("zh-TW", "Hani", "Hant", "ltr", "中文 (繁體, 台灣)", "Chinese (Traditional, Taiwan)"),
        ("pa-PK", "Arab", "Arab", "rtl", "پنجابی (عربی, پاکستان)", "Punjabi (Arabic, Pakistan)"),
    ],
)
def test_language(tag, script, variant, direction, native, english):
    found = language(tag)
    assert (found.tag, found.script, found.script_variant, found.direction) == (
        tag,
        script,
        variant,
        direction,
    )
    assert (found.native_name, found.english_name) == (native, english)


@pytest.mark.parametrize(
    ("given", "tag", "code"),
    [
        ("zh_Hant", "zh-Hant", "zh"),
        ("ZH-hant", "zh-Hant", "zh"),
        ("sr_latn", "sr-Latn", "sr"),
        ("pt_br", "pt-BR", "pt"),
        (" ru ", "ru", "ru"),
        ("tl", "tl", "fil"),
        ("iw", "iw", "he"),
        ("ca-ES-VALENCIA", "ca-ES-valencia", "ca"),
        ("tpi-PG", "tpi-PG", "tpi"),
    ],
)
def test_tags_are_normalised(given, tag, code):
    assert (language(given).tag, language(given).code) == (tag, code)


@pytest.mark.parametrize(
    ("tag", "script", "direction"),
    [("ru-Latn", "Latn", "ltr"), ("ar-Latn", "Latn", "ltr"), ("az-Arab", "Arab", "rtl")],
)
def test_an_explicit_script_wins(tag, script, direction):
    assert (language(tag).script, language(tag).direction) == (script, direction)


def test_overrides_cover_languages_babel_lacks():
    assert language("bi") == Language("bi", "Latn", "Latn", "ltr", "Bislama", "Bislama", "bi")


@pytest.mark.parametrize(
    "tag", ["xx-ZZ", "en-ZZ", "en-QQ", "ru-Xxxx", "", "123", "english", "en@euro", "und", None]
)
def test_unknown_language(tag):
    with pytest.raises(ValueError) as error:
        language(tag)
    assert str(error.value) == (
        f"unknown language {tag!r}; expected a BCP 47 tag such as 'ru', 'ar' or 'zh-Hant'"
    )


def test_supported_languages_are_sorted_by_english_name():
    languages = supported_languages()
    assert len(languages) == len(SUPPORTED)
    names = [found.english_name for found in languages]
    assert names == sorted(names)
    for wanted in [
        "Tok Pisin",
        "Chinese (Simplified)",
        "Chinese (Traditional)",
        "Amharic",
        "Burmese",
        "Filipino",
        "Serbian (Latin)",
        "Serbian (Cyrillic)",
    ]:
        assert wanted in names


def test_a_valid_tag_outside_the_form_still_works():
    assert "yue" not in SUPPORTED
    assert language("yue").native_name == "粵語"


@pytest.mark.parametrize(
    ("tag", "expected"), [("zh_Hant", "zh-Hant"), ("tpi", "tpi"), ("ur", "ur")]
)
def test_shaper_language(tag, expected):
    assert shaper_language(tag) == expected


@pytest.mark.parametrize("tag", languages.SUPPORTED)
def test_stored_table_matches_babel(tag):
    """languages.json (read at start-up instead of CLDR) must stay what Babel computes."""
    assert languages.language(tag) == languages._from_babel(tag)
