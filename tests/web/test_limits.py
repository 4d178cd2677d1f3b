"""Rate limits: rendering endpoints share one allowance per person (their session, else their
address) under a higher ceiling per address (log-ins have a throttle of their own); over it, a
429 as JSON under /api and for the live preview, a page elsewhere, with Retry-After."""

from __future__ import annotations

import itertools
import uuid

import pytest
from web_helpers import password_checked_once

LOW = {"RATELIMIT_RENDER": "3 per minute"}
RUN = uuid.uuid4().hex[:8]
CALLS = itertools.count()


def fresh(word) -> str:
    """A slogan no test has previewed yet: recent previews are kept per process and served
    without counting against the limit."""
    return f"{word}+{RUN}+{next(CALLS)}"


@pytest.fixture
def app(make_app, tmp_path):
    return make_app(tmp_path / "data", **LOW)


def banner(client) -> dict:
    return client.post("/api/banners", json={"text": "Limits"}).json


def test_rendering_endpoints_share_one_allowance(client):
    made = banner(client)  # 1
    assert client.get(f"/preview.png?text={fresh(2)}").status_code == 200  # 2
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
    for i in range(3):
        client.get(f"/preview.png?text={fresh(i)}")
    assert client.get(f"/preview.png?text={fresh(9)}").status_code == 429
    other = app.test_client()
    response = other.get(f"/preview.png?text={fresh(7)}", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert response.status_code == 200


def test_behind_a_trusted_proxy_the_forwarded_address_counts(make_app, tmp_path):
    app = make_app(tmp_path / "d", TRUSTED_PROXIES=1, **LOW)
    client = app.test_client()

    def preview(addr, text="Hi"):
        return client.get(
            f"/preview.png?text={text}", headers={"X-Forwarded-For": addr}
        ).status_code

    assert [preview("203.0.113.1", fresh(i)) for i in range(4)] == [200, 200, 200, 429]
    assert preview("203.0.113.2", fresh(5)) == 200


def test_login_attempts_have_their_own_throttle_not_this_limit(client, editor, throttle_clock):
    """Log-ins are slowed per account and address (test_login_throttle.py), never locked out
    for a day by the render allowance or a limit of their own. (The same wrong password is
    checked with scrypt once: what counts here is the limits, not the check.)"""
    wrong = {"name": editor[0], "password": "not the password"}
    with password_checked_once():
        assert [client.post("/login", data=wrong).status_code for _ in range(5)] == [422] * 5
        over = client.post("/login", data=wrong)
    assert over.status_code == 429 and "Wait 2 seconds" in over.get_data(as_text=True)
    assert client.get("/login").status_code == 200  # the page itself still shows


def test_limits_can_be_switched_off(make_app, tmp_path):
    app = make_app(tmp_path / "d", RATELIMIT_ENABLED=False, **LOW)
    client = app.test_client()
    assert {client.get(f"/preview.png?text={fresh(i)}").status_code for i in range(6)} == {200}


def test_default_limits_are_set_from_the_environment(make_app, tmp_path, monkeypatch):
    monkeypatch.setenv("RATELIMIT_RENDER", "1 per hour")
    app = make_app(tmp_path / "d")
    client = app.test_client()
    assert [client.get(f"/preview.png?text={fresh(i)}").status_code for i in range(2)] == [200, 429]


# --- Limits that fit people: per session, a higher ceiling per address, cached previews free


def people_app(tmp_path, **settings):
    from poster_app import create_app

    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "POSTER_DATA_DIR": str(tmp_path / "d"),
            "RATELIMIT_RENDER": "3 per minute",
            "RATELIMIT_RENDER_ADDRESS": "50 per minute",
            **settings,
        }
    )


def person(app):
    """A browser: it opens the banner form (which gives it its session) before previewing."""
    client = app.test_client()
    assert client.get("/").status_code == 200
    return client


def test_a_workshop_on_one_address_does_not_lock_itself_out(tmp_path):
    app = people_app(tmp_path)
    people = [person(app) for _ in range(12)]  # all on 127.0.0.1
    for n, client in enumerate(people):
        for i in range(3):
            assert (
                client.get(f"/preview.png?text={fresh(f'Person+{n}+try+{i}')}").status_code == 200
            )
    # One of them goes on alone: only they wait.
    over = people[0].get(f"/preview.png?text={fresh('Person+0+again')}")
    assert over.status_code == 429 and over.is_json
    assert "Too many" in over.json["error"] and int(over.headers["Retry-After"]) > 0
    assert people[1].get(f"/preview.png?text={fresh('Still+free')}").status_code == 429  # 3 each
    # The address's own ceiling (50 here: 36 used) still holds the whole room.
    others = [person(app) for _ in range(8)]
    answers = [
        c.get(f"/preview.png?text={fresh(f'More+{n}+{i}')}").status_code
        for n, c in enumerate(others)
        for i in range(3)
    ]
    assert answers.count(200) == 50 - 36 and set(answers) == {200, 429}


def test_a_cached_preview_is_served_without_counting(tmp_path):
    app = people_app(tmp_path)
    client = person(app)
    same = fresh("Same+again")
    answers = [client.get(f"/preview.png?text={same}").status_code for _ in range(10)]
    assert answers == [200] * 10  # one render, nine served from memory
    assert client.get(f"/preview.png?text={fresh('New+one')}").status_code == 200
    assert client.get(f"/preview.png?text={fresh('New+two')}").status_code == 200
    assert client.get(f"/preview.png?text={fresh('New+three')}").status_code == 429


def test_a_client_without_a_session_counts_as_its_address(tmp_path):
    app = people_app(tmp_path)
    script = app.test_client()  # never opens a page: no session cookie
    answers = [
        script.get(f"/preview.png?text={fresh(f'Script+{i}')}").status_code for i in range(4)
    ]
    assert answers == [200, 200, 200, 429]


def test_counts_are_shared_through_redis(tmp_path):
    """Two servers with REDIS_URL count one person's renders together."""
    from tests.process_helpers import Redis

    redis = Redis(tmp_path / "redis")
    try:
        settings = {"REDIS_URL": redis.url, "RATELIMIT_STORAGE_URI": redis.url}
        a = people_app(tmp_path / "a", **settings)
        b = people_app(tmp_path / "b", **settings)
        one, two = a.test_client(), b.test_client()  # one script, two servers
        assert one.get(f"/preview.png?text={fresh('Redis+1')}").status_code == 200
        assert two.get(f"/preview.png?text={fresh('Redis+2')}").status_code == 200
        assert one.get(f"/preview.png?text={fresh('Redis+3')}").status_code == 200
        assert two.get(f"/preview.png?text={fresh('Redis+4')}").status_code == 429
    finally:
        redis.stop()


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
