"""In a real browser: Share hands the banner's PNG to another app (navigator.share stubbed in
the page), Copy link where the browser can't share files, the JPEG and story downloads, and
"My banners" kept on the device."""

from __future__ import annotations

import re

import pytest

from tests.e2e.test_e2e_banner import wait_for_preview
from tests.e2e.test_phone import open_page, shot

# What a phone's browser offers, recorded instead of opening the share sheet.
SHARE_STUB = """
window.__shared = [];
navigator.canShare = (data) =>
  !!(data && data.files && data.files.every(f => f.type === 'image/png'));
navigator.share = async (data) => {
  const files = [];
  for (const f of data.files || []) {
    const head = Array.from(new Uint8Array(await f.slice(0, 8).arrayBuffer()));
    files.push({name: f.name, type: f.type, size: f.size, head});
  }
  window.__shared.push({title: data.title, url: data.url || null, files});
};
"""


def make_banner(page, text="Free them all", lang="en", size="a4") -> str:
    page.goto("/")
    page.select_option("#lang", lang)
    page.select_option("#size", size)
    page.fill("#text", text)
    wait_for_preview(page)
    page.click("#submit")
    page.wait_for_url(re.compile(r"/banners/[0-9a-f]{20}$"))
    return page.url.rsplit("/", 1)[1]


def test_share_sends_the_png_file(browser, live_server):
    context, page = open_page(browser, live_server, "phone")
    context.add_init_script(SHARE_STUB)
    make_banner(page)
    share = page.locator("#share")
    assert share.is_visible()
    shot(page, "banner-phone-share")
    share.click()
    page.wait_for_function("() => window.__shared.length === 1")
    shared = page.evaluate("window.__shared[0]")
    [file] = shared["files"]
    assert file["type"] == "image/png" and file["name"].endswith("-en-a4.png")
    assert file["head"] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] and file["size"] > 5000
    assert shared["title"] == "Free them all"
    context.close()


def test_without_file_sharing_the_link_is_copied(browser, live_server):
    context, page = open_page(browser, live_server, "desktop")
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    make_banner(page)
    assert page.locator("#share").is_hidden()  # desktop Linux Chromium has no Web Share
    page.click("#copy-link")
    page.locator("#share-status").filter(has_text="Link copied").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == page.url
    context.close()


@pytest.mark.parametrize(
    ("link", "name", "size"),
    [
        ("#post-sizes a[href$='/post/story.jpg']", "-story-1080x1920px.jpg", (1080, 1920)),
        ("a.jpeg >> nth=0", "-en-a4.jpg", (2480, 3508)),
    ],
)
def test_the_jpeg_and_story_download(page, tmp_path, link, name, size):
    from PIL import Image

    make_banner(page)
    with page.expect_download() as info:
        page.click(link)
    assert info.value.suggested_filename.endswith(name)
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    with Image.open(path) as image:
        assert image.format == "JPEG" and image.size == size


def test_my_banners_are_kept_on_the_device(browser, live_server):
    context, page = open_page(browser, live_server, "phone")
    first = make_banner(page, "Stop torture")
    page.wait_for_function("() => document.documentElement.dataset.remembered")
    second = make_banner(page, "Свободу всем", "ru", "square-1080px")
    page.wait_for_function(f"() => document.documentElement.dataset.remembered === '{second}'")
    page.close()  # closing the tab loses nothing
    page = context.new_page()
    page.goto("/mine")
    cards = page.locator("#mine-list a.card")
    assert cards.count() == 2
    assert cards.nth(0).get_attribute("href") == f"/banners/{second}"
    assert cards.nth(1).get_attribute("href") == f"/banners/{first}"
    assert "Свободу всем" in cards.nth(0).inner_text()
    assert cards.nth(0).locator("img").get_attribute("src").startswith("data:image/jpeg")
    shot(page, "my-banners-phone")
    page.locator("#mine-list .remove").nth(1).click()
    assert cards.count() == 1
    page.reload()
    assert cards.count() == 1
    context.close()
