"""Access: security headers on every response, CSRF on every form, session cookie flags,
editors only where editors belong, and the proxy settings."""

from __future__ import annotations

import re
from contextlib import nullcontext

import pytest
from web_helpers import EDITOR, password_checked_once

from poster_app.web.security import CONTENT_SECURITY_POLICY

EXPECTED_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
PHOTO = "0" * 64 + ".jpg"


def every_get_url(app, banner_id: str, action_id: int) -> list[str]:
    """One URL for each GET route of the app, its parts filled in with things that exist."""
    values = {
        "banner_id": banner_id,
        "action_id": action_id,
        "code": "ru",
        "filename": "css/app.css",
        "name": PHOTO,
    }
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods:
            urls.append(re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values.get(m[1], 1)), rule.rule))
    return urls


def test_the_policy_allows_no_inline_code_and_no_framing():
    policy = dict(part.split(" ", 1) for part in CONTENT_SECURITY_POLICY.split("; "))
    assert policy["default-src"] == "'self'"
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert "unsafe-eval" not in CONTENT_SECURITY_POLICY
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'" and policy["base-uri"] == "'none'"
    assert policy["form-action"] == "'self'"


def test_every_response_has_the_headers(demo, editor):
    from poster_app.extensions import db
    from poster_app.models import Action, Banner

    with demo.app_context():
        banner_id = db.session.scalars(db.select(Banner.id)).first()
        action_id = db.session.scalars(db.select(Action.id)).first()
    client = demo.test_client()
    urls = every_get_url(demo, banner_id, action_id)
    assert len(urls) > 20
    extra = [
        "/no-such-page",
        "/banners/0123456789abcdef0123",
        f"/banners/{banner_id}.png?dpi=7",
        "/api/nothing",
        "/preview.png?text=",
        f"/banners/{banner_id}.pdf?tile=a5",
    ]
    seen = set()
    for url in urls + extra:
        response = client.get(url)
        response.close()
        seen.add(response.status_code)
        for name, value in EXPECTED_HEADERS.items():
            assert response.headers.get(name) == value, (url, name)
    assert {200, 404} <= seen
    posts = [
        client.post("/api/banners", data="{", content_type="application/json"),
        client.post("/", data={"text": ""}),
        client.post("/login", data={}),
    ]
    for response in posts:
        for name, value in EXPECTED_HEADERS.items():
            assert response.headers.get(name) == value


# --- CSRF ----------------------------------------------------------------------------------------


def post_routes(app) -> list[str]:
    """Every form-taking URL: each POST route outside the JSON API."""
    return [
        rule.rule
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods and not rule.rule.startswith("/api/")
    ]


def demo_app_as_editor(make_app, demo_db, tmp_path, password_hash):
    """An app with CSRF on (as in production), the demo data, and a client logged in (its
    session made directly: the password is never checked, so its hash is conftest's one)."""
    from poster_app import logins
    from poster_app.extensions import db
    from poster_app.models import Action, Banner, Editor

    app = make_app(tmp_path / "data", demo_db, WTF_CSRF_ENABLED=True)
    with app.app_context():
        editor = Editor(name=EDITOR[0], password_hash=password_hash)
        db.session.add(editor)
        db.session.commit()
        ids = {
            "editor_id": editor.id,
            "login": logins.start(editor),
            "banner_id": db.session.scalars(db.select(Banner.id)).first(),
            "action_id": db.session.scalars(db.select(Action.id)).first(),
        }
    client = app.test_client()
    with client.session_transaction() as session:
        session["login"] = ids["login"]
    return app, client, ids


def counts(app) -> tuple[int, ...]:
    from poster_app.extensions import db
    from poster_app.models import Action, Banner, Editor, Photo

    with app.app_context():
        return (
            db.session.query(Action).count(),
            db.session.query(Banner).count(),
            db.session.query(Photo).count(),
            db.session.query(Editor).count(),
            db.session.query(Banner).filter_by(published=True).count(),
        )


def test_every_form_needs_the_csrf_token(make_app, demo_db, tmp_path, editor_password_hash):
    app, client, ids = demo_app_as_editor(make_app, demo_db, tmp_path, editor_password_hash)
    before = counts(app)
    values = {**ids, "photo_id": 1}
    routes = post_routes(app)
    assert {"/", "/login", "/logout", "/actions/new"} <= set(routes)
    for rule in routes:
        url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values.get(m[1], 1)), rule)
        response = client.post(
            url,
            data={
                "text": "x",
                "name": "x",
                "password": "x" * 12,
                "title": "Defaced",
                "date": "2020-01-01",
            },
        )
        assert response.status_code == 400, url
        assert "CSRF" in response.get_data(as_text=True), url
    assert counts(app) == before


