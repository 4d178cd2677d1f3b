"""plan(): choose the break points and the size together, then place every run.

Widths are measured once per unit at REF and scale linearly with the size, so each setting
style (fill.py, stack.py) can try line counts and partitions (partition.py) cheaply and size
the few worth it by their real ink. Here: the choices around them — the condensed faces or
hyphenation when a long word holds the size back, word and phrase breaks in CJK and Thai,
translations set below the slogan, and the signature line.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .breaks import preferred_breaks
from .fill import fill
from .fonts import chain
from .geometry import Box, Layout, Line
from .languages import Language, language
from .measure import REF
from .setting import GAP, Setting, centred_x, ink_of
from .spec import Spec, parse_colour
from .stack import stack
from .typeset import shape_line
from .units import Text, has_long_word

__all__ = ["GAP", "plan"]

CLEARLY_LARGER = 1.12  # an alternative setting (condensed, hyphenated) must win by this much
GOOD_BREAKS_COST = 0.75  # breaking only at words/phrases (CJK, Thai) may cost this much size
INK_SAFETY = 1.5  # points kept free inside the margins for renderers' pixel rounding
SIGNATURE_RATIO = 0.3  # signature size relative to the slogan's
SIGNATURE_RANGE = (0.03, 0.12)  # … but within these fractions of the box's shorter side


@dataclass(frozen=True)
class Block:
    """One text of the banner in its own language: the slogan, or a translation of it."""

    text: str
    lang: Language

    @property
    def base_level(self) -> int:
        return 1 if self.lang.direction == "rtl" else 0


def plan(spec: Spec) -> Layout:
    """Measure and place the slogan of `spec` on its page; nothing is drawn."""
    lang = language(spec.lang)
    page = spec.page
    m = spec.margin * min(page.width, page.height)
    box = Box(m, m, page.width - m, page.height - m)
    blocks = [Block(spec.text.strip(), lang)]
    blocks += [Block(text, language(tag)) for tag, text in spec.also]
    signature: tuple[Line, ...] = ()
    # Text is set a hair inside the margins: a renderer may put a glyph's ink a pixel or so
    # from where it was measured (hinting, baseline snapping), and it must stay inside.
    text_box = box = Box(
        box.x0 + INK_SAFETY, box.y0 + INK_SAFETY, box.x1 - INK_SAFETY, box.y1 - INK_SAFETY
    )
    if spec.signature:
        # The signature is sized from the slogan's size alone on the page, then the slogan
        # is set again in the room left above it.
        slogan_size = _best_setting(blocks[0], spec.family, spec.style, box).score
        faces = chain(spec.family, lang.script, lang.tag)
        sig = Text(spec.signature, lang.tag, blocks[0].base_level, faces)
        signature, text_box = _signature(sig, box, slogan_size)
    lines = _set_blocks(blocks, spec.family, spec.style, text_box)
    return Layout(
        page=page,
        box=Box(m, m, page.width - m, page.height - m),
        lines=lines,
        fg=parse_colour(spec.fg),
        bg=parse_colour(spec.bg),
        style=spec.style,
        lang=lang.tag,
        direction=lang.direction,
        signature=signature,
        texts=tuple(block.text for block in blocks) + ((spec.signature,) if signature else ()),
    )


def _best_setting(block: Block, family: str, style: str, box: Box) -> Setting:
    """The plain setting, or a condensed or hyphenated one when a long word holds it back."""
    lang = block.lang
    good = preferred_breaks(block.text, lang.tag)

    def setting(family: str, hyphenate: bool = False) -> Setting:
        text = Text(
            block.text, lang.tag, block.base_level, chain(family, lang.script, lang.tag), hyphenate
        )
        return _set_with_good_breaks(text, good, style, box)

    best = setting(family)
    if not _long_word_limits(best, box):
        return best
    # Narrower letters first; hyphenation only if it is clearly better still.
    alternatives = [lambda: setting("condensed")] if family != "condensed" else []
    # Stack sets each line to the width: hyphens only shrink it. Short words aren't hyphenated.
    if style == "fill" and has_long_word(block.text):
        alternatives.append(lambda: setting(family, hyphenate=True))
    for alternative in alternatives:
        candidate = alternative()
        if candidate.score > best.score * CLEARLY_LARGER:
            best = candidate
    return best


# --- several languages: the slogan on top, its translations smaller below -------------------

SECONDARY_RATIO = 0.6  # a translation's size relative to the slogan's, ideally
SECONDARY_MAX = 0.8  # … and at most
PRIMARY_SHARES = (0.5, 0.58, 0.66, 0.74)  # of the height tried for the slogan
BLOCK_GAP = 0.05  # between blocks, as a share of the box height


def _set_blocks(blocks: list[Block], family: str, style: str, box: Box) -> tuple[Line, ...]:
    """Set each block in a band of the box, sizes balanced, then stack the bands by ink."""
    if len(blocks) == 1:
        return _best_setting(blocks[0], family, style, box).lines
    gap = BLOCK_GAP * box.height
    room = box.height - gap * (len(blocks) - 1)
    best: tuple[float, list[Setting]] | None = None
    for share in PRIMARY_SHARES:
        heights = [room * share] + [room * (1 - share) / (len(blocks) - 1)] * (len(blocks) - 1)
        settings, y = [], box.y0
        for block, h in zip(blocks, heights, strict=True):
            settings.append(_best_setting(block, family, style, Box(box.x0, y, box.x1, y + h)))
            y += h + gap
        primary, secondary = settings[0].score, min(s.score for s in settings[1:])
        score = min(primary, secondary / SECONDARY_RATIO)
        if best is None or score > best[0]:
            best = (score, settings)
    assert best is not None  # PRIMARY_SHARES is not empty
    return _stack_blocks(best[1], gap, box)


def _stack_blocks(settings: list[Setting], gap: float, box: Box) -> tuple[Line, ...]:
    """Shrink translations set larger than the slogan allows, then centre the blocks."""
    limit = SECONDARY_MAX * settings[0].score
    blocks = []
    for number, setting in enumerate(settings):
        lines = setting.lines
        if number and setting.score > limit:
            ink = ink_of(lines)
            k = limit / setting.score
            lines = tuple(li.transformed(k, (ink.x0 + ink.x1) / 2, ink.y0) for li in lines)
        blocks.append(tuple(replace(li, block=number) for li in lines))
    inks = [ink_of(lines) for lines in blocks]
    total = sum(ink.height for ink in inks) + gap * (len(inks) - 1)
    y = box.y0 + (box.height - total) / 2
    out: list[Line] = []
    for lines, ink in zip(blocks, inks, strict=True):
        out += [li.transformed(1.0, 0, 0, y - ink.y0) for li in lines]
        y += ink.height + gap
    return tuple(out)


def _set_with_good_breaks(text: Text, good: frozenset[int] | None, style: str, box: Box) -> Setting:
    """Set the text; prefer breaks at words or phrases if they cost little size."""
    set_text = stack if style == "stack" else fill
    if good is not None:
        text = text.marked_poor(good)
    best = set_text(text, box)
    coarse = text.coarsened(good) if good is not None else None
    if coarse is not None:
        candidate = set_text(coarse, box)
        if candidate.score >= best.score * GOOD_BREAKS_COST:
            best = candidate
    return best


def _long_word_limits(setting: Setting, box: Box) -> bool:
    """Is the size held back by a line that is one unbreakable word filling the width?"""
    for line in setting.lines:
        words = [w for w in line.text.split() if any(ch.isalnum() for ch in w)]
        if len(words) == 1 and len(words[0]) >= 8 and line.ink.width >= 0.97 * box.width:
            return True
    return False


# --- signature: one small line at the bottom --------------------------------------------------


def _signature(text: Text, box: Box, slogan_size: float) -> tuple[tuple[Line, ...], Box]:
    """Set the signature at the bottom of `box`; return it and the box left for the slogan."""
    shape = shape_line(text, 0, len(text.text), False, exact=True)
    if shape.ink is None:
        return (), box
    low, high = (f * min(box.width, box.height) for f in SIGNATURE_RANGE)
    size = min(max(SIGNATURE_RATIO * slogan_size, low), high, box.width * REF / shape.ink.width)
    k = size / REF
    baseline = box.y1 - shape.ink.y1 * k
    line = shape.place(size, centred_x(shape, k, box), baseline, text.lang)
    return (line,), Box(box.x0, box.y0, box.x1, line.ink.y0 - 0.8 * size)
