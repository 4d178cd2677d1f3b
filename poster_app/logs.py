"""Logs that keep nothing people typed.

Slogans and search words travel in query strings (the live preview sends the whole form on
every pause), and an exception's message may quote what it was given (a slogan, a PostgreSQL
DETAIL with a row's values). A log line says what failed and where — the method and path, the
exception's type and its frames — never a query string nor an exception's message.
"""

from __future__ import annotations

import logging
import re
import traceback

# A "?" right after a path (or a word) and whatever follows it up to a space: gunicorn's
# "Error handling request GET /preview.png?text=…", werkzeug's "GET /preview.png?text=… HTTP/1.1".
QUERY = re.compile(r"(?<=\S)\?\S+")


class KeepNothingTyped(logging.Filter):
    """Drop query strings from a record's message and messages from its exceptions."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # arguments that don't fit: the bare format, without them
            message = str(record.msg)
        record.msg, record.args = QUERY.sub("?…", message), ()
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = frames_and_types(record.exc_info[1])
        return True


def keep_typed_text_out(*names: str) -> None:
    """Filter the named loggers (once each, however many apps a process makes): those that
    may name a request or quote an exception."""
    for name in names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, KeepNothingTyped) for f in logger.filters):
            logger.addFilter(KeepNothingTyped())


def frames_and_types(error: BaseException) -> str:
    """The traceback of `error` and of the exceptions it came from, as Python prints it, but
    each exception by its type alone (an OSError with its errno too: that quotes nothing)."""
    parts = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = "".join(traceback.format_tb(current.__traceback__))
        parts.append(f"Traceback (most recent call last):\n{frames}{described(current)}")
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    linked = "\n\nwhich came from:\n\n"
    return linked.join(parts).rstrip("\n")


def described(error: BaseException) -> str:
    name = f"{type(error).__module__}.{type(error).__qualname__}".removeprefix("builtins.")
    if isinstance(error, OSError) and error.errno is not None:
        return f"{name}: [Errno {error.errno}] {error.strerror}"
    return f"{name} (message left out: it may quote what was typed)"
