"""Rate limits per client address: rendering endpoints share one allowance (log-ins have a
throttle of their own); over it, a 429 as JSON under /api and as a page elsewhere, with
Retry-After."""

from __future__ import annotations

import pytest

LOW = {"RATELIMIT_RENDER": "3 per minute"}


@pytest.fixture
def app(make_app, tmp_path):
    return make_app(tmp_path / "data", **LOW)


def banner(client) -> dict:
    return client.post("/api/banners", json={"text": "Limits"}).json


def test_rendering_endpoints_share_one_allowance(client):
    made = banner(client)  # 1
    assert client.get("/preview.png?text=Hi").status_code == 200  # 2
    assert client.get(made["pdf_url"]).status_code == 200  # 3
    over = client.get(made["png_url"])
    assert over.status_code == 429
    assert over.mimetype == "text/html"
    page = over.get_data(as_text=True)
    assert "Too many" in page and "Wait a minute" in page
    assert int(over.headers["Retry-After"]) > 0
    # Pages that render nothing stay open.
    assert client.get(made["page_url"]).status_code == 200
    assert client.get("/").status_code == 200
    assert client.get(made["thumb_url"]).status_code == 200


def test_api_answers_429_as_json(client):
    for _ in range(3):
        assert client.post("/api/banners", json={"text": "Again"}).status_code == 201
    over = client.post("/api/banners", json={"text": "Again"})
    assert over.status_code == 429 and over.is_json
    assert "Too many" in over.json["error"]
    assert "Retry-After" in over.headers


def test_the_form_post_counts_but_the_form_page_does_not(client):
    for _ in range(5):
        assert client.get("/").status_code == 200
    form = {
        "text": "Hi",
        "lang": "en",
        "size": "a4",
        "style": "fill",
        "family": "sans",
        "colours": "black-on-white",
    }
    assert [client.post("/", data=form).status_code for _ in range(4)] == [303, 303, 303, 429]


def test_a_form_sent_over_the_limit_comes_back_as_typed(client):
    form = {"text": "Свободу всем", "lang": "ru", "size": "a4", "signature": "Иркутск"}
    for _ in range(3):
        assert client.post("/", data=form).status_code == 303
    over = client.post("/", data=form)
    page = over.get_data(as_text=True)
    assert over.status_code == 429 and int(over.headers["Retry-After"]) > 0
    assert "Too many" in page and 'action="/"' in page
    assert 'name="text" value="Свободу всем"' in page and 'name="signature" value="Иркутск"' in page


def test_each_client_address_has_its_own_allowance(app, client):
    for _ in range(3):
        client.get("/preview.png?text=Hi")
    assert client.get("/preview.png?text=Hi").status_code == 429
    other = app.test_client()
    response = other.get("/preview.png?text=Hi", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert response.status_code == 200


def test_behind_a_trusted_proxy_the_forwarded_address_counts(make_app, tmp_path):
    app = make_app(tmp_path / "d", TRUSTED_PROXIES=1, **LOW)
    client = app.test_client()

    def preview(addr):
        return client.get("/preview.png?text=Hi", headers={"X-Forwarded-For": addr}).status_code

    assert [preview("203.0.113.1") for _ in range(4)] == [200, 200, 200, 429]
    assert preview("203.0.113.2") == 200


def test_login_attempts_have_their_own_throttle_not_this_limit(app, client, editor, monkeypatch):
    """Log-ins are slowed per account and address (test_login_throttle.py), never locked out
    for a day by the render allowance or a limit of their own."""
    from poster_app.web.auth import throttle

    with app.app_context():  # time stands still: the waits don't run out between attempts
        monkeypatch.setattr(throttle(), "clock", lambda: 1_000_000.0)
    wrong = {"name": editor[0], "password": "not the password"}
    assert [client.post("/login", data=wrong).status_code for _ in range(5)] == [422] * 5
    over = client.post("/login", data=wrong)
    assert over.status_code == 429 and "Wait 2 seconds" in over.get_data(as_text=True)
    assert client.get("/login").status_code == 200  # the page itself still shows


def test_limits_can_be_switched_off(make_app, tmp_path):
    app = make_app(tmp_path / "d", RATELIMIT_ENABLED=False, **LOW)
    client = app.test_client()
    assert {client.get("/preview.png?text=Hi").status_code for _ in range(6)} == {200}


def test_default_limits_are_set_from_the_environment(make_app, tmp_path, monkeypatch):
    monkeypatch.setenv("RATELIMIT_RENDER", "1 per hour")
    app = make_app(tmp_path / "d")
    client = app.test_client()
    assert [client.get("/preview.png?text=Hi").status_code for _ in range(2)] == [200, 429]


def test_a_form_from_another_site_gets_no_page_to_send_it_again(make_app, tmp_path):
    """Only a form that passed its CSRF check comes back ready to send: another site's form
    over the limit is refused as forged (CSRF is checked before the limit)."""
    import re

    client = make_app(tmp_path / "data", WTF_CSRF_ENABLED=True, **LOW).test_client()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/").text)[1]
    form = {"text": "Mine", "lang": "en", "size": "a4", "csrf_token": token}
    assert [client.post("/", data=form).status_code for _ in range(4)] == [303, 303, 303, 429]
    forged = client.post("/", data={"text": "Someone else's words", "lang": "en", "size": "a4"})
    assert forged.status_code == 400 and "Someone else" not in forged.text
