"""One table of bad inputs, sent through every door: the JSON API, the form, the live preview
and the command line. Each gets a 4xx (the CLI: exit 2 and one line) with a message a person
understands, and nothing is stored."""

from __future__ import annotations

import html
import io
import json
import re
from pathlib import Path

import pytest

# (id, options as the API takes them, field, words the message must contain)
BAD = [
    ("empty", {"text": ""}, "text", "ype the words"),
    ("whitespace", {"text": " \n  \n "}, "text", "slogan is empty"),
    ("joiners only", {"text": "\u200c \u200d\ufe0f"}, "text", "slogan is empty"),
    ("5000 chars", {"text": "x" * 5000}, "text", "500"),
    ("NUL", {"text": "free\x00dom"}, "text", "control character U+0000"),
    ("bell", {"text": "free\x07dom"}, "text", "control character U+0007"),
    ("escape", {"text": "free\x1b[31mdom"}, "text", "control character U+001B"),
    ("DEL", {"text": "free\x7fdom"}, "text", "control character U+007F"),
    ("RLO", {"text": "abc\u202edef"}, "text", "bidi override"),
    ("LRE", {"text": "abc\u202adef"}, "text", "bidi override"),
    ("PDF", {"text": "abc\u202cdef"}, "text", "bidi override"),
    ("LRI", {"text": "abc\u2066def"}, "text", "bidi override"),
    ("PDI", {"text": "abc\u2069def"}, "text", "bidi override"),
    ("uncovered", {"text": "free \U000f0001"}, "text", "U+F0001"),
    ("cuneiform", {"text": "free \U00012000"}, "text", "U+12000"),
    ("unknown language", {"text": "x", "lang": "tlh"}, "lang", "unknown language 'tlh'"),
    ("size 0", {"text": "x", "size": "0x0cm"}, "size", "too small"),
    ("size negative", {"text": "x", "size": "-10x10cm"}, "size", "-10x10cm"),
    ("size 100 m", {"text": "x", "size": "10000x100cm"}, "size", "at most 50 m"),
    ("size unknown", {"text": "x", "size": "a11"}, "size", "unknown page size"),
    ("pixels over the cap", {"text": "x", "size": "20000x20000px"}, "size", "megapixel limit"),
    ("dpi over the cap", {"text": "x", "size": "a0", "dpi": 1200}, "dpi", "megapixel limit"),
    ("dpi 0", {"text": "x", "dpi": 0}, "dpi", "from 36 to 1200"),
    ("dpi huge", {"text": "x", "dpi": 100_000}, "dpi", "from 36 to 1200"),
    ("fg short hex", {"text": "x", "fg": "#12"}, "fg", "colour"),
    ("bg nonsense", {"text": "x", "bg": "blurple"}, "bg", "colour"),
]

# Only the JSON API can send values of the wrong type.
WRONG_TYPES = [
    ("text number", {"text": 5}, "text", "must be text"),
    ("text list", {"text": ["a"]}, "text", "must be text"),
    ("text null", {"text": None}, "text", "slogan is missing"),
    ("text missing", {"lang": "en"}, "text", "slogan is missing"),
    ("size list", {"text": "x", "size": []}, "size", "must be text"),
    ("dpi text", {"text": "x", "dpi": "x"}, "dpi", "whole number"),
    ("dpi fraction", {"text": "x", "dpi": 150.5}, "dpi", "whole number"),
    ("dpi true", {"text": "x", "dpi": True}, "dpi", "whole number"),
    ("lang number", {"text": "x", "lang": 5}, "lang", "must be text"),
    ("fg number", {"text": "x", "fg": 5}, "fg", "colour"),
    ("style list", {"text": "x", "style": []}, "style", "expected 'fill', 'stack'"),
    ("family object", {"text": "x", "family": {}}, "family", "must be text"),
    ("margin text", {"text": "x", "margin": "1"}, "margin", "fraction"),
    ("unknown key", {"text": "x", "colour": "red"}, "colour", "unknown option 'colour'"),
]

BODIES = [
    # (id, body, content type, status, words)
    ("malformed", b'{"text": "x"', "application/json", 400, "malformed JSON"),
    ("not UTF-8", b"\xff\xfe{}", "application/json", 400, "malformed JSON"),
    ("NaN", b'{"text": "x", "dpi": NaN}', "application/json", 400, "NaN is not a JSON number"),
    ("Infinity", b'{"text": "x", "dpi": Infinity}', "application/json", 400, "not a JSON number"),
    ("1e999", b'{"text": "x", "dpi": 1e999}', "application/json", 422, "whole number"),
    ("array", b'["text"]', "application/json", 400, "JSON object"),
    ("string", b'"text"', "application/json", 400, "JSON object"),
    ("null", b"null", "application/json", 400, "JSON object"),
    ("empty body", b"", "application/json", 400, "malformed JSON"),
    ("form encoded", b"text=x", "application/x-www-form-urlencoded", 415, "application/json"),
    ("20 MB", b'{"text": "' + b"x" * (20 * 1024 * 1024) + b'"}', "application/json", 413, ""),
]


