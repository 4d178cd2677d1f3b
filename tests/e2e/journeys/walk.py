"""Walking the pages: log in, screenshots of each step, and following every link a page offers."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from tests.e2e.screenshots import look
from tests.e2e.test_e2e_banner import wait_for_preview as preview_shown

ROOT = Path(__file__).resolve().parents[3]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}
EDITOR, PASSWORD = "anna", "a long enough password, 2026"

# What a file is, by its first bytes; and what a link claims, by its `type` or its path.
MAGIC = {
    "image/png": b"\x89PNG\r\n\x1a\n",
    "image/jpeg": b"\xff\xd8\xff",
    "application/pdf": b"%PDF-",
    "application/zip": b"PK\x03\x04",
    "text/html": b"<!doctype html>",
    "application/atom+xml": b"<?xml",
}
BY_EXTENSION = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".pdf": "application/pdf",
    ".zip": "application/zip",
    ".atom": "application/atom+xml",
}


def new_context(browser, instance, viewport: str, **options):
    """A browser context on the instance at a viewport: a phone (touch, 2x) or a desktop."""
    return browser.new_context(
        base_url=instance.url,
        viewport=VIEWPORTS[viewport],
        device_scale_factor=2 if viewport == "phone" else 1,
        is_mobile=viewport == "phone",
        has_touch=viewport == "phone",
        locale="en-GB",
        accept_downloads=True,
        **options,
    )


def shot_path(page, name: str) -> Path:
    """Where the screenshot of a step goes, named by the journey, the step and the viewport."""
    width = page.viewport_size["width"]
    viewport = next((k for k, v in VIEWPORTS.items() if v["width"] == width), str(width))
    return SCREENSHOTS / f"{name}-{viewport}.png"


def shoot(page, name: str) -> None:
    """A full-page screenshot of this step, when screenshots are wanted (`make screenshots`)."""
    look(page, shot_path(page, name), full_page=True)


def page_state(page, name: str) -> str:
    """Where a page stood: its address, whether it had loaded, where the focus was, what it
    announced, and a screenshot (saved next to the steps' own)."""
    try:
        state = page.evaluate(
            "() => { const f = document.activeElement || document.body;"
            " return {ready: document.readyState,"
            " focus: f.tagName.toLowerCase() + (f.id ? '#' + f.id : '')"
            " + (f.name ? `[${f.name}]` : ''),"
            " said: Array.from(document.querySelectorAll('[role=alert], [role=status]'))"
            ".filter(e => e.checkVisibility()).map(e => e.textContent.trim()).filter(Boolean)}; }"
        )
        path = shot_path(page, f"failed-{name}")
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=path, full_page=True)  # always: CI's log points to it
    except Exception as e:  # a page closed or gone: say so, the test's own error stands
        return f"url: {page.url}\n(could not be read: {e})"
    return (
        f"url: {page.url}\nready: {state['ready']}\nfocus: {state['focus']}\n"
        f"said: {state['said']}\nscreenshot: {path}"
    )


def log_in(page, name: str, password: str) -> None:
    """Log in through the form, from the link every page offers."""
    page.goto("/")
    page.get_by_role("link", name="Editors").click()
    page.fill("#name", name)
    page.fill("#password", password)
    page.click("#submit")
    page.wait_for_url(re.compile(r"/gallery"))
    assert page.get_by_role("button", name="Log out").is_visible()


def wait_for_preview(page) -> None:
    """Wait until the latest preview has answered and its image shows (tests/e2e's check, with
    the longer wait of a journey's server)."""
    preview_shown(page, timeout=30_000)


def make_banner(page, text: str, lang: str, size: str = "") -> None:
    """Type the slogan, choose its language (and a size), wait for the preview, make it."""
    page.goto("/")
    page.fill("#text", text)
    page.select_option("#lang", lang)
    if size:
        page.select_option("#size", size)
    wait_for_preview(page)


def press_make(page) -> str:
    """Press "Make the banner"; return the banner's id."""
    page.get_by_role("button", name="Make the banner").click()
    page.wait_for_url(re.compile(r"/banners/[0-9a-f]{20}(\?.*)?$"))
    page.wait_for_function(
        "() => { const i = document.querySelector('.banner-image');"
        " return i && i.complete && i.naturalWidth > 0; }"
    )
    return re.search(r"/banners/([0-9a-f]{20})", page.url)[1]


def claimed_type(href: str, type_attribute: str | None) -> str:
    """The content type a link promises: its `type`, else its path's extension, else a page."""
    if type_attribute:
        return type_attribute
    path = urlsplit(href).path
    return next((t for ext, t in BY_EXTENSION.items() if path.endswith(ext)), "text/html")


def follow_links(page, seen: set[str]) -> list[dict]:
    """Follow every link on the page (once per suite: `seen`); each must answer 200 with what
    it claims, checked by content type and magic bytes. Returns what was fetched."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
    links = page.eval_on_selector_all(
        "a[href]",
        "links => links.map(a => ({href: a.href, type: a.getAttribute('type'),"
        " text: a.textContent.trim(), raw: a.getAttribute('href')}))",
    )
    fetched = []
    # A copy of the page's cookies: a link that sets one (the language switch) changes nothing
    # for the rest of the journey. Only the cookies (what an HTTP request carries): a storage
    # state with localStorage (the form keeps "my banners" there) made Playwright open a hidden
    # page and load the origin in it to restore that storage, a renderer for nothing.
    context = page.context.browser.new_context(storage_state={"cookies": page.context.cookies()})
    try:
        for link in links:
            href = link["href"]
            assert href.startswith(origin), f"{link['text']!r} leads to another host: {href}"
            if link["raw"].startswith("#"):
                assert page.locator(link["raw"]).count() == 1, f"no target for {link['raw']}"
                continue
            url = href.split("#")[0]
            if url in seen:
                continue
            seen.add(url)
            response = context.request.get(url)
            body = response.body()
            claimed = claimed_type(href, link["type"])
            where = f"{link['text']!r} ({url}) on {page.url}"
            assert response.status == 200, f"{where} answered {response.status}: {body[:300]!r}"
            got = response.headers["content-type"].split(";")[0]
            assert got == claimed, f"{where} claims {claimed} but sent {got}"
            assert body[: len(MAGIC[claimed])].lower() == MAGIC[claimed].lower(), (
                f"{where} is not a {claimed}: {body[:20]!r}"
            )
            fetched.append({**link, "url": url, "type": got, "bytes": len(body), "head": body[:64]})
    finally:
        context.close()
    return fetched
