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

WALL holds each heavy unit's wall time in one -n 3 run on this machine (under load; only the
order matters). A file not listed counts 0.1 s a test, so a new file lands in a sensible place;
refresh the table from `pytest --durations=0` (summed by file) when the order looks wrong.
"""

from __future__ import annotations

from xdist.scheduler import LoadFileScheduling

JOURNEYS = "tests/e2e/journeys/"
PER_TEST = 0.1  # s, for a file the table does not know

WALL = {
    JOURNEYS: 261,
    "tests/engine/test_corpus.py": 98,
    "tests/web/test_banner_images.py": 76,
    "tests/engine/test_imagemagick.py": 60,
    "tests/web/test_downloads.py": 53,
    "tests/e2e/test_e2e_proxy.py": 47,
    "tests/e2e/test_phone.py": 42,
    "tests/web/test_sessions.py": 36,
    "tests/web/test_campaign_gallery.py": 35,
    "tests/web/test_auth.py": 34,
    "tests/web/test_campaigns.py": 32,
    "tests/web/test_bad_input.py": 32,
    "tests/web/test_archive_safety.py": 31,
    "tests/engine/test_properties.py": 27,
    "tests/e2e/test_slogan_language.py": 27,
    "tests/web/test_uploads.py": 23,
    "tests/web/test_login_throttle.py": 23,
    "tests/web/test_sharing.py": 21,
    "tests/web/test_security.py": 20,
    "tests/web/test_faults.py": 20,
    "tests/engine/test_fit.py": 19,
    "tests/web/test_preforked_workers.py": 17,
    "tests/engine/test_pdf_text.py": 17,
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
    return WALL.get(scope, PER_TEST * len(tests))


def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") == "loadfile":
        return HeaviestFirst(config, log)
    return None
