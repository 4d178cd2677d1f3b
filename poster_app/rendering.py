"""The app's only door to the engine: plan once per spec, keep recent previews in memory.

Views, storage and campaigns never measure text or call a renderer themselves; they hand a
Spec to the app's `renderer()` and keep or serve the bytes that come back. (The `poster`
command is the engine's other caller.)

The cost of a request is bounded here: work that is not cached runs in one of a few render
slots per process (RENDER_SLOTS), with a few more requests waiting (RENDER_QUEUE, at most
RENDER_WAIT seconds; the client who rendered least lately first); the rest raise Busy at once
(the web answers 503 with Retry-After).
The same layout or preview asked for by several threads at once is made once.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from .addresses import request_client
from .layout import (
    ENGINE_VERSION,
    PrintOptions,
    RenderOptions,
    Spec,
    SpecError,
    plan,
    render_png,
)
from .layout.errors import EngineError
from .layout.options import render_file


def require_raqm() -> None:
    """Stop at start-up, not at the first banner, if Pillow can't shape text (no raqm)."""
    from .layout.fontcache import require_raqm as check

    check()


class Busy(Exception):
    """Every render slot stayed taken while this request waited: answer 503 + Retry-After."""

    def __init__(self, retry_after: int):
        super().__init__(f"all render slots are busy; retry in {retry_after} s")
        self.retry_after = retry_after


class RenderGate:
    """At most `slots` renders at once in this process; at most `queue` more waiting for one.

    Planning is pure Python under the GIL and a big PNG holds hundreds of MB, so renders go
    through a few at a time. A request that finds the queue full, or no slot within `wait`
    seconds, raises Busy at once: the server's threads stay free for pages that render
    nothing. A render inside a render (a preview plans its layout) takes no second slot.

    A freed slot goes to the waiting client who has rendered least lately (render seconds per
    client address, halved every HALF_LIFE s), then to the first come: a client sending costly
    specs waits behind everyone making an ordinary preview, who waits at most for the render
    already running.
    """

    HALF_LIFE = 60.0  # seconds

    def __init__(self, slots: int = 1, queue: int = 12, wait: float = 10, clock=time.monotonic):
        self.slots, self.queue, self.wait, self.clock = slots, queue, wait, clock
        self._busy = 0
        self._waiting: list[tuple[float, int]] = []  # (the client's render seconds, ticket)
        self._tickets = itertools.count()
        self._spent: OrderedDict[str, tuple[float, float]] = OrderedDict()  # → (seconds, when)
        self._changed = threading.Condition()
        self._inside = threading.local()

    @contextmanager
    def slot(self, client: str | None = None) -> Iterator[None]:
        if getattr(self._inside, "yes", False):
            yield
            return
        client = request_client() if client is None else client
        self._enter(client)
        self._inside.yes = True
        started = self.clock()
        try:
            yield
        finally:
            self._inside.yes = False
            self._leave(client, self.clock() - started)

    def _enter(self, client: str) -> None:
        with self._changed:
            if self._busy < self.slots and not self._waiting:
                self._busy += 1
                return
            # Full when every slot and every place in the queue is taken. Not the queue's
            # length alone: right after a slot is freed, the waiter it goes to is still in
            # the queue until it wakes, and a request arriving then was refused with a slot
            # free (0.6 % of previews at 20 clients, bench/load.py --campaign).
            if self._busy + len(self._waiting) >= self.slots + self.queue:
                raise Busy(self.retry_after)
            me = (self._spent_by(client), next(self._tickets))
            self._waiting.append(me)
            deadline = self.clock() + self.wait
            try:
                while self._busy >= self.slots or min(self._waiting) != me:
                    left = deadline - self.clock()
                    if left <= 0:
                        raise Busy(self.retry_after)
                    self._changed.wait(left)
                self._busy += 1
            finally:
                self._waiting.remove(me)
                self._changed.notify_all()  # the next in line looks again

    def _leave(self, client: str, seconds: float) -> None:
        with self._changed:
            self._busy -= 1
            self._spent[client] = (self._spent_by(client) + seconds, self.clock())
            self._spent.move_to_end(client)
            while len(self._spent) > 10_000:  # the least recent clients are forgotten
                self._spent.popitem(last=False)
            self._changed.notify_all()

    def _spent_by(self, client: str) -> float:
        seconds, when = self._spent.get(client, (0.0, 0.0))
        return seconds * 0.5 ** ((self.clock() - when) / self.HALF_LIFE)

    @property
    def retry_after(self) -> int:
        return max(1, round(self.wait / 2))


