"""The banner form as people use it: what they type is never lost or silently changed."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.journeys.walk import follow_links, new_context, shoot, wait_for_preview

LONG_PASTE = ("Свободу всем политзаключённым, прекратить пытки в тюрьмах. " * 200)[:10_000]


def test_a_long_paste_is_kept_whole_and_the_form_says_it_is_too_long(visitor):
    page = visitor
    page.goto("/")
    page.fill("#text", LONG_PASTE)
    status = page.locator("#preview-status")
    status.filter(has_text="this text has 10000").wait_for()
    assert "At most 500 characters" in status.inner_text()
    assert page.input_value("#text") == LONG_PASTE  # nothing cut
    assert page.locator("#preview-image").is_hidden()
    shoot(page, "form-too-long")
    page.click("#submit")
    page.wait_for_load_state()
    assert page.locator("#text-error").inner_text().endswith("this text has 10000.")
    assert page.input_value("#text") == LONG_PASTE  # the refused form keeps every character


def test_a_cleared_slogan_takes_its_preview_away(visitor):
    page = visitor
    page.goto("/")
    page.fill("#text", "Stop the war")
    wait_for_preview(page)
    assert page.locator("#preview-image").is_visible()
    page.fill("#text", "")
    page.locator("#preview-empty").wait_for(state="visible")
    assert page.locator("#preview-image").is_hidden()


@pytest.mark.parametrize("answer", ["dismiss", "accept"])
def test_a_phrase_replaces_typed_words_only_when_asked(visitor, answer):
    page = visitor
    page.goto("/")
    page.select_option("#lang", "en")
    page.fill("#text", "Our own words")
    asked = []

    def reply(dialog):
        asked.append(dialog.message)
        getattr(dialog, answer)()

    page.on("dialog", reply)
    page.wait_for_selector("#phrase[data-ready]", state="attached")  # the phrasebook is fetched
    with page.expect_event("dialog"):  # asked once the phrasebook's promise resolves
        page.select_option("#phrase", "stop-torture")
    assert asked == ["Replace the words you typed with this phrase?"]
    if answer == "dismiss":
        expect(page.locator("#text")).to_have_value("Our own words")
        expect(page.locator("#phrase")).to_have_value("")
    else:
        expect(page.locator("#text")).to_have_value("Stop torture")
        # A phrase's words are not the person's: the next phrase replaces them without asking.
        page.select_option("#phrase", "political-prisoners")
        expect(page.locator("#text")).not_to_have_value("Stop torture")
        assert len(asked) == 1


@pytest.fixture
def no_js(browser, instance, viewport):
    """A page with JavaScript off, at the journey's viewport."""
    context = new_context(browser, instance, viewport, java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_without_javascript_a_phrase_is_filled_in_and_the_banner_made(no_js, links):
    page = no_js
    page.goto("/")
    page.select_option("#lang", "ru")
    page.select_option("#phrase", "stop-torture")
    page.get_by_role("button", name="Fill in").click()
    assert page.input_value("#text") == "Нет пыткам"
    shoot(page, "form-nojs-1-filled")
    page.get_by_role("button", name="Make the banner").click()
    page.wait_for_url(re.compile(r"/banners/[0-9a-f]{20}$"))
    assert page.locator("blockquote.slogan").inner_text() == "Нет пыткам"
    shoot(page, "form-nojs-2-banner")
    follow_links(page, links)


def test_without_javascript_a_long_paste_is_refused_whole(no_js):
    page = no_js
    page.goto("/")
    page.fill("#text", LONG_PASTE)
    page.get_by_role("button", name="Make the banner").click()
    page.wait_for_load_state()
    assert page.locator("#text-error").inner_text().endswith("this text has 10000.")
    assert page.input_value("#text") == LONG_PASTE


def test_without_javascript_enter_makes_the_banner_and_keeps_the_typed_slogan(no_js):
    page = no_js
    page.goto("/")
    page.select_option("#phrase", "stop-torture")
    page.select_option("#lang", "en")
    page.fill("#text", "Our own words")
    page.click("#more-options > summary")  # the signature is among the folded options
    page.fill("#signature", "Solidarity group")
    page.press("#signature", "Enter")  # the browser presses the form's default button
    page.wait_for_url(re.compile(r"/banners/[0-9a-f]{20}$"))
    assert page.locator("blockquote.slogan").inner_text() == "Our own words"
