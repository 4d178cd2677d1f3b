"""plan(): choose the break points and the size together, then place every run.

Each block of text (the slogan, its translations) is cut into measured units once; fill.py
and stack.py choose its breaks and size by total cost (partition.py) without shaping a
candidate line. Here: the choices around them — the person's own typed lines, the family's
narrower widths and hyphenation when a long word holds the size back, translations set below
the slogan at a size that looks smaller, and the signature line — and a budget of work.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from . import bidi, design
from .emphasis import parse as parse_emphasis
from .fill import fill
from .fonts import chain, narrower_chain
from .geometry import Box, Layout, Line
from .hyphenate import long_enough, runs_long
from .languages import Language, language
from .measure import REF
from .opportunities import SPACE
from .partition import GAP, SEARCH_STEPS, Budget, Lines
from .punctuation import smarten
from .setting import Setting, centred_x, ink_of
from .spec import Spec, parse_colour
from .stack import stack
from .typeset import shape_line
from .units import Text, measured

__all__ = ["GAP", "PLAN_BUDGET", "plan"]

# Work (partition.Budget) before the cheaper choices are taken: about 2 s on the team's
# 2-core machine, above the costliest spec of bench/plan_cost.py (about 1.3 million).
PLAN_BUDGET = 1_600_000
NARROWER = 0.08  # a narrower width of the family costs like a setting 8 % smaller
TYPED_LINE_SHARE = 0.5  # a typed line is broken only if alone it would be set this small
INK_SAFETY = 1.5  # points kept free inside the margins for renderers' pixel rounding
SIGNATURE_RATIO = 0.3  # signature size relative to the slogan's
SIGNATURE_RANGE = (0.03, 0.12)  # … but within these fractions of the box's shorter side


@dataclass(frozen=True)
class Block:
    """One text of the banner in its own language: the slogan, or a translation of it,
    without its emphasis marks (`accents`: the emphasised ranges, emphasis.py)."""

    text: str
    lang: Language
    accents: tuple[tuple[int, int], ...] = ()

    @classmethod
    def typed(cls, text: str, lang: Language, smart: bool = False) -> Block:
        """The block of a text as typed, marks and all (smartened first, if asked)."""
        emphasised = parse_emphasis(smarten(text, lang) if smart else text)
        return cls(emphasised.text, lang, emphasised.spans)

    @property
    def base_level(self) -> int:
        return 1 if self.lang.direction == "rtl" else 0

    def measured(self, faces, budget: Budget, hyphenate: bool = False) -> Text:
        text = measured(self.text, self.lang, self.base_level, faces, hyphenate, self.accents)
        budget.measure(len(text.units))
        return text


def plan(spec: Spec, budget: int | None = PLAN_BUDGET, image: bytes | None = None) -> Layout:
    """Measure and place the slogan of `spec` on its page; nothing is drawn.

    Once `budget` units of work are done (partition.Budget; None: no limit) the fitters stop
    trying costlier alternatives and keep the best setting found so far, so one request's
    cost is bounded — by work, not time, so the layout never depends on the machine's load.
    `image` is the stored file of the spec's image, if it has one (design.ImageMismatch if it
    is not).
    """
    work = Budget(budget)
    lang = language(spec.lang)
    page = spec.page
    m = spec.margin * min(page.width, page.height)
    margins = Box(m, m, page.width - m, page.height - m)
    # The theme's frame, the image's slot and the QR code's corner leave the text its box.
    room = design.reserve(spec, page, margins, design.image_pixels(spec, image))
    box = room.text
    smart = spec.smart_punctuation
    blocks = [Block.typed(spec.text.strip(), lang, smart)]
    blocks += [Block.typed(text, language(tag), smart) for tag, text in spec.also]
    signature: tuple[Line, ...] = ()
    # Text is set a hair inside the margins: a renderer may put a glyph's ink a pixel or so
    # from where it was measured (hinting, baseline snapping), and it must stay inside.
    text_box = box = Box(
        box.x0 + INK_SAFETY, box.y0 + INK_SAFETY, box.x1 - INK_SAFETY, box.y1 - INK_SAFETY
    )
    if spec.signature:
        # The signature is sized from the slogan's size alone on the page, then the slogan
        # is set again in the room left above it.
        slogan_size = _best_setting(blocks[0], spec.family, spec.style, box, work).score
        faces = chain(spec.family, lang.script, lang.tag)
        typed = Block.typed(spec.signature, lang)
        # The signature has no language of its own: its first letter sets its direction.
        level = bidi.first_strong_level(typed.text, blocks[0].base_level)
        sig = measured(typed.text, lang, level, faces, accents=typed.accents)
        signature, text_box = _signature(sig, box, slogan_size)
    lines = _set_blocks(blocks, spec.family, spec.style, text_box, work)
    layout = Layout(
        page=page,
        box=margins,
        lines=lines,
        fg=parse_colour(spec.fg),
        bg=parse_colour(spec.bg),
        style=spec.style,
        lang=lang.tag,
        direction=lang.direction,
        signature=signature,
        texts=tuple(b.text for b in blocks) + ((sig.text,) if spec.signature and signature else ()),
    )
    return design.finish(layout, spec, room, image)


def _best_setting(
    block: Block, family: str, style: str, box: Box, budget: Budget, plain: Text | None = None
) -> Setting:
    """The plain setting, or one in the family's narrower width or hyphenated (or both)
    when a long word holds it back — whichever is worth most (log size − cost)."""
    lang = block.lang

    def setting(narrow: bool = False, hyphenate: bool = False) -> Setting:
        if plain is not None and not (narrow or hyphenate):
            text = plain
        else:
            faces = (narrower_chain if narrow else chain)(family, lang.script, lang.tag)
            text = block.measured(faces, budget, hyphenate)
        found = _set_text(text, style, box, budget)
        return replace(found, cost=found.cost + (NARROWER if narrow else 0.0))

    best = setting()
    if budget.passed() or not _width_bound(best, box):
        return best
    narrow = narrower_chain(family, lang.script, lang.tag) != chain(family, lang.script, lang.tag)
    # Stack sets each line to the width: hyphens only shrink it, except where words run so
    # long (Georgian, Armenian) that one alone is a thin strip across the page.
    hyphens = (style == "fill" or runs_long(lang)) and any(
        long_enough(w, lang) for w in block.text.split()
    )
    options = (
        [(True, False)] * narrow + [(False, True)] * hyphens + [(True, True)] * (narrow and hyphens)
    )
    for option in options:
        candidate = setting(*option)
        # By size and breaks alone: filling the page never buys a hyphen or a narrower face.
        if candidate.value > best.value:
            best = candidate
        if budget.passed():
            break
    return best


def _set_text(text: Text, style: str, box: Box, budget: Budget) -> Setting:
    """Set the text; the person's typed lines stay whole unless one alone would be tiny."""
    set_text = stack if style == "stack" else fill
    if not any(u.hard for u in text.units[:-1]):
        return set_text(text, box, budget)
    inside = {u.end for u in text.units if not u.hard}
    typed = set_text(text.blocked(inside), box, budget)
    # The best wrapped setting by size and breaks alone: filling the page is no reason to
    # break a typed line.
    wrapped = set_text(text, box, budget, cover=False).score
    lines = Lines(text.units)
    too_long: set[int] = set()
    start = 0
    for j, u in enumerate(text.units, 1):
        if u.hard or j == len(text.units):
            alone = box.width * REF / max(lines.width(start, j), 1.0)
            if alone < TYPED_LINE_SHARE * wrapped:
                too_long.update(v.end for v in text.units[start:j])
            start = j
    if not too_long:
        return typed
    # Break only the long lines, at phrase boundaries: never with a hyphen or inside a word.
    keep = {
        u.end for u in text.units if not u.hard and (u.end not in too_long or u.penalty > SPACE)
    }
    return set_text(text.blocked(keep), box, budget)


