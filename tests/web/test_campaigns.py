"""Campaigns: rows are the truth (tasks queued → working → done/failed), a failing banner
doesn't stop the rest, the ZIP and contact sheet, the form and the JSON API, and leases: a job
whose worker died is queued again, and given up after its attempts."""

from __future__ import annotations

import io
import re
import subprocess
import threading
import zipfile
from datetime import timedelta

import pytest

from poster_app import campaigns, phrasebook
from poster_app.extensions import db
from poster_app.models import BannerTask, Campaign, utcnow
from poster_app.rendering import renderer
from tests.campaign_helpers import wait_for_campaign, zip_names
from tests.web_helpers import has_words, pdf_text, png_size

FORM = {"colours": "black-on-white"}


def post_campaign(client, body: dict) -> str:
    response = client.post("/api/campaigns", json=body)
    assert response.status_code == 202, response.get_json()
    return response.get_json()["id"]


def phrase_campaign(client, phrase: str, langs, sizes=("a6",)) -> str:
    return post_campaign(client, {"phrase": phrase, "langs": list(langs), "sizes": list(sizes)})


def test_a_campaign_builds_every_file_and_a_contact_sheet(client):
    campaign_id = phrase_campaign(
        client, "stop-torture", ["ru", "ar", "zh-Hans"], ["a6", "square-1080px"]
    )
    status = wait_for_campaign(client, campaign_id)
    assert (status["state"], status["done"], status["failed"], status["total"]) == (
        "done",
        6,
        [],
        6,
    )
    data = client.get(status["zip_url"]).data
    assert zip_names(data) == sorted(
        ["contact-sheet.pdf"]
        + [
            f"{lang}-{size}.{ext}"
            for lang in ("ru", "ar", "zh-Hans")
            for size in ("a6", "square-1080px")
            for ext in ("png", "pdf")
        ]
    )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        top = archive.namelist()[0].split("/")[0]
        assert png_size(archive.read(f"{top}/ru-square-1080px.png")) == (1080, 1080)
        assert has_words(archive.read(f"{top}/ru-a6.pdf"), "Нет пыткам")
        sheet = pdf_text(archive.read(f"{top}/contact-sheet.pdf"))
    assert "Stop torture - 6 banners" in sheet
    assert "zh-Hans-a6.png" in sheet and "ar-a6.png" in sheet
    assert client.get(f"/campaigns/{campaign_id}/contact-sheet.pdf").data.startswith(b"%PDF")


def test_a_failing_banner_is_reported_and_the_others_still_finish(client, monkeypatch):
    def flaky(spec):
        if spec.lang == "ar":
            raise ValueError("the printer caught fire")
        return renderer().campaign_files(spec)

    monkeypatch.setattr(campaigns, "render_files", flaky)
    status = wait_for_campaign(client, phrase_campaign(client, "no-war", ["ru", "ar", "de", "fr"]))
    assert (status["state"], status["done"]) == ("done", 3)
    # An unexpected error has no code: its English is the message too.
    reason = "the printer caught fire"
    failed = {"name": "ar-a6", "lang": "ar", "size": "a6"}
    assert status["failed"] == [{**failed, "error": reason, "code": "", "message": reason}]
    data = client.get(status["zip_url"]).data
    names = zip_names(data)
    assert "ar-a6.png" not in names and "de-a6.pdf" in names and "FAILED.txt" in names
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        failed_txt = next(n for n in archive.namelist() if n.endswith("FAILED.txt"))
        assert archive.read(failed_txt).decode() == "ar-a6: the printer caught fire\n"


def test_a_campaign_where_nothing_could_be_made_failed(client, monkeypatch):
    def broken(spec):
        raise ValueError("no ink")

    monkeypatch.setattr(campaigns, "render_files", broken)
    status = wait_for_campaign(client, phrase_campaign(client, "no-war", ["ru", "de"]))
    assert status["state"] == "failed" and status["error"] == "No banner could be made."
    assert [item["error"] for item in status["failed"]] == ["no ink", "no ink"]
    assert status["zip_url"] is None


def test_missing_glyphs_fail_that_banner_with_a_message(client):
    campaign_id = post_campaign(
        client, {"texts": {"ru": "Нет войне", "en": "No war \U00012000"}, "sizes": ["a6"]}
    )
    status = wait_for_campaign(client, campaign_id)
    assert status["done"] == 1 and len(status["failed"]) == 1
    assert "U+12000" in status["failed"][0]["error"]