def test_every_post_form_carries_the_token(make_app, demo_db, tmp_path, editor_password_hash):
    _app, client, ids = demo_app_as_editor(make_app, demo_db, tmp_path, editor_password_hash)
    forms = 0
    for url in [
        "/",
        f"/banners/{ids['banner_id']}",
        "/gallery",
        "/actions",
        f"/actions/{ids['action_id']}",
        "/actions/new",
        f"/actions/{ids['action_id']}/edit",
    ]:
        page = client.get(url).get_data(as_text=True)
        for form in re.findall(r"<form\b[^>]*>.*?</form>", page, re.DOTALL | re.IGNORECASE):
            if re.search(r'method="post"', form, re.IGNORECASE):
                forms += 1
                assert 'name="csrf_token"' in form, (url, form[:200])
    assert forms >= 5


# --- cookies and proxies -------------------------------------------------------------------------


def session_cookie(response) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies, response.headers
    return cookies[0]


def log_in(app, password_hash: str | None = None):
    """Add the editor and log in through /login. Given a hash (the cookie tests: the cookie is
    their point, not the password), it is stored as is and its scrypt check made once per
    process; without one the password is hashed and checked here, as the app does."""
    from poster_app.extensions import db
    from poster_app.models import Editor

    with app.app_context():
        person = Editor(name=EDITOR[0], password_hash=password_hash)
        if password_hash is None:
            person.set_password(EDITOR[1])
        db.session.add(person)
        db.session.commit()
    with password_checked_once() if password_hash else nullcontext():
        return app.test_client().post("/login", data={"name": EDITOR[0], "password": EDITOR[1]})


def test_session_cookie_is_httponly_and_samesite_lax(make_app, tmp_path, editor_password_hash):
    response = log_in(make_app(tmp_path / "data"), editor_password_hash)
    assert response.status_code == 303
    cookie = session_cookie(response)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain http (a laptop, tests): the cookie must still work


def test_session_cookie_is_secure_when_configured_from_the_environment(
    make_app, tmp_path, monkeypatch, editor_password_hash
):
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "1")
    cookie = session_cookie(log_in(make_app(tmp_path / "data"), editor_password_hash))
    assert "Secure" in cookie and "HttpOnly" in cookie


def test_passwords_are_stored_hashed(make_app, tmp_path):
    from poster_app.extensions import db
    from poster_app.models import Editor

    app = make_app(tmp_path / "data")
    log_in(app)
    with app.app_context():
        stored = db.session.scalars(db.select(Editor.password_hash)).one()
    assert "correct horse" not in stored and stored.startswith(("scrypt:", "pbkdf2:"))


def test_a_host_not_trusted_gets_a_message_for_whoever_runs_the_server(make_app, tmp_path):
    lan = {"Host": "192.168.1.20:5000"}  # a phone on the laptop's network
    response = make_app(tmp_path / "data").test_client().get("/", headers=lan)
    text = response.get_data(as_text=True)
    assert response.status_code == 400 and "TRUSTED_HOSTS=" in text
    assert "192.168.1.20:5000" not in text  # the name the request gave is never echoed
    app = make_app(tmp_path / "lan", TRUSTED_HOSTS=["192.168.1.20"])
    response = app.test_client().get("/gallery.atom", headers=lan)
    assert response.status_code == 200
    assert "http://192.168.1.20:5000/gallery" in response.get_data(as_text=True)


@pytest.mark.parametrize(("proxies", "scheme"), [(0, "http"), (1, "https")])
def test_forwarded_proto_is_trusted_only_when_configured(make_app, tmp_path, proxies, scheme):
    app = make_app(tmp_path / "data", TRUSTED_PROXIES=proxies)
    seen = {}

    @app.get("/_scheme")
    def _scheme():
        from flask import request

        seen["scheme"], seen["addr"] = request.scheme, request.remote_addr
        return ""

    app.test_client().get(
        "/_scheme", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    )
    assert seen["scheme"] == scheme
    assert seen["addr"] == ("203.0.113.9" if proxies else "127.0.0.1")


@pytest.mark.parametrize(
    "url",
    [
        "/photos/..%2f..%2fposter.db",
        "/photos/../secret_key",
        "/banners/..%2fsecret_key.png",
        "/banners/..%2f..%2fetc.pdf",
        "/static/../poster_app/config.py",
    ],
)
def test_no_user_input_becomes_a_file_path(client, url):
    response = client.get(url)
    assert response.status_code == 404
