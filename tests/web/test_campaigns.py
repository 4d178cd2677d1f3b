"""Campaigns: the job runner (a failing item doesn't stop the rest), the ZIP, the web pages."""

from __future__ import annotations

import io
import re
import subprocess
import threading
import zipfile

import pytest

from poster_app import phrasebook
from poster_app.campaigns import BannerTask, CampaignRunner
from poster_app.rendering import Renderer
from tests.web_helpers import has_words, pdf_text, png_size

FORM = {"colours": "black-on-white"}


def tasks_for(phrase_id: str, langs, sizes=("a6",)) -> list[BannerTask]:
    return [
        BannerTask(
            lang=lang, size=size, text=phrasebook.translate(phrase_id, lang), label=f"{lang} {size}"
        )
        for lang in langs
        for size in sizes
    ]


@pytest.fixture
def runner(tmp_path):
    made = CampaignRunner(tmp_path / "campaigns", workers=3)
    yield made
    made.shutdown()


def zip_names(path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        return sorted(name.split("/", 1)[1] for name in archive.namelist())


def test_a_campaign_builds_every_file_and_a_contact_sheet(runner):
    campaign = runner.start(
        "Stop torture", tasks_for("stop-torture", ["ru", "ar", "zh-Hans"], ["a6", "square-1080px"])
    )
    status = runner.wait(campaign.id)
    assert (status["state"], status["done"], status["failed"], status["total"]) == (
        "finished",
        6,
        0,
        6,
    )
    names = zip_names(runner.zip_path(campaign.id))
    assert names == sorted(
        ["contact-sheet.pdf"]
        + [
            f"{lang}-{size}.{ext}"
            for lang in ("ru", "ar", "zh-Hans")
            for size in ("a6", "square-1080px")
            for ext in ("png", "pdf")
        ]
    )
    with zipfile.ZipFile(runner.zip_path(campaign.id)) as archive:
        top = archive.namelist()[0].split("/")[0]
        assert png_size(archive.read(f"{top}/ru-square-1080px.png")) == (1080, 1080)
        assert has_words(archive.read(f"{top}/ru-a6.pdf"), "Нет пыткам")
        sheet = pdf_text(archive.read(f"{top}/contact-sheet.pdf"))
    assert "Stop torture - 6 banners" in sheet
    assert "zh-Hans a6" in sheet and "ar-square-1080px.png" in sheet


def test_a_failing_item_is_reported_and_the_others_still_finish(runner):
    def flaky(spec):
        if spec.lang == "ar":
            raise ValueError("the printer caught fire")
        return Renderer().campaign_files(spec)

    runner.render = flaky
    campaign = runner.start("No war", tasks_for("no-war", ["ru", "ar", "de", "fr"]))
    status = runner.wait(campaign.id)
    assert (status["state"], status["done"], status["failed"]) == ("finished", 3, 1)
    failed = [item for item in status["items"] if item["state"] == "failed"]
    assert failed == [{**failed[0], "lang": "ar", "error": "the printer caught fire"}]
    names = zip_names(runner.zip_path(campaign.id))
    assert "ar-a6.png" not in names and "de-a6.pdf" in names and "FAILED.txt" in names
    with zipfile.ZipFile(runner.zip_path(campaign.id)) as archive:
        failed_txt = next(n for n in archive.namelist() if n.endswith("FAILED.txt"))
        assert archive.read(failed_txt).decode() == "ar-a6: the printer caught fire\n"


def test_missing_glyphs_fail_that_item_with_a_message(runner):
    items = tasks_for("no-war", ["ru"]) + [
        BannerTask(lang="en", size="a6", text="No war \U00012000")
    ]
    status = runner.wait(runner.start("No war", items).id)
    assert status["done"] == 1 and status["failed"] == 1
    assert "U+" in status["items"][1]["error"] or "font" in status["items"][1]["error"]


def test_a_campaign_finishes_only_after_every_banner_is_recorded(tmp_path):
    """The race behind a flaky "5 banners" of 6: a task that was rendered but not yet recorded
    must not let another worker finish the campaign. Here the Russian banner's recording
    waits (up to 2 s) for the campaign to finish; it must not finish without it."""
    recorded: list[str] = []
    finished = threading.Event()
    seen_at_finish: list[list[str]] = []

    def record(job, task, spec, files):
        if task.lang == "ru":
            finished.wait(2)  # a bug would finish the campaign meanwhile
        recorded.append(task.lang)

    def finish(job):
        seen_at_finish.append(sorted(recorded))
        finished.set()

    runner = CampaignRunner(tmp_path / "campaigns", workers=2, on_task=record, on_finish=finish)
    campaign = runner.start("No war", tasks_for("no-war", ["ru", "de"]))
    assert runner.wait(campaign.id)["state"] == "finished"
    assert seen_at_finish == [["de", "ru"]]
    runner.shutdown()


def test_the_work_runs_outside_the_caller_and_status_is_shared_through_the_folder(tmp_path):
    gate = threading.Event()

    def slow(spec):
        gate.wait(10)
        return Renderer().campaign_files(spec)

    runner = CampaignRunner(tmp_path / "campaigns", workers=1, render=slow)
    campaign = runner.start("Stop torture", tasks_for("stop-torture", ["ru", "de"]))
    status = runner.status(campaign.id)  # start() returned at once
    assert (status["state"], status["finished"], status["total"]) == ("working", 0, 2)
    assert runner.zip_path(campaign.id) is None
    other = CampaignRunner(tmp_path / "campaigns", workers=1)  # another app process
    assert other.status(campaign.id)["total"] == 2
    gate.set()
    assert runner.wait(campaign.id)["state"] == "finished"
    assert other.status(campaign.id)["state"] == "finished"
    assert other.zip_path(campaign.id) is not None
    runner.shutdown()
    other.shutdown()


@pytest.mark.parametrize("bad", ["", "../../etc", "0123456789ABCDEF0123", "x" * 20])
def test_unknown_or_malformed_ids_are_nothing(runner, bad):
    assert runner.status(bad) is None and runner.zip_path(bad) is None


def test_contact_sheet_has_one_page_per_eighteen_banners(runner, tmp_path):
    langs = [lang for lang in phrasebook.languages() if phrasebook.translate("no-war", lang)][:10]
    campaign = runner.start("No to war", tasks_for("no-war", langs, ["a6", "a5"]))
    runner.wait(campaign.id)
    sheet = runner.folder(campaign.id) / "contact-sheet.pdf"
    info = subprocess.run(
        ["pdfinfo", str(sheet)], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"Pages:\s+2\b", info)


# --- The web pages


def wait_for(client, location):
    runner = client.application.extensions["campaigns"]
    runner.wait(location.rsplit("/", 1)[1])
    return client.get(location + "/status").get_json()


def test_the_form_lists_phrasebook_languages_and_sizes(client):
    html = client.get("/campaigns/new").get_data(as_text=True)
    for tag in phrasebook.languages():
        assert f'name="text_{tag}"' in html
    assert re.search(
        r'<input checked id="sizes-\d+" name="sizes" type="checkbox" value="a4">', html
    )
    assert 'name="sizes"' in html and 'value="square-1080px"' in html


def test_a_phrase_fills_the_languages_without_js(client):
    html = client.get("/campaigns/new?phrase=no-borders").get_data(as_text=True)
    assert re.search(r'name="text_ru" id="text_ru" value="Нет границам"', html)
    assert re.search(r'name="text_id" id="text_id" value=""', html)  # no translation: empty


def test_a_campaign_through_the_web(client):
    response = client.post(
        "/campaigns/new",
        data={
            **FORM,
            "phrase": "stop-torture",
            "langs": ["ru", "ar"],
            "sizes": ["a6", "square-1080px"],
            "other_lang_1": "ja",
            "other_text_1": "拷問をやめろ",
        },
    )
    assert response.status_code == 303
    location = response.headers["Location"]
    page = client.get(location).get_data(as_text=True)
    assert "of 6 done" in page
    status = wait_for(client, location)
    assert (status["state"], status["done"], status["total"]) == ("finished", 6, 6)
    download = client.get(status["zip_url"])
    assert download.mimetype == "application/zip"
    assert "attachment" in download.headers["Content-Disposition"]
    names = zip_names(io.BytesIO(download.data))
    assert "ja-square-1080px.png" in names and "ar-a6.pdf" in names
    assert client.get(location + "/contact-sheet.pdf").data.startswith(b"%PDF")
    assert "6 of 6 done" in client.get(location).get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"phrase": "stop-torture", "sizes": ["a4"]}, "langs", "Choose at least one language."),
        ({"phrase": "stop-torture", "langs": ["ru"]}, "sizes", "Choose at least one size."),
        (
            {"phrase": "no-borders", "langs": ["id"], "sizes": ["a4"]},
            "text_id",
            "Type the slogan in this language",
        ),
        ({"langs": ["ru"], "text_ru": "a\u202eb", "sizes": ["a4"]}, "text_ru", "bidi override"),
        (
            {"other_lang_1": "xx-Nope", "other_text_1": "hi", "sizes": ["a4"]},
            "other_text_1",
            "This can",
        ),
        (
            {
                "phrase": "no-war",
                "langs": ["ru", "de", "fr", "es", "it"],
                "sizes": [
                    "a0",
                    "a1",
                    "a2",
                    "a3",
                    "a4",
                    "a5",
                    "a6",
                    "letter",
                    "legal",
                    "tabloid",
                    "square-1080px",
                    "portrait-1080x1350px",
                    "wide-1920x1080px",
                    "banner-200x70cm",
                    "banner-300x100cm",
                ],
            },
            "sizes",
            "At most 60 banners at once",
        ),
    ],
)
def test_bad_campaigns_say_what_to_fix(client, data, field, message):
    response = client.post("/campaigns/new", data={**FORM, **data})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(rf'id="{field}-error"><li>[^<]*{re.escape(message)}', html), html[-3000:]


def test_zip_is_409_while_building_and_404_for_nothing(client, app):
    gate = threading.Event()

    def slow(spec):
        gate.wait(10)
        return Renderer().campaign_files(spec)

    with app.app_context():
        from poster_app.campaigns import runner

        runner().render = slow
    response = client.post(
        "/campaigns/new", data={**FORM, "phrase": "no-war", "langs": ["ru"], "sizes": ["a6"]}
    )
    location = response.headers["Location"]
    status = client.get(location + "/status").get_json()
    assert status["state"] == "working" and status["zip_url"] is None
    assert client.get(location + ".zip").status_code == 409
    gate.set()
    assert wait_for(client, location)["state"] == "finished"
    assert client.get(location + ".zip").status_code == 200
    assert client.get("/campaigns/0123456789abcdef0123.zip").status_code == 404
    assert client.get("/campaigns/0123456789abcdef0123/status").status_code == 404