def _width_bound(setting: Setting, box: Box) -> bool:
    """Is the size held back by the width (a line fills it), so narrower letters could help?"""
    return any(line.ink.width >= 0.97 * box.width for line in setting.lines)


# --- several languages: the slogan on top, its translations below, looking smaller ------------

SECONDARY_RATIO = 0.6  # a translation's apparent size relative to the slogan's, ideally
SECONDARY_MAX = 0.7  # … and at most
BLOCK_GAP = 0.05  # between blocks, as a share of the box height
SPARE_ROOM = 0.05  # room left unused by the blocks, as a share, worth setting the slogan again


def _set_blocks(
    blocks: list[Block], family: str, style: str, box: Box, budget: Budget
) -> tuple[Line, ...]:
    """Share the box's height between the blocks so that the translations look
    SECONDARY_RATIO times as big as the slogan, set each in its band, then stack them."""
    if len(blocks) == 1:
        return _best_setting(blocks[0], family, style, box, budget).lines
    gap = BLOCK_GAP * box.height
    room = box.height - gap * (len(blocks) - 1)
    texts = [b.measured(chain(family, b.lang.script, b.lang.tag), budget) for b in blocks]
    lines = [budget.watch(Lines(t.units)) for t in texts]
    looks = [_apparent_height(t) for t in texts]
    heights = _band_heights(lines, looks, box.width, room)
    settings = _set_in_bands(blocks, texts, heights, family, style, box, gap, budget)
    # The slogan may have chosen fewer lines than its band allowed: give it the room left.
    spare = room - sum(ink_of(s.lines).height for s in settings)
    if spare > SPARE_ROOM * room and not budget.passed():
        heights = [ink_of(s.lines).height for s in settings]
        heights[0] += spare
        first = _set_in_bands(blocks[:1], texts[:1], heights[:1], family, style, box, gap, budget)
        if first[0].score > settings[0].score:
            settings[0] = first[0]
    return _stack_blocks(settings, looks, gap, box)