class LRU:
    """A small thread-safe least-recently-used cache that makes each missing value once.

    When several threads ask for the same missing key (the same preview from two tabs, the
    same layout for a page and its download), one makes it and the others wait for it.
    """

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._making: dict[Hashable, threading.Event] = {}
        self._lock = threading.Lock()

    def get_or_make(self, key: Hashable, make: Callable[[], Any]) -> Any:
        while True:
            with self._lock:
                if key in self._items:
                    self._items.move_to_end(key)
                    return self._items[key]
                made = self._making.get(key)
                if made is None:
                    made = self._making[key] = threading.Event()
                    break
            made.wait()  # another thread is making it; then it is cached (or failed: try again)
        try:
            value = make()  # outside the lock: other keys keep flowing while this one is made
            with self._lock:
                self._items[key] = value
                self._items.move_to_end(key)
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
            return value
        finally:
            with self._lock:
                del self._making[key]
            made.set()

    def peek(self, key: Hashable) -> Any:
        """The value if it is kept (made recently; now used again), else None."""
        with self._lock:
            if key not in self._items:
                return None
            self._items.move_to_end(key)
            return self._items[key]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


@dataclass(frozen=True)
class Alternative:
    """The same slogan laid out another way, as the form offers it beside the preview."""

    orientation: str  # 'portrait' or 'landscape'
    style: str  # 'fill' or 'stack'
    text_size: float  # pt: the slogan's smallest line, what limits reading it from afar
    png: bytes  # a thumbnail
    current: bool  # the spec's own layout


def text_size(layout) -> float:
    """The size of the slogan's smallest line, in points (translations below it aside)."""
    return min((line.size for line in layout.lines if line.block == 0), default=0.0)


