"""Error answers: JSON under /api, HTML pages elsewhere, never a stack trace."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from jinja2 import TemplateNotFound
from werkzeug.exceptions import HTTPException, InternalServerError


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)


def wants_json() -> bool:
    return request.path.startswith("/api/")


def handle_http_error(error: HTTPException):
    if wants_json():
        return jsonify(error=error.description, field=None), error.code
    try:
        body = render_template(f"errors/{error.code}.html", error=error)
    except TemplateNotFound:
        body = render_template("errors/error.html", error=error)
    return body, error.code


def handle_unexpected(error: Exception):
    """Log the trace for the operator; show the person a plain 500 page."""
    from flask import current_app

    current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
    return handle_http_error(InternalServerError())
