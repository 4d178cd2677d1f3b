"""Screenshots to look at: taken only when POSTER_SCREENSHOTS is set (`make screenshots`).

The browser tests write a picture of each state they check, for a person to look at after
changing a page. Nothing reads them in `make test` (CI throws them away), and they were a tenth
of the browser tests' CPU: 142 full-page PNGs a run, a phone page at 2x or a page of photos
taking Chromium 0.2-3 s to draw and encode. So the tests take them when asked; the pages, the
steps and the assertions are the same either way. Screenshots a test measures (its pixels)
and the one a failed journey leaves (journeys/conftest.py) are always taken.
"""

from __future__ import annotations

import os
from pathlib import Path

WANTED = bool(os.environ.get("POSTER_SCREENSHOTS"))


def look(page, path: str | Path, full_page: bool = False) -> None:
    """Write a screenshot of the page to `path` when screenshots are wanted."""
    if WANTED:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), full_page=full_page)
