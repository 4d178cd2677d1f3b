"""Error answers: JSON under /api, HTML pages elsewhere, never a stack trace."""

from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from jinja2 import TemplateNotFound
from werkzeug.exceptions import HTTPException, InternalServerError

from ..files import DiskFull


class InsufficientStorage(HTTPException):
    code = 507
    description = "The server's disk is full."


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)


# Endpoints outside /api/ that the pages' scripts call and read as JSON, errors too.
JSON_ENDPOINTS = {"banners.preview", "campaigns.status"}


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.endpoint in JSON_ENDPOINTS


def handle_http_error(error: HTTPException):
    if wants_json():
        return jsonify(error=error.description, field=None), error.code
    try:
        body = render_template(f"errors/{error.code}.html", error=error)
    except TemplateNotFound:
        body = render_template("errors/error.html", error=error)
    return body, error.code


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
