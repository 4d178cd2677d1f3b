"""Editors: log in and log out, and the `editor_required` guard.

Anyone may make, download and browse banners; keeping them in the gallery, recording actions
and deleting need an editor. Editors are few, so a name and a hashed password do. The first
editor is made on the server's command line (`flask --app poster_app editors add NAME`), as
Mastodon makes its owner: no web page lets a stranger claim a fresh instance.
"""

from __future__ import annotations

import functools

from flask import Blueprint, abort, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from ..extensions import db
from ..models import Editor
from .forms import LoginForm, LogoutForm
from .responses import local_url

bp = Blueprint("auth", __name__)


@bp.before_app_request
def load_editor() -> None:
    current_editor()


def current_editor() -> Editor | None:
    """The logged-in editor, read from the session once per request (also before the
    request's other hooks run: uploads ask while CSRFProtect reads the body)."""
    if "editor" not in g:
        editor_id = session.get("editor_id")
        g.editor = db.session.get(Editor, editor_id) if editor_id is not None else None
    return g.editor


@bp.app_context_processor
def inject_editor():
    return {"editor": g.get("editor"), "logout_form": LogoutForm() if g.get("editor") else None}


def editor_required(view):
    """Send visitors to the login page, and back here after logging in."""

    @functools.wraps(view)
    def wrapped(**kwargs):
        if g.editor is None:
            if request.method != "GET":
                abort(403, _("Only editors can do this. Log in first."))
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(**kwargs)

    return wrapped


def has_editors() -> bool:
    return db.session.query(Editor.id).first() is not None


@bp.route("/login", methods=["GET", "POST"])
def login():
    if not has_editors():  # say how the first one is made, where only the operator can
        return render_template("auth/no_editors.html")
    form = LoginForm()
    if form.validate_on_submit():
        editor = db.session.execute(
            db.select(Editor).filter_by(name=form.name.data.strip())
        ).scalar_one_or_none()
        if editor is not None and editor.check_password(form.password.data):
            _log_in(editor)
            return redirect(
                local_url(request.args.get("next"))
                if request.args.get("next")
                else url_for("gallery.index"),
                303,
            )
        form.password.errors = [_("That name and password don't match.")]
    return render_template("auth/login.html", form=form), 422 if form.errors else 200


@bp.post("/logout")
def logout():
    if LogoutForm().validate_on_submit():
        session.clear()
    return redirect(url_for("banners.index"), 303)


def _log_in(editor: Editor) -> None:
    session.clear()  # a fresh session: nothing carried over from before the login
    session["editor_id"] = editor.id
    session.permanent = True
