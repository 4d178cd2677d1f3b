"""A fresh instance: nobody can claim it on the web; its operator makes the first editor on the
command line, as the README says, and logs in."""

from __future__ import annotations

import pytest

from tests.e2e.journeys.server import make_run
from tests.e2e.journeys.walk import EDITOR, PASSWORD, VIEWPORTS, log_in, new_context, shoot


@pytest.fixture(scope="module")
def fresh(request, tmp_path_factory):
    """A fresh instance, as `make run` starts one: the journeys' own, which this journey gets
    first (conftest orders it so), unless an editor was made on it already (another order:
    then `make run` again, on an empty data dir of its own)."""
    instance = request.getfixturevalue("instance")
    if not instance.editors:
        yield instance
        return
    with make_run(tmp_path_factory.mktemp("fresh") / "data") as running:
        yield running


def test_the_first_editor_is_made_on_the_command_line(browser, instance, fresh, editor_sessions):
    assert "No editors yet" in fresh.log.read_text()  # `make run` says it in the terminal
    pages = {v: new_context(browser, fresh, v).new_page() for v in VIEWPORTS}
    for _viewport, page in pages.items():
        page.goto("/")
        page.get_by_role("link", name="Editors").click()
        page.get_by_role("heading", name="No editors yet").wait_for()
        assert page.locator("#name").count() == 0  # no form to claim the instance with
        shoot(page, "first-editor-1-none-yet")
        assert page.request.get("/setup").status == 404
    command = pages["phone"].locator("pre.command").inner_text().split()
    assert command[:5] == [".venv/bin/flask", "--app", "poster_app", "editors", "add"]
    # The journeys' editor: on their instance, the other journeys log in as this one.
    done = fresh.flask(*command[3:5], EDITOR, "--password-stdin", stdin=PASSWORD + "\n")
    if done.returncode == 0:
        fresh.editors.append(EDITOR)
    assert done.returncode == 0 and f"Added the editor {EDITOR}" in done.stdout, done.stderr
    for viewport, page in pages.items():
        log_in(page, EDITOR, PASSWORD)
        shoot(page, "first-editor-2-logged-in")
        if fresh is instance:  # the other journeys' editor pages go on from these log-ins
            editor_sessions[viewport] = page.context.storage_state()
        page.context.close()
