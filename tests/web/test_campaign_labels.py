"""A campaign's page names its banners in the interface language the person chose from the menu
('பிரெஞ்சு (fr) - A6 (105 × 148 மி.மீ.)'), while what is made once for everyone (the rows, the
API's `label`, the ZIP's file names, FAILED.txt and the contact sheet) stays in English. The app
as shipped (CSRF on), a real campaign rendered to its ZIP."""

from __future__ import annotations

import pytest
from test_reasons_in_ui_language import choose_ui_language, start_campaign, text_of
from web_helpers import pdf_text

from poster_app.extensions import db
from poster_app.models import BannerTask
from tests.campaign_helpers import wait_for_campaign, zip_names

RLI, PDI = "\u2067", "\u2069"  # the sides isolated right to left (web/labels.py)
ENGLISH = ["French (fr) - A6 (105 × 148 mm)", "French (fr) - US Letter (8.5 × 11 in)"]


@pytest.fixture
def shipped(make_app, tmp_path):
    """The app with the shipped settings (CSRF on) and a browser's client of it."""
    app = make_app(tmp_path / "data", WTF_CSRF_ENABLED=True)
    return app, app.test_client()


def made_in(client, ui: str) -> tuple[str, dict]:
    """A French campaign on A6 and US Letter, made with the interface in `ui`: its page's text
    and its status as the page's script polls it."""
    choose_ui_language(client, ui)
    page_url = start_campaign(
        client, langs=["fr"], text_fr="Liberté pour les détenus", sizes=["a6", "letter"]
    )
    assert wait_for_campaign(client, page_url.rsplit("/", 1)[1])["state"] == "done"
    return text_of(client.get(page_url).get_data(as_text=True)), client.get(
        page_url + "/status"
    ).get_json()


@pytest.mark.parametrize(
    ("ui", "labels"),
    [
        (
            "ta",
            ["பிரெஞ்சு (fr) - A6 (105 × 148 மி.மீ.)", "பிரெஞ்சு (fr) - US Letter (8.5 × 11 அங்.)"],
        ),
        (
            "ru",
            [
                "Французский (fr) - A6 (105 × 148 мм)",
                "Французский (fr) - US Letter (8,5 × 11 дюйм.)",
            ],
        ),
        (
            "ar",
            [
                f"الفرنسية (fr) - A6 ({RLI}105 × 148 مم{PDI})",
                f"الفرنسية (fr) - US Letter ({RLI}8.5 × 11 بوصة{PDI})",
            ],
        ),
        ("en", ENGLISH),
    ],
)
def test_the_banners_are_named_in_the_interface_language(shipped, ui, labels):
    app, client = shipped
    page, status = made_in(client, ui)
    for label in labels:
        assert page.count(label) == 1, (label, page[:2000])
    if ui != "en":
        assert "French" not in page and " mm)" not in page
    # Made once for everyone: the rows, the API's label, the ZIP and its contact sheet.
    assert [item["label"] for item in status["items"]] == ENGLISH
    with app.app_context():
        assert sorted(db.session.scalars(db.select(BannerTask.label))) == sorted(ENGLISH)
    archive = client.get(status["zip_url"]).get_data()
    assert zip_names(archive) == [
        "contact-sheet.pdf", "fr-a6.pdf", "fr-a6.png", "fr-letter.pdf", "fr-letter.png"
    ]  # fmt: skip
    sheet = pdf_text(client.get(status["page_url"] + "/contact-sheet.pdf").get_data())
    assert "French (fr) - A6 (105 × 148 mm)" in " ".join(sheet.split())


def test_a_language_the_engine_no_longer_knows_keeps_its_stored_label(shipped):
    """A row of a language since dropped: the page shows its English label, as stored."""
    from poster_app.models import Campaign

    app, client = shipped
    with app.app_context():
        campaign = Campaign(id="00112233445566778899", title="Stop", state="done")
        task = BannerTask(lang="xx", size="a6", text="Stop", label="Old (xx) - A6")
        task.state, task.error = "failed", "the printer caught fire"
        campaign.tasks = [task]
        db.session.add(campaign)
        db.session.commit()
    choose_ui_language(client, "ta")
    page = text_of(client.get("/campaigns/00112233445566778899").get_data(as_text=True))
    assert "Old (xx) - A6: the printer caught fire" in page
