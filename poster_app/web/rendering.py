"""The web layer's only door to the engine: plan once per spec, keep recent previews in memory.

Views never measure text; they hand a Spec to the engine and serve the bytes it returns.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from ..layout import ENGINE_VERSION, Spec, plan, render_pdf, render_png


class LRU:
    """A small thread-safe least-recently-used cache."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_make(self, key: Hashable, make: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()     # outside the lock: other previews keep flowing while this renders
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


_layouts = LRU(64)
_previews = LRU(128)


def layout_for(spec: Spec):
    """Plan the spec (raises MissingGlyphs), reusing a recent plan of the same spec."""
    return _layouts.get_or_make(spec.key(ENGINE_VERSION), lambda: plan(spec))


def preview_png(spec: Spec, width: int) -> bytes:
    """A small PNG `width` px wide, cached in memory by spec and width."""
    return _previews.get_or_make((spec.key(ENGINE_VERSION), width),
                                 lambda: render_png(layout_for(spec), width=width))


def thumbnail_maker(spec: Spec) -> Callable[[int], bytes]:
    """A function that renders the spec's thumbnail at a width (for BannerStore.save)."""
    return lambda width: render_png(layout_for(spec), width=width)


def banner_png(spec: Spec, dpi: int | None = None) -> bytes:
    """The print PNG (ValueError over the pixel cap; its message suggests the PDF)."""
    return render_png(layout_for(spec), dpi=dpi)


def banner_pdf(spec: Spec) -> bytes:
    return render_pdf(layout_for(spec))
