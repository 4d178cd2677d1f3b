"""The form's phrasebook and its "also in" rows; `also` through the JSON API."""

from __future__ import annotations

import html as html_lib
import json
import re

import pytest

from tests.web_helpers import has_words, png_size

FORM = {"size": "a4", "style": "fill", "family": "sans", "colours": "black-on-white"}


def textareas(html: str) -> dict[str, str]:
    found = re.findall(r'<textarea[^>]*\bname="([^"]+)"[^>]*>([^<]*)</textarea>', html)
    return {name: value.strip() for name, value in found}


def phrase_note(html: str) -> str:
    m = re.search(r'(?s)<p class="warning phrase-note"[^>]*?(hidden)?>(.*?)</p>', html)
    return "" if m[1] else " ".join(m[2].split())


def test_the_form_offers_every_phrase_with_its_translations(client):
    html = client.get("/").get_data(as_text=True)
    assert re.search(r'<select [^>]*id="phrase" name="phrase"', html)
    url = html_lib.unescape(re.search(r'data-phrases-url="([^"]+)"', html)[1])
    response = client.get(url)
    assert response.mimetype == "application/json"
    assert "immutable" in response.headers["Cache-Control"]
    table = json.loads(response.get_data(as_text=True))
    assert table["stop-torture"]["ru"] == "Нет пыткам"
    assert "id" not in table["no-borders"]
    assert 'id="also_lang_1"' in html and 'id="also_text_2"' in html


def test_phrase_names_follow_the_ui_language(client):
    client.set_cookie("ui_lang", "ru")
    html = client.get("/").get_data(as_text=True)
    assert '<option value="stop-torture">Нет пыткам</option>' in html


def test_get_phrase_prefills_the_slogan_and_other_languages(client):
    html = client.get(
        "/?phrase=political-prisoners&lang=ru&also_lang_1=tpi&also_lang_2=ar&size=a3"
    ).get_data(as_text=True)
    fields = textareas(html)
    assert fields["text"] == "Свободу политзаключённым"
    assert fields["also_text_1"] == "Larim ol kalabus bilong politik i go fri"
    assert fields["also_text_2"] == "الحرية للمعتقلين السياسيين"
    assert '<option selected value="a3">' in html
    assert phrase_note(html) == ""


def test_a_phrase_without_translation_says_so_instead_of_guessing(client):
    html = client.get("/?phrase=no-borders&lang=id&also_lang_1=ru").get_data(as_text=True)
    fields = textareas(html)
    assert fields["text"] == ""  # not "No borders": that would be a guess
    assert fields["also_text_1"] == "Нет границам"
    assert "no translation in Indonesia" in phrase_note(html)


def test_fill_in_button_without_js_keeps_what_was_typed_elsewhere(client):
    response = client.post(
        "/",
        data={
            **FORM,
            "fill": "1",
            "phrase": "stop-torture",
            "lang": "de",
            "text": "",
            "signature": "Gruppe X",
        },
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert textareas(html)["text"] == "Stoppt die Folter"
    assert 'value="Gruppe X"' in html


def test_unknown_phrase_is_ignored(client):
    html = client.get("/?phrase=nope&lang=ru").get_data(as_text=True)
    assert textareas(html)["text"] == ""


def test_bilingual_banner_through_the_form(app, client):
    from poster_app.extensions import db
    from poster_app.models import Banner

    response = client.post(
        "/",
        data={
            **FORM,
            "text": "Нет пыткам",
            "lang": "ru",
            "also_lang_1": "ar",
            "also_text_1": "لا للتعذيب",
            "also_lang_2": "zh-Hans",
            "also_text_2": "停止酷刑",
        },
    )
    assert response.status_code == 303
    page = response.headers["Location"]
    pdf = client.get(page + ".pdf").data
    for words in ("Нет пыткам", "停止酷刑"):
        assert has_words(pdf, words)
    banner_id = page.rsplit("/", 1)[1]
    with app.app_context():
        spec = db.session.get(Banner, banner_id).spec
    assert spec.also == (("ar", "لا للتعذيب"), ("zh-Hans", "停止酷刑"))
    again = client.get(f"/?from={banner_id}").get_data(as_text=True)
    assert textareas(again)["also_text_2"] == "停止酷刑"


def test_an_also_text_needs_its_language(client):
    response = client.post(
        "/", data={**FORM, "text": "Нет пыткам", "lang": "ru", "also_text_1": "لا للتعذيب"}
    )
    assert response.status_code == 422
    assert "Choose the language of this text." in response.get_data(as_text=True)


def test_preview_follows_the_also_rows(client):
    alone = client.get("/preview.png?text=Нет+пыткам&lang=ru&width=300")
    both = client.get(
        "/preview.png?text=Нет+пыткам&lang=ru&width=300&also_lang_1=ar&also_text_1=لا+للتعذيب"
    )
    assert alone.status_code == both.status_code == 200
    assert png_size(both.data) == png_size(alone.data)
    assert both.data != alone.data


def test_api_makes_a_bilingual_banner(app, client):
    from poster_app.extensions import db
    from poster_app.models import Banner

    response = client.post(
        "/api/banners",
        json={"text": "Нет пыткам", "lang": "ru", "also": ["ar:لا للتعذيب", "en:Stop torture"]},
    )
    assert response.status_code == 201
    body = response.get_json()
    with app.app_context():
        spec = db.session.get(Banner, body["id"]).spec
    assert spec.also == (("ar", "لا للتعذيب"), ("en", "Stop torture"))
    assert has_words(client.get(body["pdf_url"]).data, "Stop torture")


@pytest.mark.parametrize(
    "also",
    [
        ["ar:a", "en:b", "ru:c"],  # three more: four languages on one banner
        ["no-colon-here"],
        ["xx-Nope:text"],
        ["ar:   "],
        [{"lang": "ar"}],
        42,
    ],
)
def test_api_refuses_a_bad_also(client, also):
    response = client.post("/api/banners", json={"text": "Нет пыткам", "lang": "ru", "also": also})
    assert response.status_code == 422
    assert response.get_json()["field"] == "also"