def _set_in_bands(blocks, texts, heights, family, style, box, gap, budget) -> list[Setting]:
    settings, y = [], box.y0
    for block, text, h in zip(blocks, texts, heights, strict=True):
        band = Box(box.x0, y, box.x1, y + h)
        settings.append(_best_setting(block, family, style, band, budget, text))
        y += h + gap
    return settings


def _band_heights(lines: list[Lines], looks: list[float], width: float, room: float):
    """Heights of the bands: the largest slogan size at which every block, its translations
    at SECONDARY_RATIO of its apparent size, fits the room (bisection, greedy lines)."""

    def needed(size: float) -> list[float] | None:
        out = []
        for k, (ln, look) in enumerate(zip(lines, looks, strict=True)):
            z = size if k == 0 else size * SECONDARY_RATIO * looks[0] / look
            ranges = ln.greedy(width * REF / z, max(ln.levels() or [0.0]))
            if ranges is None:
                return None
            out.append(ln.height(ranges) * z / REF)
        return out

    lo, hi, best = 1e-3, room * 2, None
    for _ in range(SEARCH_STEPS):
        mid = (lo * hi) ** 0.5
        heights = needed(mid)
        if heights is not None and sum(heights) <= room:
            lo, best = mid, heights
        else:
            hi = mid
    if best is None:
        return [room / len(lines)] * len(lines)
    spare = (room - sum(best)) / len(best)
    return [h + spare for h in best]


def _apparent_height(text: Text) -> float:
    """How big a text looks, per point of size: the median height of its words' ink above
    the baseline (the cap height for capitals, the ascenders for lower case, the ideographic
    face box for CJK), so that blocks in different scripts are matched by eye, not by font
    size."""
    heights = sorted(-u.top for u in text.units if u.inked)
    return heights[len(heights) // 2] / REF if heights else 1.0


def _stack_blocks(
    settings: list[Setting], looks: list[float], gap: float, box: Box
) -> tuple[Line, ...]:
    """Shrink translations that would look larger than SECONDARY_MAX of the slogan, then
    centre the blocks."""
    limit = SECONDARY_MAX * settings[0].score * looks[0]
    blocks = []
    for number, setting in enumerate(settings):
        lines = setting.lines
        apparent = setting.score * looks[number]
        if number and apparent > limit:
            ink = ink_of(lines)
            k = limit / apparent
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