def test_the_work_runs_outside_the_request_and_any_app_reads_its_progress(
    client, app, tmp_path, monkeypatch
):
    gate = threading.Event()

    def slow(spec):
        assert gate.wait(60)
        return renderer().campaign_files(spec)

    monkeypatch.setattr(campaigns, "render_files", slow)
    campaign_id = phrase_campaign(client, "stop-torture", ["ru", "de"])
    status = client.get(f"/api/campaigns/{campaign_id}").get_json()  # the POST returned at once
    assert status["state"] in ("queued", "working") and status["finished"] == 0
    assert status["total"] == 2 and status["zip_url"] is None
    # Another app process on the same database (here: the same data dir) reads the rows.
    from poster_app import create_app, jobs

    other = create_app({"TESTING": True, "SECRET_KEY": "test", **_same_database(app)})
    try:
        assert other.test_client().get(f"/api/campaigns/{campaign_id}").get_json()["total"] == 2
        gate.set()
        assert wait_for_campaign(client, campaign_id)["state"] == "done"
        assert wait_for_campaign(other.test_client(), campaign_id)["zip_url"]
    finally:
        jobs.stop(other)  # it started a keeper (a campaign was unfinished at its start)


def _same_database(app) -> dict:
    return {
        "POSTER_DATA_DIR": app.config["POSTER_DATA_DIR"],
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
    }


@pytest.mark.parametrize("bad", ["..%2F..%2Fetc", "0123456789ABCDEF0123", "x" * 20])
def test_unknown_or_malformed_ids_are_nothing(client, bad):
    assert client.get(f"/api/campaigns/{bad}").status_code == 404
    assert client.get(f"/campaigns/{bad}.zip").status_code == 404
    assert client.get(f"/campaigns/{bad}/status").status_code == 404


def test_contact_sheet_has_one_page_per_eighteen_banners(client, tmp_path):
    langs = [lang for lang in phrasebook.languages() if phrasebook.translate("no-war", lang)][:10]
    status = wait_for_campaign(client, phrase_campaign(client, "no-war", langs, ["a6", "a5"]))
    sheet = tmp_path / "sheet.pdf"
    sheet.write_bytes(client.get(f"/campaigns/{status['id']}/contact-sheet.pdf").data)
    info = subprocess.run(
        ["pdfinfo", str(sheet)], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"Pages:\s+2\b", info)


# --- The JSON API


def test_the_api_answers_202_with_the_campaign_urls(client):
    response = client.post(
        "/api/campaigns", json={"texts": {"en": "Free them all"}, "sizes": ["a6"]}
    )
    assert response.status_code == 202
    body = response.get_json()
    assert set(body) == {"id", "status_url", "page_url"}
    assert response.headers["Location"] == body["status_url"] == f"/api/campaigns/{body['id']}"
    status = wait_for_campaign(client, body["id"])
    assert {"state", "done", "total", "failed", "zip_url"} <= set(status)
    assert client.get(status["zip_url"]).mimetype == "application/zip"
    assert client.get(body["page_url"]).status_code == 200


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"texts": {"en": "Hi"}}, "sizes", "must be a JSON list"),
        ({"texts": {}, "sizes": ["a4"]}, "langs", "Choose at least one language."),
        ({"texts": {"en": "Hi"}, "sizes": []}, "sizes", "Choose at least one size."),
        ({"texts": {"en": "Hi"}, "sizes": ["a11"]}, "sizes", "Unknown size: a11."),
        ({"texts": {"en": "  "}, "sizes": ["a4"]}, "texts.en", "Type the slogan"),
        ({"texts": {"xx-Nope": "Hi"}, "sizes": ["a4"]}, "texts.xx-Nope", "This can"),
        ({"texts": {"en": "a\u202eb"}, "sizes": ["a4"]}, "texts.en", "bidi override"),
        ({"texts": "Hi", "sizes": ["a4"]}, "texts", "must be a JSON dict"),
        ({"phrase": "nope", "langs": ["ru"], "sizes": ["a4"]}, "phrase", "unknown phrase"),
        ({"phrase": "no-borders", "langs": ["id"], "sizes": ["a4"]}, "langs.id", "Type the"),
        ({"texts": {"en": "Hi"}, "sizes": ["a4"], "fg": "bright"}, "fg", "colour"),
        (
            {
                "phrase": "no-war",
                "langs": ["ru", "de", "fr", "es", "it"],
                "sizes": ["a0", "a1", "a2"]
                + ["a3", "a4", "a5", "a6", "letter", "legal", "tabloid", "square-1080px"]
                + ["portrait-1080x1350px", "wide-1920x1080px"],
            },
            "sizes",
            "At most 60 banners at once",
        ),
    ],
)
def test_bad_api_campaigns_say_what_to_fix(client, app, body, field, message):
    response = client.post("/api/campaigns", json=body)
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["field"] == field
    assert message in response.get_json()["error"]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Campaign.id))) == 0


