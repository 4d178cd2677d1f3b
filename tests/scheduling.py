"""How `make test` hands test files to its pytest-xdist workers (`-p tests.scheduling`).

pytest-xdist's `--dist loadfile` keeps a file on one worker (its module fixtures and cached
layouts are made once) and hands files out in the order of their number of tests. Here:

- The journeys (tests/e2e/journeys/) are one unit on one worker, as in a serial run: they share
  one `make run` server, its demo data, its first editor and logged-in sessions (session
  fixtures). Spread over three workers, each started its own (`make run` seeds the demo, the
  flask CLI adds the editor, the server warms up): tests/e2e, -n 3, CPU of the process trees
  187 s -> 164 s.
- Units go out heaviest first (longest processing time first), not by their number of tests:
  browser files have few tests, and a long one handed out last would keep one worker busy
  after the others ran dry. The run ends on small files that even out across the workers.

WALL holds each unit's share of a run in seconds (units of 6 s and more; the mean of three
whole -n 3 runs on this machine, each scaled to 800 s of work, i.e. 3 workers x ~267 s; only the
order matters). A file not listed counts PER_TEST a test (PER_BROWSER_TEST in tests/e2e/), so a
new file lands in a sensible place; refresh the table from `pytest --durations=0` (summed by
file) when the order looks wrong.
"""

from __future__ import annotations

from xdist.scheduler import LoadFileScheduling

JOURNEYS = "tests/e2e/journeys/"
PER_TEST = 0.05  # s, for a file the table does not know
PER_BROWSER_TEST = 1.5  # s, the same in tests/e2e/

WALL = {
    JOURNEYS: 124,
    "tests/engine/test_corpus.py": 40,
    "tests/engine/test_imagemagick.py": 26,
    "tests/web/test_banner_images.py": 26,
    "tests/e2e/test_e2e_proxy.py": 26,
    "tests/web/test_downloads.py": 26,
    "tests/web/test_campaigns.py": 23,
    "tests/web/test_preforked_workers.py": 22,
    "tests/engine/test_properties.py": 21,
    "tests/web/test_uploads.py": 19,
    "tests/web/test_faults.py": 18,
    "tests/web/test_bad_input.py": 18,
    "tests/web/test_campaign_gallery.py": 18,
    "tests/web/test_login_throttle.py": 17,
    "tests/e2e/test_phone.py": 17,
    "tests/web/test_archive_safety.py": 17,
    "tests/web/test_auth.py": 15,
    "tests/web/test_sessions.py": 14,
    "tests/web/test_print_cli_web.py": 14,
    "tests/web/test_security.py": 13,
    "tests/e2e/test_slogan_language.py": 11,
    "tests/web/test_stateless.py": 11,
    "tests/web/test_limits.py": 11,
    "tests/web/test_resend.py": 10,
    "tests/e2e/test_e2e_banner.py": 10,
    "tests/engine/test_fit.py": 10,
    "tests/e2e/test_e2e_gallery.py": 10,
    "tests/web/test_costly_specs.py": 9,
    "tests/web/test_sharing.py": 9,
    "tests/e2e/test_e2e_banner_image.py": 8,
    "tests/web/test_multiserver.py": 8,
    "tests/web/test_odd_input.py": 8,
    "tests/web/test_web_i18n.py": 8,
    "tests/engine/test_print.py": 8,
    "tests/engine/test_pdf_text.py": 8,
    "tests/web/test_gallery.py": 7,
    "tests/web/test_actions.py": 7,
    "tests/e2e/test_campaign.py": 6,
    "tests/e2e/test_e2e_design.py": 6,
}


class HeaviestFirst(LoadFileScheduling):
    """`--dist loadfile`, with the journeys as one unit and the heaviest units first."""

    def _split_scope(self, nodeid: str) -> str:
        return JOURNEYS if nodeid.startswith(JOURNEYS) else super()._split_scope(nodeid)

    def _assign_work_unit(self, node) -> None:
        if not getattr(self, "_ordered", False):  # once, when the first unit goes out
            self._ordered = True
            units = sorted(self.workqueue.items(), key=lambda unit: -cost(*unit))
            self.workqueue.clear()
            self.workqueue.update(units)
        super()._assign_work_unit(node)


def cost(scope: str, tests: dict) -> float:
    per_test = PER_BROWSER_TEST if scope.startswith("tests/e2e/") else PER_TEST
    return WALL.get(scope, per_test * len(tests))


def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") == "loadfile":
        return HeaviestFirst(config, log)
    return None
