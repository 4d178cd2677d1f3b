"""The text engine: Spec ──plan()──▶ Layout ──render_png / render_pdf──▶ bytes.

Pure Python on Pillow (raqm), fontTools, ICU and fpdf2; it never imports Flask.
Heavy modules are imported on first use so that `poster render` starts fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

# Names one way of laying out specs: banner files are content-addressed by (spec, version) and
# served immutable, so every layout change bumps it. tests/engine/test_golden.py fails until
# it is bumped; then `make golden` records the new layouts (see tests/golden.py).
ENGINE_VERSION = "19"

_EXPORTS = {
    "EngineError": "errors",
    "Spec": "spec",
    "SpecError": "spec",
    "parse_colour": "spec",
    "contrast": "spec",
    "MAX_TEXT": "spec",
    "MAX_QR": "spec",
    "MAX_CAPTION": "spec",
    "plain": "emphasis",
    "with_symbols": "symbols",
    "THEMES": "themes",
    "theme": "themes",
    "Layout": "geometry",
    "Line": "geometry",
    "Run": "geometry",
    "Box": "geometry",
    "Page": "geometry",
    "page_names": "pages",
    "parse_page": "pages",
    "describe_size": "pages",
    "PrintOptions": "options",
    "RenderOptions": "options",
    "PrintOptionError": "options",
    "plan": "fit",
    "MissingGlyphs": "itemize",
    "render_png": "png",
    "render_pdf": "pdf",
    "language": "languages",
    "supported_languages": "languages",
    "families": "fonts",
    "image_id": "design",
    "configure": "settings",
}

if TYPE_CHECKING:  # pragma: no cover
    from .errors import EngineError  # noqa: F401
    from .fit import plan  # noqa: F401
    from .geometry import Box, Layout, Line, Page, Run  # noqa: F401
    from .spec import Spec, SpecError  # noqa: F401


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'poster_app.layout' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value  # importing a submodule of the same name must not shadow it
    return value