class Renderer:
    """Plans and renders for one app, with its own caches of recent layouts and previews.

    The app's renderer is `renderer()`; each app has its own (tests make many), and a campaign
    runner holds its app's, since it works outside any request.
    """

    def __init__(
        self,
        layouts: int = 256,
        previews: int = 128,
        max_pixels: int | None = None,
        gate: RenderGate | None = None,
        images: Callable[[str], bytes | None] | None = None,
    ):
        # (256 layouts: each preview brings three alternatives.)
        from .layout.png import MAX_PIXELS

        self._layouts = LRU(layouts)
        self._previews = LRU(previews)
        self.max_pixels = max_pixels or MAX_PIXELS  # the largest PNG download
        self.gate = gate or RenderGate()
        self.images = images or (lambda _id: None)  # an uploaded image's bytes by its id

    def layout(self, spec: Spec):
        """Plan the spec (raises MissingGlyphs), reusing a recent plan of the same spec.

        A plan not cached takes a render slot (Busy when none frees up in time). Every file
        (preview, PNG, PDF, JPEG, tiles, thumbnails) is drawn from a plan, which carries the
        spec's image: so the image is read once per plan, here."""
        return self._in_slot(self._layouts, spec.key(ENGINE_VERSION), lambda: self._plan(spec))

    def _planned(self, spec: Spec):
        """The layout without a render slot, for background work."""
        return self._layouts.get_or_make(spec.key(ENGINE_VERSION), lambda: self._plan(spec))

    def _plan(self, spec: Spec):
        return plan(spec, image=self._image(spec))

    def _image(self, spec: Spec) -> bytes | None:
        """The bytes of the image the spec names (SpecError on `image` if none is stored)."""
        if not spec.image:
            return None
        data = self.images(spec.image)
        if data is None:
            raise SpecError("image", "image_not_stored", image=spec.image)
        return data

    def _in_slot(self, cache: LRU, key: Hashable, make: Callable[[], Any]) -> Any:
        """The cached value, or `make()` run in a render slot and cached.

        The slot is taken before the key is marked as being made, so whoever waits for a
        value waits for a thread that holds a slot. Marked first, a page planning a banner
        waited for a slot that a download of the same banner held while it waited for that
        plan: both stood still until the page's RENDER_WAIT ran out (503, make bench-load)."""
        value = cache.peek(key)
        if value is not None:
            return value
        with self.gate.slot():
            return cache.get_or_make(key, make)

    def preview_png(self, spec: Spec, width: int) -> bytes:
        """A small PNG `width` px wide, cached in memory by spec and width."""
        key = (spec.key(ENGINE_VERSION), width)
        return self._in_slot(self._previews, key, lambda: self._png(spec, width))

    def cached_preview(self, spec: Spec, width: int) -> bytes | None:
        """The preview if one was made recently in this process (costs nothing to serve)."""
        return self._previews.peek((spec.key(ENGINE_VERSION), width))

    def thumbnail_maker(self, spec: Spec, in_slot: bool = True) -> Callable[[int], bytes]:
        """A function that renders the spec's thumbnail at a width (for BannerStore.save), in a
        render slot unless it is background work (a campaign's own pool bounds that)."""
        if not in_slot:
            return lambda width: render_png(self._planned(spec), width=width)
        return lambda width: self._png(spec, width)

    def campaign_files(self, spec: Spec) -> dict[str, bytes]:
        """A campaign banner's files: the print PNG (page DPI), the vector PDF, a thumbnail.

        Campaign work takes no render slot: its own small pool bounds it, and it must not fail
        because visitors keep the slots busy."""
        layout = self._planned(spec)  # MissingGlyphs names the characters no font has
        return {
            "png": render_file(layout, RenderOptions(format="png"), max_pixels=self.max_pixels),
            "pdf": render_file(layout, RenderOptions(format="pdf")),
            "thumb": render_png(layout, width=CONTACT_THUMB_WIDTH),
        }

    def check_png_size(self, spec: Spec) -> None:
        """Refuse a spec that asks for a PNG over the pixel cap (its own DPI, or a page in px).

        Without either, the PNG is only one download among others (the PDF has no limit), so
        the banner is made and that download alone answers with the cap's message.
        """
        from .layout.png import check_pixels, pixel_size

        if spec.dpi is None and not spec.page.name.endswith("px"):
            return
        dpi = spec.dpi or spec.page.native_dpi
        try:
            check_pixels(spec.page, dpi, pixel_size(spec.page, dpi), self.max_pixels)
        except EngineError as e:
            raise SpecError.about("dpi" if spec.dpi else "size", e) from None

    def file(self, spec: Spec, options: RenderOptions, printing: PrintOptions | None = None):
        """The banner as a file, in a render slot (ValueError over the pixel cap, or for print
        options this page can't have; the messages say what to do instead)."""
        with self.gate.slot():
            return render_file(self.layout(spec), options, printing, self.max_pixels)

    def pdf(self, spec: Spec, printing: PrintOptions | None = None) -> bytes:
        """The PDF: tiled over home-printer sheets, or one page with the print-shop extras."""
        if printing is not None and printing.tile:
            from .layout.tiles import plan_tiles

            # Too many sheets is refused before the slogan is planned.
            plan_tiles(spec.page, printing.tile, printing.overlap)
        return self.file(spec, RenderOptions(format="pdf"), printing)

    def jpeg(self, png: bytes) -> bytes:
        """A PNG of ours as a JPEG, for apps and sites that take nothing else (no metadata).
        Made from the PNG download's bytes, which the cache mostly has already: rendering that
        PNG again was 0.1 s of a 600 DPI A4's 0.45 s."""
        with self.gate.slot():  # 3 bytes a pixel
            return to_jpeg(png)

    def post_png(self, spec: Spec, post: str) -> bytes:
        """The slogan laid out again for posting (a story, a square, a portrait image)."""
        other = spec.replace(size=POST_SIZES[post], orientation=None)
        return self.file(other, RenderOptions(format="png"))

    def screen_png(self, spec: Spec, width: int) -> bytes:
        """The banner as it is, `width` px wide: the projector view's picture."""
        return render_png(self.layout(spec), width=width)

    def share_png(self, spec: Spec) -> bytes:
        """The banner as it is, 1080 px wide: the picture the Share button hands to apps."""
        return self._png(spec, SHARE_WIDTH)

    def _png(self, spec: Spec, width: int) -> bytes:
        with self.gate.slot():
            return render_png(self.layout(spec), width=width)

    def alternatives(self, spec: Spec, width: int) -> list[Alternative]:
        """The spec in portrait and landscape (one of them on a square page), fill and stack,
        with how large each sets the slogan and a thumbnail `width` px wide. Three plans more
        than the preview's, cached with it; the form asks for them only when typing pauses."""
        page = spec.page
        own = "landscape" if page.width > page.height else "portrait"
        orientations = [own] if abs(page.width - page.height) < 1 else ["portrait", "landscape"]
        found = []
        for orientation in orientations:
            for style in ("fill", "stack"):
                other = spec.replace(orientation=orientation, style=style)
                layout = self.layout(other)
                png = self.preview_png(
                    other, width if orientation == "portrait" else round(width * 1.4)
                )
                current = orientation == own and style == spec.style
                found.append(Alternative(orientation, style, text_size(layout), png, current))
        return found

    def themes(self, options: dict[str, Any], width: int) -> dict[str, bytes | None]:
        """The form's banner in every theme, a thumbnail `width` px wide of each (None where
        that theme can't take it): the swatches the form shows. Each is a cached preview, so
        a swatch asked again, or the preview of the chosen theme, costs nothing more."""
        from .layout.themes import THEMES

        found: dict[str, bytes | None] = {}
        for name in THEMES:
            try:
                # A painting grid is a guide for the real size: on a thumbnail only noise.
                spec = Spec.from_options({**options, "theme": name, "grid": 0})
                found[name] = self.preview_png(spec, width)
            except ValueError:  # SpecError, MissingGlyphs: the form's own preview says why
                found[name] = None
        return found


