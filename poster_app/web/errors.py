"""Error answers: JSON under /api, HTML pages elsewhere, never a stack trace."""

from __future__ import annotations

from flask import Flask, current_app, g, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from jinja2 import TemplateNotFound
from werkzeug.exceptions import (
    HTTPException,
    InternalServerError,
    RequestEntityTooLarge,
    SecurityError,
    ServiceUnavailable,
)

from ..files import DiskFull
from ..rendering import Busy
from . import resend
from .auth import log_in_again
from .security import FORMS
from .uploads import allowed_upload, text_of_form, upload_of_view


class InsufficientStorage(HTTPException):
    code = 507
    description = "The server's disk is full."


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(RequestEntityTooLarge, handle_too_large)
    app.register_error_handler(Busy, handle_busy)
    app.register_error_handler(Exception, handle_unexpected)


# Endpoints outside /api/ that the pages' scripts call and read as JSON, errors too.
JSON_ENDPOINTS = {"banners.preview", "campaigns.status"}


# For whoever runs the server (a visitor never meets it on a site set up right): what to set,
# without echoing the name the request made up.
UNTRUSTED_HOST = (
    "This server does not answer to the name or address in the address bar. If you run it, add "
    "that name or address to the TRUSTED_HOSTS setting (for example TRUSTED_HOSTS=192.168.1.20 "
    "for phones on the same network as a laptop), then start it again.\n"
)


TRY_AGAIN = {429, 503}  # too many requests, every render slot busy: a form sent then comes back


def wants_json() -> bool:
    """The API, and the live preview (its script shows the message of a JSON error)."""
    return request.path.startswith("/api/") or request.endpoint in JSON_ENDPOINTS


def handle_http_error(error: HTTPException):
    if isinstance(error, SecurityError):  # a Host not in TRUSTED_HOSTS: no URL can be built
        return UNTRUSTED_HOST, error.code, {"Content-Type": "text/plain; charset=utf-8"}
    if wants_json():
        return jsonify(error=error.description, field=None), error.code
    if error.code in TRY_AGAIN and request.method == "POST" and request.mimetype in FORMS:
        # What was typed comes back, ready to send again once the wait is over.
        action, fields = request.full_path.rstrip("?"), resend.kept_fields()
        return resend.resend_page(action, fields, error.description or "", status=error.code)
    try:
        body = render_template(f"errors/{error.code}.html", error=error)
    except TemplateNotFound:
        body = render_template("errors/error.html", error=error)
    return body, error.code


def handle_csrf(error: CSRFError):
    """A form whose page stayed open past its token's life is offered again, as typed."""
    if request.mimetype in FORMS and resend.token_of_this_session(request.form.get("csrf_token")):
        fields, held = resend.hold_files(resend.kept_fields(), allowed_upload(request))
        return resend.resend_page(
            request.full_path.rstrip("?"),
            fields,
            _(
                "This page was open for a long time, so for your safety the form has to be "
                "sent once more."
            ),
            held=held,
        )
    return handle_http_error(error)


def handle_too_large(error: RequestEntityTooLarge):
    """A form with photos sent by an editor whose log-in ended while it was open: the site's
    small limit for visitors refused it before any view ran. The page says the log-in ended
    and keeps what was typed (the photos can't be: a visitor's files are not kept).

    Only for a session that had a log-in (signed by the server), on a form of its own (its
    CSRF token), and a body no larger than the form takes from an editor: a stranger's big
    body is still refused unread."""
    upload = upload_of_view(request)
    if g.get("login_ended") and upload.editors_only and (sent := text_of_form(upload.most_bytes())):
        form, chosen = sent
        if resend.token_of_this_session(form.get("csrf_token")):
            return log_in_again(resend.kept_fields(form), chosen)
    return handle_http_error(error)


def handle_busy(error: Busy):
    """Every render slot stayed busy: 503, and when to try again."""
    message = _("The server is busy making other banners. Wait a few seconds, then try again.")
    response = make_response(handle_http_error(ServiceUnavailable(message)))
    response.headers["Retry-After"] = str(error.retry_after)
    return response


def handle_unexpected(error: Exception):
    """Log the trace for the operator; show the person a plain 500 page (507 when the disk
    is full: what was being saved was not, and nothing half-made is left)."""
    if disk_full(error):
        current_app.logger.error("disk full on %s %s: %s", request.method, request.path, error)
        from ..extensions import db

        db.session.rollback()
        return handle_http_error(
            InsufficientStorage(
                _(
                    "The server's disk is full, so nothing was saved. Try again later; if it "
                    "goes on, tell the people who run this site."
                )
            )
        )
    current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
    return handle_http_error(InternalServerError())


def disk_full(error: BaseException | None) -> bool:
    """A full disk, from a file write or from the database (SQLite: 'database or disk is
    full'; PostgreSQL: SQLSTATE 53100, disk_full)."""
    while error is not None:
        if isinstance(error, DiskFull):
            return True
        if getattr(error, "sqlstate", None) == "53100" or "disk is full" in str(error):
            return True
        error = getattr(error, "orig", None) or error.__cause__
    return False
