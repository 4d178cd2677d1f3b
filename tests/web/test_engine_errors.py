"""The engine's refusals reach people in the interface language: every code the engine has
(layout/errors.py) has a message in engine_messages.py, translated in every catalog, and a
form sent in Russian says in Russian why the engine refused it. The command line keeps English.
So do the other refusals given as codes: an upload's (photos.py, said by web/uploads.py) and a
campaign job's own (campaigns.JOB_REASONS): tests/web/test_reasons_in_ui_language.py."""

from __future__ import annotations

import html
import re
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale

from poster_app import photos
from poster_app.campaigns import JOB_MESSAGES, JOB_REASONS
from poster_app.config import LANGUAGES
from poster_app.engine_messages import MESSAGES, WHAT
from poster_app.layout.errors import ENGLISH
from poster_app.web.uploads import REASONS

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
CATALOGS = sorted(set(LANGUAGES) - {"en"})


def english_fields(template: str) -> set[str]:
    return {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name}


def web_fields(message: str) -> set[str]:
    return set(re.findall(r"%\((\w+)\)", message))


@pytest.fixture(scope="module")
def msgids(tmp_path_factory):
    """Each web message's msgid (the English text, with no catalog to translate it)."""
    from poster_app import create_app

    app = create_app(
        {"TESTING": True, "SECRET_KEY": "k", "POSTER_DATA_DIR": str(tmp_path_factory.mktemp("d"))}
    )
    with app.test_request_context(), force_locale("en"):
        tables = {"": MESSAGES, "what:": WHAT, "upload:": REASONS, "job:": JOB_MESSAGES}
        return {
            prefix + key: str(message)
            for prefix, table in tables.items()
            for key, message in table.items()
        } | {"upload": "%(name)s can't be used: %(reason)s."}


@pytest.mark.parametrize(
    ("messages", "english"),
    [(MESSAGES, ENGLISH), (REASONS, photos.ENGLISH), (JOB_MESSAGES, JOB_REASONS)],
    ids=["engine", "upload", "job"],
)
def test_every_code_has_a_web_message(messages, english):
    assert set(messages) == set(english)


CODES = (
    [("", code, template) for code, template in ENGLISH.items()]
    + [("upload:", code, template) for code, template in photos.ENGLISH.items()]
    + [("job:", code, template) for code, template in JOB_REASONS.items()]
)


@pytest.mark.parametrize(("table", "code", "template"), CODES)
def test_web_messages_quote_only_what_the_code_gives(msgids, table, code, template):
    """A web message may leave a parameter out, never ask for one the code doesn't give."""
    given = english_fields(template)
    if code == "missing_glyphs":
        given.add("chars")  # MissingGlyphs gives it for the form's message
    assert web_fields(msgids[table + code]) <= given


@pytest.mark.parametrize("lang", CATALOGS)
def test_every_message_is_translated_in_every_catalog(msgids, lang):
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
        catalog = read_po(f)
    for key, msgid in msgids.items():
        message = catalog.get(msgid)
        assert message is not None, f"{lang}: {key} is not in the catalog"
        assert message.string and not message.fuzzy, f"{lang}: {key} is not translated"
        assert web_fields(message.string) == web_fields(msgid), f"{lang}: {key} placeholders"


RU_FORM = {
    "text": "Свободу всем",
    "lang": "ru",
    "style": "fill",
    "family": "sans",
    "colours": "black-on-white",
}


@pytest.fixture
def shipped_client(make_app, tmp_path):
    """A client of the app with CSRF on, as shipped, its interface in Russian."""
    client = make_app(tmp_path / "data", WTF_CSRF_ENABLED=True).test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ru-RU,ru;q=0.9"
    return client


def post_form(client, **changes):
    page = client.get("/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
    return client.post("/", data={**RU_FORM, "csrf_token": token, **changes})


def errors_of(page: str, field: str) -> str:
    found = re.search(rf'<ul class="errors" id="{field}-error">(.*?)</ul>', page, re.DOTALL)
    assert found, f"no errors shown next to {field}"
    return html.unescape(found[1])


@pytest.mark.parametrize(
    ("changes", "field", "russian", "english"),
    [
        (
            {"size": "custom", "custom_width": "1", "custom_height": "1", "custom_unit": "cm"},
            "custom_width",
            "Так нельзя: страница слишком мала: короткая сторона должна быть не меньше 2 см",
            "too small",
        ),
        (
            {"size": "banner-300x100cm", "grid": "0.5"},
            "grid",
            "клетка сетки должна быть не меньше 10 мм (а не 5 мм)",
            "at least",
        ),
        (
            {"size": "a4", "text": "Свободу *всем"},
            "text",
            "лозунг: у знака * нет пары",
            "no partner",
        ),
    ],
)
def test_a_form_sent_in_russian_says_why_in_russian(
    shipped_client, changes, field, russian, english
):
    response = post_form(shipped_client, **{"size": "a4", **changes})
    assert response.status_code == 422
    shown = errors_of(response.get_data(as_text=True), field)
    assert russian in shown and english not in shown


def test_the_preview_says_it_in_russian_too(shipped_client):
    response = shipped_client.get(
        "/preview.png", query_string={**RU_FORM, "size": "a4", "text": "Свободу *всем"}
    )
    assert response.status_code == 422
    assert "у знака * нет пары" in response.json["error"]


def test_a_download_refused_by_the_engine_is_explained_in_russian(shipped_client):
    response = post_form(shipped_client, size="a3")
    assert response.status_code == 303
    page = shipped_client.get(response.headers["Location"] + ".pdf?hem=100")
    assert page.status_code == 422
    text = html.unescape(page.get_data(as_text=True))
    assert "подгиб на этой странице должен быть от 0 до 74 мм" in text


def test_the_command_line_keeps_english(tmp_path):
    from cli_helpers import render

    result = render("hi", "--size", "1x1cm", "--out", str(tmp_path / "x.png"))
    assert result.returncode == 2
    assert "page size '1x1cm' is too small; the shortest side must be at least 2 cm" in (
        result.stderr
    )
