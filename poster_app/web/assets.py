"""Static files under content-hashed names, kept by browsers for good; responses compressed.

`url_for('static', filename='css/app.css')` gives `/static/css/app.3f2a9c1b0d.css`: the name
changes when the file does, so the file can be cached `immutable` for a year and a returning
visitor on a slow link asks for nothing again. Stylesheets are served with their `url(…)`
references rewritten to hashed names too (the web fonts). The plain name still answers, with
`no-cache`, for anything that kept an old address.

Compression (Flask-Compress: brotli, else gzip) applies to text: pages, CSS, JS, JSON, SVG.
Pages of a logged-in editor are sent uncompressed: a page that holds a secret (the session's
CSRF token) next to text an attacker chose, compressed, leaks the secret through its length
(BREACH). Visitors' tokens guard nothing private, and their cookies are SameSite=Lax.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
import threading
from pathlib import Path, PurePosixPath

from flask import Flask, Response, abort, current_app, g, request
from flask_compress import Compress

from .responses import ONE_YEAR, immutable

_HASHED = re.compile(r"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{10})(?P<ext>\.[A-Za-z0-9]+)$")
_CSS_URL = re.compile(r"""url\((?P<q>['"]?)(?P<ref>[^'")]+)(?P=q)\)""")


class Assets:
    """The static folder's files with their hashes (and rewritten stylesheets), kept in memory
    and read again when a file changes on disk."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder).resolve()
        self._files: dict[str, tuple[float, str, bytes]] = {}  # name → (mtime, digest, body)
        self._lock = threading.Lock()

    def _path(self, name: str) -> Path | None:
        path = (self.folder / name).resolve()
        if self.folder not in path.parents or not path.is_file():
            return None
        return path

    def get(self, name: str) -> tuple[str, bytes] | None:
        """The file's digest and body (a stylesheet with hashed references), or None."""
        path = self._path(name)
        if path is None:
            return None
        mtime = path.stat().st_mtime
        with self._lock:
            known = self._files.get(name)
        if known is not None and known[0] == mtime:
            return known[1], known[2]
        body = path.read_bytes()
        if name.endswith(".css"):
            body = self._rewrite_css(name, body.decode("utf-8")).encode("utf-8")
        digest = hashlib.sha256(body).hexdigest()[:10]
        with self._lock:
            self._files[name] = (mtime, digest, body)
        return digest, body

    def hashed_name(self, name: str) -> str:
        """'css/app.css' → 'css/app.3f2a9c1b0d.css' (the name itself if there is no such file)."""
        found = self.get(name)
        if found is None:
            return name
        stem, dot, ext = name.rpartition(".")
        return f"{stem}.{found[0]}.{ext}" if dot else name

    def _rewrite_css(self, name: str, css: str) -> str:
        """Point the stylesheet's relative url(…) references at the files' hashed names."""
        folder = PurePosixPath(name).parent

        def hashed(match: re.Match) -> str:
            ref = match["ref"]
            if re.match(r"^[a-z]+:|^/|^#", ref):  # data:, https:, absolute, fragment
                return match[0]
            target = _normalise(folder / ref)
            if target is None or self._path(target) is None:
                return match[0]
            hashed_target = self.hashed_name(target)
            return f"url({PurePosixPath(ref).parent / PurePosixPath(hashed_target).name})"

        return _CSS_URL.sub(hashed, css)


def _normalise(path: PurePosixPath) -> str | None:
    """'css/../fonts/x.woff2' → 'fonts/x.woff2'; None for a path that leaves the folder."""
    parts: list[str] = []
    for part in path.parts:
        if part == "..":
            if not parts:
                return None
            parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


def serve(filename: str):
    """The static view: a hashed name is immutable; a plain or outdated one is revalidated."""
    assets: Assets = current_app.extensions["assets"]
    name, digest = filename, None
    match = _HASHED.match(filename)
    if match and assets.get(filename) is None:
        name, digest = match["stem"] + match["ext"], match["digest"]
    found = assets.get(name)
    if found is None:
        abort(404)
    current, body = found
    mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = Response(body, mimetype=mimetype)
    response.set_etag(current)
    if digest == current:
        response.cache_control.max_age = ONE_YEAR
        immutable(response)
    else:
        response.cache_control.no_cache = True
    return response.make_conditional(request)


def init_app(app: Flask) -> None:
    """Serve the static folder through `serve`, hash names in url_for, compress responses."""
    assets = Assets(app.static_folder or "static")
    app.extensions["assets"] = assets
    app.view_functions["static"] = serve
    app.add_template_global(lambda name: assets.get(name) is not None, "static_exists")

    @app.url_defaults
    def hashed_static_names(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values:
            values["filename"] = assets.hashed_name(values["filename"])

    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config["COMPRESS_REGISTER"] = False  # registered below, with its one exception
    compress = Compress(app)

    @app.after_request
    def compress_unless_secret(response: Response) -> Response:
        """Compress, except an editor's pages (see the module's docstring: BREACH)."""
        if response.mimetype == "text/html" and g.get("editor") is not None:
            return response
        return compress.after_request(response)