def test_the_api_takes_json_only(client):
    assert client.post("/api/campaigns", data={"texts": "x"}).status_code == 415
    assert (
        client.post(
            "/api/campaigns", data="{", headers={"Content-Type": "application/json"}
        ).status_code
        == 400
    )


# --- The web pages


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
    status = wait_for_campaign(client, location.rsplit("/", 1)[1])
    assert (status["state"], status["done"], status["total"]) == ("done", 6, 6)
    assert client.get(location + "/status").get_json()["zip_url"] == status["zip_url"]
    download = client.get(status["zip_url"])
    assert download.mimetype == "application/zip"
    assert "attachment" in download.headers["Content-Disposition"]
    assert int(download.headers["Content-Length"]) == len(download.data)
    names = zip_names(download.data)
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
                "sizes": ["a0", "a1", "a2", "a3", "a4", "a5", "a6", "letter", "legal", "tabloid"]
                + ["square-1080px", "portrait-1080x1350px", "wide-1920x1080px"],
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


def test_zip_is_409_while_building_and_404_for_nothing(client, monkeypatch):
    gate = threading.Event()

    def slow(spec):
        assert gate.wait(60)
        return renderer().campaign_files(spec)

    monkeypatch.setattr(campaigns, "render_files", slow)
    campaign_id = phrase_campaign(client, "no-war", ["ru"])
    status = client.get(f"/campaigns/{campaign_id}/status").get_json()
    assert status["state"] in ("queued", "working") and status["zip_url"] is None
    assert client.get(f"/campaigns/{campaign_id}.zip").status_code == 409
    gate.set()
    assert wait_for_campaign(client, campaign_id)["state"] == "done"
    assert client.get(f"/campaigns/{campaign_id}.zip").status_code == 200
    assert client.get("/campaigns/0123456789abcdef0123.zip").status_code == 404
    assert client.get("/campaigns/0123456789abcdef0123/status").status_code == 404


def test_an_expired_zip_is_gone_and_the_page_says_so(client, app):
    status = wait_for_campaign(client, phrase_campaign(client, "no-war", ["ru"]))
    with app.app_context():
        from poster_app import blobs

        expired = blobs.prune_expired(utcnow() + timedelta(hours=25))
        assert len(expired) == 2  # the ZIP and the sheet
    assert client.get(f"/campaigns/{status['id']}.zip").status_code == 410
    after = client.get(f"/api/campaigns/{status['id']}").get_json()
    assert after["state"] == "done" and after["zip_url"] is None
    html = client.get(f"/campaigns/{status['id']}").get_data(as_text=True)
    assert "kept for a day and is gone" in html and 'id="download-zip"' in html
    assert re.search(r'<div id="download" hidden>', html)


# --- Leases: a campaign never stays "working" with nobody working on it


def abandon(app, campaign_id: str, state: str = "working", attempts: int = 1) -> None:
    """Make the campaign's first task look like its worker died holding it."""
    with app.app_context():
        tasks = db.select(BannerTask).filter_by(campaign_id=campaign_id).order_by(BannerTask.id)
        task = db.session.scalars(tasks).first()
        task.state, task.owner, task.attempts = state, "dead-host:1:abcd", attempts
        task.lease_until = utcnow() - timedelta(seconds=1)
        task.job_id = "job-of-the-dead"
        db.session.commit()


@pytest.fixture
def held(monkeypatch):
    """Renders that wait until released, so a test can change rows mid-campaign."""
    gate = threading.Event()

    def slow(spec):
        assert gate.wait(60)
        return renderer().campaign_files(spec)

    monkeypatch.setattr(campaigns, "render_files", slow)
    yield gate
    gate.set()


def wait_until_working(app, campaign_id: str, n: int) -> None:
    """Wait until `n` tasks of the campaign are being rendered."""
    import time

    deadline = time.monotonic() + 60
    with app.app_context():
        while True:
            found = db.session.scalar(
                db.select(db.func.count(BannerTask.id)).filter_by(
                    campaign_id=campaign_id, state="working"
                )
            )
            if found == n:
                return
            assert time.monotonic() < deadline, f"{found} of {n} tasks working"
            db.session.rollback()
            time.sleep(0.05)


def test_a_task_whose_worker_died_is_made_again(client, app, held):
    campaign_id = phrase_campaign(client, "no-war", ["ru", "de"])
    wait_until_working(app, campaign_id, 2)  # both threads hold a task, rendering
    # As if the first one's process had died: its lease ran out, another job id holds it.
    abandon(app, campaign_id)
    status = client.get(f"/api/campaigns/{campaign_id}").get_json()  # reading finds it
    assert status["items"][0]["state"] == "queued"
    held.set()  # the "dead" thread wakes up: its work is no longer its own and is dropped
    status = wait_for_campaign(client, campaign_id)
    assert (status["state"], status["done"], status["failed"]) == ("done", 2, [])
    with app.app_context():
        tasks = db.session.scalars(
            db.select(BannerTask).filter_by(campaign_id=campaign_id).order_by(BannerTask.id)
        ).all()
        assert [t.attempts for t in tasks] == [2, 1]
        assert all(t.job_id != "job-of-the-dead" and t.owner == "" for t in tasks)
    assert "ru-a6.pdf" in zip_names(client.get(status["zip_url"]).data)


