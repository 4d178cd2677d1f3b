"""Editors: log in and log out, and the `editor_required` guard.

Anyone may make, download and browse banners; keeping them in the gallery, recording actions
and deleting need an editor. Editors are few, so a name and a hashed password do. The first
editor is made on the server's command line (`flask --app poster_app editors add NAME`), as
Mastodon makes its owner: no web page lets a stranger claim a fresh instance.
"""

from __future__ import annotations

import functools
from collections import Counter
from datetime import timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _

from .. import logins
from ..addresses import request_client
from ..extensions import db
from ..models import Editor
from ..throttle import LoginThrottle, counts_for
from . import resend
from .forms import LoginForm, LogoutForm
from .responses import local_url

bp = Blueprint("auth", __name__)


@bp.before_app_request
def load_editor() -> None:
    current_editor()


def current_editor() -> Editor | None:
    """The editor whose log-in the session cookie carries, if that log-in has not ended.

    Read once per request (also before the request's other hooks run: uploads ask while
    CSRFProtect reads the body).
    """
    if "editor" in g:
        return g.editor
    g.editor = g.login = None
    token = session.get("login")
    if token is None:
        return None
    config = current_app.config
    login = logins.current(
        token,
        idle=timedelta(hours=config["SESSION_IDLE_HOURS"]),
        lifetime=config["PERMANENT_SESSION_LIFETIME"],
    )
    if login is None:  # logged out (maybe on another device), or too old
        session.pop("login")
        g.login_ended = True
        return None
    g.editor, g.login = login.editor, login
    return g.editor


@bp.app_context_processor
def inject_editor():
    return {"editor": g.get("editor"), "logout_form": LogoutForm() if g.get("editor") else None}


def editor_required(view):
    """Send visitors to the login page, and back here after logging in."""

    @functools.wraps(view)
    def wrapped(**kwargs):
        if g.editor is None:
            if request.method != "GET" and g.get("login_ended"):  # while the form was open
                return log_in_again(resend.kept_fields())
            if request.method != "GET":
                abort(403, _("Only editors can do this. Log in first."))
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(**kwargs)

    return wrapped


def log_in_again(fields: list[tuple[str, str]], chosen: Counter[str] | None = None):
    """The page for a form sent after the editor's log-in ended: log in on it, then send
    `fields` again (the files `chosen`, by file field, are said to be lost)."""
    return resend.resend_page(
        url_for("auth.login", next=request.full_path.rstrip("?"), resend=1),
        fields,
        _("Your log-in has ended. Log in again to send what you typed."),
        status=403,
        login_form=LoginForm(formdata=None),
        chosen=chosen,
    )


def has_editors() -> bool:
    return db.session.query(Editor.id).first() is not None


def throttle() -> LoginThrottle:
    """The app's log-in throttle (counts in this process, or shared where the rate limits keep
    theirs)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if "login_throttle" not in app.extensions:
        counts = counts_for(app.config["RATELIMIT_STORAGE_URI"])
        app.extensions["login_throttle"] = LoginThrottle(counts)
    return app.extensions["login_throttle"]


@bp.route("/login", methods=["GET", "POST"])
def login():
    if not has_editors():  # say how the first one is made, where only the operator can
        return render_template("auth/no_editors.html")
    form = LoginForm()
    if form.validate_on_submit():
        name, address = form.name.data, request_client()
        wait = throttle().attempt(name, address)
        if wait:
            form.password.errors = [
                _(
                    "Too many attempts to log in. Wait %(seconds)d seconds, then try again.",
                    seconds=wait,
                )
            ]
            response = make_response(login_page(form), 429)
            response.headers["Retry-After"] = str(wait)
            return response
        editor = logins.authenticate(name, form.password.data)
        if editor is not None:
            throttle().succeeded(name, address)
            _log_in(editor)
            target = local_url(request.args.get("next"))
            if request.args.get("resend"):  # a form whose sending needed this log-in
                return resend.resend_page(
                    target,
                    resend.carried_fields(),
                    _("You are logged in again. Press the button to send what you typed."),
                    status=200,
                )
            return redirect(target if request.args.get("next") else url_for("gallery.index"), 303)
        form.password.errors = [_("That name and password don't match.")]
    return login_page(form), 422 if form.errors else 200


def login_page(form: LoginForm) -> str:
    """The log-in form, carrying the fields of a form waiting to be sent again, if any."""
    return render_template("auth/login.html", form=form, kept=resend.carried_fields())


@bp.post("/logout")
def logout():
    """End this session: the cookie, and every copy of it, opens nothing any more."""
    if LogoutForm().validate_on_submit():
        if token := session.get("login"):
            logins.end(token)
        session.clear()
    return redirect(url_for("banners.index"), 303)


@bp.get("/account")
@editor_required
def account():
    """The editor's log-ins (this browser and others), and a way to end them all."""
    return render_template(
        "auth/account.html", sessions=logins.of(g.editor), logout_form=LogoutForm()
    )


@bp.post("/logout/everywhere")
@editor_required
def logout_everywhere():
    """End every session of this editor, on every device (a lost phone, a shared computer)."""
    if LogoutForm().validate_on_submit():
        ended = logins.end_all(g.editor)
        session.clear()
        flash(_("You are logged out everywhere (%(n)d sessions ended).", n=ended))
    return redirect(url_for("banners.index"), 303)


def _log_in(editor: Editor) -> None:
    session.clear()  # a fresh session: nothing carried over from before the login
    g.pop("csrf_token", None)  # Flask-WTF's cached token: the next form gets a new one
    session["login"] = logins.start(editor)
    session.permanent = True
