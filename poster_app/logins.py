"""Editors' sessions: one row per log-in, found by the hash of the token the cookie carries.

Logging out deletes the row, so a copy of the cookie taken before (from a seized phone, a
shared computer) opens nothing afterwards; "log out everywhere" deletes all of an editor's
rows. A session also ends `idle` after its last request and `lifetime` after the log-in.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from functools import cache

from sqlalchemy import delete, select

from .extensions import db
from .models import PASSWORD_METHOD, Editor, Login, utcnow

SEEN_EVERY = timedelta(minutes=1)  # how often a session's last request is written down


def authenticate(name: str, password: str) -> Editor | None:
    """The editor with this name and password, or None; as slow for a name nobody has.

    A password hashed with older settings is hashed again with today's.
    """
    editor = db.session.scalars(select(Editor).filter_by(name=name.strip())).first()
    if editor is None:
        from werkzeug.security import check_password_hash

        check_password_hash(_unknown_name_hash(), password)  # the same work as a real check
        return None
    if not editor.check_password(password):
        return None
    if editor.password_outdated:
        editor.set_password(password)
        db.session.commit()
    return editor


@cache
def _unknown_name_hash() -> str:
    from werkzeug.security import generate_password_hash

    return generate_password_hash(secrets.token_hex(16), PASSWORD_METHOD)


def start(editor: Editor) -> str:
    """Record a new log-in; return the token for the session cookie."""
    token = secrets.token_urlsafe(32)
    db.session.add(Login(id=_key(token), editor_id=editor.id))
    db.session.commit()
    return token


def current(token: str, idle: timedelta, lifetime: timedelta) -> Login | None:
    """The log-in the token opens, or None (unknown, logged out, or too old: then it ends)."""
    login = db.session.get(Login, _key(token))
    if login is None:
        return None
    now = utcnow()
    if now - login.seen_at > idle or now - login.created_at > lifetime:
        db.session.delete(login)
        db.session.commit()
        return None
    if now - login.seen_at >= SEEN_EVERY:
        login.seen_at = now
        db.session.commit()
    return login


def of(editor: Editor) -> list[Login]:
    """The editor's sessions, the most recently used first."""
    return list(
        db.session.scalars(
            select(Login).filter_by(editor_id=editor.id).order_by(Login.seen_at.desc())
        )
    )


def end(token: str) -> None:
    """Log out this session, wherever its cookie is."""
    db.session.execute(delete(Login).where(Login.id == _key(token)))
    db.session.commit()


def end_all(editor: Editor) -> int:
    """Log the editor out everywhere; return how many sessions ended."""
    ended = db.session.query(Login).filter_by(editor_id=editor.id).delete()
    db.session.commit()
    return ended


def _key(token: str) -> str:
    """Rows hold the token's hash: reading the database does not give a session away."""
    return hashlib.sha256(token.encode()).hexdigest()
