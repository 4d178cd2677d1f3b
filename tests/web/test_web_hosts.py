"""Nothing from another host: every src/href/action stays on this site; no inline script."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

STATIC = Path(__file__).resolve().parents[2] / "static"
URL_ATTRIBUTES = {"src", "href", "action", "srcset", "poster", "data", "formaction", "manifest"}


class PageScan(HTMLParser):
    """Collect the URLs a page points at, inline scripts and inline event handlers."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.inline: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name in URL_ATTRIBUTES and value:
                self.urls.extend(v.strip().split(" ")[0] for v in value.split(","))
            if name.startswith("on"):
                self.inline.append(f"{tag} {name}")
            if name == "style":
                self.inline.append(f"{tag} style=")
        if tag == "script":
            self._in_script = "src" not in attrs
        if tag == "style":
            self.inline.append("<style>")

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline.append("inline <script>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return not parts.netloc and parts.scheme in ("", "data", "blob") and not url.startswith("//")


@pytest.fixture
def pages(client):
    """Every page the app has, with a banner made so its page exists."""
    banner = client.post("/api/banners", json={"text": "Свободу анархистам", "lang": "ru"}).json
    return [
        "/",
        f"/?from={banner['id']}",
        banner["page_url"],
        "/no-such-page",
        "/banners/0123456789abcdef0123",
        f"{banner['png_url']}?dpi=7",
    ]


@pytest.mark.parametrize("ui", ["en", "ru", "es", "ms", "ta", "zh"])
def test_pages_load_nothing_from_other_hosts(client, pages, ui):
    client.set_cookie("ui_lang", ui)
    for url in pages + ["POST /"]:
        if url.startswith("POST "):
            response = client.post("/", data={"text": ""})  # the form with its errors
        else:
            response = client.get(url)
        assert response.mimetype == "text/html", url
        scan = PageScan()
        scan.feed(response.get_data(as_text=True))
        assert scan.urls, url
        assert [u for u in scan.urls if not is_local(u)] == [], url
        assert scan.inline == [], url  # the CSP allows no inline script or style
        assert "Traceback" not in response.get_data(as_text=True)


def test_static_files_name_no_other_host():
    for path in STATIC.rglob("*"):
        if path.suffix in (".css", ".js", ".svg"):
            text = path.read_text(encoding="utf-8")
            for marker in ("http://", "https://", "//fonts.", "@import"):
                if marker in text and not (
                    path.suffix == ".svg"
                    and "www.w3.org/2000/svg" in text
                    and text.count(marker) == 1
                ):
                    raise AssertionError(f"{path.name} mentions {marker}")


def test_static_files_are_served(client):
    for name in ("css/app.css", "js/banner-form.js", "favicon.svg"):
        assert client.get(f"/static/{name}").status_code == 200
