"""Small helpers several blueprints answer with: immutable files, safe redirects, banner and
photo URLs."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Response, url_for

from .. import campaigns, phrasebook
from ..models import Campaign
from ..photos import DISPLAY_WIDTHS

ONE_YEAR = 365 * 24 * 3600  # seconds


def immutable(response: Response) -> Response:
    """Content-addressed files never change: let browsers and proxies keep them."""
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response


def personal(response: Response) -> Response:
    """A photo of people at an action: it may be deleted, and must then be gone (a face can put
    someone in danger), not kept for a year. No shared cache may keep it (`private`); a
    browser that keeps it asks before each use (`no-cache`), and its ETag makes the answer a
    304 while the photo is kept, a 404 once it is deleted."""
    response.cache_control.private = True
    response.cache_control.no_cache = True
    return response


def local_url(url: str | None) -> str:
    """Keep redirects on this site: a `next` that names another host goes home instead.

    So does one with a backslash (browsers read `/\\host` as `//host`) or a control character
    (a line break would split the Location header).
    """
    if not url:
        return "/"
    parts = urlsplit(url)
    if (
        parts.scheme
        or parts.netloc
        or not url.startswith("/")
        or url.startswith("//")
        or "\\" in url
        or any(ch <= " " or ch == "\x7f" for ch in url)
    ):
        return "/"
    return url


def phrasebook_url() -> str:
    """Where the forms' script fetches the phrasebook (a name that changes with its content)."""
    return url_for("banners.phrasebook", digest=phrasebook.table_json()[0])


def banner_urls(banner_id: str) -> dict[str, str]:
    """The URLs of a banner's page and files, as the API returns them."""
    return {
        "page_url": url_for("banners.show", banner_id=banner_id),
        "png_url": url_for("banners.png", banner_id=banner_id),
        "pdf_url": url_for("banners.pdf", banner_id=banner_id),
        "thumb_url": url_for("banners.thumb", banner_id=banner_id),
    }


def display_copies(file: str, width: int) -> list[tuple[str, int]]:
    """The URL and width of each display copy of a photo (its file, its width): those of
    DISPLAY_WIDTHS narrower than it (no copy is made larger than the photo)."""
    name = file.split("/")[-1]
    return [
        (url_for("actions.photo_display", width=copy, name=name), copy)
        for copy in DISPLAY_WIDTHS
        if copy < width
    ]


def campaign_status(campaign: Campaign) -> dict:
    """A campaign's progress as the API and its page's poll read it, with its URLs (the ZIP's
    once it is made and kept)."""
    return {
        **campaigns.describe(campaign),
        "status_url": url_for("api.get_campaign", campaign_id=campaign.id),
        "page_url": url_for("campaigns.show", campaign_id=campaign.id),
        "zip_url": url_for("campaigns.download", campaign_id=campaign.id)
        if campaigns.has_zip(campaign)
        else None,
    }
