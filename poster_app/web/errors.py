"""Error answers: JSON under /api, HTML pages elsewhere, never a stack trace."""

from __future__ import annotations

from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from jinja2 import TemplateNotFound
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from ..rendering import Busy


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Busy, handle_busy)
    app.register_error_handler(Exception, handle_unexpected)


def wants_json() -> bool:
    """The API, and the live preview (its script shows the message of a JSON error)."""
    return request.path.startswith("/api/") or request.endpoint == "banners.preview"


def handle_http_error(error: HTTPException):
    if wants_json():
        return jsonify(error=error.description, field=None), error.code
    try:
        body = render_template(f"errors/{error.code}.html", error=error)
    except TemplateNotFound:
        body = render_template("errors/error.html", error=error)
    return body, error.code


def handle_busy(error: Busy):
    """Every render slot stayed busy: 503, and when to try again."""
    message = _("The server is busy making other banners. Wait a few seconds, then try again.")
    response = make_response(handle_http_error(ServiceUnavailable(message)))
    response.headers["Retry-After"] = str(error.retry_after)
    return response


def handle_unexpected(error: Exception):
    """Log the trace for the operator; show the person a plain 500 page."""
    from flask import current_app

    current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
    return handle_http_error(InternalServerError())