def ids(table):
    return [row[0] for row in table]


def assert_nothing_stored(app):
    """No banner row, and no file under the data dir's media folders."""
    from poster_app.extensions import db
    from poster_app.models import Banner, Photo

    with app.app_context():
        assert db.session.query(Banner).count() == 0
        assert db.session.query(Photo).count() == 0
    data = Path(app.config["POSTER_DATA_DIR"])
    media = [p for p in data.rglob("*") if p.is_file() and p.parent != data]
    assert media == []


# --- the JSON API ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "options", "field", "words"), BAD + WRONG_TYPES, ids=ids(BAD + WRONG_TYPES)
)
def test_api_refuses_bad_specs(app, client, name, options, field, words):
    response = client.post(
        "/api/banners", data=json.dumps(options), content_type="application/json"
    )
    assert response.status_code == 422, response.json
    assert response.is_json
    assert response.json["field"] == field
    assert words in response.json["error"]
    assert_nothing_stored(app)


@pytest.mark.parametrize(
    ("name", "body", "content_type", "status", "words"), BODIES, ids=ids(BODIES)
)
def test_api_refuses_bad_bodies(app, client, name, body, content_type, status, words):
    response = client.post("/api/banners", data=body, content_type=content_type)
    assert response.status_code == status
    assert response.is_json and response.json["error"]
    assert words in response.json["error"]
    assert_nothing_stored(app)


# --- the form and its live preview -------------------------------------------------------------

FORM = {
    "text": "Hi",
    "lang": "en",
    "size": "a4",
    "orientation": "",
    "style": "fill",
    "family": "sans",
    "colours": "black-on-white",
    "custom_unit": "cm",
}


def as_form(options: dict) -> tuple[dict, str]:
    """The API options as the form sends them, and the form field the error belongs to."""
    data = dict(FORM)
    field = None
    for key, value in options.items():
        if key == "size" and value not in ("a11",):
            width, _, rest = value.partition("x")
            height, unit = rest[:-2], rest[-2:]
            data.update(size="custom", custom_width=width, custom_height=height, custom_unit=unit)
            field = "custom_width"
        elif key in ("fg", "bg"):
            data.update({"colours": "custom", "fg": "#000000", "bg": "#ffffff", key: value})
            field = key
        elif key == "dpi":
            return {}, ""  # the form has no DPI: each download offers its own
        else:
            data[key] = value
    return data, field


FORM_BAD = [row for row in BAD if "dpi" not in row[1]] + [
    ("size not offered", {"text": "x", "size": "a11"}, "size", "Not a valid choice"),
    ("unit not offered", {"text": "x", "size": "10x10ft"}, "custom_unit", "Not a valid choice"),
    ("style not offered", {"text": "x", "style": "wavy"}, "style", "Not a valid choice"),
    ("family not offered", {"text": "x", "family": "comic"}, "family", "Not a valid choice"),
]
# Bidi controls in a pasted slogan are dropped by the form, not refused (see below).
BIDI = ("RLO", "LRE", "PDF", "LRI", "PDI")
FORM_BAD = [row for row in FORM_BAD if row[0] != "size unknown" and row[0] not in BIDI]


def form_case(options, field):
    data, form_field = as_form(options)
    if options.get("size") == "10x10ft":
        data.update(size="custom", custom_width="10", custom_height="10", custom_unit="ft")
        form_field = "custom_unit"
    if options.get("size") == "a11":
        data["size"], form_field = "a11", "size"
    if options.get("size") == "-10x10cm":  # the form asks for a plain number
        return data, "custom_width", "Give the size as a number"
    return data, form_field or field, None


