"""Shared by the campaign tests: wait for a campaign through its status URL, read its ZIP."""

from __future__ import annotations

import io
import time
import zipfile

BUSY = ("queued", "working")


def wait_for_campaign(client, campaign_id: str, timeout: float = 180) -> dict:
    """Poll GET /api/campaigns/<id> until the campaign is done or failed (a generous deadline:
    the machine may be busy); return its status."""
    deadline = time.monotonic() + timeout
    while True:
        status = client.get(f"/api/campaigns/{campaign_id}").get_json()
        if status["state"] not in BUSY:
            return status
        assert time.monotonic() < deadline, f"campaign still {status['state']}: {status}"
        time.sleep(0.05)


def zip_names(data: bytes) -> list[str]:
    """The ZIP's file names below its top folder, sorted (the ZIP checked whole first)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return sorted(name.split("/", 1)[1] for name in archive.namelist())