CONTACT_THUMB_WIDTH = 360  # px, the campaign contact sheet's thumbnails


def init_app(app, images: Callable[[str], bytes | None] | None = None) -> None:
    """Give the app its renderer (PREVIEW_CACHE_SIZE previews, PNGs up to MAX_PIXELS, its
    render slots: one app a process, so RENDER_SLOTS a process), the engine its fonts folder
    and cache (POSTER_FONTS_DIR, POSTER_CACHE_DIR); the renderer reads uploaded images with
    `images` (id → bytes or None: the store is a layer above this one)."""
    from .layout import configure

    config = app.config
    configure(config["POSTER_FONTS_DIR"], config["POSTER_CACHE_DIR"])
    app.extensions["renderer"] = Renderer(
        previews=config["PREVIEW_CACHE_SIZE"],
        max_pixels=config["MAX_PIXELS"],
        gate=RenderGate(config["RENDER_SLOTS"], config["RENDER_QUEUE"], config["RENDER_WAIT"]),
        images=images,
    )


def import_file_makers() -> None:
    """Import what a first PDF, print PNG and campaign contact sheet import (fpdf, fontTools'
    subsetter, Pillow's image plugins) without making any, so nothing is opened (a PDF
    leaves its font files open: see app.warm_engine). For a process that forks (gunicorn's
    master, `flask worker`, whose RQ forks a process per job): each fork then has them, where
    it imported them again before its first PDF (0.4-0.5 s of CPU a fork, py-spy)."""
    from PIL import Image

    from . import contact_sheet  # noqa: F401
    from .layout import pdf, png, tiles  # noqa: F401

    Image.init()


def renderer() -> Renderer:
    """The current app's renderer."""
    from flask import current_app

    return current_app.extensions["renderer"]


JPEG_MAX_PIXELS = 40_000_000  # a JPEG is encoded from 3 bytes a pixel: 120 MB at most
JPEG_QUALITY = 90  # flat colours and sharp letters: lower quality rings around them


def to_jpeg(png: bytes) -> bytes:
    """A PNG of ours (a palette image) re-encoded as a baseline sRGB JPEG, 4:4:4 so red
    letters keep their edges. ValueError past JPEG_MAX_PIXELS."""
    import io

    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        if image.width * image.height > JPEG_MAX_PIXELS:
            raise ValueError("too many pixels for a JPEG; use the PNG or the PDF")
        out = io.BytesIO()
        image.convert("RGB").save(out, "JPEG", quality=JPEG_QUALITY, subsampling=0)
    return out.getvalue()


# The sizes people post, made from any banner: the same slogan laid out on each screen.
POST_SIZES = {
    "story": "story-1080x1920px",
    "square": "square-1080px",
    "portrait": "portrait-1080x1350px",
}


