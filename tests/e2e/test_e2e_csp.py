"""In a real browser: the Content-Security-Policy blocks nothing the pages need (no console
errors, no violation reports) on the form with its live preview, a banner page and the gallery."""

from __future__ import annotations

from tests.e2e.test_e2e_banner import fill_slogan

WATCH_VIOLATIONS = """() => { window.__csp = [];
  document.addEventListener('securitypolicyviolation',
    e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI)); }"""


def collect_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.add_init_script(f"({WATCH_VIOLATIONS})()")
    return errors


def test_the_policy_is_sent_and_nothing_is_blocked(page):
    errors = collect_errors(page)
    response = fill_slogan(page, "Свободу анархистам", "russ", "ru")  # preview: fetch + blob:
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    page.click("#submit")
    page.wait_for_url("**/banners/*")
    assert page.locator(".banner-image").evaluate("img => img.complete && img.naturalWidth") > 0
    violations = page.evaluate("window.__csp")
    page.goto("/gallery")
    violations += page.evaluate("window.__csp")
    assert violations == []
    assert errors == []


def test_a_framed_page_is_refused(page, live_server):
    """frame-ancestors 'none': another page can't put the form in a frame (clickjacking)."""
    page.set_content(f'<iframe id="f" src="{live_server}/"></iframe>')
    page.wait_for_timeout(1000)
    frame = page.frame_locator("#f")
    assert frame.locator("#banner-form").count() == 0
