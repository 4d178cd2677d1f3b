"""Banners made through the form in four scripts, every link on their pages followed, a cloth
banner tiled on A4 whose assembly map keeps every word on the sheet, and banners kept in the
gallery with an action."""

from __future__ import annotations

import re
import struct
import subprocess

import pytest

from tests.e2e import screenshots
from tests.e2e.journeys.walk import SCREENSHOTS, follow_links, make_banner, press_make, shoot
from tests.web_helpers import squeeze

SLOGANS = {
    "en": "Free all political prisoners",
    "ru": "Свободу политзаключённым",
    "si": "දේශපාලන සිරකරුවන් නිදහස් කරනු",
    "ar": "الحرية لجميع المعتقلين السياسيين",
}
PARAGRAPH = (
    "Мы требуем освободить всех, кого держат за решёткой за слова, за плакаты и за участие "
    "в мирных акциях. Прекратить пытки в тюрьмах и колониях, допустить адвокатов и врачей, "
    "вернуть письма и свидания. Солидарность сильнее страха: каждый плакат у посольства "
    "напоминает, что о них помнят. Свободу политзаключённым! Свободу всем, кто сидит за правду! "
    "Мы не забудем ни одного имени и будем приходить сюда каждую неделю, пока двери не откроются. "
    "Пишите письма, передавайте книги, приходите на суды. "
)


def pdf_words(path, page: int) -> tuple[list[tuple[str, tuple[float, ...]]], float, float]:
    out = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    width, height = map(
        float, re.search(r'<page width="([\d.]+)" height="([\d.]+)">', out).groups()
    )
    words = [
        (m[5], tuple(float(v) for v in m.groups()[:4]))
        for m in re.finditer(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', out
        )
    ]
    return words, width, height


@pytest.mark.parametrize("lang", list(SLOGANS))
def test_make_a_banner_and_follow_every_link_on_its_page(visitor, viewport, links, tmp_path, lang):
    page = visitor
    make_banner(page, SLOGANS[lang], lang)
    shoot(page, f"banner-{lang}-1-form")
    press_make(page)
    assert page.locator("blockquote.slogan").inner_text() == SLOGANS[lang]
    shoot(page, f"banner-{lang}-2-page")
    with page.expect_download() as info:
        page.locator("#download-pdf").click()  # the main button, as a person presses it
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert squeeze(SLOGANS[lang]) in squeeze(text)
    for link in follow_links(page, links):
        if link["type"] == "image/png" and (size := re.search(r"(\d+) × (\d+) px", link["text"])):
            assert struct.unpack(">II", link["head"][16:24]) == tuple(map(int, size.groups()))


def test_a_500_character_paste_makes_a_banner(visitor):
    page = visitor
    paste = PARAGRAPH[:500].rsplit(" ", 1)[0]  # a paragraph pasted whole, up to the limit
    assert 490 <= len(paste) <= 500
    make_banner(page, paste, "ru")
    assert page.locator("#preview-status").inner_text() == ""
    shoot(page, "banner-paste-500-1-form")
    press_make(page)
    assert page.locator("blockquote.slogan").inner_text() == paste.strip()
    shoot(page, "banner-paste-500-2-page")


def test_a_cloth_banner_tiled_on_a4_keeps_every_word_of_its_map_on_the_sheet(
    visitor, viewport, links, tmp_path
):
    page = visitor
    make_banner(page, "Free them all\nStop torture", "en", size="banner-300x100cm")
    shoot(page, "cloth-1-form")
    press_make(page)
    shoot(page, "cloth-2-page")
    offered = page.get_by_role("link", name=re.compile(r"PDF to print at home on \d+ A4 sheets"))
    assert offered.inner_text().strip() == "PDF to print at home on 72 A4 sheets"
    with page.expect_download() as info:
        offered.click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.name.endswith("-tiled-a4.pdf")
    pages = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert re.search(r"Pages:\s+73\b", pages)  # the map, then 72 sheets
    words, width, height = pdf_words(path, 1)
    edge = 5 * 72 / 25.4  # a home printer's unprintable margin
    slogan = {"Free", "them", "all", "Stop", "torture"}
    for text, (x0, y0, x1, y1) in words:
        inset = 0 if text in slogan else edge  # the small poster's words are clipped to it
        assert inset <= x0 and inset <= y0 and x1 <= width - inset and y1 <= height - inset, text
    labels = {text for text, _box in words if re.fullmatch(r"[A-D]\d+", text)}
    assert labels == {f"{row}{col}" for row in "ABCD" for col in range(1, 19)}
    if viewport == "phone" and screenshots.WANTED:  # to look at
        SCREENSHOTS.mkdir(exist_ok=True)
        map_png = SCREENSHOTS / "cloth-3-assembly-map"
        subprocess.run(
            [
                "pdftoppm",
                "-f",
                "1",
                "-l",
                "1",
                "-r",
                "60",
                "-png",
                "-singlefile",
                str(path),
                str(map_png),
            ],
            check=True,
        )
    follow_links(page, links)


def test_keep_banners_in_the_gallery_with_an_action(editor_page, viewport, links):
    page = editor_page
    title = f"Banner drop at the ministry ({viewport})"
    page.goto("/actions/new")
    page.fill("#title", title)
    page.fill("#date", "2026-11-20")
    page.get_by_role("button", name="Save the action").click()
    page.wait_for_url(re.compile(r"/actions/\d+$"))
    action_url = page.url
    assert page.locator(".meta").inner_text().strip() == "November 20, 2026"  # no place: no "·"

    # A banner made for the action, from its page: kept with it in one step.
    page.get_by_role("link", name="Make a banner for this action").click()
    page.fill("#text", f"Hands off our friends {viewport}")
    page.select_option("#lang", "en")
    first = press_make(page)
    assert page.input_value("#action") == action_url.rsplit("/", 1)[1]  # preselected
    shoot(page, "gallery-1-keep-with-action")
    page.get_by_role("button", name="Keep in the gallery").click()
    page.get_by_text("The banner is in the gallery.").wait_for()
    assert page.get_by_role("link", name=title).is_visible()

    # Another banner, linked from the action's page by its address.
    make_banner(page, f"Solidarity {viewport}", "en")
    second = press_make(page)
    second_url = page.url
    page.goto(action_url)
    page.fill("#banner", second_url)
    page.get_by_role("button", name="Add to this action").click()
    page.get_by_text("The banner is now shown with this action.").wait_for()
    for banner_id in (first, second):
        assert page.locator(f"a[href='/banners/{banner_id}']").count() >= 1
    shoot(page, "gallery-2-action-with-banners")
    follow_links(page, links)

    page.goto("/gallery")
    for banner_id in (first, second):
        assert page.locator(f"a[href='/banners/{banner_id}']").count() >= 1
    shoot(page, "gallery-3-gallery")
    follow_links(page, links)

    # Taken out again: gone from the gallery and the action, still there by its address.
    page.goto(second_url)
    page.get_by_role("button", name="Take out of the gallery").click()
    page.get_by_text("The banner is no longer in the gallery.").wait_for()
    page.goto("/gallery")
    assert page.locator(f"a[href='/banners/{second}']").count() == 0
    page.goto(action_url)
    assert page.locator(f"a[href='/banners/{second}']").count() == 0