SHARE_WIDTH = 1080  # px: what chat apps show full screen
# The projector view's pictures, px wide: the browser takes the one its screen needs (srcset).
SCREEN_WIDTHS = (960, 1280, 1920, 2560, 3840)


# The tiled, print-shop and hem PDFs change without the layout changing (the assembly map, the
# marks, the guides): bump this with such a change, so their cached files are made again.
PRINT_VERSION = 2


# --- What a banner's page offers to download


@dataclass(frozen=True)
class PngChoice:
    """The print PNG at one DPI: its size in pixels and about how many bytes."""

    dpi: int | None  # None: the spec's DPI, else the page's (the file /banners/<id>.png)
    shown_dpi: float  # what that is in numbers
    width: int
    height: int
    approx_bytes: int


@dataclass(frozen=True)
class Downloads:
    """Every file a banner's page links to, each one known to work for this spec."""

    pngs: list[PngChoice]  # the page's own DPI first
    png_refused: bool  # some offered DPI would be over the pixel cap: say so, point to the PDF
    sheets: dict[str, int]  # home-printer tilings, sheet → how many (only over one sheet)
    screen: bool  # an image for screens (a size in px): no print-shop PDF, no tiling
    hem: bool  # hem and grommet guides: cloth banners


CLOTH_MIN_PT = 50 / 2.54 * 72  # a custom size whose short side is 50 cm or more is cloth
# A page up to 10 % larger than a sheet prints on it, scaled by "fit to page": no tiling.
FIT_TO_PAGE = 1.1
PNG_ROW_GROWTH = 1.3  # bytes per row grow a little with resolution (measured: 1.0–1.8×)


def downloads(
    spec: Spec, dpis: tuple[int, ...], thumb_bytes: int, thumb_width: int, max_pixels: int
) -> Downloads:
    """What to offer: PNGs under the pixel cap (none twice), tilings for pages larger than a
    sheet, the print-shop and hem PDFs where they make sense."""
    page = spec.page
    screen = page.name.endswith("px")  # an image for screens: its pixels are the size
    own = spec.dpi or page.native_dpi  # what /banners/<id>.png gives
    wanted = [None] + ([] if screen else [d for d in dpis if d != own])
    pngs = _png_choices(page, own, wanted, thumb_bytes * page.width / thumb_width, max_pixels)
    refused = len(pngs) < len(wanted)
    cloth = not screen and page.name[:1].isdigit() and min(page.width, page.height) >= CLOTH_MIN_PT
    return Downloads(pngs, refused, {} if screen else _tilings(page), screen, hem=cloth)


def _png_choices(
    page, own: float, dpis: list[int | None], thumb_bytes_per_width: float, max_pixels: int
) -> list[PngChoice]:
    """The PNG at each DPI (None: the page's own), leaving out those over the pixel cap.

    A PNG's size is estimated from the thumbnail's: these PNGs are runs of one colour, so
    their bytes grow with the number of rows rather than with the pixels."""
    from .layout.png import check_pixels, pixel_size

    choices = []
    for dpi in dpis:
        shown = dpi or own
        width, height = pixel_size(page, shown)
        try:
            check_pixels(page, shown, (width, height), max_pixels)
        except ValueError:  # over the cap: the download would answer 422
            continue
        estimate = thumb_bytes_per_width * height / page.height * PNG_ROW_GROWTH
        choices.append(PngChoice(dpi, shown, width, height, round(estimate)))
    return choices


def _tilings(page) -> dict[str, int]:
    """How many sheets of each home-printer paper the page takes, for a page larger than one."""
    from .layout.tiles import SHEETS_MM, plan_tiles

    sheets = {}
    for sheet, (w_mm, h_mm) in SHEETS_MM.items():
        sheet_w, sheet_h = (side * 72 / 25.4 * FIT_TO_PAGE for side in (w_mm, h_mm))
        if (page.width <= sheet_w and page.height <= sheet_h) or (
            page.width <= sheet_h and page.height <= sheet_w
        ):
            continue  # prints on one sheet
        try:
            sheets[sheet] = plan_tiles(page, sheet).count
        except ValueError:  # more sheets than a tiling may have: the PDF link would fail
            continue
    return sheets