@pytest.mark.parametrize(("name", "options", "field", "words"), FORM_BAD, ids=ids(FORM_BAD))
def test_form_refuses_bad_input_next_to_the_field(app, client, name, options, field, words):
    data, field, override = form_case(options, field)
    words = override or words
    response = client.post("/", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    errors = re.search(rf'<ul class="errors" id="{field}-error">(.*?)</ul>', page, re.DOTALL)
    assert errors, f"no errors shown next to {field}"
    assert words in html.unescape(errors[1])
    assert "Traceback" not in page
    assert_nothing_stored(app)


@pytest.mark.parametrize(("name", "options", "field", "words"), FORM_BAD, ids=ids(FORM_BAD))
def test_preview_refuses_bad_input_as_json(app, client, name, options, field, words):
    data, field, override = form_case(options, field)
    response = client.get("/preview.png", query_string=data)
    assert response.status_code == 422
    assert response.json["field"] == field
    assert (override or words) in response.json["error"]
    assert_nothing_stored(app)


@pytest.mark.parametrize("control", ["\u202e", "\u202a", "\u202c", "\u2066", "\u2069"])
def test_the_form_drops_bidi_controls_silently(client, control):
    """Pasted from a chat, a slogan may carry invisible direction controls: the form makes the
    banner without them (the API and the command line still refuse them, saying so)."""
    data = {**FORM, "text": f"Free {control}them", "signature": f"{control}group"}
    preview = client.get("/preview.png", query_string=data)
    assert preview.status_code == 200 and preview.mimetype == "image/png"
    response = client.post("/", data=data)
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert ">Free them</blockquote>" in page and control not in page


def test_form_refuses_a_20_mb_body(app, client):
    response = client.post("/", data={**FORM, "text": "x" * (20 * 1024 * 1024)})
    assert response.status_code == 413
    assert response.mimetype == "text/html"
    assert_nothing_stored(app)


# --- the command line --------------------------------------------------------------------------


def cli_args(options: dict) -> list[str]:
    args = [options.get("text", "")]
    for key, value in options.items():
        if key != "text":
            args += [f"--{key}={value}"]
    return args + ["--out", "banner.png"]


# An argument can't hold a NUL: the operating system ends it there.
CLI_BAD = [row for row in BAD if row[0] != "NUL"] + [
    ("dpi text", {"text": "x", "dpi": "x"}, "dpi", "invalid int value: 'x'"),
    ("orientation", {"text": "x", "orientation": "diagonal"}, "orientation", "invalid choice"),
    ("unknown flag", {"text": "x", "colour": "red"}, "colour", "unrecognized arguments"),
]


@pytest.mark.parametrize(("name", "options", "field", "words"), CLI_BAD, ids=ids(CLI_BAD))
def test_cli_exits_2_with_one_line(tmp_path, monkeypatch, capsys, name, options, field, words):
    from poster_app.cli import main

    monkeypatch.chdir(tmp_path)
    try:
        status = main(["render", *cli_args(options)])
    except SystemExit as e:  # argparse's own errors
        status = e.code
    stderr = capsys.readouterr().err
    assert status == 2, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert words in lines[0]
    assert list(tmp_path.iterdir()) == []


# --- photo uploads (the action form, for editors) --------------------------------------------


def bomb() -> bytes:
    """144 megapixels in a few kB: a decompression bomb."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(out, "PNG")
    return out.getvalue()


def bmp_named_jpg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, "BMP")  # a format we don't take, named .jpg
    return out.getvalue()


UPLOADS = [
    ("html named jpg", "photo.jpg", b"<html><script>alert(1)</script></html>", "not a JPEG"),
    ("svg", "photo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', "not a JPEG"),
    ("truncated", "cut.jpg", None, "not a JPEG"),
    ("bomb", "bomb.png", None, "too large"),
    ("bmp named jpg", "photo.jpg", None, "not accepted"),
    ("empty file", "empty.jpg", b"", "not a JPEG"),
]


@pytest.mark.parametrize(("name", "filename", "data", "words"), UPLOADS, ids=ids(UPLOADS))
def test_bad_uploads_are_refused_and_nothing_is_stored(
    app, editor_client, name, filename, data, words
):
    from photo_helpers import jpeg_with_metadata

    made = {  # only this test's file is made (the bomb alone is 0.3 s of CPU)
        "truncated": lambda: jpeg_with_metadata()[:400],
        "bomb": bomb,
        "bmp named jpg": bmp_named_jpg,
    }
    data = made[name]() if name in made else data
    response = editor_client.post(
        "/actions/new",
        content_type="multipart/form-data",
        data={
            "title": "Upload test",
            "date": "2024-05-01",
            "place": "",
            "country": "",
            "description": "",
            "photos": [(io.BytesIO(data), filename)],
        },
    )
    assert response.status_code == 422
    errors = re.search(
        r'<ul class="errors" id="photos-error">(.*?)</ul>',
        response.get_data(as_text=True),
        re.DOTALL,
    )
    assert errors and words in html.unescape(errors[1]) and filename in html.unescape(errors[1])
    assert_nothing_stored(app)
