"""Settings: defaults, then the environment, then the instance folder or the tests' dict."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

from .files import create_once

# UI languages with complete or partial catalogs in translations/; English is the source.
LANGUAGES = {
    "en": "English",
    "ru": "Русский",
    "es": "Español",
    "ms": "Bahasa Melayu",
    "ta": "தமிழ்",
    "zh": "中文（简体）",
    "si": "සිංහල",
    "tpi": "Tok Pisin",
    "ar": "العربية",
}


def max_pixels() -> int:
    """POSTER_MAX_PIXELS: the largest PNG made, in pixels (the PDF has no limit)."""
    return int(os.environ.get("POSTER_MAX_PIXELS") or 150_000_000)


def fonts_dir() -> str | None:
    """POSTER_FONTS_DIR: a folder holding the fonts (as `fonts/`: manifest, coverage, files)
    when they are not beside the code, e.g. in an installed package; unset: the bundled ones."""
    return os.environ.get("POSTER_FONTS_DIR") or None


def cache_dir() -> str:
    """POSTER_CACHE_DIR: where parsed hyphenation patterns and compiled templates are kept
    between processes (default ~/.cache/poster_app; parsing the German patterns takes
    seconds)."""
    return os.environ.get("POSTER_CACHE_DIR") or str(Path.home() / ".cache" / "poster_app")


def render_slots() -> int:
    """RENDER_SLOTS: renders at once per process (rendering.RenderGate)."""
    return int(os.environ.get("RENDER_SLOTS") or 1)


def render_queue() -> int:
    """RENDER_QUEUE: renders that may wait for a slot, per process, before a 503."""
    return int(os.environ.get("RENDER_QUEUE") or 12)


def defaults(instance_path: str) -> dict:
    """Return the settings before any override, reading the environment."""
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY"),
        "POSTER_DATA_DIR": os.environ.get("POSTER_DATA_DIR") or instance_path,
        "POSTER_FONTS_DIR": fonts_dir(),
        "POSTER_CACHE_DIR": cache_dir(),
        "DATABASE_URL": os.environ.get("DATABASE_URL"),
        # Redis (jobs on RQ, shared rate-limit counts); unset = everything in this process.
        "REDIS_URL": os.environ.get("REDIS_URL") or None,
        # Rendered files (thumbnails, downloads) are a cache pruned past this size.
        "POSTER_CACHE_MAX_MB": _number("POSTER_CACHE_MAX_MB", 2000),
        "MAX_CONTENT_LENGTH": 64 * 1024,  # a slogan and its options; photo forms: web/uploads.py
        "LANGUAGES": LANGUAGES,
        "BABEL_DEFAULT_LOCALE": "en",
        "PREVIEW_WIDTH": 600,  # px, the live preview's default width
        "PREVIEW_MAX_WIDTH": 1600,
        "PREVIEW_CACHE_SIZE": 128,  # previews kept in memory per process
        # Renders (plans, previews, downloads) at once per process, how many more may wait for
        # a slot and how long, before a 503 (rendering.RenderGate). One at a time: planning is
        # pure Python, so two threads of one process would share one core anyway (workers
        # make the parallelism), and a page waits behind one render at most. gunicorn.conf.py
        # lets a worker take no more connections than slots + queue: the others wait in the
        # listen queue for whichever worker frees first, rather than in one worker's gate.
        "RENDER_SLOTS": render_slots(),
        "RENDER_QUEUE": render_queue(),
        "RENDER_WAIT": float(os.environ.get("RENDER_WAIT") or 10),
        "MAX_PIXELS": max_pixels(),  # the largest PNG download
        "THUMB_WIDTH": 800,
        "DOWNLOAD_DPIS": (72, 150, 300, 600),
        # A form's token lives 12 hours; a form sent later gets a page that sends it again with
        # all that was typed (web/resend.py), so nothing is lost.
        "WTF_CSRF_TIME_LIMIT": 12 * 3600,
        "AUTO_MIGRATE": True,  # bring the database to head at start-up
        "GALLERY_THUMB_WIDTH": 400,  # px, the gallery grid's thumbnails
        "GALLERY_PER_PAGE": 24,
        # Without REDIS_URL, campaign banners are made by this many threads per app process.
        "CAMPAIGN_WORKERS": _number("CAMPAIGN_WORKERS", 2),
        "CAMPAIGN_MAX_BANNERS": _number("CAMPAIGN_MAX_BANNERS", 60),  # languages × sizes
        "CAMPAIGN_KEEP_HOURS": _number("CAMPAIGN_KEEP_HOURS", 24),  # then the ZIP is deleted
        # A worker renews its lease on a job every third of this; a job whose lease ran out
        # (its worker died) is queued again, up to CAMPAIGN_ATTEMPTS times in all.
        "CAMPAIGN_LEASE_SECONDS": _number("CAMPAIGN_LEASE_SECONDS", 30),
        "CAMPAIGN_ATTEMPTS": _number("CAMPAIGN_ATTEMPTS", 3),
        # `flask worker` renders at this lower CPU priority, so pages stay quick beside it.
        "WORKER_NICE": _number("WORKER_NICE", 10),
        "PHOTO_MAX_BYTES": 15_000_000,  # one uploaded photo
        "PHOTO_MAX_FILES": 10,  # photos per upload
        "PHOTO_MAX_PIXELS": 50_000_000,  # decompression-bomb guard (decoded size)
        "PHOTO_MAX_SIDE": 2560,  # px, stored photos are scaled down to this
        # An editor's session ends this long after its last request, and this long after the
        # log-in whatever happens (web/auth.py, logins.py).
        "SESSION_IDLE_HOURS": float(os.environ.get("SESSION_IDLE_HOURS") or 24),
        "PERMANENT_SESSION_LIFETIME": timedelta(
            days=float(os.environ.get("SESSION_MAX_DAYS") or 14)
        ),
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_HTTPONLY": True,
        # Secure (sent over https only) whenever the request came over HTTPS; this forces it.
        "SESSION_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE"),
        # The host names this site answers to (a comma-separated list; ".example.org" takes
        # its subdomains too; "*" any, as before). Others get a 400, so the absolute URLs of
        # feeds and Open Graph tags never name a host a client made up. Set it in production.
        "TRUSTED_HOSTS": _hosts(os.environ.get("TRUSTED_HOSTS")),
        # Proxies in front that set X-Forwarded-For/-Proto (nginx, Caddy): usually 1.
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES") or 0),
        # Rate limits (web/limits.py): in Redis with REDIS_URL, else "memory://" per process.
        "RATELIMIT_ENABLED": _flag("RATELIMIT_ENABLED", True),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI")
        or os.environ.get("REDIS_URL")
        or "memory://",
        "RATELIMIT_RENDER": os.environ.get("RATELIMIT_RENDER") or "120 per minute",  # a person
        # One address (a workshop on one Wi-Fi, a carrier's NAT) holds many people.
        "RATELIMIT_RENDER_ADDRESS": os.environ.get("RATELIMIT_RENDER_ADDRESS") or "1200 per minute",
        "RATELIMIT_HEADERS_ENABLED": True,  # Retry-After on a 429
    }


def _number(name: str, default: int) -> int:
    """A whole-number setting from the environment."""
    value = os.environ.get(name)
    try:
        return int(value) if value else default
    except ValueError:
        raise SystemExit(f"{name} must be a whole number (not {value!r})") from None


LOCAL_HOSTS = ["localhost", "127.0.0.1"]  # a laptop, the tests (Werkzeug cannot match [::1])


def _hosts(value: str | None) -> list[str] | None:
    if value is None or not value.strip():
        return LOCAL_HOSTS
    if value.strip() == "*":
        return None  # Flask's own default: any host
    return [host.strip().lower() for host in value.split(",") if host.strip()]


def _flag(name: str, default: bool = False) -> bool:
    """An on/off setting from the environment: 1, true, yes, on (any case) mean on."""
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in ("1", "true", "yes", "on")


def prepare(config: dict) -> None:
    """Create the data dir and fill in the settings derived from it."""
    data_dir = Path(config["POSTER_DATA_DIR"]).resolve()
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)  # made here: this user's only
    (data_dir / "banners").mkdir(exist_ok=True)
    config["POSTER_DATA_DIR"] = str(data_dir)
    config.setdefault(
        "SQLALCHEMY_DATABASE_URI",
        config.get("DATABASE_URL") or f"sqlite:///{data_dir / 'poster.db'}",
    )
    if not config.get("SECRET_KEY"):
        if not config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
            raise SystemExit(
                "Set SECRET_KEY: with a database server (DATABASE_URL), several app servers "
                "and workers may share it, and they must all sign sessions, forms and banner "
                "ids with one key. Make one with: "
                "python3 -c 'import secrets; print(secrets.token_hex(32))'"
            )
        config["SECRET_KEY"] = _stored_secret(data_dir / "secret_key")


def _stored_secret(path: Path) -> str:
    """Read the data dir's secret, creating it once: the first process to start writes it,
    every other one (started at the same moment or later) reads that one."""
    create_once(path, secrets.token_hex(32).encode(), mode=0o600)
    return path.read_text().strip()