def test_a_task_that_killed_its_worker_three_times_is_given_up(client, app, held):
    campaign_id = phrase_campaign(client, "no-war", ["ru", "de"])
    wait_until_working(app, campaign_id, 2)
    abandon(app, campaign_id, attempts=3)
    held.set()
    status = wait_for_campaign(client, campaign_id)
    assert status["state"] == "done" and status["done"] == 1
    assert status["failed"][0]["name"] == "ru-a6"
    assert "stopped 3 times" in status["failed"][0]["error"]


def test_a_queued_task_of_a_dead_app_process_is_queued_again(client, app, held):
    campaign_id = phrase_campaign(client, "no-war", ["ru"])
    abandon(app, campaign_id, state="queued", attempts=0)  # its process died before it ran
    held.set()
    status = wait_for_campaign(client, campaign_id)
    assert (status["state"], status["done"]) == ("done", 1)


def test_a_zip_whose_builder_died_is_built_again(client, app):
    campaign_id = phrase_campaign(client, "no-war", ["ru"])
    wait_for_campaign(client, campaign_id)
    with app.app_context():
        from poster_app import blobs

        record = db.session.get(Campaign, campaign_id)
        blobs.remove(campaigns.zip_name(campaign_id))
        record.state, record.owner, record.job_id, record.attempts = "zipping", "dead", "j", 1
        record.lease_until = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert client.get(f"/campaigns/{campaign_id}.zip").status_code == 409
    status = wait_for_campaign(client, campaign_id)
    assert status["state"] == "done" and status["zip_url"]
    assert "ru-a6.pdf" in zip_names(client.get(status["zip_url"]).data)


def test_a_live_lease_is_left_alone(client, app, held):
    campaign_id = phrase_campaign(client, "no-war", ["ru"])
    with app.app_context():
        task = db.session.scalars(db.select(BannerTask).filter_by(campaign_id=campaign_id)).one()
        job = task.job_id
        campaigns.recover(db.session.get(Campaign, campaign_id), force=True)
        db.session.refresh(task)
        assert task.job_id == job  # still its own job: nobody else queued it
    held.set()
    assert wait_for_campaign(client, campaign_id)["state"] == "done"


def test_the_keeper_runs_while_a_campaign_is_unfinished_and_stops_with_its_app(
    make_app, tmp_path, held
):
    from poster_app import jobs

    app = make_app(tmp_path / "data", CAMPAIGN_LEASE_SECONDS=3)  # the keeper every second
    client = app.test_client()
    phrase_campaign(client, "no-war", ["ru"])
    (keeper,) = app.extensions["job_keepers"].values()
    assert keeper.is_alive()
    held.set()
    keeper.join(60)  # nothing unfinished: it ends by itself
    assert not keeper.is_alive() and not app.extensions["job_keepers"]
    held.clear()
    phrase_campaign(client, "no-war", ["de"])  # a new campaign starts a new one
    (keeper,) = app.extensions["job_keepers"].values()
    jobs.stop(app)  # an app thrown away (as each test's is) stops tending its database
    assert not keeper.is_alive() and not app.extensions["job_keepers"]
    with app.app_context():
        campaigns.keep_leases()
    assert not app.extensions["job_keepers"]


def test_a_fork_waits_until_the_keeper_has_finished_its_tend():
    """`flask worker` forks a child per job (RQ) while its keeper tends the leases on a
    thread. A fork in the middle of a tend left the child a lock held by a thread it does not
    have (SQLAlchemy's mapper-configuration lock): the job hung at its first query. A fork
    now waits for the tend to end."""
    import os

    from flask import Flask

    from poster_app import jobs

    app = Flask("keeper")
    inside, end_tend, forked = threading.Event(), threading.Event(), threading.Event()

    def tend() -> bool:
        inside.set()
        end_tend.wait(10)
        return False  # one tend, then the keeper ends

    def fork() -> None:
        pid = os.fork()
        if pid == 0:
            os._exit(0)
        forked.set()
        os.waitpid(pid, 0)

    jobs.keep(app, "tend", 0.01, tend)
    assert inside.wait(10)
    forking = threading.Thread(target=fork)
    forking.start()
    assert not forked.wait(0.5)  # held back while the tend runs
    end_tend.set()
    forking.join(10)
    assert forked.is_set()
    jobs.stop(app)
