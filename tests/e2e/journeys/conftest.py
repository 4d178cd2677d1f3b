"""The journey suite: the app as `make run` serves it, walked in Chromium as people use it.

One server for the whole package (`make run PORT=0` on its own data dir: the demo data, CSRF
on, the default limits, nothing switched off) and one browser (tests/e2e/conftest.py). The
server and what is made on it live for the session, not the package: pytest-xdist hands each
worker the package's files between other files, and a package fixture was stopped and started
again around each of them (five `make run` starts a run, 6-10 s each); with session scope each
worker starts it once and a serial run is unchanged. The
first editor is made as the README says, on the command line: that journey runs first, on this
server while nobody has claimed it (a second `make run` just for it cost ~6 s of CPU). Each
journey runs at phone size (390 × 844) and at desktop size (1366 × 900); with
POSTER_SCREENSHOTS set (`make screenshots`) it writes a screenshot of each step to
tests/e2e/journeys/screenshots/ (git-ignored): look at them after a change to a page.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.journeys.server import make_run
from tests.e2e.journeys.walk import EDITOR, PASSWORD, VIEWPORTS, log_in, new_context, page_state
from tests.photo_helpers import heic_photo, iphone_jpeg, phone_jpeg, png_screenshot

JOURNEYS = Path(__file__).parent
FIRST_EDITOR = "test_journey_first_editor.py"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item):
    """A failed journey says where its page stood (CI's log is all there is to read then): a
    click that never reached the server, say, shows as the page it left the browser on."""
    report = yield
    if report.when == "call" and report.failed:
        for name in ("editor_page", "visitor"):
            if (page := item.funcargs.get(name)) is not None:
                state = page_state(page, item.originalname)  # (the screenshot adds the viewport)
                report.sections.append((f"{name} when it failed", state))
    return report


def pytest_collection_modifyitems(items):
    """The first-editor journey before the other journeys: it needs a server nobody has
    claimed yet, and finds the journeys' own one so (else it starts one of its own)."""
    journeys = [i for i, item in enumerate(items) if JOURNEYS in item.path.parents]
    if journeys:
        first = [item for item in items if item.path.name == FIRST_EDITOR]
        rest = [item for item in items if item.path.name != FIRST_EDITOR]
        rest[journeys[0] : journeys[0]] = first
        items[:] = rest


@pytest.fixture(scope="session")
def instance(tmp_path_factory):
    with make_run(tmp_path_factory.mktemp("journeys") / "data") as running:
        yield running


@pytest.fixture(scope="session")
def editor(instance):
    """The journeys' editor, made on the server's command line as the README says: by the
    first-editor journey, which runs first, else here."""
    if EDITOR not in instance.editors:
        done = instance.flask("editors", "add", EDITOR, "--password-stdin", stdin=PASSWORD + "\n")
        assert done.returncode == 0, done.stderr
        instance.editors.append(EDITOR)
    return EDITOR


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request) -> str:
    return request.param


@pytest.fixture
def visitor(browser, instance, viewport):
    """A page in a fresh browser context (no cookies), at the journey's viewport."""
    context = new_context(browser, instance, viewport)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="session")
def editor_sessions() -> dict[str, dict]:
    """The editor's logged-in browser state (cookies) on the journeys' instance, by viewport:
    from the first log-in through the form at that viewport."""
    return {}


@pytest.fixture
def editor_page(browser, instance, editor, viewport, editor_sessions):
    """A page logged in as the editor (through the log-in form, once per viewport)."""
    state = editor_sessions.get(viewport)
    context = new_context(browser, instance, viewport, storage_state=state)
    page = context.new_page()
    if state is None:
        log_in(page, EDITOR, PASSWORD)
        editor_sessions[viewport] = context.storage_state()
    yield page
    context.close()


@pytest.fixture(scope="session")
def links() -> set[str]:
    """Every URL the suite has followed: each is fetched and checked once."""
    return set()


@pytest.fixture(scope="session")
def photos(tmp_path_factory) -> dict[str, str]:
    """Photos as phones name and make them, on disk for the file chooser."""
    folder = tmp_path_factory.mktemp("photos")
    made = {
        "phone": ("PXL_20261107_140309.jpg", phone_jpeg()),  # 3-5 MB, GPS, camera, XMP
        "iphone": ("IMG_4031.JPG", iphone_jpeg()),  # Apple EXIF, turned by Orientation 6
        "heic": ("IMG_4032.HEIC", heic_photo()),
        "screenshot": ("Screenshot_20261107-140512.png", png_screenshot()),
    }
    paths = {}
    for key, (name, data) in made.items():
        (folder / name).write_bytes(data)
        paths[key] = str(folder / name)
    return paths
